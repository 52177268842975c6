import type { Socket } from 'node:net';
import { decodeConnectRequest, encodeConnectResponse } from './codec/connect.js';
import { Err, type ZkCodecError } from './codec/errors.js';
import { FrameReader } from './codec/frames.js';
import { decodeRequest } from './codec/requests.js';
import { encodeNotification, encodeReply, type ZkReplyBody } from './codec/responses.js';
import { KeeperState, OpCode, Xid, type ConnectRequest, type Id, type ZkRequest } from './codec/types.js';
import { dispatch } from './handlers/index.js';
import type { SessionRecord } from './model/types.js';
import { ReplyQueue } from './reply-queue.js';
import type { ZkServerContext } from './server-context.js';
import type { SessionOwner } from './service.js';
import type { Watcher } from './watches/types.js';
import { ConnectionStats } from './stats.js';

let nextConnectionId = 1;

/** Opcodes PrepRequestProcessor turns into txns (a malformed one becomes an ErrorTxn). */
const WRITE_OPCODES = new Set<number>([OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL,
  OpCode.delete, OpCode.deleteContainer, OpCode.setData, OpCode.setACL, OpCode.check, OpCode.multi]);

/**
 * One client connection (ZooKeeper's ServerCnxn): frames in, ConnectRequest handshake, then
 * requests dispatched in order through a ReplyQueue. Malformed input is answered as ZooKeeper
 * answers it (see undecodable()) and never affects another connection.
 */
export class ZkConnection implements Watcher, SessionOwner {
  readonly id = nextConnectionId++;
  readonly replies: ReplyQueue;
  readonly stats: ConnectionStats;
  /** ServerCnxn.authInfo: the ip id from the start, digest/super after addauth. */
  readonly authIds: Id[];
  session: SessionRecord | null = null;
  private readonly frames: FrameReader;
  /** closing: no more requests are read; the replies already owed are sent, then the socket ends. */
  private phase: 'connect' | 'handshaking' | 'open' | 'closing' | 'closed' = 'connect';
  /** Frames pipelined behind the ConnectRequest before the session was ready. */
  private early: Buffer[] = [];
  private corked = false;
  /** Requests that arrived while an addauth was being checked against the user store. */
  private awaitingAuth: ZkRequest[] = [];
  private authChecks = 0;

  constructor(readonly socket: Socket, readonly ctx: ZkServerContext) {
    this.frames = new FrameReader(ctx.settings.juteMaxBuffer);
    this.replies = new ReplyQueue((frame) => this.send(frame));
    this.stats = new ConnectionStats(ctx.clock.now());
    this.authIds = [{ scheme: 'ip', id: normalizeIp(socket.remoteAddress ?? '') }];
  }

  get remoteAddress(): string { return normalizeIp(this.socket.remoteAddress ?? ''); }

  /** Bytes from the socket (after the server ruled out a four-letter word). */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: Buffer[];
    try {
      frames = this.frames.push(chunk);
    } catch (err) {
      this.ctx.logger.warn({ conn: this.id, remote: this.remoteAddress, err: (err as Error).message }, 'zk frame rejected, closing');
      this.close();
      return;
    }
    for (const frame of frames) {
      if (this.closed) return;
      try {
        if (this.phase === 'connect') this.handshake(frame);
        else if (this.phase === 'handshaking') this.early.push(frame);
        else this.request(frame);
      } catch (err) {
        // A bug in a handler must cost this connection, never the server and its other clients.
        this.fail(err, 'request');
        return;
      }
    }
  }

  private handshake(frame: Buffer): void {
    let req: ConnectRequest;
    try { req = decodeConnectRequest(frame); } catch (err) {
      this.ctx.logger.warn({ conn: this.id, err: (err as Error).message }, 'zk bad ConnectRequest, closing');
      this.close();
      return;
    }
    this.phase = 'handshaking';
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
    this.phase = 'open';
    this.ctx.logger.debug({ conn: this.id, sessionId: `0x${session.id}`, timeout: session.timeoutMs }, 'zk session established');
    const early = this.early;
    this.early = [];
    for (const frame of early) if (this.phase === 'open') this.request(frame);
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

  /** handleAuth: a credential check started / finished (requests behind it wait for it). */
  authCheck(started: boolean): void {
    this.authChecks += started ? 1 : -1;
    if (this.authChecks > 0) return;
    const waiting = this.awaitingAuth;
    this.awaitingAuth = [];
    for (const req of waiting) if (this.phase === 'open') this.enforceAndDispatch(req);
  }

  private enforceAndDispatch(req: ZkRequest): void {
    if (this.authChecks > 0 && req.op !== 'auth') {
      this.awaitingAuth.push(req);
      return;
    }
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

  /** Closed or closing: reads nothing more (the watch table also ignores such a watcher). */
  get closed(): boolean { return this.phase === 'closed' || this.phase === 'closing'; }

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

  private send(frame: Buffer): void {
    if (this.phase === 'closed') return;
    this.stats.sent++;
    this.ctx.stats.packetsSent++;
    // Replies produced in one event-loop turn (a pipelined batch, one group commit) leave in one
    // write syscall.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => { this.corked = false; this.socket.uncork(); });
    }
    this.socket.write(frame);
  }

  /** The session was closed or expired, or moved to another connection. */
  sessionClosed(): void { this.closeAfterFlush(); }

  /** A storage failure: the reply cannot be trusted, so the client must not get one. */
  fail(err: unknown, what: string): void {
    this.ctx.logger.error({ err, conn: this.id, sessionId: this.sessionHex, what }, 'zk request failed, closing connection');
    this.close();
  }

  /** Stop reading; send the replies still owed, then end the socket. */
  closeAfterFlush(): void {
    if (this.closed) return;
    this.phase = 'closing';
    this.replies.whenDrained(() => {
      this.phase = 'closed';
      this.socket.end();
    });
  }

  close(): void {
    if (this.phase === 'closed' && this.socket.destroyed) return;
    this.phase = 'closed';
    this.replies.clear();
    this.socket.destroy();
  }

  /** Socket gone: its watches go with it (watches belong to the connection); the session lives
   *  on until it expires or the client reconnects. */
  detach(): void {
    this.phase = 'closed';
    this.replies.clear();
    this.ctx.service.watches.removeWatcher(this);
    if (this.session) this.ctx.service.disown(this.session.id, this);
  }
}

/** "::ffff:127.0.0.1" → "127.0.0.1" as Java reports an IPv4 client. */
export function normalizeIp(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
