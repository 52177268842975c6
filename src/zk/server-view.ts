import type { SessionId } from './model/types.js';
import type { WatchTable } from './watches/types.js';

/** ZooKeeper settings (zoo.cfg names in comments); resolved from Junction config + --zk-config. */
export interface ZkSettings {
  /** tickTime (ms) */
  tickTime: number;
  /** minSessionTimeout / maxSessionTimeout (ms); ZooKeeper's defaults are 2× and 20× tickTime. */
  minSessionTimeout: number;
  maxSessionTimeout: number;
  /** maxClientCnxns per client IP (0 = unlimited); ZooKeeper's default is 60. */
  maxClientCnxns: number;
  /** snapCount: snapshot after this many txns. */
  snapCount: number;
  /** autopurge.snapRetainCount (min 3) and autopurge.purgeInterval (hours, 0 = off). */
  snapRetainCount: number;
  purgeIntervalHours: number;
  /** 4lw.commands.whitelist, expanded ('*' = all). ZooKeeper 3.8's default is srvr only. */
  fourLetterWords: string[];
  /** jute.maxbuffer: largest request accepted (bytes); default 0xfffff. */
  juteMaxBuffer: number;
  /** zookeeper.extendedTypesEnabled (TTL nodes); on by default here, a flag turns it off. */
  extendedTypesEnabled: boolean;
  /** zookeeper.DigestAuthenticationProvider.superDigest ("super:<base64 sha1>"), or null. */
  superDigest: string | null;
  /** znode.container.checkIntervalMs: how often empty containers and expired TTL nodes go. */
  containerCheckMs: number;
  /** zookeeper.nio.sessionlessCnxnTimeout (ms): a connection that has not established a session
   *  this long after accept is closed (also one that never sent a whole frame header). */
  sessionlessCnxnTimeout: number;
  /** zookeeper.globalOutstandingLimit: requests read and not yet answered, across all
   *  connections, above which a connection adding one stops reading (ZooKeeperServer.shouldThrottle). */
  globalOutstandingLimit: number;
  /** Junction's own (ZooKeeper has no such bound): a connection stops reading and processing
   *  requests while more than this many reply bytes wait to be sent to it, until they drain. */
  maxUnsentBytes: number;
  /** Junction's own: a connection with more unsent bytes than this is closed (0 = never). Pausing
   *  cannot bound replies queued behind a write (they all run when it is applied) or watch
   *  notifications; this does. */
  closeAboveUnsentBytes: number;
  /** The data dir shown by conf/dirs (Junction's data/zk). */
  dataDir: string;
  clientPort: number;
}

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
