// The figures the AMQP personality (issue 10) will be raced against: Debian's RabbitMQ 3.10.8 started
// by the test launcher, driven by amqplib on loopback. The junction column is filled in when the
// personality exists (test/helpers/amqp-target.ts says so until then). Prints figures, asserts nothing.
import { parseArgs } from 'node:util';
import amqplib from 'amqplib';
import { startRabbitMq, type RabbitMqServer } from '../test/helpers/rabbitmq-server.js';
import { machineLine } from './report.js';

const USAGE = `usage: npm run bench:amqp-reference -- [--messages <n>] [--size <bytes>] [--prefetch <n>]
Publishes <n> messages (default 100000, 100 B, transient, to a non-durable queue) with publisher
confirms (waiting every 1000), then consumes them with manual acks (prefetch default 1000), against
a fresh RabbitMQ 3.10.8; prints its start time, RSS idle and after, and both rates.`;

interface Plan { messages: number; size: number; prefetch: number }

function plan(): Plan {
  const { values } = parseArgs({ options: {
    messages: { type: 'string', default: '100000' }, size: { type: 'string', default: '100' },
    prefetch: { type: 'string', default: '1000' }, help: { type: 'boolean', default: false },
  } });
  if (values.help) { console.log(USAGE); process.exit(0); }
  return { messages: Number(values.messages), size: Number(values.size), prefetch: Number(values.prefetch) };
}

async function publish(url: string, queue: string, p: Plan): Promise<number> {
  const conn = await amqplib.connect(url);
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(queue, { durable: false });
  const body = Buffer.alloc(p.size, 'x');
  const t0 = performance.now();
  for (let i = 1; i <= p.messages; i++) {
    if (!ch.sendToQueue(queue, body)) await new Promise((r) => ch.once('drain', r));
    if (i % 1000 === 0) await ch.waitForConfirms();
  }
  await ch.waitForConfirms();
  const ms = performance.now() - t0;
  await conn.close();
  return ms;
}

async function consume(url: string, queue: string, p: Plan): Promise<number> {
  const conn = await amqplib.connect(url);
  const ch = await conn.createChannel();
  await ch.prefetch(p.prefetch);
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    let got = 0;
    void ch.consume(queue, (msg) => {
      if (!msg) return;
      ch.ack(msg);
      if (++got === p.messages) resolve();
    });
  });
  const ms = performance.now() - t0;
  await conn.close();
  return ms;
}

const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} msg/s`;
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const p = plan();
  console.log(machineLine());
  let rabbit: RabbitMqServer | undefined;
  try {
    rabbit = await startRabbitMq();
    const idle = rabbit.rssKiB();
    console.log(`RabbitMQ 3.10.8 (management plugin on): ready in ${rabbit.startMs} ms, RSS idle ${mib(idle)}`);
    const pubMs = await publish(rabbit.url, 'bench', p);
    console.log(`amqplib publish, ${p.messages} × ${p.size} B, confirms every 1000: ${rate(p.messages, pubMs)}`);
    const subMs = await consume(rabbit.url, 'bench', p);
    console.log(`amqplib consume, manual ack, prefetch ${p.prefetch}: ${rate(p.messages, subMs)}`);
    console.log(`RSS after: ${mib(rabbit.rssKiB())}`);
    console.log('junction: the AMQP personality is not built yet (issue 10); no ratio until it is');
  } finally {
    await rabbit?.stop();
  }
}

await main();
