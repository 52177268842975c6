import { parseArgs } from 'node:util';
import type { LoadSettings } from './load.js';
import { longPollLatency } from './phases/longpoll.js';
import { getRate, publishRate } from './phases/config.js';
import { listQps, registerTps } from './phases/naming.js';
import { restartRow, scaleRows, type ScaleSpec } from './phases/scale.js';
import { httpOverheadRows } from './phases/overhead.js';
import { startupAndIdle } from './phases/startup.js';
import { formatTable, machineLine, NACOS_REFERENCE, verdict, type Row } from './report.js';
import {
  type BareServer, freshDataDir, isAlive, removeDataDir, startBareServer, startServer, stopServer, type BenchServer,
} from './server.js';

const PHASE_GROUPS = ['startup', 'throughput', 'overhead', 'scale'] as const;
type PhaseGroup = (typeof PHASE_GROUPS)[number];

const USAGE = `usage: npm run bench -- [--quick] [--duration <s>] [--rounds <n>] [--phases <list>] [--json]

Starts Junction as a child process on loopback (temporary data dirs) and measures the Nacos
HTTP API with autocannon. See docs/benchmarks.md. Exits non-zero only if a phase errored.
  --quick         short smoke run (1 s phases, fewer listeners, 10k instances / 1k configs)
  --duration <s>  seconds per throughput phase (default 5)
  --rounds <n>    rounds of the http-overhead phase (default 3, --quick 1)
  --phases <list> comma list of ${PHASE_GROUPS.join(', ')} (default all)
  --json          also print the rows as JSON
`;

/** Connections per phase: enough to keep one server core busy, few enough that the client (one
 *  core, in this process) is not the bottleneck. Publishes need more: each waits for an fsync. */
const CONNECTIONS = { register: 64, list: 64, publish: 256, get: 64, overhead: 64 };
const FILL_CONNECTIONS = { registerConnections: CONNECTIONS.register, publishConnections: CONNECTIONS.publish };

interface Plan {
  load: LoadSettings;
  overheadRounds: number;
  startupRuns: number;
  listeners: number;
  scale: ScaleSpec;
}

function plan(quick: boolean, duration: number | undefined, rounds: number | undefined): Plan {
  return {
    load: { duration: duration ?? (quick ? 1 : 5), warmup: quick ? 0.5 : 1 },
    overheadRounds: rounds ?? (quick ? 1 : 3),
    startupRuns: quick ? 2 : 5,
    listeners: quick ? 50 : 200,
    scale: quick
      ? { instances: 10_000, services: 100, configs: 1_000, ...FILL_CONNECTIONS }
      : { instances: 100_000, services: 1_000, configs: 10_000, ...FILL_CONNECTIONS },
  };
}

/** Throughput and latency phases share one server. */
async function throughputPhases(p: Plan, rows: Row[]): Promise<void> {
  const dir = freshDataDir();
  let server: BenchServer | undefined;
  try {
    server = await startServer(dir);
    const s = server;
    const phases: Array<[string, () => Promise<Row | Row[]>]> = [
      ['instance list', () => listQps(s, p.load, CONNECTIONS.list)],
      ['config publish', () => publishRate(s, p.load, CONNECTIONS.publish, 'batch')],
      ['config get', () => getRate(s, p.load, CONNECTIONS.get)],
      ['long-poll push', () => longPollLatency(s.nacos, p.listeners)],
      // Last: its tens of thousands of instances get no heartbeats and Nacos-style expiry would
      // remove them 15–30 s later, in the middle of whatever phase came next.
      ['instance register', () => registerTps(s, p.load, CONNECTIONS.register)],
    ];
    for (const [name, phase] of phases) {
      progress(name);
      await guarded(name, rows, async () => { rows.push(...[await phase()].flat()); });
      if (!isAlive(s)) throw new Error(`server died:\n${s.output.slice(-20).join('\n')}`);
    }
  } finally {
    if (server) await stopServer(server);
    removeDataDir(dir);
  }
}

/** Junction's HTTP layer beside a bare Fastify route, on servers of their own. */
async function overheadPhase(p: Plan, rows: Row[]): Promise<void> {
  const dir = freshDataDir();
  let server: BenchServer | undefined;
  let bare: BareServer | undefined;
  try {
    server = await startServer(dir);
    bare = await startBareServer();
    progress(`http overhead: bare route, config get, instance/list × ${p.overheadRounds} rounds`);
    rows.push(...await httpOverheadRows(server, bare, p.load, { connections: CONNECTIONS.overhead, rounds: p.overheadRounds }));
  } finally {
    if (bare) await stopServer(bare);
    if (server) await stopServer(server);
    removeDataDir(dir);
  }
}

/** Memory and recovery at scale, on a server of its own so earlier phases do not skew them. */
async function scalePhases(p: Plan, rows: Row[]): Promise<void> {
  const dir = freshDataDir();
  let server: BenchServer | undefined;
  try {
    server = await startServer(dir);
    progress(`fill: ${p.scale.instances} instances, ${p.scale.configs} configs`);
    rows.push(...await scaleRows(server, p.scale));
    progress('restart on the filled data dir');
    const restarted = await restartRow(server, p.scale.configs);
    server = restarted.server;
    rows.push(restarted.row);
  } finally {
    if (server) await stopServer(server);
    removeDataDir(dir);
  }
}

/** Progress goes to stderr so stdout stays the report. */
function progress(phase: string): void {
  process.stderr.write(`bench: ${phase}…\n`);
}

/** Run a group of phases; if it throws, record an ERROR row and carry on with the next group. */
async function guarded(name: string, rows: Row[], run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    rows.push({ figure: name, unit: '', error: (err as Error).message.split('\n')[0]! });
    process.stderr.write(`bench: ${name} failed: ${(err as Error).stack ?? String(err)}\n`);
  }
}

function parsePhases(list: string | undefined): Set<PhaseGroup> {
  if (list === undefined) return new Set(PHASE_GROUPS);
  const names = list.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const unknown = names.filter((n) => !(PHASE_GROUPS as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) throw new Error(`--phases: expected a comma list of ${PHASE_GROUPS.join(', ')}, got ${list}`);
  return new Set(names as PhaseGroup[]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' }, duration: { type: 'string' }, rounds: { type: 'string' }, phases: { type: 'string' },
      json: { type: 'boolean' }, help: { type: 'boolean' },
    },
  });
  if (values.help) { process.stdout.write(USAGE); return; }
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && !(duration > 0)) throw new Error(`--duration: expected seconds > 0, got ${values.duration}`);
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds > 0)) throw new Error(`--rounds: expected a count > 0, got ${values.rounds}`);
  const groups = parsePhases(values.phases);
  const p = plan(values.quick ?? false, duration, rounds);

  process.stdout.write(`${machineLine()}\n`);
  process.stdout.write(`load: autocannon in the bench process (1 client thread, server in its own process), ` +
    `loopback, pipelining 1, ${p.load.warmup} s warm-up + ${p.load.duration} s per phase; connections ${JSON.stringify(CONNECTIONS)}\n\n`);
  const rows: Row[] = [];
  if (groups.has('startup')) {
    await guarded('startup / idle', rows, async () => {
      progress(`startup × ${p.startupRuns}`); rows.push(...await startupAndIdle(p.startupRuns)); });
  }
  if (groups.has('throughput')) await guarded('throughput phases', rows, () => throughputPhases(p, rows));
  if (groups.has('overhead')) await guarded('http overhead phase', rows, () => overheadPhase(p, rows));
  if (groups.has('scale')) await guarded('scale phase', rows, () => scalePhases(p, rows));

  process.stdout.write(`${formatTable(rows)}\n\n${NACOS_REFERENCE}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(rows.map((r) => ({ ...r, result: verdict(r) })), null, 2)}\n`);
  if (rows.some((r) => r.error)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
