import { createServer, type Server, type Socket } from 'node:net';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { normalizeIp, ZkConnection } from './connection.js';
import { fourLetterWordOf, runFourLetterWord } from './fourlw/index.js';
import type { ZkServerContext } from './server-context.js';
import type { ZkServerView, ZkSettings } from './server-view.js';
import type { ZkService } from './service.js';
import { ServerStats, type ConnectionStats } from './stats.js';

/** Stop reading from a client whose replies pile up unread (a slow or stuck consumer). */
const MAX_PENDING_WRITE_BYTES = 4 * 1024 * 1024;

export interface ZkServerHooks {
  /** Per-request latency for metrics (seconds), labelled by ZooKeeper's op name. */
  onLatency?: (op: string, seconds: number) => void;
  /** Enforce authentication against this check (see ZkServerContext.authenticate). */
  authenticate?: (user: string, password: string) => Promise<boolean>;
}

/**
 * The ZooKeeper client port (NIOServerCnxnFactory): accept, per-IP connection limit, four-letter
 * words on the first 4 bytes, then one ZkConnection per socket.
 */
export class ZkServer {
  readonly connections = new Set<ZkConnection>();
  /** Sockets answering a four-letter word right now: ZooKeeper lists them among its connections. */
  readonly fourLetterSockets = new Set<Socket>();
  readonly stats = new ServerStats();
  private readonly perIp = new Map<string, number>();
  private readonly server: Server;
  readonly context: ZkServerContext;
  view!: ZkServerView;

  constructor(readonly service: ZkService, readonly settings: ZkSettings, clock: Clock, readonly logger: Logger,
    hooks: ZkServerHooks = {}) {
    const stats = this.stats;
    this.context = {
      service, settings, clock, logger, stats, authenticate: hooks.authenticate ?? null,
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
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        // conf and the AdminServer report the port actually bound (port 0 = any).
        this.settings.clientPort = (this.server.address() as { port: number }).port;
        resolve(this.settings.clientPort);
      });
    });
  }

  private accept(socket: Socket): void {
    const ip = normalizeIp(socket.remoteAddress ?? '');
    const count = (this.perIp.get(ip) ?? 0) + 1;
    const max = this.settings.maxClientCnxns;
    socket.on('error', (err) => this.logger.debug({ remote: ip, err: err.message }, 'zk socket error'));
    if (max > 0 && count > max) {
      // NIOServerCnxnFactory: "Too many connections from {} - max is {}" and the socket is closed.
      this.logger.warn({ remote: ip, max }, 'zk too many connections from one address');
      socket.destroy();
      return;
    }
    this.perIp.set(ip, count);
    let conn: ZkConnection | null = null;
    let head = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      if (conn) { conn.receive(chunk); this.backpressure(socket); return; }
      head = Buffer.concat([head, chunk]);
      if (head.length < 4) return;
      const word = fourLetterWordOf(head.subarray(0, 4));
      if (word !== null) {
        // NIOServerCnxn.checkFourLetterWord: answer, then close.
        socket.removeAllListeners('data');
        this.fourLetterSockets.add(socket);
        socket.end(runFourLetterWord(word, this.view, this.settings.fourLetterWords));
        this.fourLetterSockets.delete(socket);
        return;
      }
      conn = new ZkConnection(socket, this.context);
      this.connections.add(conn);
      conn.receive(head);
      this.backpressure(socket);
    });
    socket.on('close', () => {
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left <= 0) this.perIp.delete(ip); else this.perIp.set(ip, left);
      if (conn) {
        conn.detach();
        this.connections.delete(conn);
      }
    });
  }

  private backpressure(socket: Socket): void {
    if (socket.writableLength > MAX_PENDING_WRITE_BYTES && !socket.isPaused()) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  }

  close(): Promise<void> {
    for (const conn of this.connections) conn.close();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
