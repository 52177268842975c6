/**
 * core/storage group commit across many logs (`npm run bench:storage [dir] [seconds]`).
 *
 * The same workload — APPENDERS concurrent appenders, each appending 1 KiB records one after
 * another to log (appender mod N), fsync=batch — runs against 1, 100 and 1,000 raw logs of one
 * Storage in two modes: `journal` (the default: one commit cycle writes every log's records to
 * the shared journal with one write and one fdatasync; the segments are fdatasynced at
 * checkpoints) and `per-log` (journal off: the cycle fdatasyncs every log's own file, which is
 * what Storage did before the journal). Runs alternate between the modes, which one goes first
 * alternating too (REPS each, the median is shown), to spread the noise of a shared machine and
 * the disk's writeback of the previous run evenly; a mode's logs stay open across its
 * runs, so the journal's checkpoints (every 10 s and every 256 MiB journaled) fall inside
 * the measurement.
 *
 * fdatasyncs run on libuv's thread pool, whose width (UV_THREADPOOL_SIZE, default 4) bounds how
 * many run at once, so the whole table is measured at two pool widths, each in its own child
 * process (the width is fixed when a process first uses the pool). Prints appends/s, append
 * latency p50/p99, commit cycles/s, fdatasyncs/s (all of them; "in ckpt" those of checkpoints),
 * CPU time per append and the journal/per-log ratio of appends/s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppendLog } from '../src/core/log/types.js';
import { silentLogger } from '../src/core/logger.js';
import { Storage } from '../src/core/storage/storage.js';

const APPENDERS = 1000;
const RECORD = Buffer.alloc(1024, 0x5a);
const LOG_COUNTS = [1, 100, 1000];
const POOL_WIDTHS = [4, 64];
const REPS = 3;
const MODES = ['per-log', 'journal'] as const;
type Mode = typeof MODES[number];

interface Totals { cycles: number; fsyncs: number; checkpointFsyncs: number }
interface Result { count: number; mode: Mode; rate: number; p50: number; p99: number; cycles: number; fsyncs: number; ckpt: number; cpuUs: number }
interface OpenLogs { mode: Mode; dir: string; logs: AppendLog[]; totals: () => Totals; close(): Promise<void> }

async function setUp(base: string, count: number, mode: Mode): Promise<OpenLogs> {
  const dir = mkdtempSync(join(base, 'junction-bench-storage-'));
  const storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger(), journal: { enabled: mode === 'journal' } });
  const logs: AppendLog[] = [];
  for (let i = 0; i < count; i++) logs.push(await storage.rawLog(`bench/log-${i}`));
  const totals = (): Totals => ({ ...storage.scheduler.totals, checkpointFsyncs: storage.journal?.totals.checkpointLogs ?? 0 });
  return { mode, dir, logs, totals, close: () => storage.close() };
}

async function tearDown(set: OpenLogs): Promise<void> {
  await set.close();
  rmSync(set.dir, { recursive: true, force: true });
}

/** Run the appenders against already open logs for `seconds`. */
async function run(set: OpenLogs, seconds: number): Promise<Result> {
  const { logs, totals, mode } = set;
  const count = logs.length;
  const latencies: number[] = [];
  let stop = false;
  const appender = async (j: number) => {
    const log = logs[j % count]!;
    while (!stop) {
      const t0 = performance.now();
      await log.append(RECORD);
      latencies.push(performance.now() - t0);
    }
  };
  const before = totals();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const timer = setTimeout(() => { stop = true; }, seconds * 1000);
  await Promise.all(Array.from({ length: APPENDERS }, (_, j) => appender(j)));
  clearTimeout(timer);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const after = totals();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const ckpt = (after.checkpointFsyncs - before.checkpointFsyncs) / elapsed;
  return { count, mode, rate: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), cycles: (after.cycles - before.cycles) / elapsed,
    fsyncs: (after.fsyncs - before.fsyncs) / elapsed + ckpt, ckpt, cpuUs: (cpu.user + cpu.system) / latencies.length };
}

function median(results: Result[]): Result {
  const pick = (key: keyof Result) => {
    const values = results.map((r) => r[key] as number).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)]!;
  };
  const first = results[0]!;
  return { count: first.count, mode: first.mode, rate: pick('rate'), p50: pick('p50'), p99: pick('p99'), cycles: pick('cycles'),
    fsyncs: pick('fsyncs'), ckpt: pick('ckpt'), cpuUs: pick('cpuUs') };
}

/** Child: every log count, modes alternating, one JSON line per (count, mode) median. */
async function measure(base: string, seconds: number): Promise<void> {
  for (const mode of MODES) { // JIT and file system warm-up
    const warm = await setUp(base, 10, mode);
    await run(warm, 1);
    await tearDown(warm);
  }
  for (const count of LOG_COUNTS) {
    const sets = [await setUp(base, count, 'per-log'), await setUp(base, count, 'journal')];
    const runs: Record<Mode, Result[]> = { 'per-log': [], journal: [] };
    // Alternate which mode goes first: a run leaves the disk flushing what it wrote for the next one.
    for (let rep = 0; rep < REPS; rep++) {
      for (const set of rep % 2 === 0 ? sets : [...sets].reverse()) runs[set.mode].push(await run(set, seconds));
    }
    for (const set of sets) await tearDown(set);
    for (const mode of MODES) process.stdout.write(`${JSON.stringify(median(runs[mode]))}\n`);
  }
}

function row(cells: (string | number)[]): string {
  return `| ${cells.map((c) => String(c).padStart(10)).join(' | ')} |`;
}

function report(base: string, seconds: number): void {
  console.log(`${APPENDERS} appenders, 1 KiB records, fsync=batch, ${REPS}×${seconds} s per cell (median), data in ${base}`);
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  console.log(row(['pool', 'logs', 'mode', 'appends/s', 'p50 ms', 'p99 ms', 'cycles/s', 'fsyncs/s', 'in ckpt', 'CPU µs/app', 'ratio']));
  console.log(row(Array(11).fill('---')));
  for (const pool of POOL_WIDTHS) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), base, String(seconds)], {
      env: { ...process.env, UV_THREADPOOL_SIZE: String(pool), JUNCTION_BENCH_STORAGE_CHILD: '1' }, encoding: 'utf8', maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`pool ${pool}: child failed: ${child.stderr}`);
    const results = child.stdout.trim().split('\n').map((l) => JSON.parse(l) as Result);
    for (const r of results) {
      const base = results.find((x) => x.count === r.count && x.mode === 'per-log')!;
      console.log(row([pool, r.count, r.mode, Math.round(r.rate), r.p50.toFixed(2), r.p99.toFixed(2), Math.round(r.cycles),
        Math.round(r.fsyncs), Math.round(r.ckpt), r.cpuUs.toFixed(1), r.mode === 'journal' ? `${(r.rate / base.rate).toFixed(2)}×` : '']));
    }
  }
  console.log(`\nload average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

const base = process.argv[2] ?? tmpdir();
const seconds = Number(process.argv[3] ?? 2);
if (process.env.JUNCTION_BENCH_STORAGE_CHILD) void measure(base, seconds);
else report(base, seconds);
