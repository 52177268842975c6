import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { allSessions, approximateDataSize, ephemeralsOf, nodeCount } from './model/index.js';
import type { ZkServer } from './server.js';
import type { ZkConnectionInfo, ZkServerStats, ZkServerView } from './server-view.js';

/** The read-only face of a running ZooKeeper personality for 4lw, admin commands and metrics. */
export function createServerView(server: ZkServer, startedAt: number): ZkServerView {
  const { service, settings, stats } = server;
  return {
    settings,
    startedAt,
    watches: service.watches,
    now: () => service.clock.now(),
    stats(): ZkServerStats {
      return {
        packetsReceived: stats.packetsReceived, packetsSent: stats.packetsSent,
        outstandingRequests: server.listener.outstanding.count,
        minLatencyMs: stats.latency.minOrZero, avgLatencyMs: stats.latency.avg, maxLatencyMs: stats.latency.max,
        latencyCount: stats.latency.count,
      };
    },
    resetStats: () => stats.reset(),
    connections(): ZkConnectionInfo[] {
      const now = service.clock.now();
      const all = [...server.connections];
      // A socket sending a four-letter word has sent one packet and has no session yet.
      const fourLetter = all.filter((c) => c.answeringFourLetterWord).map((c, i): ZkConnectionInfo => ({
        id: -1 - i, remoteAddress: c.remoteAddress, remotePort: c.socket.remotePort ?? 0, sessionId: null,
        timeoutMs: 0, received: 1, sent: 0, queued: 0, establishedAt: now, lastOperation: 'NA', lastCxid: -1, lastZxid: -1,
        lastResponseAt: 0, lastLatencyMs: 0, minLatencyMs: 0, avgLatencyMs: 0, maxLatencyMs: 0,
      }));
      return [...fourLetter, ...all.filter((c) => c.isClient).map((c) => ({
        id: c.id, remoteAddress: c.remoteAddress, remotePort: c.socket.remotePort ?? 0,
        sessionId: c.session?.id ?? null, timeoutMs: c.stats.timeoutMs,
        received: c.stats.received, sent: c.stats.sent, queued: c.replies.length,
        establishedAt: c.stats.establishedAt, lastOperation: c.stats.lastOperation, lastCxid: c.stats.lastCxid,
        lastZxid: c.stats.lastZxid, lastResponseAt: c.stats.lastResponseAt, lastLatencyMs: c.stats.lastLatencyMs,
        minLatencyMs: c.stats.latency.minOrZero, avgLatencyMs: c.stats.latency.avg, maxLatencyMs: c.stats.latency.max,
      }))];
    },
    resetConnectionStats() { for (const c of server.connections) if (c.isClient) c.stats.reset(); },
    lastZxid: () => service.lastZxid(),
    nodeCount: () => nodeCount(service.state),
    approximateDataSize: () => approximateDataSize(service.state),
    sessions: () => allSessions(service.state).map((s) => {
      const expiresAt = service.tracker.expiresAt(s.id);
      return { id: s.id, timeoutMs: s.timeoutMs, ephemerals: ephemeralsOf(service.state, s.id), ...(expiresAt ? { expiresAt } : {}) };
    }),
    dataDirSizes: () => ({ logBytes: dirBytes(join(settings.dataDir, 'log')), snapshotBytes: dirBytes(join(settings.dataDir, 'snapshot')) }),
  };
}

function dirBytes(dir: string): number {
  try {
    return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
  } catch {
    return 0;
  }
}
