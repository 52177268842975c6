// One side of an AMQP race scenario, run as its own process so that the clients and the broker do
// not share an event loop: `node load-worker.js '<json Job>'` connects with amqplib (or
// @cloudamqp/amqp-client), publishes or
// consumes, and prints one JSON line (WorkerResult) on stdout. Bodies carry their send time
// (performance.timeOrigin + now(), comparable across processes on one machine) in the first 8 bytes.
import amqplib, { type Channel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';

export interface PublishJob {
  role: 'publish';
  url: string;
  /** One connection and channel per target; target i gets messages/targets.length messages. */
  targets: { exchange: string; routingKey: string }[];
  messages: number;
  size: number;
  persistent: boolean;
  /** Publisher confirms with at most this many unconfirmed messages (0 = no confirms). */
  confirmWindow: number;
  /** The client library (default amqplib). */
  client?: ClientLibrary;
}

/** amqplib, or @cloudamqp/amqp-client (one pooled buffer and one socket write per publish; lighter consumers). */
export type ClientLibrary = 'amqplib' | 'amqp-client';

export interface ConsumeJob {
  role: 'consume';
  url: string;
  /** One connection and channel per queue. */
  queues: string[];
  /** Messages to receive over all queues before finishing. */
  messages: number;
  prefetch: number;
  /** Acknowledge with multiple=true every this many deliveries (0 = no-ack consumers). */
  ackEvery: number;
  /** The client library (default amqplib). */
  client?: ClientLibrary;
}

export type Job = PublishJob | ConsumeJob;

export interface WorkerResult {
  role: Job['role'];
  count: number;
  /** Wall-clock ms (timeOrigin-based) of the first send / receive and of the last. */
  firstMs: number;
  lastMs: number;
  /** Consumers: latency percentiles (ms) from send to receive. */
  p50?: number;
  p99?: number;
  /** CPU time this process used (user + system, µs): what the client costs beside the server. */
  cpuUs: number;
}

const cpuUs = (): number => { const u = process.cpuUsage(); return u.user + u.system; };

const wallMs = (): number => performance.timeOrigin + performance.now();

async function publishOne(url: string, target: PublishJob['targets'][number], count: number, job: PublishJob): Promise<void> {
  const conn = await amqplib.connect(url);
  const ch: Channel | ConfirmChannel = job.confirmWindow > 0 ? await conn.createConfirmChannel() : await conn.createChannel();
  let unconfirmed = 0;
  let wake: (() => void) | null = null;
  const confirmed = (): void => { unconfirmed--; if (wake && unconfirmed < job.confirmWindow) { wake(); wake = null; } };
  for (let i = 0; i < count; i++) {
    const body = Buffer.allocUnsafe(job.size);
    body.fill(120, 8);
    body.writeDoubleLE(wallMs(), 0);
    const opts = { persistent: job.persistent };
    let writable: boolean;
    if (job.confirmWindow > 0) {
      unconfirmed++;
      writable = (ch as ConfirmChannel).publish(target.exchange, target.routingKey, body, opts, (err) => {
        if (err) throw new Error(`message nacked by the broker: ${String(err)}`);
        confirmed();
      });
      if (unconfirmed >= job.confirmWindow) await new Promise<void>((r) => { wake = r; });
    } else {
      writable = ch.publish(target.exchange, target.routingKey, body, opts);
    }
    if (!writable) await new Promise((r) => ch.once('drain', r));
  }
  if (job.confirmWindow > 0) await (ch as ConfirmChannel).waitForConfirms();
  // amqplib's close() can overtake publishes still in its buffers (they are lost); a synchronous
  // method on the same channel (basic.qos → qos-ok) returns only after the broker read them all.
  else await ch.prefetch(0);
  await conn.close();
}

/** The same job with @cloudamqp/amqp-client: publishes in flight bounded by the confirm window (or
 *  1000 unwritten without confirms), the body rewritten in place (the client copies it). */
async function publishOneAmqpClient(url: string, target: PublishJob['targets'][number], count: number, job: PublishJob): Promise<void> {
  const { AMQPClient } = await import('@cloudamqp/amqp-client');
  const conn = await new AMQPClient(url).connect();
  const ch = await conn.channel();
  if (job.confirmWindow > 0) await ch.confirmSelect();
  const window = job.confirmWindow > 0 ? job.confirmWindow : 1000;
  const body = Buffer.alloc(job.size, 120);
  const properties = { deliveryMode: job.persistent ? 2 : 1 };
  let pending: Promise<number>[] = [];
  for (let i = 0; i < count; i++) {
    body.writeDoubleLE(wallMs(), 0);
    pending.push(ch.basicPublish(target.exchange, target.routingKey, body, properties));
    if (pending.length >= window) { await Promise.all(pending); pending = []; }
  }
  await Promise.all(pending);
  if (job.confirmWindow === 0) await ch.basicQos(0); // a round trip: the broker read every publish
  await conn.close();
}

async function publish(job: PublishJob): Promise<WorkerResult> {
  const firstMs = wallMs();
  const per = Math.ceil(job.messages / job.targets.length);
  const one = job.client === 'amqp-client' ? publishOneAmqpClient : publishOne;
  await Promise.all(job.targets.map((t, i) => one(job.url, t, Math.min(per, job.messages - i * per), job)));
  return { role: 'publish', count: job.messages, firstMs, lastMs: wallMs(), cpuUs: cpuUs() };
}

/** Receives every consumer's deliveries: counts them, keeps each latency, says when all came. */
class Receipts {
  readonly latencies: Float64Array;
  count = 0;
  firstMs = 0;
  done!: () => void;
  readonly all = new Promise<void>((resolve) => { this.done = resolve; });

  constructor(private readonly expected: number) { this.latencies = new Float64Array(expected); }

  /** A delivery whose body starts with its send time; true when it is one to acknowledge now. */
  received(body: Uint8Array, perChannel: { n: number }, ackEvery: number): boolean {
    const now = wallMs();
    if (this.count === 0) this.firstMs = now;
    if (this.count < this.expected) this.latencies[this.count] = now - Buffer.from(body.buffer, body.byteOffset, 8).readDoubleLE(0);
    if (++this.count === this.expected) this.done();
    return ackEvery > 0 && ++perChannel.n % ackEvery === 0;
  }
}

/** One amqplib connection and channel per queue; resolves when subscribed, returns its closer. */
async function subscribeAmqplib(job: ConsumeJob, queue: string, r: Receipts, fail: (err: Error) => void): Promise<() => Promise<void>> {
  const conn = await amqplib.connect(job.url);
  const ch = await conn.createChannel();
  const perChannel = { n: 0 };
  if (job.ackEvery > 0) await ch.prefetch(job.prefetch);
  await ch.consume(queue, (msg: ConsumeMessage | null) => {
    if (!msg) { fail(new Error('consumer cancelled by the broker')); return; }
    if (r.received(msg.content, perChannel, job.ackEvery)) ch.ack(msg, true);
  }, { noAck: job.ackEvery === 0 });
  return () => conn.close();
}

/** The same with @cloudamqp/amqp-client. */
async function subscribeAmqpClient(job: ConsumeJob, queue: string, r: Receipts): Promise<() => Promise<void>> {
  const { AMQPClient } = await import('@cloudamqp/amqp-client');
  const conn = await new AMQPClient(job.url).connect();
  const ch = await conn.channel();
  const perChannel = { n: 0 };
  if (job.ackEvery > 0) await ch.prefetch(job.prefetch);
  await ch.basicConsume(queue, { noAck: job.ackEvery === 0 }, (msg) => {
    if (r.received(msg.body as Uint8Array, perChannel, job.ackEvery)) void msg.ack(true);
  });
  return () => conn.close();
}

async function consume(job: ConsumeJob): Promise<WorkerResult> {
  const r = new Receipts(job.messages);
  let fail!: (err: Error) => void;
  const failed = new Promise<never>((_, reject) => { fail = reject; });
  const closers = await Promise.all(job.queues.map((q) =>
    (job.client === 'amqp-client' ? subscribeAmqpClient(job, q, r) : subscribeAmqplib(job, q, r, fail))));
  // The race starts its publishers once every consumer is subscribed.
  process.stdout.write('{"ready":true}\n');
  await Promise.race([r.all, failed]);
  const { count, firstMs } = r;
  const lastMs = wallMs();
  await Promise.all(closers.map((close) => close().catch(() => undefined)));
  const sorted = r.latencies.subarray(0, Math.min(count, job.messages)).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { role: 'consume', count, firstMs, lastMs, p50: at(0.5), p99: at(0.99), cpuUs: cpuUs() };
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const result = job.role === 'publish' ? await publish(job) : await consume(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
