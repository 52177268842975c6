// Junction's AMQP personality against Debian's RabbitMQ 3.10.8 in the same run, same client
// (amqplib on loopback), same scenarios: 1 KB transient publishes with confirms, and 1→1 through a
// queue (publisher with confirms, consumer with manual acks). Prints msg/s, the ratio and server
// CPU per message. Asserts nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import amqplib from 'amqplib';
import { killHard, startChildServer } from '../test/helpers/child-server.js';
import { startRabbitMq } from '../test/helpers/rabbitmq-server.js';
import { machineLine } from './report.js';

const USAGE = `usage: node dist/bench/amqp.js [--messages <n>] [--size <bytes>] [--window <n>]
Each scenario sends <n> messages (default 200000) of <size> bytes (default 1024), transient, with
publisher confirms awaited every <window> (default 5000), to Junction (--enable amqp, child process)
and to RabbitMQ 3.10.8.`;

interface Plan { messages: number; size: number; window: number }

function plan(): Plan {
  const { values } = parseArgs({ options: {
    messages: { type: 'string', default: '200000' }, size: { type: 'string', default: '1024' },
    window: { type: 'string', default: '5000' }, help: { type: 'boolean', default: false },
  } });
  if (values.help) { console.log(USAGE); process.exit(0); }
  return { messages: Number(values.messages), size: Number(values.size), window: Number(values.window) };
}

/** User + system CPU seconds (/proc/<pid>/stat fields 14 and 15) of a process, or with `group`
 *  of every process in its process group (RabbitMQ: beam.smp, epmd, erl_child_setup). */
function cpuSeconds(pid: number, group = false): number {
  const pids = group ? readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number) : [pid];
  let total = 0;
  for (const p of pids) {
    let fields: string[];
    try { fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' '); } catch { continue; }
    if (group && Number(fields[2]) !== pid) continue;
    total += (Number(fields[11]) + Number(fields[12])) / 100;
  }
  return total;
}

async function publishAll(url: string, queue: string, p: Plan): Promise<void> {
  const conn = await amqplib.connect(url);
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(queue, { durable: false });
  const body = Buffer.alloc(p.size, 'x');
  for (let i = 1; i <= p.messages; i++) {
    if (!ch.sendToQueue(queue, body)) await new Promise((r) => ch.once('drain', r));
    if (i % p.window === 0) await ch.waitForConfirms();
  }
  await ch.waitForConfirms();
  await conn.close();
}

async function consumeAll(url: string, queue: string, p: Plan): Promise<void> {
  const conn = await amqplib.connect(url);
  const ch = await conn.createChannel();
  await ch.assertQueue(queue, { durable: false });
  await ch.prefetch(1000);
  await new Promise<void>((resolve) => {
    let got = 0;
    void ch.consume(queue, (msg) => {
      if (!msg) return;
      if (++got % 100 === 0 || got === p.messages) ch.ack(msg, true);
      if (got === p.messages) resolve();
    });
  });
  await conn.close();
}

interface Figure { rate: number; cpuUsPerMsg: number }

async function measure(cpu: () => number, n: number, run: () => Promise<unknown>): Promise<Figure> {
  const cpu0 = cpu();
  const t0 = performance.now();
  await run();
  const s = (performance.now() - t0) / 1000;
  return { rate: n / s, cpuUsPerMsg: ((cpu() - cpu0) / n) * 1e6 };
}

async function scenarios(url: string, cpu: () => number, p: Plan): Promise<Record<string, Figure>> {
  const publish = await measure(cpu, p.messages, () => publishAll(url, 'bench-publish', p));
  const through = await measure(cpu, p.messages, () => Promise.all([consumeAll(url, 'bench-1to1', p), publishAll(url, 'bench-1to1', p)]));
  return { [`publish ${p.size} B transient, confirms`]: publish, [`1→1 ${p.size} B, confirms + acks`]: through };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const p = plan();
  console.log(machineLine());
  const junction = await startChildServer(['--enable', 'amqp']);
  let ours: Record<string, Figure>;
  try {
    ours = await scenarios(`amqp://guest:guest@127.0.0.1:${junction.ports.amqp}`, () => cpuSeconds(junction.child.pid!), p);
  } finally {
    await killHard(junction);
  }
  const rabbit = await startRabbitMq();
  let theirs: Record<string, Figure>;
  try {
    theirs = await scenarios(rabbit.url, () => cpuSeconds(rabbit.pgid, true), p);
  } finally {
    await rabbit.stop();
  }
  console.log(`${p.messages} messages per scenario, amqplib client in one process, server in another`);
  for (const name of Object.keys(ours)) {
    const j = ours[name]!;
    const r = theirs[name]!;
    console.log(`${name}: junction ${fmt(j.rate)} msg/s (${j.cpuUsPerMsg.toFixed(1)} µs CPU/msg), `
      + `rabbitmq ${fmt(r.rate)} msg/s (${r.cpuUsPerMsg.toFixed(1)} µs CPU/msg), ratio ${(j.rate / r.rate).toFixed(2)}×`);
  }
}

await main();
