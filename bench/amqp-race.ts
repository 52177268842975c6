// The AMQP race (issue 10 §6): the same amqplib (or, with --client, @cloudamqp/amqp-client)
// publisher and consumer processes (bench/amqp/load-worker.ts) against Junction and against
// Debian's RabbitMQ 3.10.8, in the same run, scenario by scenario; prints msgs/s, latency and
// server CPU per message with the ratio. A benchmark prints figures; it asserts nothing.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { killHard, startChildServer, type ChildServer } from '../test/helpers/child-server.js';
import { GUEST, startRabbitMq, type RabbitMqServer } from '../test/helpers/rabbitmq-server.js';
import { backlog, benchClient, SCENARIOS, type ScenarioResult, type ScenarioServer } from './amqp/scenarios.js';
import { machineLine } from './report.js';
import { cpuSeconds, freshDataDir, groupCpuSeconds, removeDataDir, rssMiB, waitForQuiet } from './server.js';

const packageVersion = (name: string): string =>
  (JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;

const USAGE = `usage: npm run bench:amqp-race -- [--messages N] [--size BYTES] [--publishers N] [--backlog N] [--only NAME]
       [--client amqplib|amqp-client] [--cpu-prof DIR]
Each scenario publishes N messages (default 200000) of BYTES (default 1024) with --client, first on
RabbitMQ 3.10.8 then on Junction (--fsync batch, its default): publish only (transient, no consumer,
--publishers processes, default 2; --client picks every publisher's and consumer's library, default amqplib), publish only with confirms (window 5000), and with a consumer
process: transient 1→1, transient 1→1 with confirms, persistent with confirms, fanout to 4 queues,
8 producers × 8 queues; then a backlog of --backlog persistent messages (default 1000000; 0 skips
it) is published and drained. Each server's row starts once the machine is quiet (at most 10 % of
its CPU used over 0.5 s; at most 15 s of waiting).`;

interface Plan { messages: number; size: number; publishers: number; backlog: number; only?: string; cpuProf?: string }

let profileDir: string | undefined;

function plan(): Plan {
  const { values } = parseArgs({ options: {
    messages: { type: 'string', default: '200000' }, size: { type: 'string', default: '1024' },
    backlog: { type: 'string', default: '1000000' }, only: { type: 'string' }, help: { type: 'boolean', default: false },
    publishers: { type: 'string', default: '2' }, 'cpu-prof': { type: 'string' }, client: { type: 'string', default: 'amqplib' },
  } });
  if (values.client !== 'amqplib' && values.client !== 'amqp-client') throw new Error(`--client must be amqplib or amqp-client, not ${values.client}`);
  benchClient.library = values.client;
  profileDir = values['cpu-prof'];
  if (values.help) { console.log(USAGE); process.exit(0); }
  return { messages: Number(values.messages), size: Number(values.size), backlog: Number(values.backlog), publishers: Number(values.publishers),
    ...(values.only ? { only: values.only } : {}) };
}

const url = (port: number): string => `amqp://${GUEST.user}:${GUEST.password}@127.0.0.1:${port}`;

async function startJunction(dataDir: string): Promise<{ server: ChildServer; target: ScenarioServer }> {
  // --cpu-prof DIR: Junction runs under node --cpu-prof; the profile is written there when it stops.
  const server = await startChildServer(['--enable', 'amqp', '--data-dir', dataDir], {},
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  const port = server.ports.amqp;
  if (!port) throw new Error(`Junction's ready line names no amqp port: ${JSON.stringify(server.ports)}`);
  return { server, target: { name: 'Junction', url: url(port), cpuSeconds: () => cpuSeconds(server.child.pid) ?? NaN } };
}

/** SIGTERM (a profile is written on a clean exit), SIGKILL if it hangs. */
async function stopJunction(server: ChildServer): Promise<void> {
  if (!profileDir) return killHard(server);
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** A result cell's width: rate, p50, p99, server CPU µs per message (the clients' beside it). */
const CELL = 59;

const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined || !Number.isFinite(n) ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function row(name: string, ref: ScenarioResult | Error, ours: ScenarioResult | Error): string {
  const cell = (r: ScenarioResult | Error): string => r instanceof Error
    ? `error: ${r.message.replace(/\s+/g, " ").slice(0, 100)}`.padEnd(CELL)
    : `${fmt(r.deliveredPerSec).padStart(9)}/s p50 ${fmt(r.p50, 2).padStart(6)} p99 ${fmt(r.p99, 2).padStart(7)} ms ` +
      `${fmt(r.cpuUsPerMessage, 1).padStart(5)} µs (clients ${fmt(r.clientCpuUsPerMessage, 1).padStart(4)})`;
  const ratio = ref instanceof Error || ours instanceof Error ? '—' : `${(ours.deliveredPerSec / ref.deliveredPerSec).toFixed(2)}×`;
  return `${name.padEnd(24)} ${cell(ref)} | ${cell(ours)} | ${ratio}`;
}

/** One server's row, once the machine is quiet (the other server's clean-up of its own row done). */
async function attempt(f: () => Promise<ScenarioResult>): Promise<ScenarioResult | Error> {
  await waitForQuiet();
  try { return await f(); } catch (err) { return err instanceof Error ? err : new Error(String(err)); }
}

async function main(): Promise<void> {
  const p = plan();
  console.log(machineLine());
  console.log(`${p.messages.toLocaleString('en-US')} messages × ${p.size} B per scenario; delivered msgs/s (publish-only rows: accepted), ` +
    'latency p50/p99, server CPU per message (and the client processes\' CPU per message)');
  const library = benchClient.library === 'amqplib' ? `amqplib ${packageVersion('amqplib')}` : `@cloudamqp/amqp-client ${packageVersion('@cloudamqp/amqp-client')}`;
  console.log(`clients (the same for both servers, each in its own process): publishers and consumers ${library}; ` +
    `publish-only rows: ${p.publishers} publisher processes`);
  let rabbit: RabbitMqServer | undefined;
  let junction: { server: ChildServer; target: ScenarioServer } | Error | undefined;
  const dataDir = freshDataDir();
  try {
    rabbit = await startRabbitMq();
    const pgid = rabbit.pgid;
    const reference: ScenarioServer = { name: 'RabbitMQ 3.10.8', url: rabbit.url, cpuSeconds: () => groupCpuSeconds(pgid) };
    // Junction not starting (a build without the AMQP personality) still shows RabbitMQ's column.
    junction = await startJunction(dataDir).catch((err: Error) => err);
    const ours = (f: (t: ScenarioServer) => Promise<ScenarioResult>) => (): Promise<ScenarioResult> =>
      junction instanceof Error ? Promise.reject(junction) : f(junction!.target);
    console.log(`${'scenario'.padEnd(24)} ${'RabbitMQ 3.10.8'.padEnd(CELL)} | ${'Junction'.padEnd(CELL)} | ratio`);
    for (const s of SCENARIOS.filter((x) => !p.only || x.name.includes(p.only))) {
      const ref = await attempt(() => s.run(reference, p.size, p.messages, p.publishers));
      console.log(row(s.name, ref, await attempt(ours((t) => s.run(t, p.size, p.messages, p.publishers)))));
    }
    if (p.backlog > 0 && (!p.only || 'backlog'.includes(p.only))) {
      const ref = await attempt(() => backlog(reference, p.size, p.backlog));
      const mine = await attempt(ours((t) => backlog(t, p.size, p.backlog)));
      console.log(row(`backlog ${fmt(p.backlog)} drained`, ref, mine));
      for (const [name, r] of [['RabbitMQ', ref], ['Junction', mine]] as const) {
        if (!(r instanceof Error)) console.log(`  ${name}: backlog published at ${fmt(r.publishedPerSec)}/s with confirms`);
      }
    }
    const junctionRss = junction instanceof Error ? undefined : rssMiB(junction.server);
    console.log(`RSS after: RabbitMQ ${fmt(rabbit.rssKiB() / 1024, 1)} MiB, Junction ${fmt(junctionRss, 1)} MiB`);
  } finally {
    if (junction && !(junction instanceof Error)) await stopJunction(junction.server);
    await rabbit?.stop();
    removeDataDir(dataDir);
  }
}

await main();
