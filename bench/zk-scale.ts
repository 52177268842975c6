/**
 * Memory and restart with many znodes: fill a fresh server with `znodes` small znodes (pipelined
 * creates, 1000 children per parent), read its RSS, stop it with SIGTERM and time a restart on the
 * same data (spawn → first successful request), then check every znode came back.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ZkClient } from '../src/zk/client/zk-client.js';
import { closeSessions, createIfMissing, openSessions, VALUE_BYTES, type Endpoint } from './zk-load.js';
import { rssMiB, startTarget, stopTarget, type TargetKind, type ZkServer } from './zk-servers.js';

export interface ScaleResult {
  znodes: number;
  fillMs: number;
  /** RSS after the fill, settled. */
  rssMiB?: number;
  restartMs: number;
  /** Junction only: spawn → "junction ready" line. */
  restartReadyLineMs?: number;
  rssAfterRestartMiB?: number;
  /** getAllChildrenNumber('/bench/m') after the restart; must equal parents + znodes. */
  counted: number;
  expected: number;
  server: ZkServer;
}

const CHILDREN_PER_PARENT = 1000;
const FILL_SESSIONS = 16;
const FILL_WINDOW = 64;
const SETTLE_MS = 2_000;
const FILL_VALUE = Buffer.alloc(VALUE_BYTES, 'm');

function parentPath(p: number): string { return `/bench/m/p${String(p).padStart(4, '0')}`; }

export function endpoint(server: ZkServer): Endpoint {
  return { host: server.host, port: server.port, pid: server.child.pid };
}

/** Fill, measure, restart. Returns the restarted server: the caller stops it. */
export async function scaleRun(kind: TargetKind, first: ZkServer, znodes: number): Promise<ScaleResult> {
  const parents = Math.ceil(znodes / CHILDREN_PER_PARENT);
  const fillMs = await fill(endpoint(first), znodes, parents);
  await sleep(SETTLE_MS);
  const rss = rssMiB(first.child.pid);
  await stopTarget(first);
  const server = await startTarget(kind, first.dir);
  await sleep(SETTLE_MS);
  const rssAfterRestart = rssMiB(server.child.pid);
  const counted = await countZnodes(server).catch(async (err: unknown) => { await stopTarget(server); throw err; });
  return {
    znodes, fillMs, ...(rss !== undefined ? { rssMiB: rss } : {}), restartMs: server.readyMs,
    ...(server.readyLineMs !== undefined ? { restartReadyLineMs: server.readyLineMs } : {}),
    ...(rssAfterRestart !== undefined ? { rssAfterRestartMiB: rssAfterRestart } : {}),
    counted, expected: parents + znodes, server,
  };
}

async function countZnodes(server: ZkServer): Promise<number> {
  const [client] = await openSessions(endpoint(server), 1);
  try { return await client!.getAllChildrenNumber('/bench/m'); } finally { await client!.close(); }
}

async function fill(ep: Endpoint, znodes: number, parents: number): Promise<number> {
  const clients = await openSessions(ep, FILL_SESSIONS);
  try {
    const t0 = performance.now();
    await createIfMissing(clients[0]!, '/bench');
    await createIfMissing(clients[0]!, '/bench/m');
    await pipelined(clients, parents, (c, i) => c.create(parentPath(i)));
    await pipelined(clients, znodes, (c, i) =>
      c.create(`${parentPath(Math.floor(i / CHILDREN_PER_PARENT))}/n${i % CHILDREN_PER_PARENT}`, FILL_VALUE));
    return performance.now() - t0;
  } finally {
    await closeSessions(clients);
  }
}

/** Issue `total` requests, FILL_WINDOW in flight per session; the first failure aborts. */
async function pipelined(clients: ZkClient[], total: number, send: (c: ZkClient, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async (c: ZkClient) => {
    while (next < total) await send(c, next++);
  };
  await Promise.all(clients.flatMap((c) => Array.from({ length: FILL_WINDOW }, () => lane(c))));
}
