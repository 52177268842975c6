/**
 * A tiny protocol on core/net for its socket tests, framed like ZooKeeper and Kafka (4-byte length):
 *   'H'            handshake done (no reply)
 *   'E' <bytes>    echo <bytes> back (a read)
 *   'B' <uint32 n> reply with n bytes (a read; a large reply per small request)
 *   'W' <id>       a write answered later, when the test calls answerWrite(id)
 *   'X'            a handler bug (throws)
 * Replies are length-prefixed frames too.
 */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { Connection, type ConnectionOptions, type PrefaceOutcome } from '../../../src/core/net/connection.js';
import { encodeFrame, LengthPrefixedFramer } from '../../../src/core/net/framer.js';
import { TcpListener, type ListenerOptions } from '../../../src/core/net/listener.js';
import { silentLogger } from '../../../src/core/logger.js';

export const MAX_FRAME = 1 << 20;

export class TestConnection extends Connection {
  processed = 0;
  readonly pendingWrites = new Map<string, (reply: Buffer) => void>();
  /** If set, a first 4 bytes equal to this are answered 'preface!' and the socket closed. */
  static takeOverPreface: string | null = null;

  constructor(socket: Socket, options: ConnectionOptions) {
    super(socket, new LengthPrefixedFramer(MAX_FRAME), options);
  }

  protected override inspectPreface(head: Buffer): PrefaceOutcome {
    if (head.toString() !== TestConnection.takeOverPreface) return 0;
    this.closeAfterSending(Buffer.from('preface!'));
    return 'taken-over';
  }

  protected override onFrame(frame: Buffer): void {
    this.processed++;
    const op = String.fromCharCode(frame[0]!);
    const body = frame.subarray(1);
    if (op === 'H') this.handshakeCompleted();
    else if (op === 'E') { const copy = Buffer.from(body); this.replies.read(() => encodeFrame(copy)); }
    else if (op === 'B') { const n = body.readUInt32BE(0); this.replies.read(() => encodeFrame(Buffer.alloc(n, 0x61))); }
    else if (op === 'W') this.pendingWrites.set(body.toString(), this.replies.write());
    else if (op === 'X') throw new Error('handler bug');
    else if (op === 'R') {
      // Answered with bytes built in place (reserveSend), then closed after flushing, in one turn.
      const reply = encodeFrame(Buffer.from(body));
      const out = this.reserveSend(reply.length)!;
      reply.copy(out, this.sendAt);
      this.sendReserved(reply.length);
      this.closeAfterFlush();
    }
  }

  answerWrite(id: string): void {
    const done = this.pendingWrites.get(id);
    this.pendingWrites.delete(id);
    done?.(encodeFrame(Buffer.from(`w${id}`)));
  }
}

export type TestListener = TcpListener<TestConnection>;

export const DEFAULT_OPTIONS: ListenerOptions = {
  protocol: 'test', logger: silentLogger(), maxConnectionsPerIp: 0, maxUnsentBytes: 1 << 20,
  handshakeTimeoutMs: 0, idleTimeoutMs: 0,
};

export async function startListener(over: Partial<ListenerOptions> = {}): Promise<TestListener> {
  const listener = new TcpListener({ ...DEFAULT_OPTIONS, ...over }, (socket, options) => new TestConnection(socket, options));
  await listener.listen('127.0.0.1', 0);
  return listener;
}

export const frame = (op: string, body: Buffer | string = ''): Buffer =>
  encodeFrame(Buffer.concat([Buffer.from(op), typeof body === 'string' ? Buffer.from(body) : body]));

export function bigReplyRequest(n: number): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt32BE(n);
  return frame('B', size);
}

/** A raw client socket that collects reply frames. */
export class RawClient {
  readonly replies: Buffer[] = [];
  receivedBytes = 0;
  closed = false;
  private readonly framer = new LengthPrefixedFramer(1 << 30);

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.receivedBytes += d.length;
      this.replies.push(...this.framer.push(d));
    });
    socket.on('close', () => { this.closed = true; });
    socket.on('error', () => { /* the server closing on us is what some tests expect */ });
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  /** Resolves when the socket is closed, rejects after ms. */
  async closedWithin(ms: number): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
      this.socket.once('close', () => { clearTimeout(timer); resolve(); });
    });
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until `fn` returns true, or fail after ms. */
export async function until(fn: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The single server-side connection of a listener (tests open one at a time). */
export function onlyConnection(listener: TestListener): TestConnection {
  assert(listener.connections.size === 1, `expected one connection, found ${listener.connections.size}`);
  return [...listener.connections][0]!;
}

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}
