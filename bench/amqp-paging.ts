// Queues larger than memory (issue 10 §3, `npm run bench:amqp-paging -- [--messages N] [--size B]
// [--transient] [--non-durable] [--paging-ratio R] [--base <bin>] [--runs R] [--no-reference]`): N persistent messages (default
// 1,000,000 × 1 KB) published with confirms by an amqplib process (bench/amqp/load-worker.ts) to one
// durable queue nobody consumes; the server's RSS before and after (and its peak, VmHWM), the data
// on disk, then (Junction) a clean restart — time to ready and RSS with the whole queue recovered —
// and the drain rate of one consumer afterwards. --transient publishes delivery-mode 1 instead:
// the drain comes before the restart, which must then find the queue empty; --non-durable
// declares the queue non-durable (implies --transient's order: a restart loses the queue), which
// pages only under memory pressure: --paging-ratio 0 makes this build page it at once. --base runs the same
// with another build's bin (e.g. the commit before a change, built in a temp dir), alternating with
// this one over R runs. With the reference, RabbitMQ 3.10.8 runs the same publish and drain in each
// run (no restart: the reference helper starts on a fresh directory). Prints figures; asserts nothing.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import amqplib from 'amqplib';
import { CLI, startChildServer, type ChildServer } from '../test/helpers/child-server.js';
import { startRabbitMq } from '../test/helpers/rabbitmq-server.js';
import { runWorker } from './amqp/scenarios.js';
import { machineLine } from './report.js';
import { freshDataDir, removeDataDir, rssMiB, stopServer } from './server.js';

const QUEUE = 'paging-bench';

const { values } = parseArgs({ options: {
  messages: { type: 'string', default: '1000000' }, size: { type: 'string', default: '1024' }, 'no-reference': { type: 'boolean', default: false },
  transient: { type: 'boolean', default: false }, 'non-durable': { type: 'boolean', default: false }, base: { type: 'string' }, 'paging-ratio': { type: 'string' }, runs: { type: 'string', default: '1' },
} });
const messages = Number(values.messages);
const size = Number(values.size);
const durable = !values['non-durable'];
const transient = values.transient || !durable;

const mib = (n: number | undefined): string => (n === undefined ? '?' : `${n.toFixed(0)} MiB`);
const rate = (n: number, ms: number): string => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} msg/s`;
const duMiB = (dir: string): number => Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) / 1024;

/** Peak resident set size of a process so far (VmHWM, MiB). */
function peakMiB(pid: number | undefined): number | undefined {
  try {
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function queueCount(url: string): Promise<number> {
  const conn = await amqplib.connect(url);
  const ch = await conn.createChannel();
  const { messageCount } = await ch.assertQueue(QUEUE, { durable });
  await conn.close();
  return messageCount;
}

/** Publish with confirms (1000 in flight); returns the publish time in ms. */
async function publish(url: string): Promise<number> {
  await queueCount(url);
  const r = await runWorker({ role: 'publish', url, targets: [{ exchange: '', routingKey: QUEUE }], messages, size, persistent: !values.transient, confirmWindow: 1000 });
  return r.lastMs - r.firstMs;
}

async function drain(url: string): Promise<number> {
  const r = await runWorker({ role: 'consume', url, queues: [QUEUE], messages, prefetch: 1000, ackEvery: 100 });
  return r.lastMs - r.firstMs;
}

async function startJunction(dataDir: string, cli: string): Promise<{ server: ChildServer; url: string; readyMs: number }> {
  const t0 = performance.now();
  const ratio = values['paging-ratio'] !== undefined && cli === CLI ? ['--amqp-vm-memory-high-watermark-paging-ratio', values['paging-ratio']] : [];
  const server = await startChildServer(['--enable', 'amqp', '--data-dir', dataDir, ...ratio], {}, [], [], cli);
  return { server, url: `amqp://guest:guest@127.0.0.1:${server.ports.amqp}`, readyMs: performance.now() - t0 };
}

async function junction(cli: string, label: string): Promise<void> {
  const dataDir = freshDataDir();
  try {
    const first = await startJunction(dataDir, cli);
    let { server, url } = first;
    const idle = rssMiB(server);
    console.log(`${label}  empty start: ready in ${first.readyMs.toFixed(0)} ms`);
    const publishMs = await publish(url);
    const afterPublish = rssMiB(server);
    console.log(`${label}  publish ${rate(messages, publishMs)}; RSS idle ${mib(idle)}, after publish ${mib(afterPublish)}, peak ${mib(peakMiB(server.child.pid))}; on disk ${mib(duMiB(dataDir))}`);
    if (transient) {
      const drainMs = await drain(url);
      console.log(`${label}  drain ${rate(messages, drainMs)}; RSS after drain ${mib(rssMiB(server))}`);
    }
    await stopServer(server);
    const restarted = await startJunction(dataDir, cli);
    ({ server, url } = restarted);
    const recovered = await queueCount(url);
    console.log(`${label}  restart: ready in ${restarted.readyMs.toFixed(0)} ms (process start included), ${recovered.toLocaleString('en-US')} messages, RSS ${mib(rssMiB(server))}`);
    if (!transient) {
      const drainMs = await drain(url);
      console.log(`${label}  drain ${rate(messages, drainMs)}; RSS after drain ${mib(rssMiB(server))}`);
    }
    await stopServer(server);
  } finally {
    removeDataDir(dataDir);
  }
}

async function reference(): Promise<void> {
  const rabbit = await startRabbitMq();
  try {
    const idle = rabbit.rssKiB() / 1024;
    const publishMs = await publish(rabbit.url);
    const afterPublish = rabbit.rssKiB() / 1024;
    console.log(`RabbitMQ  publish ${rate(messages, publishMs)}; RSS idle ${mib(idle)}, after publish ${mib(afterPublish)}; on disk ${mib(duMiB(rabbit.dir))}`);
    const drainMs = await drain(rabbit.url);
    console.log(`RabbitMQ  drain ${rate(messages, drainMs)}; RSS after drain ${mib(rabbit.rssKiB() / 1024)}`);
  } finally {
    await rabbit.stop();
  }
}

console.log(machineLine());
console.log(`${messages.toLocaleString('en-US')} ${values.transient ? 'transient' : 'persistent'} messages × ${size} B, one ${durable ? 'durable' : 'non-durable'} queue, amqplib with confirms (1000 in flight)`);
for (let run = 1, runs = Number(values.runs); run <= runs; run++) {
  if (runs > 1) console.log(`— run ${run} of ${runs}`);
  // A/B alternately: which build goes first changes with each run.
  const builds: [string, string][] = [[CLI, 'Junction']];
  if (values.base) builds[run % 2 === 0 ? 'unshift' : 'push']([values.base, 'Base    ']);
  for (const [cli, label] of builds) await junction(cli, label);
  if (!values['no-reference']) await reference();
}
