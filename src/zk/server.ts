import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { TcpListener } from '../core/net/listener.js';
import { ZK_PREFACE_BYTES, ZkConnection } from './connection.js';
import { runFourLetterWord } from './fourlw/index.js';
import type { ZkServerContext } from './server-context.js';
import type { ZkServerView, ZkSettings } from './server-view.js';
import type { ZkService } from './service.js';
import { ServerStats, type ConnectionStats } from './stats.js';

export interface ZkServerHooks {
  /** Per-request latency for metrics (seconds), labelled by ZooKeeper's op name. */
  onLatency?: (op: string, seconds: number) => void;
  /** Enforce authentication against this check (see ZkServerContext.authenticate). */
  authenticate?: (user: string, password: string) => Promise<boolean>;
}

/**
 * The ZooKeeper client port (NIOServerCnxnFactory) on core/net's TcpListener: maxClientCnxns per
 * address, zookeeper.globalOutstandingLimit across connections, a connection without a session
 * dropped after zookeeper.nio.sessionlessCnxnTimeout, and one ZkConnection per socket.
 */
export class ZkServer {
  readonly stats = new ServerStats();
  readonly context: ZkServerContext;
  readonly listener: TcpListener<ZkConnection>;
  view!: ZkServerView;

  constructor(readonly service: ZkService, readonly settings: ZkSettings, clock: Clock, readonly logger: Logger,
    hooks: ZkServerHooks = {}) {
    const stats = this.stats;
    this.context = {
      service, settings, clock, logger, stats, authenticate: hooks.authenticate ?? null,
      answerFourLetterWord: (word) => Buffer.from(runFourLetterWord(word, this.view, settings.fourLetterWords)),
      observe(op: string, latencyMs: number, conn: ConnectionStats, xid: number, zxid: number) {
        stats.latency.add(latencyMs);
        conn.latency.add(latencyMs);
        conn.lastLatencyMs = latencyMs;
        conn.lastOperation = op;
        conn.lastCxid = xid;
        conn.lastZxid = zxid;
        conn.lastResponseAt = clock.now();
        hooks.onLatency?.(op, latencyMs / 1000);
      },
    };
    this.listener = new TcpListener({
      protocol: 'zk', logger,
      maxConnectionsPerIp: settings.maxClientCnxns,
      outstandingLimit: settings.globalOutstandingLimit,
      maxUnsentBytes: settings.maxUnsentBytes,
      closeAboveUnsentBytes: settings.closeAboveUnsentBytes,
      handshakeTimeoutMs: settings.sessionlessCnxnTimeout,
      // Once a session is established its own timeout governs: the session tracker expires it
      // and closes the connection (NIOServerCnxnFactory touches the cnxn with the session timeout).
      idleTimeoutMs: 0,
      prefaceBytes: ZK_PREFACE_BYTES,
    }, (socket, options) => new ZkConnection(socket, this.context, options));
  }

  /** Every accepted socket, including one answering a four-letter word or not yet decided. */
  get connections(): ReadonlySet<ZkConnection> { return this.listener.connections; }

  async listen(host: string, port: number): Promise<number> {
    // conf and the AdminServer report the port actually bound (port 0 = any).
    this.settings.clientPort = await this.listener.listen(host, port);
    return this.settings.clientPort;
  }

  close(): Promise<void> { return this.listener.close(); }
}
