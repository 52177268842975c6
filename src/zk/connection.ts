import type { Socket } from 'node:net';
import { Connection, type ConnectionOptions, type PrefaceOutcome } from '../core/net/connection.js';
import { LengthPrefixedFramer } from '../core/net/framer.js';
import { decodeConnectRequest, encodeConnectResponse } from './codec/connect.js';
import { Err, type ZkCodecError } from './codec/errors.js';
import { decodeRequest } from './codec/requests.js';
import { encodeNotification, encodeReply, type ZkReplyBody } from './codec/responses.js';
import { KeeperState, OpCode, Xid, type ConnectRequest, type Id, type ZkRequest } from './codec/types.js';
import { fourLetterWordOf } from './fourlw/index.js';
import { dispatch } from './handlers/index.js';
import type { SessionRecord } from './model/types.js';
import type { ZkServerContext } from './server-context.js';
import type { SessionOwner } from './service.js';
import type { Watcher } from './watches/types.js';
import { ConnectionStats } from './stats.js';

/** Opcodes PrepRequestProcessor turns into txns (a malformed one becomes an ErrorTxn). */
const WRITE_OPCODES = new Set<number>([OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL,
  OpCode.delete, OpCode.deleteContainer, OpCode.setData, OpCode.setACL, OpCode.check, OpCode.multi]);

/** A four-letter word is recognised on a connection's first 4 bytes (NIOServerCnxn.checkFourLetterWord). */
export const ZK_PREFACE_BYTES = 4;

/**
 * One client connection (ZooKeeper's ServerCnxn) on core/net's Connection: its first 4 bytes may
 * be a four-letter word (answered, then closed); otherwise frames, the ConnectRequest handshake,
 * then requests dispatched in order through the ReplyQueue. Malformed input is answered as
 * ZooKeeper answers it (see undecodable()) and never affects another connection.
 */
export class ZkConnection extends Connection implements Watcher, SessionOwner {
  readonly stats: ConnectionStats;
  /** ServerCnxn.authInfo: the ip id from the start, digest/super after addauth. */
  readonly authIds: Id[];
  session: SessionRecord | null = null;
  /** Its first bytes were not a four-letter word: a client of the jute protocol (cons lists it). */
  isClient = false;
  /** True while this socket's four-letter word runs: ZooKeeper lists it among its connections. */
  answeringFourLetterWord = false;
  private connectRequestSeen = false;
  /** addauth checks against the user store still running (requests behind them wait). */
  private authChecks = 0;

  constructor(socket: Socket, readonly ctx: ZkServerContext, options: ConnectionOptions) {
    super(socket, new LengthPrefixedFramer(ctx.settings.juteMaxBuffer), options);
    this.stats = new ConnectionStats(ctx.clock.now());
    this.authIds = [{ scheme: 'ip', id: this.remoteAddress }];
  }

  protected override inspectPreface(head: Buffer): PrefaceOutcome {
    const word = fourLetterWordOf(head);
    if (word === null) {
      this.isClient = true;
      return 0;
    }
    // NIOServerCnxn.checkFourLetterWord: answer, then close.
    this.answeringFourLetterWord = true;
    try {
      this.closeAfterSending(this.ctx.answerFourLetterWord(word));
    } finally {
      this.answeringFourLetterWord = false;
    }
    return 'taken-over';
  }

  /** A frame (jute.maxbuffer already checked by the framer): the ConnectRequest, then requests. */
  protected override onFrame(frame: Buffer): void {
    if (this.connectRequestSeen) this.request(frame);
    else this.handshake(frame);
  }

  private handshake(frame: Buffer): void {
    let req: ConnectRequest;
    try { req = decodeConnectRequest(frame); } catch (err) {
      this.ctx.logger.warn({ conn: this.id, err: (err as Error).message }, 'zk bad ConnectRequest, closing');
      this.close();
      return;
    }
    this.connectRequestSeen = true;
    // ZooKeeperServer.processConnectRequest: cnxn.disableRecv() until the session is set up;
    // requests pipelined behind the ConnectRequest wait in the framer.
    this.pauseReading('handshake');
    const zxid = this.ctx.service.lastZxid();
    // ZooKeeperServer.processConnectRequest: a client that has seen a newer zxid than ours must
    // try another server; we close the connection without a response.
    if (req.lastZxidSeen > zxid) {
      this.ctx.logger.info({ conn: this.id, clientZxid: req.lastZxidSeen, zxid }, 'zk client has seen a newer zxid, refusing');
      this.close();
      return;
    }
    const { minSessionTimeout: min, maxSessionTimeout: max } = this.ctx.settings;
    const timeout = Math.min(Math.max(req.timeOut, min), max);
    const readOnly = req.readOnly === undefined ? {} : { readOnly: false };
    if (req.sessionId === 0n) {
      this.ctx.service.createSession(timeout).then((session) => this.opened(session, readOnly, req),
        (err: unknown) => this.fail(err, 'createSession'));
      return;
    }
    const id = req.sessionId.toString(16).padStart(16, '0');
    if (!this.ctx.service.reopenSession(id, req.passwd, timeout)) {
      // ZooKeeperServer.finishSessionInit(valid=false): timeout 0, session 0, zeroed password; close.
      this.send(encodeConnectResponse({ protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: Buffer.alloc(16), ...readOnly }));
      this.closeAfterFlush();
      return;
    }
    this.opened({ id, timeoutMs: timeout, passwd: req.passwd.toString('base64') }, readOnly, req);
  }

  private opened(session: SessionRecord, readOnly: { readOnly?: boolean }, req: ConnectRequest): void {
    if (this.closed) {
      // The client left while its session was being created: it will expire like any other.
      return;
    }
    this.session = session;
    this.stats.timeoutMs = session.timeoutMs;
    this.ctx.service.own(session.id, this);
    this.send(encodeConnectResponse({
      protocolVersion: req.protocolVersion, timeOut: session.timeoutMs, sessionId: BigInt(`0x${session.id}`),
      passwd: Buffer.from(session.passwd, 'base64'), ...readOnly,
    }));
    this.handshakeCompleted();
    this.ctx.logger.debug({ conn: this.id, sessionId: `0x${session.id}`, timeout: session.timeoutMs }, 'zk session established');
    this.resumeReading('handshake');
  }

  private request(frame: Buffer): void {
    let req: ZkRequest;
    try { req = decodeRequest(frame); } catch (err) {
      this.undecodable(err as ZkCodecError);
      return;
    }
    this.stats.received++;
    this.ctx.stats.packetsReceived++;
    this.ctx.service.tracker.touch(this.session!.id);
    this.enforceAndDispatch(req);
  }

  /** handleAuth: a credential check started / finished. Requests behind it wait, unread, until
   *  it is decided (their access depends on it). */
  authCheck(started: boolean): void {
    this.authChecks += started ? 1 : -1;
    if (this.authChecks > 0) this.pauseReading('authentication');
    else this.resumeReading('authentication');
  }

  private enforceAndDispatch(req: ZkRequest): void {
    if (this.ctx.authenticate && req.op !== 'auth' && !this.authIds.some((a) => a.scheme === 'digest')) {
      // AuthenticationHelper.enforceAuthentication: an unauthenticated request is answered
      // SESSIONCLOSEDREQUIRESASLAUTH and the connection is closed.
      this.ctx.logger.info({ conn: this.id, sessionId: this.sessionHex }, 'zk request before authentication, closing');
      this.replies.read(() => encodeReply({ xid: req.xid, zxid: 0, err: Err.SESSIONCLOSEDREQUIRESASLAUTH }));
      this.closeAfterFlush();
      return;
    }
    dispatch(this, req);
  }

  /** A request the codec could not read, answered as ZooKeeper 3.8 answers the same bytes. */
  private undecodable(err: ZkCodecError): void {
    const log = { conn: this.id, sessionId: this.sessionHex, err: err.message };
    if (err.action === 'unimplemented' && err.xid !== undefined) {
      // UnimplementedRequestProcessor: {xid, zxid -1, UNIMPLEMENTED}, then the connection closes.
      this.ctx.logger.info(log, 'zk unknown opcode, closing');
      this.replies.read(() => encodeReply({ xid: err.xid!, zxid: -1, err: Err.UNIMPLEMENTED }));
      this.closeAfterFlush();
    } else if (err.action === 'marshalling' && err.xid !== undefined) {
      // The request processors answer MARSHALLINGERROR and keep the connection; a write is
      // logged as an ErrorTxn and consumes a zxid.
      this.ctx.logger.info(log, 'zk malformed request body');
      const xid = err.xid;
      if (err.opType !== undefined && WRITE_OPCODES.has(err.opType)) {
        const done = this.replies.write();
        this.ctx.service.submit({ type: 'errorTxn', err: Err.MARSHALLINGERROR, time: this.ctx.clock.now() },
          (r) => done(encodeReply({ xid, zxid: r.zxid, err: r.err })))
          .catch((e: unknown) => this.fail(e, 'errorTxn'));
      } else {
        this.replies.read(() => encodeReply({ xid, zxid: this.ctx.service.lastZxid(), err: Err.MARSHALLINGERROR }));
      }
    } else {
      this.ctx.logger.warn(log, 'zk undecodable request, closing');
      this.close();
    }
  }

  get sessionHex(): string | null { return this.session ? `0x${this.session.id}` : null; }

  /** Build a reply frame and account for it (latency measured from `startedAt`). */
  reply(xid: number, zxid: number, err: number, response: ZkReplyBody | undefined, op: string, startedAt: number): Buffer {
    if (xid !== Xid.ping) this.ctx.observe(op, this.ctx.clock.now() - startedAt, this.stats, xid, zxid);
    return encodeReply({ xid, zxid, err }, err === Err.OK || response?.kind === 'multi' ? response : undefined);
  }

  /** Watcher: a WatcherEvent notification (xid -1), state SyncConnected. ZooKeeper 3.8 puts
   *  zxid -1 in a notification's header (the change's zxid is sent only from 3.9 on). */
  notify(event: { type: number; path: string; zxid: number }): void {
    this.send(encodeNotification({ type: event.type, state: KeeperState.SyncConnected, path: event.path }, -1));
  }

  /** Every frame sent counts as a packet (ServerStats.packetsSent, cons "sent"). */
  override send(frame: Buffer): void {
    if (this.phase === 'closed') return;
    this.stats.sent++;
    this.ctx.stats.packetsSent++;
    super.send(frame);
  }

  /** The session was closed or expired, or moved to another connection. */
  sessionClosed(): void { this.closeAfterFlush(); }

  protected override logContext(): Record<string, unknown> { return { sessionId: this.sessionHex }; }

  /** Socket gone: its watches go with it (watches belong to the connection); the session lives
   *  on until it expires or the client reconnects. */
  protected override onClosed(): void {
    this.ctx.service.watches.removeWatcher(this);
    if (this.session) this.ctx.service.disown(this.session.id, this);
  }
}
