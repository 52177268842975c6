import { parseArgs } from 'node:util';
import { machineLine } from './report.js';
import { VALUE_BYTES, ZK_OPS, type ZkOp } from './zk-load.js';
import { progress, scaleRows, throughputAndFanout, type Plan } from './zk-phases.js';
import { formatZkTable, verdict, ratio, type ZkRow } from './zk-report.js';
import { describeTargets, type TargetKind } from './zk-servers.js';

const USAGE = `usage: npm run bench:zk -- [--quick] [options]

Runs the same client and workload against Junction's ZooKeeper personality and a real ZooKeeper
3.8 (ZooKeeperServerMain from /usr/share/java/zookeeper.jar), each in its own process on loopback
with a temporary data dir, and prints one table with the ratio Junction ÷ ZooKeeper.
See docs/benchmarks.md ("ZooKeeper"). Exits non-zero only if a figure could not be measured.
  --quick             smoke run: 0.5 s warm-up + 1 s per cell, 1 s server warm-up per op,
                      5 fan-out rounds, 50,000 znodes
  --duration <s>      timed seconds per throughput cell (default 3)
  --warmup <s>        untimed seconds before each cell (default 1)
  --window <n>        requests in flight per session (default 16)
  --sessions <list>   session counts (default 1,16,64)
  --ops <list>        of create,setData,getData,exists (default all)
  --watchers <n>      sessions watching the fan-out znode (default 1000)
  --rounds <n>        timed fan-out rounds (default 20)
  --znodes <n>        znodes for memory/restart (default env ZK_BENCH_ZNODES or 1,000,000)
  --targets <list>    junction,zookeeper (default both)
  --phases <list>     throughput,fanout,scale (default all)
  --json              also print the rows as JSON
Environment: ZK_BENCH_ZNODES, ZK_BENCH_HEAP_MB (ZooKeeper -Xmx, default 1000), ZK_BENCH_JAR.
`;

const OPTIONS = {
  quick: { type: 'boolean' }, duration: { type: 'string' }, warmup: { type: 'string' }, window: { type: 'string' },
  sessions: { type: 'string' }, ops: { type: 'string' }, watchers: { type: 'string' }, rounds: { type: 'string' },
  znodes: { type: 'string' }, targets: { type: 'string' }, phases: { type: 'string' }, json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!(n > 0)) throw new Error(`--${name}: expected a number > 0, got ${JSON.stringify(raw)}`);
  return n;
}

function list<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: readonly T[]): T[] {
  if (raw === undefined) return [...fallback];
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((i) => !allowed.includes(i as T));
  if (bad.length || items.length === 0) throw new Error(`--${name}: expected some of ${allowed.join(',')}, got ${JSON.stringify(raw)}`);
  return items as T[];
}

function plan(v: Values): Plan {
  const quick = v.quick ?? false;
  const sessions = v.sessions === undefined ? [1, 16, 64]
    : v.sessions.split(',').map((s) => positive('sessions', s, 1));
  return {
    targets: list<TargetKind>('targets', v.targets, ['junction', 'zookeeper'], ['junction', 'zookeeper']),
    ops: list<ZkOp>('ops', v.ops, ZK_OPS, ZK_OPS),
    sessions,
    window: positive('window', v.window, 16),
    warmupMs: positive('warmup', v.warmup, quick ? 0.5 : 1) * 1000,
    durationMs: positive('duration', v.duration, quick ? 1 : 3) * 1000,
    serverWarmupMs: quick ? 1000 : 3000,
    fanout: { watchers: positive('watchers', v.watchers, 1000), rounds: positive('rounds', v.rounds, quick ? 5 : 20), warmupRounds: 2 },
    znodes: positive('znodes', v.znodes ?? process.env.ZK_BENCH_ZNODES, quick ? 50_000 : 1_000_000),
    phases: new Set(list('phases', v.phases, ['throughput', 'fanout', 'scale'] as const, ['throughput', 'fanout', 'scale'])),
  };
}

function header(p: Plan): string {
  return [
    machineLine(),
    ...describeTargets(),
    `client: this process (1 Node thread, ZkClient from src/zk/client), loopback; each server first gets ` +
      `${p.serverWarmupMs / 1000} s of every op (16 sessions) untimed; then each cell: ${p.warmupMs / 1000} s warm-up + ` +
      `${p.durationMs / 1000} s timed, ${p.window} requests in flight per session (pipelined), ${VALUE_BYTES} B values; ` +
      `setData/getData/exists rotate over 1000 existing znodes, create makes distinct paths`,
    'ratio = Junction ÷ ZooKeeper (higher is better for ops/s, lower for ms and MiB); both servers fsync a write before replying',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: OPTIONS });
  if (values.help) { process.stdout.write(USAGE); return; }
  const p = plan(values);
  process.stdout.write(`${header(p)}\n\n`);
  const rows: ZkRow[] = [];
  if (p.phases.has('throughput') || p.phases.has('fanout')) await throughputAndFanout(p, rows);
  if (p.phases.has('scale')) await scaleRows(p, rows);
  progress('done');
  process.stdout.write(`${formatZkTable(rows)}\n`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows.map((r) => ({ ...r, ratio: ratio(r), result: verdict(r) })), null, 2)}\n`);
  }
  if (rows.some((r) => r.error)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
