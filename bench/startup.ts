/**
 * Startup cost of `junction start` with every personality, beside a trivial Node HTTP server in
 * the same run (`npm run bench:startup [runs]`, after `npm run build`; Linux: reads /proc).
 *
 * ../shared/tools/startup-probe measures wall time (launch → every port accepts), which on a
 * shared 2-core machine moves with everyone else's load: at load 7 its ratio ranged 2.2–3.7× in
 * three runs of the same build. This measures the same start the same way — a fresh data dir,
 * a free port for every --*-port flag of `junction start --help`, ready = every port accepts a
 * TCP connection — and also the CPU time the process had used by then (its main thread, from
 * /proc/<pid>/schedstat, and all its threads), which the load barely moves. Runs alternate
 * between the two servers; medians are shown, with the Junction/trivial ratios.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDataDir, removeDataDir, rssMiB } from './server.js';

/** JUNCTION_BIN: another build's bin (a copy of dist/bin/ made before a change), to compare builds. */
const BIN = process.env.JUNCTION_BIN ?? 'dist/bin/junction.cjs';
/** JUNCTION_ENABLE: start only these personalities (`--enable`, e.g. zk,amqp); ready then means
 *  their ports and the admin port accept. */
const ENABLE = process.env.JUNCTION_ENABLE;
const enabledPort = (flag: string) => ENABLE === undefined || flag === '--admin-port' || ENABLE.split(',').some((p) => flag.startsWith(`--${p}-`));
/** JUNCTION_IDLE_MS: how long after ready RSS is read (default 2000). V8 compiles its first
 *  function with TurboFan a few seconds into an idle start or at the first traffic, which maps
 *  ~3.3 MiB of the node binary's compiler code, and shrinks new space ~10 s after start. */
const IDLE_MS = Number(process.env.JUNCTION_IDLE_MS ?? 2000);
const TRIVIAL = "require('node:http').createServer((q, r) => r.end('ok')).listen(+process.argv[2], '127.0.0.1');";

interface Sample { wallMs: number; mainCpuMs: number; allCpuMs: number; rssMiB: number }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** CPU time (ms) of one thread's /proc schedstat (first field: ns on the CPU). */
function schedMs(file: string): number {
  try { return Number(readFileSync(file, 'utf8').split(' ')[0]) / 1e6; } catch { return 0; }
}

function cpuOf(pid: number): { main: number; all: number } {
  const tasks = readdirSync(`/proc/${pid}/task`);
  return { main: schedMs(`/proc/${pid}/schedstat`), all: tasks.reduce((sum, t) => sum + schedMs(`/proc/${pid}/task/${t}/schedstat`), 0) };
}

/** Launch, poll every port every 2 ms until all accept, read CPU, then RSS after IDLE_MS idle. */
async function probe(args: string[], ports: number[]): Promise<Sample> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => { exited = true; });
  for (;;) {
    if (exited) throw new Error(`${args.join(' ')} exited before its ports accepted`);
    if ((await Promise.all(ports.map(accepts))).every(Boolean)) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  const wallMs = performance.now() - started;
  const cpu = cpuOf(child.pid!);
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const rss = rssMiB({ child }) ?? NaN;
  child.kill('SIGTERM');
  if (!exited) await new Promise((r) => child.once('exit', r));
  return { wallMs, mainCpuMs: cpu.main, allCpuMs: cpu.all, rssMiB: rss };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 7);
  const help = spawnSync(process.execPath, [BIN, 'start', '--help'], { encoding: 'utf8' });
  const flags = [...new Set(`${help.stdout}${help.stderr}`.match(/--[a-z0-9-]+-port\b/g))];
  const enable = ENABLE === undefined ? [] : ['--enable', ENABLE];
  const trivialFile = join(mkdtempSync(join(tmpdir(), 'junction-startup-')), 'trivial.cjs');
  writeFileSync(trivialFile, TRIVIAL);
  const junction: Sample[] = [];
  const trivial: Sample[] = [];
  console.log(`bench: startup × ${runs} (${ENABLE === undefined ? 'every personality' : `--enable ${ENABLE}`}; ${flags.join(' ')}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (let i = 0; i < runs; i++) {
    const dataDir = freshDataDir();
    try {
      const ports = await Promise.all(flags.map(freePort));
      junction.push(await probe([BIN, 'start', '--data-dir', dataDir, ...enable, ...flags.flatMap((f, j) => [f, String(ports[j])])], ports.filter((_, j) => enabledPort(flags[j]!))));
    } finally {
      removeDataDir(dataDir);
    }
    const port = await freePort();
    trivial.push(await probe([trivialFile, String(port)], [port]));
    const [j, t] = [junction.at(-1)!, trivial.at(-1)!];
    console.log(`run ${i + 1}: junction ${j.wallMs.toFixed(0)} ms wall, ${j.mainCpuMs.toFixed(0)} ms CPU | trivial ${t.wallMs.toFixed(0)} ms wall, ${t.mainCpuMs.toFixed(0)} ms CPU`);
  }
  rmSync(join(trivialFile, '..'), { recursive: true, force: true });
  const row = (name: string, key: keyof Sample, unit: string) => {
    const [j, t] = [median(junction.map((s) => s[key])), median(trivial.map((s) => s[key]))];
    console.log(`${name.padEnd(38)} ${j.toFixed(1).padStart(7)} ${t.toFixed(1).padStart(8)}  ${unit === 'MiB' ? `+${(j - t).toFixed(1)} MiB` : `${(j / t).toFixed(2)}×`}`);
  };
  console.log(`${'median'.padEnd(38)} ${'junction'.padStart(7)} ${'trivial'.padStart(8)}  ratio`);
  row('launch → every port accepts, wall ms', 'wallMs', 'ms');
  row('CPU until then, main thread ms', 'mainCpuMs', 'ms');
  row('CPU until then, all threads ms', 'allCpuMs', 'ms');
  row(`RSS ${IDLE_MS / 1000} s after, MiB`, 'rssMiB', 'MiB');
}

await main();
