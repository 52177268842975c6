import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ZkConnectionInfo, ZkServerStats, ZkServerView, ZkSettings } from '../../src/zk/server-view.js';
import type { WatchTable } from '../../src/zk/watches/types.js';

/**
 * A ZkServerView with fixed figures, for testing 4lw, admin commands and metrics without a server.
 * The default state mirrors the reference capture in test/fixtures/zk-4lw/: two sessions (one owning
 * two ephemerals), data watches on /app by both and on /missing by the first, one child watch.
 */
export interface FakeZkState {
  settings: ZkSettings;
  startedAt: number;
  now: number;
  stats: ZkServerStats;
  connections: ZkConnectionInfo[];
  sessions: { id: string; timeoutMs: number; ephemerals: string[]; expiresAt?: number }[];
  /** watcher (connection) id → paths */
  watches: Map<number, string[]>;
  /** Extra watches counted by WatchTable.count (child watches ZooKeeper leaves out of wchs). */
  extraWatchCount: number;
  lastZxid: number;
  nodeCount: number;
  approximateDataSize: number;
  dirs: { logBytes: number; snapshotBytes: number };
  /** Calls to the reset methods, so tests can see crst/srst reach the server. */
  resets: { stats: number; connections: number };
}

export const FAKE_NOW = Date.UTC(2026, 10, 25, 22, 48, 40);

export function fakeSettings(over: Partial<ZkSettings> = {}): ZkSettings {
  return {
    tickTime: 2000, minSessionTimeout: 4000, maxSessionTimeout: 40000, maxClientCnxns: 60, snapCount: 100000,
    snapRetainCount: 3, purgeIntervalHours: 0, fourLetterWords: ['srvr'], juteMaxBuffer: 0xfffff,
    extendedTypesEnabled: true, superDigest: null, containerCheckMs: 60000, sessionlessCnxnTimeout: 10000,
    globalOutstandingLimit: 1000, maxUnsentBytes: 4 * 1024 * 1024, closeAboveUnsentBytes: 64 * 1024 * 1024,
    dataDir: '/tmp/junction/zk', clientPort: 2181,
    ...over,
  };
}

function connection(id: number, port: number, sessionId: string | null, over: Partial<ZkConnectionInfo> = {}): ZkConnectionInfo {
  return {
    id, remoteAddress: '127.0.0.1', remotePort: port, sessionId, timeoutMs: 10000, received: 9, sent: 9, queued: 0,
    establishedAt: FAKE_NOW - 30000, lastOperation: 'PING', lastCxid: 6, lastZxid: 5, lastResponseAt: FAKE_NOW - 1000,
    lastLatencyMs: 0, minLatencyMs: 0, avgLatencyMs: 2.4, maxLatencyMs: 7, ...over,
  };
}

export function fakeState(over: Partial<FakeZkState> = {}): FakeZkState {
  return {
    settings: fakeSettings(),
    startedAt: FAKE_NOW - 60000,
    now: FAKE_NOW,
    stats: { packetsReceived: 15, packetsSent: 14, outstandingRequests: 0, minLatencyMs: 0, avgLatencyMs: 1.53846, maxLatencyMs: 7, latencyCount: 13 },
    connections: [
      connection(1, 48064, '01000045da680000'),
      connection(2, 48070, '01000045da680001', { received: 4, sent: 4, lastCxid: 1, avgLatencyMs: 0.5, maxLatencyMs: 1 }),
    ],
    sessions: [
      { id: '01000045da680000', timeoutMs: 10000, ephemerals: ['/app/eph', '/app/s-0000000001'], expiresAt: FAKE_NOW + 10000 },
      { id: '01000045da680001', timeoutMs: 10000, ephemerals: [], expiresAt: FAKE_NOW + 10000 },
    ],
    watches: new Map([[1, ['/missing', '/app']], [2, ['/app']]]),
    extraWatchCount: 1,
    lastZxid: 5,
    nodeCount: 8,
    approximateDataSize: 79,
    dirs: { logBytes: 67109337, snapshotBytes: 424 },
    resets: { stats: 0, connections: 0 },
    ...over,
  };
}

/** Only what 4lw/admin/metrics read; the watch-firing methods are not for these tests. */
function fakeWatchTable(state: FakeZkState): WatchTable {
  const unused = (): never => { throw new Error('not used by the operations surfaces'); };
  return {
    add: unused, addPersistent: unused, trigger: unused, replay: unused, removeWatches: unused, removeWatcher: unused,
    get count() {
      let n = state.extraWatchCount;
      for (const paths of state.watches.values()) n += paths.length;
      return n;
    },
    byWatcher: () => new Map(state.watches),
    byPath() {
      const byPath = new Map<string, number[]>();
      for (const [id, paths] of state.watches) for (const p of paths) byPath.set(p, [...(byPath.get(p) ?? []), id]);
      return byPath;
    },
  };
}

export function fakeZkView(state: FakeZkState = fakeState()): ZkServerView {
  return {
    settings: state.settings,
    startedAt: state.startedAt,
    watches: fakeWatchTable(state),
    stats: () => ({ ...state.stats }),
    resetStats: () => { state.resets.stats++; },
    connections: () => state.connections.map((c) => ({ ...c })),
    resetConnectionStats: () => { state.resets.connections++; },
    lastZxid: () => state.lastZxid,
    nodeCount: () => state.nodeCount,
    approximateDataSize: () => state.approximateDataSize,
    sessions: () => state.sessions.map((s) => ({ ...s })),
    dataDirSizes: () => ({ ...state.dirs }),
    now: () => state.now,
  };
}

// ---- reference fixtures and their structure ----------------------------------------------------

/** Reference outputs captured from a real ZooKeeper 3.8.0 (see test/fixtures/zk-4lw/README.md). */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../test/fixtures/zk-4lw/${name}`, import.meta.url)), 'utf8');
}

export function jsonFixture(name: string): Record<string, unknown> {
  return JSON.parse(fixture(`admin/${name}.json`)) as Record<string, unknown>;
}

const VERSION = /^(Zookeeper version: |zookeeper\.version=|zk_version\t)3\.8\.0-[^,]+, built on \d{4}-\d\d-\d\d \d\d:\d\d UTC$/;
const DATE = /\b(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d \d\d:\d\d:\d\d UTC \d{4}\b/g;

/**
 * A line's structure: keys, order and separators kept; values reduced to their kind — hex (0x#),
 * Java double (D), integer (I), date (DATE), version (VERSION).
 */
export function lineShape(line: string): string {
  const v = VERSION.exec(line);
  if (v) return `${v[1]}VERSION`;
  return line.replace(DATE, 'DATE').replace(/0x[0-9a-f]+/g, '0x#')
    .replace(/\d+\.\d+(E-?\d+)?/g, 'D').replace(/\d+/g, 'I');
}

/** Line shapes with runs of identical shapes collapsed (so 2 clients and 3 clients compare equal). */
export function shape(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n').map(lineShape)) if (out[out.length - 1] !== line) out.push(line);
  return out;
}
