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
  /** With Junction's --auth: checks `addauth digest user:password` against the shared user store,
   *  and every other request needs such an authentication first (ZooKeeper's
   *  enforce.auth.enabled with enforce.auth.schemes=digest). null = ZooKeeper's default, open. */
  readonly authenticate: ((user: string, password: string) => Promise<boolean>) | null;
  /** A four-letter word's answer (from the server's view and the 4lw.commands.whitelist). */
  answerFourLetterWord(word: string): Buffer;
  /** Record one answered request: server and connection latency, metrics. */
  observe(op: string, latencyMs: number, conn: ConnectionStats, xid: number, zxid: number): void;
}
