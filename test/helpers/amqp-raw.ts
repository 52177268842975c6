// A byte-level AMQP 0-9-1 client for hostile-input and handshake tests: sends any bytes, reads
// frames with the server's own framer, and knows just enough of the handshake.
import { connect, type Socket } from 'node:net';
import { type AmqpFrame, encodeFrame, encodeMethodFrame, FrameType, parseFrame, PROTOCOL_HEADER } from '../../src/amqp/protocol/frames.js';
import type { MethodArgs } from '../../src/amqp/protocol/methods.js';
import { FrameSplitter } from './amqp-frames.js';

export interface ReceivedMethod { channel: number; name: string; args: MethodArgs }

export class RawAmqp {
  private readonly decoder = new FrameSplitter();
  private readonly frames: AmqpFrame[] = [];
  private waiter: (() => void) | null = null;
  /** Raw bytes received (for the protocol-header reply, which is not a frame). */
  readonly raw: Buffer[] = [];
  readonly ended: Promise<void>;

  private constructor(readonly socket: Socket, parseFrames: boolean) {
    socket.on('data', (chunk: Buffer) => {
      this.raw.push(chunk);
      if (parseFrames) for (const f of this.decoder.push(chunk)) this.frames.push(parseFrame(f));
      this.waiter?.();
    });
    this.ended = new Promise((resolve) => socket.once('close', () => { this.waiter?.(); resolve(); }));
    socket.on('error', () => undefined);
  }

  static open(port: number, parseFrames = true): Promise<RawAmqp> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawAmqp(socket, parseFrames)));
      socket.once('error', reject);
    });
  }

  send(bytes: Buffer): void { this.socket.write(bytes); }

  method(channel: number, name: string, args: MethodArgs = {}): void { this.send(encodeMethodFrame(channel, name, args)); }

  frame(type: number, channel: number, payload: Buffer): void { this.send(encodeFrame(type, channel, payload)); }

  /** The next frame (heartbeats included), or null when the socket closed first. */
  async nextFrame(timeoutMs = 5000): Promise<AmqpFrame | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.socket.destroyed || this.socket.readableEnded) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no frame in time');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => { clearTimeout(t); resolve(); };
      });
      this.waiter = null;
    }
    return this.frames.shift()!;
  }

  /** The next method frame, skipping heartbeats. */
  async nextMethod(timeoutMs = 5000): Promise<ReceivedMethod | null> {
    for (;;) {
      const f = await this.nextFrame(timeoutMs);
      if (f === null) return null;
      if (f.kind === 'method') return { channel: f.channel, name: `${f.method.spec.className}.${f.method.spec.name}`, args: f.method.args };
    }
  }

  /** Header, start-ok (PLAIN guest), tune-ok with these values, open; returns the tune the server proposed. */
  async handshake(tune: { channelMax?: number; frameMax?: number; heartbeat?: number } = {}, vhost = '/'): Promise<MethodArgs> {
    this.send(PROTOCOL_HEADER);
    await this.expect('connection.start');
    this.method(0, 'connection.start-ok', {
      clientProperties: [['capabilities', { type: 'F', value: [['connection.blocked', { type: 't', value: true }],
        ['authentication_failure_close', { type: 't', value: true }]] }]],
      mechanism: 'PLAIN', response: Buffer.from('\u0000guest\u0000guest'), locale: 'en_US',
    });
    const proposed = (await this.expect('connection.tune')).args;
    this.method(0, 'connection.tune-ok', {
      channelMax: tune.channelMax ?? proposed.channelMax!, frameMax: tune.frameMax ?? proposed.frameMax!, heartbeat: tune.heartbeat ?? 0,
    });
    this.method(0, 'connection.open', { virtualHost: vhost });
    return proposed;
  }

  async expect(name: string): Promise<ReceivedMethod> {
    const m = await this.nextMethod();
    if (m?.name !== name) throw new Error(`expected ${name}, got ${m ? `${m.name} ${JSON.stringify(m.args, replacer)}` : 'socket closed'}`);
    return m;
  }

  close(): void { this.socket.destroy(); }
}

function replacer(_k: string, v: unknown): unknown { return typeof v === 'bigint' ? v.toString() : v; }

export { FrameType };
