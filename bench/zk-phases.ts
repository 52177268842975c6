/**
 * The benchmark's phases, each run against both servers and turned into comparison rows. The
 * servers take turns cell by cell (same op and session count on Junction, then on ZooKeeper), so
 * noise from other work on the machine spreads over both rather than landing on one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createFixture, runLoad, type LoadResult, type ZkOp } from './zk-load.js';
import type { ZkRow, ZkTarget } from './zk-report.js';
import { endpoint, scaleRun, type ScaleResult } from './zk-scale.js';
import {
  freshTargetDir, isAlive, removeTargetDir, rssMiB, startTarget, stopTarget, type TargetKind, type ZkServer,
} from './zk-servers.js';
import { watchFanout, type FanoutResult, type FanoutSpec } from './zk-watch.js';

export interface Plan {
  targets: TargetKind[];
  ops: ZkOp[];
  sessions: number[];
  window: number;
  warmupMs: number;
  durationMs: number;
  /** Untimed load of every op on each fresh server before the first cell, so the JVM's JIT and
   *  V8's optimiser have compiled the hot paths (a cold JVM is several times slower). */
  serverWarmupMs: number;
  fanout: FanoutSpec;
  znodes: number;
  phases: Set<'throughput' | 'fanout' | 'scale'>;
}

/** A figure per target, or why it is missing. */
type PerTarget<T> = Partial<Record<TargetKind, T | Error>>;

const SHORT: Record<TargetKind, string> = { junction: 'J', zookeeper: 'ZK' };
/** More failed requests than this makes a cell an ERROR (its figure would be meaningless). */
const MAX_ERROR_RATE = 0.001;

export function progress(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

async function attempt<T>(kind: TargetKind, what: string, run: () => Promise<T>): Promise<T | Error> {
  try {
    return await run();
  } catch (err) {
    progress(`${what} on ${kind} failed: ${(err as Error).stack ?? String(err)}`);
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** One row from per-target values; errors are named per target, a value survives the other's error. */
function row<T>(figure: string, unit: string, per: PerTarget<T>, pick: (v: T) => number | undefined,
  extra: { target?: ZkTarget; note?: string } = {}): ZkRow {
  const r: ZkRow = { figure, unit, ...extra };
  const errors: string[] = [];
  for (const kind of ['junction', 'zookeeper'] as const) {
    const v = per[kind];
    if (v instanceof Error) errors.push(`${SHORT[kind]}: ${v.message.split('\n')[0]}`);
    else if (v !== undefined) r[kind] = pick(v);
  }
  if (errors.length) r.error = errors.join('; ');
  return r;
}

/** Throughput cells and watch fan-out share one fresh server per target. */
export async function throughputAndFanout(plan: Plan, rows: ZkRow[]): Promise<void> {
  const servers = new Map<TargetKind, ZkServer>();
  const started: PerTarget<ZkServer> = {};
  const idle: PerTarget<number | undefined> = {};
  try {
    for (const kind of plan.targets) {
      progress(`starting ${kind}`);
      started[kind] = await attempt(kind, 'start', async () => {
        const dir = freshTargetDir(kind);
        const s = await startTarget(kind, dir).catch((err: unknown) => { removeTargetDir(dir); throw err; });
        servers.set(kind, s);
        await sleep(1_000);
        idle[kind] = rssMiB(s.child.pid);
        await createFixture(endpoint(s));
        return s;
      });
    }
    rows.push(row('start to first reply (empty)', 'ms', started, (s: ZkServer) => s.readyMs,
      { note: 'spawn → first successful connect + exists(/); includes Node / JVM boot' }));
    rows.push(row('RSS idle', 'MiB', idle, (v: number | undefined) => v, { note: 'VmRSS 1 s after the first reply' }));
    if (plan.phases.has('throughput')) await throughputCells(plan, servers, rows);
    if (plan.phases.has('fanout')) await fanoutRows(plan, servers, rows);
  } finally {
    for (const s of servers.values()) { await stopTarget(s); removeTargetDir(s.dir); }
  }
}

async function warmUp(plan: Plan, servers: Map<TargetKind, ZkServer>): Promise<number> {
  let runId = 1000;
  for (const [kind, server] of servers) {
    progress(`warming ${kind} up: ${plan.serverWarmupMs / 1000} s of each op`);
    for (const op of plan.ops) {
      const spec = { op, sessions: 16, window: plan.window, warmupMs: 0, durationMs: plan.serverWarmupMs, runId: runId++ };
      await attempt(kind, `warm-up ${op}`, () => runLoad(endpoint(server), spec));
    }
  }
  return runId;
}

async function throughputCells(plan: Plan, servers: Map<TargetKind, ZkServer>, rows: ZkRow[]): Promise<void> {
  let runId = await warmUp(plan, servers);
  for (const op of plan.ops) {
    for (const sessions of plan.sessions) {
      const per: PerTarget<LoadResult> = {};
      for (const kind of plan.targets) {
        const server = servers.get(kind);
        if (!server) { per[kind] = new Error('server did not start'); continue; }
        if (!isAlive(server)) { per[kind] = new Error(`server died:\n${server.output.slice(-10).join('\n')}`); continue; }
        progress(`${op} × ${sessions} sessions on ${kind}`);
        const spec = { op, sessions, window: plan.window, warmupMs: plan.warmupMs, durationMs: plan.durationMs, runId: runId++ };
        per[kind] = await attempt(kind, op, async () => checked(await runLoad(endpoint(server), spec)));
      }
      rows.push(...cellRows(op, sessions, plan.window, per));
    }
  }
}

function checked(r: LoadResult): LoadResult {
  if (r.count === 0) throw new Error(`no request completed${r.firstError ? `: ${r.firstError}` : ''}`);
  if (r.errors > r.count * MAX_ERROR_RATE) throw new Error(`${r.errors} failed requests of ${r.count}: ${r.firstError}`);
  return r;
}

function cellRows(op: ZkOp, sessions: number, window: number, per: PerTarget<LoadResult>): ZkRow[] {
  const name = `${op} ×${sessions}`;
  const each = (f: (v: LoadResult) => string) => (['junction', 'zookeeper'] as const).flatMap((k) => {
    const v = per[k];
    return v && !(v instanceof Error) ? [`${SHORT[k]} ${f(v)}`] : [];
  });
  const cpu = each((v) => `${v.serverCores?.toFixed(2) ?? '?'}/${v.clientCores.toFixed(2)}`);
  const max = each((v) => v.maxMs.toFixed(1));
  return [
    row(`${name} throughput`, 'ops/s', per, (v: LoadResult) => v.opsPerSec, {
      target: { on: 'ratio', op: '>=', value: 1.5 },
      note: `${sessions * window} in flight (${sessions} sess × ${window}); CPU cores server/client: ${cpu.join(', ')}`,
    }),
    row(`${name} p50`, 'ms', per, (v: LoadResult) => v.p50Ms),
    row(`${name} p99`, 'ms', per, (v: LoadResult) => v.p99Ms,
      { target: { on: 'ratio', op: '<=', value: 1 }, note: `max ms: ${max.join(', ')}` }),
  ];
}

async function fanoutRows(plan: Plan, servers: Map<TargetKind, ZkServer>, rows: ZkRow[]): Promise<void> {
  const per: PerTarget<FanoutResult> = {};
  for (const [kind, server] of servers) {
    progress(`watch fan-out, ${plan.fanout.watchers} watchers on ${kind}`);
    per[kind] = await attempt(kind, 'fan-out', () => watchFanout(endpoint(server), plan.fanout));
  }
  const { watchers, rounds, warmupRounds } = plan.fanout;
  const parts = (['junction', 'zookeeper'] as const).flatMap((k) => {
    const v = per[k];
    return v && !(v instanceof Error) ? [`${SHORT[k]} write ${v.writeP50Ms.toFixed(1)} / each ${v.eachP50Ms.toFixed(1)}`] : [];
  });
  const note = `1 setData → ${watchers} sessions' NodeDataChanged; ${rounds} rounds after ${warmupRounds} warm-up`;
  rows.push(row('watch fan-out p50', 'ms', per, (v: FanoutResult) => v.lastP50Ms,
    { note: `${note}; send → last notification` }));
  rows.push(row('watch fan-out p99', 'ms', per, (v: FanoutResult) => v.lastP99Ms,
    { note: `p50 of setData reply / of every delivery, ms: ${parts.join(', ')}` }));
}

/** Fill → RSS → restart, one target at a time (the other is not running). */
export async function scaleRows(plan: Plan, rows: ZkRow[]): Promise<void> {
  const per: PerTarget<ScaleResult> = {};
  for (const kind of plan.targets) {
    const dir = freshTargetDir(kind);
    let last: ZkServer | undefined;
    per[kind] = await attempt(kind, 'scale', async () => {
      progress(`${kind}: fill ${plan.znodes} znodes, then restart`);
      last = await startTarget(kind, dir);
      const r = await scaleRun(kind, last, plan.znodes);
      last = r.server;
      if (r.counted !== r.expected) throw new Error(`after restart getAllChildrenNumber(/bench/m) = ${r.counted}, expected ${r.expected}`);
      return r;
    });
    if (last) await stopTarget(last);
    removeTargetDir(dir);
  }
  const n = plan.znodes.toLocaleString('en-US');
  const fillNote = (['junction', 'zookeeper'] as const).flatMap((k) => {
    const v = per[k];
    return v && !(v instanceof Error) ? [`${SHORT[k]} ${Math.round(v.znodes / (v.fillMs / 1000)).toLocaleString('en-US')}/s`] : [];
  });
  const j = per.junction;
  const readyLine = j && !(j instanceof Error) && j.restartReadyLineMs !== undefined ? `; J ready line at ${Math.round(j.restartReadyLineMs)} ms` : '';
  rows.push(
    row(`fill ${n} znodes`, 's', per, (v: ScaleResult) => v.fillMs / 1000,
      { note: `${VALUE_NOTE}, 16 sessions × 64 in flight: ${fillNote.join(', ')}` }),
    row(`RSS with ${n} znodes`, 'MiB', per, (v: ScaleResult) => v.rssMiB,
      { target: { on: 'ratio', op: '<=', value: 0.5 }, note: 'VmRSS 2 s after the fill (uncollected garbage included)' }),
    row(`restart with ${n} znodes`, 'ms', per, (v: ScaleResult) => v.restartMs,
      { target: { on: 'junction', op: '<', value: 5000 }, note: `SIGTERM, then spawn → first reply${readyLine}; all znodes counted after` }),
    row(`RSS after restart`, 'MiB', per, (v: ScaleResult) => v.rssAfterRestartMiB, { note: 'VmRSS 2 s after the first reply' }),
  );
}

const VALUE_NOTE = '1000 children per parent, 100 B values';
