import type { SessionId } from './model/types.js';
import type { ZkSettings } from './settings.js';
import type { WatchTable } from './watches/types.js';

/** The settings the server runs with (declared in settings.ts). */
export type { ZkSettings };

/** Per-connection figures (ServerCnxn stats) for cons, dump, and /commands/connections. */
export interface ZkConnectionInfo {
  id: number;
  remoteAddress: string;
  remotePort: number;
  sessionId: SessionId | null;
  timeoutMs: number;
  /** Requests received, responses sent, requests waiting for their reply. */
  received: number;
  sent: number;
  queued: number;
  establishedAt: number;
  lastOperation: string;
  lastCxid: number;
  lastZxid: number;
  lastResponseAt: number;
  lastLatencyMs: number;
  minLatencyMs: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
}

/** Server-wide figures (ServerStats) for srvr/stat/mntr. */
export interface ZkServerStats {
  packetsReceived: number;
  packetsSent: number;
  outstandingRequests: number;
  minLatencyMs: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  /** Requests whose latency was measured (for avg). */
  latencyCount: number;
}

/** What 4-letter words, the admin commands and metrics read from a running ZooKeeper personality. */
export interface ZkServerView {
  readonly settings: ZkSettings;
  readonly startedAt: number;
  readonly watches: WatchTable;
  stats(): ZkServerStats;
  resetStats(): void;
  connections(): ZkConnectionInfo[];
  resetConnectionStats(): void;
  lastZxid(): number;
  nodeCount(): number;
  /** Sum of path lengths + data lengths (mntr zk_approximate_data_size). */
  approximateDataSize(): number;
  /** Live sessions with their ephemeral paths (dump, /commands/ephemerals). */
  sessions(): { id: SessionId; timeoutMs: number; ephemerals: string[]; expiresAt?: number }[];
  /** Bytes of the txn log and snapshot dirs (dirs). */
  dataDirSizes(): { logBytes: number; snapshotBytes: number };
  now(): number;
}
