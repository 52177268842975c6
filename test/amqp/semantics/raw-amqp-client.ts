// A minimal AMQP 0-9-1 client built on Junction's codec, for differential tests that must see the
// exact field types a server sends (amqplib and pika turn 'l' and 'I' alike into numbers). One
// request at a time; frames are queued per channel.
import { createConnection, type Socket } from 'node:net';
import { after, before } from 'node:test';
import type { BasicProperties } from '../../../src/amqp/protocol/content.js';
import { type AmqpFrame, encodeContentFrames, encodeMethodFrame, parseFrame, PROTOCOL_HEADER } from '../../../src/amqp/protocol/frames.js';
import type { DecodedMethod, MethodArgs } from '../../../src/amqp/protocol/methods.js';
import { FrameSplitter } from '../../helpers/amqp-frames.js';
import { startRabbitMq, type RabbitMqServer } from '../../helpers/rabbitmq-server.js';

export interface RawMessage { readonly method: DecodedMethod; readonly properties: BasicProperties; readonly body: Buffer }

export class RawAmqpClient {
  private readonly decoder = new FrameSplitter();
  private readonly queued: AmqpFrame[] = [];
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  private nextChannel = 1;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      try {
        for (const raw of this.decoder.push(chunk)) this.queued.push(parseFrame(raw));
      } catch (err) {
        this.failure = err as Error;
      }
      this.wake();
    });
    socket.on('close', () => { this.failure ??= new Error('connection closed'); this.wake(); });
    socket.on('error', (err) => { this.failure = err; this.wake(); });
  }

  private wake(): void { const w = this.waiter; this.waiter = undefined; w?.(); }

  static async connect(port: number, user = 'guest', password = 'guest'): Promise<RawAmqpClient> {
    const socket = createConnection({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    const client = new RawAmqpClient(socket);
    socket.write(PROTOCOL_HEADER);
    await client.expect(0, 'start');
    client.send(0, 'connection.start-ok', {
      clientProperties: [], mechanism: 'PLAIN', response: Buffer.from(`\0${user}\0${password}`), locale: 'en_US',
    });
    await client.expect(0, 'tune');
    client.send(0, 'connection.tune-ok', { channelMax: 2047, frameMax: 131072, heartbeat: 0 });
    client.send(0, 'connection.open', { virtualHost: '/', capabilities: '', insist: false });
    await client.expect(0, 'open-ok');
    return client;
  }

  async nextFrame(channel: number, timeoutMs = 10_000): Promise<AmqpFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.queued.findIndex((f) => f.channel === channel);
      if (at >= 0) return this.queued.splice(at, 1)[0]!;
      if (this.failure) throw this.failure;
      if (Date.now() > deadline) throw new Error(`no frame on channel ${channel} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 100);
      });
    }
  }

  async nextMethod(channel: number): Promise<DecodedMethod> {
    const frame = await this.nextFrame(channel);
    if (frame.kind !== 'method') throw new Error(`expected a method on channel ${channel}, got ${frame.kind}`);
    return frame.method;
  }

  private async expect(channel: number, name: string): Promise<DecodedMethod> {
    const method = await this.nextMethod(channel);
    if (method.spec.name !== name) throw new Error(`expected ${name}, got ${method.spec.className}.${method.spec.name}`);
    return method;
  }

  send(channel: number, method: string, args: MethodArgs = {}): void {
    this.socket.write(encodeMethodFrame(channel, method, args));
  }

  /** Sends a synchronous method and returns what came back (its -ok, or channel.close). */
  async call(channel: number, method: string, args: MethodArgs = {}): Promise<DecodedMethod> {
    this.send(channel, method, args);
    return this.nextMethod(channel);
  }

  async openChannel(): Promise<number> {
    const channel = this.nextChannel++;
    await this.call(channel, 'channel.open', { outOfBand: '' });
    return channel;
  }

  publish(channel: number, exchange: string, routingKey: string, properties: BasicProperties, body: Buffer): void {
    for (const frame of encodeContentFrames(channel, 'basic.publish', { exchange, routingKey, mandatory: false, immediate: false },
      properties, body, 131072)) this.socket.write(frame);
  }

  /** basic.get; null when the queue is empty. */
  async get(channel: number, queue: string, noAck = false): Promise<RawMessage | null> {
    const method = await this.call(channel, 'basic.get', { queue, noAck });
    if (method.spec.name === 'get-empty') return null;
    if (method.spec.name !== 'get-ok') throw new Error(`basic.get answered ${method.spec.className}.${method.spec.name}`);
    const header = await this.nextFrame(channel);
    if (header.kind !== 'header') throw new Error('expected a content header');
    const parts: Buffer[] = [];
    let size = 0;
    while (BigInt(size) < header.header.bodySize) {
      const body = await this.nextFrame(channel);
      if (body.kind !== 'body') throw new Error('expected a body frame');
      parts.push(body.body);
      size += body.body.length;
    }
    return { method, properties: header.header.properties, body: Buffer.concat(parts) };
  }

  /** A method on a new channel: null for its -ok (the channel is then closed), else the channel.close reason. */
  async outcome(method: string, args: Record<string, unknown>): Promise<{ code: number; text: string } | null> {
    const channel = await this.openChannel();
    const reply = await this.call(channel, method, args as MethodArgs);
    if (reply.spec.name !== 'close') {
      await this.call(channel, 'channel.close', { replyCode: 200, replyText: '', classId: 0, methodId: 0 });
      return null;
    }
    this.send(channel, 'channel.close-ok');
    return { code: reply.args.replyCode as number, text: reply.args.replyText as string };
  }

  /** basic.get until a message comes (up to ~1 s: dead-letters reach their queue asynchronously). */
  async waitForMessage(channel: number, queue: string, noAck = true): Promise<RawMessage> {
    for (let i = 0; i < 50; i++) {
      const message = await this.get(channel, queue, noAck);
      if (message) return message;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`nothing arrived in ${queue}`);
  }

  /** The ready count, polled until it equals `expected` (up to 5 s): RabbitMQ 3.10 hands acks,
   *  rejects and dead-letters to queues through delegate processes, so a passive declare can
   *  overtake them. A count that never reaches `expected` is returned as it is, for the caller to fail on. */
  async countReaching(channel: number, queue: string, expected: number): Promise<number> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const ok = await this.call(channel, 'queue.declare', { queue, passive: true, durable: false, exclusive: false, autoDelete: false, nowait: false, arguments: [] });
      if (ok.spec.name !== 'declare-ok') throw new Error(`passive declare of ${queue}: ${String(ok.args.replyText)}`);
      const count = ok.args.messageCount as number;
      if (count === expected || Date.now() > deadline) return count;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Publishes on a channel in confirm mode (next tag `firstTag`) and waits until all are acked:
   *  the messages are then in their queues. Throws on a nack. */
  async publishConfirmed(channel: number, exchange: string, routingKey: string, messages: readonly BasicProperties[], firstTag: bigint): Promise<void> {
    messages.forEach((properties, i) => this.publish(channel, exchange, routingKey, properties, Buffer.from(String(i))));
    await this.waitForAcks(channel, firstTag, firstTag + BigInt(messages.length) - 1n);
  }

  /** Waits for basic.ack of every tag in first..last; RabbitMQ acks with multiple=true and not
   *  always in tag order (a single ack may come before a multiple one covering lower tags). */
  async waitForAcks(channel: number, first: bigint, last: bigint): Promise<void> {
    const pending = new Set<bigint>();
    for (let tag = first; tag <= last; tag++) pending.add(tag);
    while (pending.size > 0) {
      const reply = await this.nextMethod(channel);
      const tag = reply.args.deliveryTag as bigint;
      if (reply.spec.name !== 'ack') throw new Error(`publish answered basic.${reply.spec.name} ${String(tag)}`);
      if (reply.args.multiple === true) for (const t of pending) { if (t <= tag) pending.delete(t); }
      else pending.delete(tag);
    }
  }

  async close(): Promise<void> {
    if (!this.failure) {
      this.send(0, 'connection.close', { replyCode: 200, replyText: 'bye', classId: 0, methodId: 0 });
      await this.expect(0, 'close-ok').catch(() => undefined);
    }
    this.socket.destroy();
  }
}

/** The setup of the semantics differentials: one real RabbitMQ and one raw client for the file,
 *  started in `before` and handed to `use`, closed in `after`. */
export function useReferenceClient(use: (rabbit: RabbitMqServer, client: RawAmqpClient) => void): void {
  let rabbit: RabbitMqServer | undefined;
  let client: RawAmqpClient | undefined;
  before(async () => {
    rabbit = await startRabbitMq();
    client = await RawAmqpClient.connect(rabbit.amqpPort);
    use(rabbit, client);
  });
  after(async () => {
    await client?.close();
    await rabbit?.stop();
  });
}
