/**
 * One ZooKeeper client connection (the part of org.apache.zookeeper.ClientCnxn we need): the
 * ConnectRequest handshake, pipelined requests matched to replies by xid in order, pings,
 * notifications, closeSession. No reconnect: a lost connection ends the client.
 */
import { EventEmitter } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { CorkedWriter } from '../../core/net/corked-writer.js';
import { LengthPrefixedFramer } from '../../core/net/framer.js';
import { decodeConnectResponse, encodeConnectRequest } from '../codec/connect.js';
import { Err, ZkError } from '../codec/errors.js';
import { encodeRequest } from '../codec/requests.js';
import { decodeNotification, decodeReply, decodeReplyHeader, type ZkReplyBody } from '../codec/responses.js';
import { OpCode, Xid, type ConnectResponse, type ReplyHeader, type WatcherEvent, type ZkRequest } from '../codec/types.js';
import { toZkRequest } from './request-shape.js';

export interface ZkConnectOptions {
  host: string;
  port: number;
  /** Requested session timeout; the server answers with the negotiated one. */
  timeoutMs: number;
  /** Reattach to an existing session (with its password). */
  sessionId?: bigint;
  passwd?: Buffer;
  readOnly?: boolean;
  lastZxidSeen?: number;
  /** Time allowed for TCP connect + ConnectResponse (default timeoutMs). */
  connectTimeoutMs?: number;
  /** Largest reply frame accepted (ClientCnxnSocket packetLen; default 4 MiB). */
  maxBuffer?: number;
}

export interface ZkReply { header: ReplyHeader; response?: ZkReplyBody }
export interface ZkWatchEvent extends WatcherEvent { zxid: number }

interface Waiter { xid: number; type: number; resolve: (r: ZkReply) => void; reject: (e: Error) => void }

/** ClientCnxn sends closeSession and waits this long at most for its reply. */
const CLOSE_WAIT_MS = 2000;

/** Open the socket and finish the handshake; resolves with frames that followed the response. */
async function handshake(opts: ZkConnectOptions): Promise<{ socket: Socket; frames: LengthPrefixedFramer; res: ConnectResponse; early: Buffer[] }> {
  const socket = netConnect({ host: opts.host, port: opts.port });
  socket.setNoDelay(true);
  const frames = new LengthPrefixedFramer(opts.maxBuffer ?? 4 * 1024 * 1024);
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => { cleanup(); socket.destroy(); reject(err); };
    const timer = setTimeout(() => fail(new ZkError(Err.CONNECTIONLOSS, undefined, { cause: 'connect timed out' })),
      opts.connectTimeoutMs ?? opts.timeoutMs);
    const onError = (err: Error) => fail(new ZkError(Err.CONNECTIONLOSS, undefined, { cause: err }));
    const onClose = () => fail(new ZkError(Err.CONNECTIONLOSS, undefined, { cause: 'closed during handshake' }));
    const onData = (chunk: Buffer) => {
      let got: Buffer[];
      try { got = frames.push(chunk); } catch (err) { fail(err as Error); return; }
      if (got.length === 0) return;
      let res: ConnectResponse;
      try { res = decodeConnectResponse(got[0]); } catch (err) { fail(err as Error); return; }
      // ClientCnxn.onConnected: a non-positive timeout means the session is gone.
      if (res.timeOut <= 0) { fail(new ZkError(Err.SESSIONEXPIRED)); return; }
      cleanup();
      resolve({ socket, frames, res, early: got.slice(1) });
    };
    function cleanup() {
      clearTimeout(timer);
      socket.off('error', onError).off('close', onClose).off('data', onData);
    }
    socket.on('error', onError).on('close', onClose).on('data', onData);
    socket.once('connect', () => socket.write(encodeConnectRequest({
      protocolVersion: 0, lastZxidSeen: opts.lastZxidSeen ?? 0, timeOut: opts.timeoutMs,
      sessionId: opts.sessionId ?? 0n, passwd: opts.passwd ?? Buffer.alloc(16), readOnly: opts.readOnly ?? false,
    })));
  });
}

/**
 * Events: 'watch' (ZkWatchEvent), 'expired' (a reply said SESSIONEXPIRED), 'close' (Error | undefined).
 * 'error' is never emitted; failures reject the affected promises and end in 'close'.
 */
export class ZkClientConnection extends EventEmitter {
  readonly sessionId: bigint;
  readonly passwd: Buffer;
  readonly negotiatedTimeout: number;
  readonly readOnly: boolean;
  /** Highest zxid seen in a reply header (ClientCnxn.lastZxid). */
  lastZxid = 0;
  private nextXid = 1;
  /** Ordinary requests, in the order sent: ZooKeeper answers them in that order. */
  private readonly pending: Waiter[] = [];
  /** Special xids are answered outside that order (auth is answered in processPacket). */
  private readonly special = new Map<number, Waiter[]>([[Xid.ping, []], [Xid.auth, []], [Xid.setWatches, []]]);
  private lastSend = Date.now();
  private lastRecv = Date.now();
  private readonly timer: NodeJS.Timeout;
  private state: 'open' | 'closing' | 'closed' = 'open';
  /** Requests issued in one event-loop turn leave in one write. */
  private readonly writer: CorkedWriter;
  private expiredSeen = false;

  protected constructor(private readonly socket: Socket, private readonly frames: LengthPrefixedFramer, res: ConnectResponse) {
    super();
    this.sessionId = res.sessionId;
    this.passwd = res.passwd;
    this.negotiatedTimeout = res.timeOut;
    this.readOnly = res.readOnly ?? false;
    this.writer = new CorkedWriter(socket);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
    // ClientCnxn.SendThread: ping after readTimeout/2 = timeout/3 without sending; give up after
    // readTimeout = 2/3 timeout without hearing from the server.
    const tick = Math.max(10, Math.floor(this.negotiatedTimeout / 6));
    this.timer = setInterval(() => this.heartbeat(), tick);
    this.timer.unref();
  }

  /** TCP connect + session handshake. Rejects with ZkError(SESSIONEXPIRED) for a dead session. */
  protected static async open(opts: ZkConnectOptions): Promise<{ socket: Socket; frames: LengthPrefixedFramer; res: ConnectResponse; early: Buffer[] }> {
    return handshake(opts);
  }

  get closed(): boolean { return this.state !== 'open'; }

  /** Frames that arrived with the ConnectResponse. */
  protected replay(early: Buffer[]): void {
    for (const body of early) this.frame(body);
  }

  /**
   * Send a request of opcode `type` with its record; resolves with the reply whatever its err.
   * Many may be in flight: replies are matched in order by xid (ClientCnxn.readResponse).
   */
  request(type: number, req: unknown): Promise<ZkReply> {
    if (this.state === 'closed' || (this.state === 'closing' && type !== OpCode.closeSession)) {
      return Promise.reject(new ZkError(Err.CONNECTIONLOSS, undefined, { cause: 'client closed' }));
    }
    const xid = type === OpCode.ping ? Xid.ping : type === OpCode.auth ? Xid.auth
      : type === OpCode.setWatches || type === OpCode.setWatches2 ? Xid.setWatches : this.takeXid();
    let frame: Buffer;
    try { frame = encodeRequest(toZkRequest(xid, type, req) as ZkRequest); } catch (err) { return Promise.reject(err); }
    return new Promise<ZkReply>((resolve, reject) => {
      (this.special.get(xid) ?? this.pending).push({ xid, type, resolve, reject });
      this.send(frame);
    });
  }

  private takeXid(): number {
    const xid = this.nextXid;
    this.nextXid = xid >= 0x7fff_ffff ? 1 : xid + 1;
    return xid;
  }

  private send(frame: Buffer): void {
    this.lastSend = Date.now();
    this.writer.write(frame);
  }

  private receive(chunk: Buffer): void {
    this.lastRecv = Date.now();
    let bodies: Buffer[];
    try { bodies = this.frames.push(chunk); } catch (err) { this.destroy(err as Error); return; }
    for (const body of bodies) {
      if (this.state === 'closed') return;
      this.frame(body);
    }
  }

  private frame(body: Buffer): void {
    try {
      const header = decodeReplyHeader(body);
      if (header.zxid > 0) this.lastZxid = Math.max(this.lastZxid, header.zxid);
      if (header.xid === Xid.notification) {
        const { event } = decodeNotification(body);
        this.emit('watch', { ...event, zxid: header.zxid } satisfies ZkWatchEvent);
        return;
      }
      const queue = this.special.get(header.xid) ?? this.pending;
      // Left in its queue until the reply decodes, so destroy() rejects it on any failure.
      const waiter = queue[0];
      if (waiter === undefined || waiter.xid !== header.xid) {
        // ClientCnxn.readResponse treats this as a broken connection.
        throw new ZkError(Err.CONNECTIONLOSS, undefined, { cause: `Xid out of order. Got Xid ${header.xid} expected ${waiter?.xid ?? 'none'}` });
      }
      const reply = decodeReply(body, waiter.type);
      queue.shift();
      if (header.err === Err.SESSIONEXPIRED && !this.expiredSeen) {
        this.expiredSeen = true;
        this.emit('expired');
      }
      waiter.resolve(reply);
    } catch (err) {
      this.destroy(err as Error);
    }
  }

  private heartbeat(): void {
    if (this.state !== 'open') return;
    const now = Date.now();
    if (now - this.lastRecv > (this.negotiatedTimeout * 2) / 3) {
      this.destroy(new ZkError(Err.CONNECTIONLOSS, undefined, { cause: 'Client session timed out' }));
      return;
    }
    if (now - this.lastSend >= this.negotiatedTimeout / 3) {
      this.request(OpCode.ping, {}).catch(() => { /* the connection's end reports it */ });
    }
  }

  /** closeSession, wait for its reply (bounded), then close the socket. */
  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    const reply = this.request(OpCode.closeSession, {});
    const bounded = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref());
    await Promise.race([reply.then(() => undefined, () => undefined), bounded]);
    await new Promise<void>((resolve) => {
      if (this.socket.destroyed) { resolve(); return; }
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
    this.destroy();
  }

  /** Drop the connection: pending requests fail with CONNECTIONLOSS, 'close' fires once. */
  destroy(cause?: Error): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearInterval(this.timer);
    this.socket.destroy();
    const waiters = [...this.pending.splice(0), ...[...this.special.values()].flatMap((q) => q.splice(0))];
    for (const w of waiters) w.reject(new ZkError(Err.CONNECTIONLOSS, undefined, cause ? { cause } : undefined));
    this.emit('close', cause);
  }
}
