import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { Clock } from '../../core/clock.js';
import { encodePayload, type DecodedPayload, type Payload } from './codec.js';

/** What ConnectionSetupRequest tells about the client (ConnectionMeta in Nacos core/remote). */
export interface ConnectionMeta {
  clientVersion: string;
  /** ConnectionSetupRequest.tenant → ConnectionMeta.namespaceId. */
  tenant: string;
  labels: Record<string, string>;
  /** Constants.APPNAME label, '-' when absent (GrpcBiStreamRequestAcceptor). */
  appName: string;
  abilities: Record<string, boolean> | null;
  /** Metadata.clientIp of the setup payload (what the client says its address is). */
  clientIp: string;
}

/** A server push waiting for the client's response on the bi-stream (RpcAckCallbackSynchronizer). */
interface PendingPush { resolve(body: Record<string, unknown>): void; reject(err: Error): void; timer: { cancel(): void } }

export class PushTimeout extends Error {
  constructor(type: string, ms: number) {
    super(`no answer to ${type} within ${ms} ms`);
    this.name = 'PushTimeout';
  }
}

export class ConnectionClosed extends Error {
  constructor() {
    super('connection closed');
    this.name = 'ConnectionClosed';
  }
}

export type BiStream = ServerDuplexStream<Payload, Payload>;

/**
 * One client connection, as Nacos's GrpcConnection: known by the id ServerCheckResponse gave it
 * (`<millis>_<remoteIp>_<remotePort>`, the format of Nacos's ConnectionIdGenerator/GrpcServer
 * transport filter), registered once ConnectionSetupRequest arrives on its bi-stream.
 */
export class GrpcConnection {
  meta: ConnectionMeta | null = null;
  stream: BiStream | null = null;
  lastActive: number;
  readonly createdAt: number;
  closed = false;
  private readonly pending = new Map<string, PendingPush>();
  private nextRequestId = 1;

  constructor(readonly id: string, readonly peer: string, readonly remoteIp: string, readonly remotePort: number, private readonly clock: Clock) {
    this.createdAt = this.lastActive = clock.now();
  }

  /** ConnectionManager.refreshActiveTime. */
  touch(): void { this.lastActive = this.clock.now(); }

  get registered(): boolean { return this.meta !== null && this.stream !== null && !this.closed; }

  /** Connection.request: push a ServerRequest on the bi-stream and wait for its response. */
  request(type: string, body: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
    if (!this.stream || this.closed) return Promise.reject(new ConnectionClosed());
    const requestId = String(this.nextRequestId++);
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(requestId);
        reject(new PushTimeout(type, timeoutMs));
      }, timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.send(type, { ...body, requestId });
    });
  }

  /** Connection.sendRequestNoAck (SetupAckRequest, ConnectResetRequest). */
  send(type: string, body: Record<string, unknown>): void {
    if (!this.stream || this.closed) return;
    // Request headers travel in Metadata.headers; Jackson's JSON of a ServerRequest carries them too.
    this.stream.write(encodePayload(type, { headers: {}, ...body }));
  }

  /** A response read on the bi-stream settles the push with its requestId. */
  ack(decoded: DecodedPayload): void {
    this.touch();
    const requestId = String(decoded.body.requestId ?? '');
    const waiting = this.pending.get(requestId);
    if (!waiting) return;
    this.pending.delete(requestId);
    waiting.timer.cancel();
    waiting.resolve(decoded.body);
  }

  /** Fail pending pushes and end the stream; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) { p.timer.cancel(); p.reject(new ConnectionClosed()); }
    this.pending.clear();
    const stream = this.stream;
    this.stream = null;
    try { stream?.end(); } catch { /* the stream is already gone */ }
  }

  /** What the admin status shows of one connection (Nacos's /v1/ns/operator connections view). */
  describe(): Record<string, unknown> {
    return {
      connectionId: this.id, remoteIp: this.remoteIp, remotePort: this.remotePort,
      clientIp: this.meta?.clientIp ?? '', clientVersion: this.meta?.clientVersion ?? '',
      appName: this.meta?.appName ?? '-', namespaceId: this.meta?.tenant ?? '', labels: this.meta?.labels ?? {},
      createTime: this.createdAt, lastActiveTime: this.lastActive,
    };
  }
}
