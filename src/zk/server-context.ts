import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ZkSettings } from './server-view.js';
import type { ZkService } from './service.js';
import type { ConnectionStats, ServerStats } from './stats.js';

/** What a connection and its handlers share with the server. */
export interface ZkServerContext {
  readonly service: ZkService;
  readonly settings: ZkSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly stats: ServerStats;
  /** Record one answered request: server and connection latency, metrics. */
  observe(op: string, latencyMs: number, conn: ConnectionStats, xid: number, zxid: number): void;
}
