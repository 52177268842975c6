import { readdirSync, readFileSync } from 'node:fs';
import { homedir, hostname, release, userInfo } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { SessionId } from '../model/types.js';
import type { ZkServerView } from '../server-view.js';
import { roundAvg } from './java-format.js';
import { ZK_FULL_VERSION } from './version.js';

/**
 * Figures shared by the four-letter words and the AdminServer commands, computed from the view the
 * way ZooKeeper computes them. Junction runs standalone only, so the server state is always this.
 */
export const SERVER_STATE = 'standalone';

/** A Java double (printed "1.0", not "1") next to Java longs in mntr/monitor output. */
export class JavaDouble {
  constructor(readonly value: number) {}
}

export type MonitorValue = number | string | JavaDouble;

/**
 * Sessions may carry their expiry time (SessionTracker deadline). The ZkServerView contract does not
 * list it yet; when present it is used for dump, else the latest possible expiry is shown.
 */
type SessionWithExpiry = ReturnType<ZkServerView['sessions']>[number] & { expiresAt?: number };

/**
 * ZooKeeper's ExpiryQueue groups sessions into tickTime buckets (roundToNextInterval). Without a
 * known deadline a session expires at the latest one timeout from now, rounded the same way.
 */
export function sessionExpiryBuckets(view: ZkServerView): Map<number, SessionId[]> {
  const tick = view.settings.tickTime;
  const buckets = new Map<number, SessionId[]>();
  for (const s of view.sessions() as SessionWithExpiry[]) {
    const at = s.expiresAt ?? (Math.floor((view.now() + s.timeoutMs) / tick) + 1) * tick;
    buckets.set(at, [...(buckets.get(at) ?? []), s.id]);
  }
  return new Map([...buckets].sort(([a], [b]) => a - b));
}

/** DataTree.getEphemerals: session → its ephemeral paths (sessions owning none are left out). */
export function ephemeralsBySession(view: ZkServerView): Map<SessionId, string[]> {
  return new Map(view.sessions().filter((s) => s.ephemerals.length > 0).map((s) => [s.id, s.ephemerals]));
}

/** Watcher ids are connection ids; ZooKeeper reports watches by the connection's session id. */
function sessionOfWatcher(view: ZkServerView): (watcherId: number) => SessionId | null {
  const byConnection = new Map(view.connections().map((c) => [c.id, c.sessionId]));
  return (id) => byConnection.get(id) ?? null;
}

/** WatchManager.getWatches (wchc / watches): session → watched paths. */
export function watchesBySession(view: ZkServerView): [SessionId | null, string[]][] {
  const session = sessionOfWatcher(view);
  return [...view.watches.byWatcher()].map(([id, paths]) => [session(id), paths]);
}

/** WatchManager.getWatchesByPath (wchp / watches_by_path): path → watching sessions. */
export function watchesByPath(view: ZkServerView): [string, (SessionId | null)[]][] {
  const session = sessionOfWatcher(view);
  return [...view.watches.byPath()].map(([path, ids]) => [path, ids.map(session)]);
}

/** WatchManager.getWatchesSummary (wchs / watch_summary). */
export function watchSummary(view: ZkServerView): { connections: number; paths: number; total: number } {
  const byWatcher = view.watches.byWatcher();
  let total = 0;
  for (const paths of byWatcher.values()) total += paths.length;
  return { connections: byWatcher.size, paths: view.watches.byPath().size, total };
}

/**
 * Open and maximum file descriptors, as ZooKeeper's mntr reports them on Unix
 * (UnixOperatingSystemMXBean). Linux only; elsewhere unknown, and the keys are left out.
 */
export function fileDescriptors(): { open: number; max: number } | null {
  try {
    const open = readdirSync('/proc/self/fd').length;
    const limit = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return limit ? { open, max: Number(limit[1]) } : null;
  } catch {
    return null;
  }
}

/**
 * mntr / monitor values in ZooKeeper 3.8's order, limited to what Junction measures: no invented
 * zeros for quorum, TLS, throttling or buffer metrics it does not have.
 */
export function monitorValues(view: ZkServerView): [string, MonitorValue][] {
  const stats = view.stats();
  const sessions = view.sessions();
  const fds = fileDescriptors();
  const values: [string, MonitorValue | undefined][] = [
    ['version', ZK_FULL_VERSION],
    ['server_state', SERVER_STATE],
    ['ephemerals_count', sessions.reduce((n, s) => n + s.ephemerals.length, 0)],
    ['num_alive_connections', view.connections().length],
    ['avg_latency', new JavaDouble(roundAvg(stats.avgLatencyMs))],
    ['outstanding_requests', stats.outstandingRequests],
    ['znode_count', view.nodeCount()],
    ['global_sessions', sessions.length],
    ['packets_sent', stats.packetsSent],
    ['packets_received', stats.packetsReceived],
    ['watch_count', view.watches.count],
    ['min_latency', Math.floor(stats.minLatencyMs)],
    ['max_file_descriptor_count', fds?.max],
    ['approximate_data_size', view.approximateDataSize()],
    ['open_file_descriptor_count', fds?.open],
    // Junction has no local (read-only, unreplicated) sessions: every session is global.
    ['local_sessions', 0],
    ['uptime', view.now() - view.startedAt],
    ['max_latency', Math.floor(stats.maxLatencyMs)],
  ];
  return values.filter((e): e is [string, MonitorValue] => e[1] !== undefined);
}

const MB = 1024 * 1024;

/** Java's os.arch names for Node's process.arch. */
const JAVA_ARCH: Record<string, string> = { x64: 'amd64', ia32: 'x86', arm64: 'aarch64' };

/**
 * Environment.list (envi / environment). The java.* entries describe a JVM Junction does not have;
 * the Node runtime is reported as node.version in their place. Memory is the V8 heap.
 */
export function environmentEntries(): [string, string][] {
  const heap = getHeapStatistics();
  let user: { username: string; homedir: string } | null = null;
  try { user = userInfo(); } catch { /* no passwd entry for this uid */ }
  return [
    ['zookeeper.version', ZK_FULL_VERSION],
    ['host.name', hostname()],
    ['node.version', process.version],
    ['os.name', process.platform === 'linux' ? 'Linux' : process.platform],
    ['os.arch', JAVA_ARCH[process.arch] ?? process.arch],
    ['os.version', release()],
    ['user.name', user?.username ?? '<NA>'],
    ['user.home', user?.homedir ?? homedir()],
    ['user.dir', process.cwd()],
    ['os.memory.free', `${Math.floor((heap.total_heap_size - heap.used_heap_size) / MB)}MB`],
    ['os.memory.max', `${Math.floor(heap.heap_size_limit / MB)}MB`],
    ['os.memory.total', `${Math.floor(heap.total_heap_size / MB)}MB`],
  ];
}
