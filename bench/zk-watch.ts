/**
 * Watch fan-out: one setData → NodeDataChanged to every watcher. ZooKeeper keeps one data watch
 * per (path, watcher) — WatchManager — and the Java client registers one Watcher per session, so
 * 1000 watchers of one znode means 1000 sessions. Each round, every session re-arms its one-shot
 * watch with getData(watch=true); then a separate session sends setData and the clock runs from
 * that send until the last notification arrives.
 */
import { performance } from 'node:perf_hooks';
import { EventType } from '../src/zk/codec/types.js';
import type { ZkClient, ZkWatchEvent } from '../src/zk/client/zk-client.js';
import { closeSessions, createIfMissing, openSessions, percentile, VALUE, type Endpoint } from './zk-load.js';

export interface FanoutSpec { watchers: number; rounds: number; warmupRounds: number }

export interface FanoutResult {
  /** Per round: setData send → last watcher notified, ms. */
  lastP50Ms: number;
  lastP99Ms: number;
  /** Per round: setData send → its reply, ms (the write's own latency, fsync included). */
  writeP50Ms: number;
  /** Median over all rounds and watchers of send → that watcher's notification. */
  eachP50Ms: number;
  rounds: number;
}

const FANOUT_PATH = '/bench/fanout';
const ROUND_TIMEOUT_MS = 30_000;

export async function watchFanout(ep: Endpoint, spec: FanoutSpec): Promise<FanoutResult> {
  const [writer] = await openSessions(ep, 1);
  const watchers = await openSessions(ep, spec.watchers).catch(async (err) => { await writer!.close(); throw err; });
  try {
    await createIfMissing(writer!, '/bench');
    await createIfMissing(writer!, FANOUT_PATH, VALUE);
    const last: number[] = [];
    const write: number[] = [];
    const each: number[] = [];
    for (let r = 0; r < spec.warmupRounds + spec.rounds; r++) {
      const round = await oneRound(writer!, watchers);
      if (r < spec.warmupRounds) continue;
      last.push(Math.max(...round.arrivals));
      write.push(round.writeMs);
      each.push(...round.arrivals);
    }
    const sort = (xs: number[]) => Float64Array.from(xs).sort();
    const lastSorted = sort(last);
    return {
      lastP50Ms: percentile(lastSorted, 0.5), lastP99Ms: percentile(lastSorted, 0.99),
      writeP50Ms: percentile(sort(write), 0.5), eachP50Ms: percentile(sort(each), 0.5), rounds: spec.rounds,
    };
  } finally {
    await closeSessions([writer!, ...watchers]);
  }
}

async function oneRound(writer: ZkClient, watchers: ZkClient[]): Promise<{ arrivals: number[]; writeMs: number }> {
  await Promise.all(watchers.map((w) => w.getData(FANOUT_PATH, true)));
  const arrivals: number[] = [];
  let t0 = 0;
  let onAll!: () => void;
  const all = new Promise<void>((resolve) => { onAll = resolve; });
  const listeners = watchers.map((w) => {
    const listener = (e: ZkWatchEvent) => {
      if (e.path !== FANOUT_PATH || e.type !== EventType.NodeDataChanged) return;
      arrivals.push(performance.now() - t0);
      if (arrivals.length === watchers.length) onAll();
    };
    w.on('watch', listener);
    return listener;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    t0 = performance.now();
    const written = writer.setData(FANOUT_PATH, VALUE).then(() => performance.now() - t0);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`fan-out: ${arrivals.length}/${watchers.length} notified after ${ROUND_TIMEOUT_MS} ms`)), ROUND_TIMEOUT_MS);
    });
    await Promise.race([all, timeout]);
    return { arrivals, writeMs: await written };
  } finally {
    clearTimeout(timer);
    watchers.forEach((w, i) => w.off('watch', listeners[i]!));
  }
}
