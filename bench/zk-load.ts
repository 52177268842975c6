/**
 * The throughput workload: N sessions, each keeping a fixed window of requests in flight
 * (pipelined on its connection, as ClientCnxn's outgoing queue does for async callers), for a
 * warm-up and then a timed window. Every request's latency is taken with performance.now().
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Err, ZkError } from '../src/zk/codec/errors.js';
import { ZkClient } from '../src/zk/client/zk-client.js';
import { cpuSeconds } from './server.js';

export type ZkOp = 'create' | 'setData' | 'getData' | 'exists';
export const ZK_OPS: readonly ZkOp[] = ['create', 'setData', 'getData', 'exists'];

export interface Endpoint { host: string; port: number; pid: number | undefined }

export interface LoadSpec {
  op: ZkOp;
  sessions: number;
  /** Requests in flight per session. */
  window: number;
  warmupMs: number;
  durationMs: number;
  /** Unique per run: create writes under /bench/c<runId>. */
  runId: number;
}

export interface LoadResult {
  /** Requests completed inside the timed window. */
  count: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  firstError?: string;
  /** CPU used during the timed window, in cores. */
  serverCores?: number;
  clientCores: number;
}

/** setData/getData/exists rotate over these pre-created znodes (/bench/kv/k0000…). */
export const KV_NODES = 1000;
/** ZooKeeper's typical small value; every write carries this many bytes. */
export const VALUE_BYTES = 100;
export const VALUE = Buffer.alloc(VALUE_BYTES, 'v');
const SESSION_TIMEOUT_MS = 30_000;

export function kvPath(i: number): string {
  return `/bench/kv/k${String(i % KV_NODES).padStart(4, '0')}`;
}

export async function openSessions(ep: Endpoint, n: number, batch = 50): Promise<ZkClient[]> {
  const clients: ZkClient[] = [];
  try {
    for (let i = 0; i < n; i += batch) {
      const size = Math.min(batch, n - i);
      clients.push(...await Promise.all(Array.from({ length: size },
        () => ZkClient.connect({ host: ep.host, port: ep.port, timeoutMs: SESSION_TIMEOUT_MS, connectTimeoutMs: 20_000 }))));
    }
    return clients;
  } catch (err) {
    await closeSessions(clients);
    throw err;
  }
}

export async function closeSessions(clients: ZkClient[], batch = 100): Promise<void> {
  for (let i = 0; i < clients.length; i += batch) {
    await Promise.all(clients.slice(i, i + batch).map((c) => c.close().catch(() => c.destroy())));
  }
}

/** /bench, /bench/kv with KV_NODES children of VALUE_BYTES each. Idempotent. */
export async function createFixture(ep: Endpoint): Promise<void> {
  const [client] = await openSessions(ep, 1);
  try {
    for (const p of ['/bench', '/bench/kv']) await createIfMissing(client!, p);
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < KV_NODES; i++) pending.push(createIfMissing(client!, kvPath(i), VALUE));
    await Promise.all(pending);
  } finally {
    await client!.close();
  }
}

export async function createIfMissing(client: ZkClient, path: string, data: Buffer = Buffer.alloc(0)): Promise<void> {
  try {
    await client.create(path, data);
  } catch (err) {
    if (!(err instanceof ZkError && err.zkCode === Err.NODEEXISTS)) throw err;
  }
}

/** One request of `op`; `n` makes paths distinct (create) or rotates over /bench/kv. */
function issue(client: ZkClient, op: ZkOp, prefix: string, n: number): Promise<unknown> {
  switch (op) {
    case 'create': return client.create(`${prefix}${n}`, VALUE);
    case 'setData': return client.setData(kvPath(n), VALUE);
    case 'getData': return client.getData(kvPath(n));
    case 'exists': return client.exists(kvPath(n));
  }
}

class Recorder {
  measuring = false;
  stopped = false;
  samples: number[] = [];
  errors = 0;
  firstError?: string;
  startedAt = 0;
  endedAt = 0;

  done(t0: number): void {
    if (this.measuring) this.samples.push(performance.now() - t0);
  }

  fail(err: unknown): void {
    this.errors++;
    this.firstError ??= err instanceof Error ? err.message : String(err);
  }
}

async function lane(client: ZkClient, spec: LoadSpec, rec: Recorder, prefix: string, offset: number): Promise<void> {
  // Lanes start at different znodes so reads and writes spread over /bench/kv.
  for (let n = offset; !rec.stopped; n += spec.window) {
    const t0 = performance.now();
    try {
      await issue(client, spec.op, prefix, n);
      rec.done(t0);
    } catch (err) {
      rec.fail(err);
      if (client.closed) return;
    }
  }
}

/** Run one (op, sessions, window) cell against a server whose fixture exists. */
export async function runLoad(ep: Endpoint, spec: LoadSpec): Promise<LoadResult> {
  const clients = await openSessions(ep, spec.sessions);
  const rec = new Recorder();
  try {
    if (spec.op === 'create') {
      await createIfMissing(clients[0]!, `/bench/c${spec.runId}`);
    }
    const lanes = clients.flatMap((client, s) => Array.from({ length: spec.window },
      (_, l) => lane(client, spec, rec, `/bench/c${spec.runId}/s${s}-${l}-`, s * spec.window + l)));
    await sleep(spec.warmupMs);
    const cpu0 = { server: cpuSeconds(ep.pid), client: process.cpuUsage() };
    rec.startedAt = performance.now();
    rec.measuring = true;
    await sleep(spec.durationMs);
    rec.measuring = false;
    rec.endedAt = performance.now();
    const server1 = cpuSeconds(ep.pid);
    const client1 = process.cpuUsage(cpu0.client);
    rec.stopped = true;
    await Promise.all(lanes);
    return summarize(rec, cpu0.server, server1, (client1.user + client1.system) / 1e6);
  } finally {
    await closeSessions(clients);
  }
}

function summarize(rec: Recorder, server0: number | undefined, server1: number | undefined, clientSeconds: number): LoadResult {
  const seconds = (rec.endedAt - rec.startedAt) / 1000;
  const sorted = Float64Array.from(rec.samples).sort();
  return {
    count: sorted.length,
    opsPerSec: sorted.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : NaN,
    errors: rec.errors,
    ...(rec.firstError ? { firstError: rec.firstError } : {}),
    ...(server0 !== undefined && server1 !== undefined ? { serverCores: (server1 - server0) / seconds } : {}),
    clientCores: clientSeconds / seconds,
  };
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
