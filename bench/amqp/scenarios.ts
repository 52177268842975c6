// The benchmark scenarios (section 6), each run the same way against any AMQP server: set up
// queues and exchanges with amqplib, start the consumer process, then the publisher process
// (bench/amqp/load-worker.ts), and read their figures and the server's CPU time around them.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import amqplib from 'amqplib';
import type { ConsumeJob, Job, PublishJob, ClientLibrary, WorkerResult } from './load-worker.js';

/** The client library of every scenario's publishers and consumers; set by the race's --client. */
export const benchClient: { library: ClientLibrary } = { library: 'amqplib' };

export interface ScenarioServer {
  name: string;
  url: string;
  /** CPU seconds the server's processes have used so far. */
  cpuSeconds(): number;
}

export interface ScenarioResult {
  /** Messages delivered to consumers per second, from the first publish to the last delivery. */
  deliveredPerSec: number;
  /** Messages published per second, from the first publish to the publisher's end (confirms awaited). */
  publishedPerSec: number;
  p50?: number;
  p99?: number;
  /** Server CPU microseconds per delivered message. */
  cpuUsPerMessage: number;
  /** The client processes' CPU microseconds per delivered message (publishers and consumers). */
  clientCpuUsPerMessage: number;
}

export interface Scenario {
  name: string;
  /** `publishers`: publisher processes for the publish-only rows (the others use one). */
  run(server: ScenarioServer, size: number, messages: number, publishers: number): Promise<ScenarioResult>;
}

const WORKER = new URL('./load-worker.js', import.meta.url).pathname;

export function runWorker(job: Job, onReady?: () => void): Promise<WorkerResult> {
  job = { ...job, client: benchClient.library };
  const child = spawn(process.execPath, [WORKER, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
  // A row takes seconds (a million-message backlog about a minute): a worker still running after
  // 5 min + 1 ms a message is stuck (once, a race sat for 10 minutes in one row, and its
  // RabbitMQ then ignored SIGTERM). Killed, its row fails and says where.
  const limitMs = 5 * 60_000 + job.messages;
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve, reject) => {
    let result: WorkerResult | undefined;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as WorkerResult | { ready: true };
      if ('ready' in parsed) onReady?.(); else result = parsed;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (result && code === 0) resolve(result);
      else reject(new Error(`${job.role} worker against ${new URL(job.url).host} exited with ${code ?? signal}` +
        (signal === 'SIGKILL' ? ` (still running after ${Math.round(limitMs / 1000)} s)` : '')));
    });
  });
}

interface Topology { queues: string[]; durable: boolean; fanout?: string }

async function declare(url: string, t: Topology): Promise<void> {
  const conn = await amqplib.connect(url);
  const ch = await conn.createChannel();
  if (t.fanout) await ch.assertExchange(t.fanout, 'fanout', { durable: t.durable });
  for (const q of t.queues) {
    await ch.deleteQueue(q);
    await ch.assertQueue(q, { durable: t.durable });
    if (t.fanout) await ch.bindQueue(q, t.fanout, '');
  }
  await conn.close();
}

/** Consumers first (subscribed), then the publisher; both must finish. */
async function race(server: ScenarioServer, publish: PublishJob, consume: ConsumeJob): Promise<ScenarioResult> {
  const cpu0 = server.cpuSeconds();
  let ready!: () => void;
  const subscribed = new Promise<void>((r) => { ready = r; });
  const consumer = runWorker(consume, ready);
  await Promise.race([subscribed, consumer]);
  const [pub, sub] = await Promise.all([runWorker(publish), consumer]);
  const cpu = server.cpuSeconds() - cpu0;
  return {
    deliveredPerSec: sub.count / ((sub.lastMs - pub.firstMs) / 1000),
    publishedPerSec: pub.count / ((pub.lastMs - pub.firstMs) / 1000),
    p50: sub.p50, p99: sub.p99, cpuUsPerMessage: (cpu * 1e6) / sub.count, clientCpuUsPerMessage: (pub.cpuUs + sub.cpuUs) / sub.count,
  };
}

/**
 * Publish only (no consumer: the queue keeps them): `processes` publisher processes, one connection
 * each, to one queue; msgs/s from the first publish to the last publisher's end (with confirms: all
 * confirmed; without: a basic.qos round trip after the last publish, so the server read them all).
 */
async function publishOnly(server: ScenarioServer, queue: string, size: number, messages: number, processes: number,
  confirmWindow: number): Promise<ScenarioResult> {
  await declare(server.url, { queues: [queue], durable: false });
  const cpu0 = server.cpuSeconds();
  const per = Math.ceil(messages / processes);
  const pubs = await Promise.all(Array.from({ length: processes }, (_, i) => runWorker({
    role: 'publish', url: server.url, targets: [{ exchange: '', routingKey: queue }], messages: Math.min(per, messages - i * per), size,
    persistent: false, confirmWindow,
  })));
  const cpu = server.cpuSeconds() - cpu0;
  const firstMs = Math.min(...pubs.map((p) => p.firstMs));
  const lastMs = Math.max(...pubs.map((p) => p.lastMs));
  await declare(server.url, { queues: [queue], durable: false }); // drop the backlog before the next row
  const rate = messages / ((lastMs - firstMs) / 1000);
  const clientCpuUs = pubs.reduce((sum, p) => sum + p.cpuUs, 0);
  return { deliveredPerSec: rate, publishedPerSec: rate, cpuUsPerMessage: (cpu * 1e6) / messages, clientCpuUsPerMessage: clientCpuUs / messages };
}

/** One publisher, one consumer, one queue (durable when the messages are persistent), acks every 100. */
async function oneToOne(server: ScenarioServer, queue: string, size: number, messages: number,
  o: { persistent: boolean; confirmWindow: number; prefetch: number }): Promise<ScenarioResult> {
  await declare(server.url, { queues: [queue], durable: o.persistent });
  return race(server,
    { role: 'publish', url: server.url, targets: [{ exchange: '', routingKey: queue }], messages, size, persistent: o.persistent, confirmWindow: o.confirmWindow },
    { role: 'consume', url: server.url, queues: [queue], messages, prefetch: o.prefetch, ackEvery: 100 });
}

const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

export const SCENARIOS: Scenario[] = [
  {
    // Issue 10 §6's 100k msgs/s target: transient publishes, nobody consuming.
    name: 'publish only',
    run: (server, size, messages, publishers) => publishOnly(server, 'race-po', size, messages, publishers, 0),
  },
  {
    // What bench/amqp.ts measured: transient publishes, confirms awaited 5000 at a time.
    name: 'publish only, confirms',
    run: (server, size, messages, publishers) => publishOnly(server, 'race-poc', size, messages, publishers, 5000),
  },
  {
    name: 'transient 1→1',
    run: (server, size, messages) => oneToOne(server, 'race-t', size, messages, { persistent: false, confirmWindow: 0, prefetch: 1000 }),
  },
  {
    name: 'transient 1→1, confirms',
    run: (server, size, messages) => oneToOne(server, 'race-tc', size, messages, { persistent: false, confirmWindow: 5000, prefetch: 1000 }),
  },
  {
    // PerfTest's persistent run in RabbitMQ's 2024 benchmark: 192 unconfirmed, qos 200, multi-ack.
    name: 'persistent, confirms',
    run: (server, size, messages) => oneToOne(server, 'race-p', size, messages, { persistent: true, confirmWindow: 192, prefetch: 200 }),
  },
  {
    name: 'fanout to 4 queues',
    async run(server, size, messages) {
      const queues = names('race-f', 4);
      await declare(server.url, { queues, durable: false, fanout: 'race-fanout' });
      return race(server,
        { role: 'publish', url: server.url, targets: [{ exchange: 'race-fanout', routingKey: '' }], messages, size, persistent: false, confirmWindow: 0 },
        { role: 'consume', url: server.url, queues, messages: messages * 4, prefetch: 1000, ackEvery: 100 });
    },
  },
  {
    name: '8 producers × 8 queues',
    async run(server, size, messages) {
      const queues = names('race-m', 8);
      await declare(server.url, { queues, durable: false });
      return race(server,
        { role: 'publish', url: server.url, targets: queues.map((q) => ({ exchange: '', routingKey: q })), messages, size, persistent: false, confirmWindow: 0 },
        { role: 'consume', url: server.url, queues, messages, prefetch: 1000, ackEvery: 100 });
    },
  },
];

/** A backlog of `messages` persistent messages published with confirms, then drained by one consumer. */
export async function backlog(server: ScenarioServer, size: number, messages: number): Promise<ScenarioResult> {
  await declare(server.url, { queues: ['race-b'], durable: true });
  const cpu0 = server.cpuSeconds();
  const pub = await runWorker({ role: 'publish', url: server.url, targets: [{ exchange: '', routingKey: 'race-b' }], messages, size, persistent: true, confirmWindow: 1000 });
  const sub = await runWorker({ role: 'consume', url: server.url, queues: ['race-b'], messages, prefetch: 1000, ackEvery: 100 });
  const cpu = server.cpuSeconds() - cpu0;
  // Latency means nothing here (messages waited in the backlog on purpose): only the rates.
  return {
    deliveredPerSec: sub.count / ((sub.lastMs - sub.firstMs) / 1000),
    publishedPerSec: pub.count / ((pub.lastMs - pub.firstMs) / 1000),
    cpuUsPerMessage: (cpu * 1e6) / sub.count, clientCpuUsPerMessage: (pub.cpuUs + sub.cpuUs) / sub.count,
  };
}
