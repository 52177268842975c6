// One side of an AMQP race scenario, run as its own process so that the clients and the broker do
// not share an event loop: `node load-worker.js '<json Job>'` connects with amqplib, publishes or
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
  /** The publishing client library (default amqplib). */
  client?: PublisherClient;
}

/** amqplib, or @cloudamqp/amqp-client (one pooled buffer and one socket write per publish). */
export type PublisherClient = 'amqplib' | 'amqp-client';

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
}

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
  return { role: 'publish', count: job.messages, firstMs, lastMs: wallMs() };
}

async function consume(job: ConsumeJob): Promise<WorkerResult> {
  const latencies = new Float64Array(job.messages);
  let count = 0;
  let firstMs = 0;
  const conns = await Promise.all(job.queues.map(() => amqplib.connect(job.url)));
  let subscribed = 0;
  await new Promise<void>((resolve, reject) => {
    const onMessage = (ch: Channel, perChannel: { n: number }) => (msg: ConsumeMessage | null): void => {
      if (!msg) { reject(new Error('consumer cancelled by the broker')); return; }
      const now = wallMs();
      if (count === 0) firstMs = now;
      if (count < job.messages) latencies[count] = now - msg.content.readDoubleLE(0);
      if (job.ackEvery > 0 && ++perChannel.n % job.ackEvery === 0) ch.ack(msg, true);
      if (++count === job.messages) resolve();
    };
    for (const [i, conn] of conns.entries()) {
      void conn.createChannel().then(async (ch) => {
        if (job.ackEvery > 0) await ch.prefetch(job.prefetch);
        await ch.consume(job.queues[i]!, onMessage(ch, { n: 0 }), { noAck: job.ackEvery === 0 });
        // The race starts its publishers once every consumer is subscribed.
        if (++subscribed === conns.length) process.stdout.write('{"ready":true}\n');
      }).catch(reject);
    }
  });
  const lastMs = wallMs();
  await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
  const sorted = latencies.subarray(0, Math.min(count, job.messages)).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { role: 'consume', count, firstMs, lastMs, p50: at(0.5), p99: at(0.99) };
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const result = job.role === 'publish' ? await publish(job) : await consume(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
