import { createServer, type Server, type Socket } from 'node:net';
import type { Connection, ConnectionOptions } from './connection.js';
import { OutstandingRequests } from './outstanding.js';
import { normalizeIp, PerIpConnectionLimit } from './per-ip-limit.js';

/** A listener's settings; everything but the per-IP limit and socket options reaches each
 *  connection as its ConnectionOptions. */
export interface ListenerOptions extends Omit<ConnectionOptions, 'outstanding'> {
  /** Connections allowed per client address, 0 = unlimited (ZooKeeper's maxClientCnxns). */
  readonly maxConnectionsPerIp: number;
  /** Requests outstanding across all connections before reading is throttled (ZooKeeper's
   *  globalOutstandingLimit); Infinity or undefined = no limit. */
  readonly outstandingLimit?: number;
  /** TCP_NODELAY on accepted sockets; default true (request/response protocols want it). */
  readonly noDelay?: boolean;
  /** SO_KEEPALIVE with this initial delay (ms); 0 or undefined = off. */
  readonly keepAliveMs?: number;
}

/** Builds the protocol's connection for an accepted socket (it starts in the handshake phase). */
export type ConnectionFactory<C extends Connection> = (socket: Socket, options: ConnectionOptions) => C;

/**
 * A TCP port serving one protocol (LavinMQ's protocol_server): bind, socket options, the per-IP
 * connection limit, the set of live connections and the shared outstanding-request count; the
 * protocol plugs in a connection factory. close() drops every connection, drain() lets each send
 * what it owes first.
 */
export class TcpListener<C extends Connection> {
  readonly connections = new Set<C>();
  readonly outstanding: OutstandingRequests;
  private readonly perIp: PerIpConnectionLimit;
  private readonly server: Server;
  private readonly connectionOptions: ConnectionOptions;
  private boundPort = 0;

  constructor(private readonly options: ListenerOptions, private readonly createConnection: ConnectionFactory<C>) {
    this.outstanding = new OutstandingRequests(options.outstandingLimit);
    this.perIp = new PerIpConnectionLimit(options.maxConnectionsPerIp);
    this.connectionOptions = { ...options, outstanding: this.outstanding };
    const keepAlive = (options.keepAliveMs ?? 0) > 0;
    this.server = createServer({ noDelay: options.noDelay ?? true, keepAlive, keepAliveInitialDelay: options.keepAliveMs ?? 0 },
      (socket) => this.accept(socket));
  }

  /** The port actually bound (after listen; port 0 asks for any free one). */
  get port(): number { return this.boundPort; }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        this.boundPort = (this.server.address() as { port: number }).port;
        resolve(this.boundPort);
      });
    });
  }

  /** Stop accepting and drop every connection at once. */
  close(): Promise<void> {
    const closed = this.stopAccepting();
    for (const conn of this.connections) conn.close();
    return closed;
  }

  /** Stop accepting; each connection sends the replies it owes and closes. Those still open after
   *  graceMs are dropped. */
  async drain(graceMs: number): Promise<void> {
    const closed = this.stopAccepting();
    for (const conn of this.connections) conn.closeAfterFlush();
    const timer = setTimeout(() => { for (const conn of this.connections) conn.close(); }, graceMs);
    timer.unref();
    try { await closed; } finally { clearTimeout(timer); }
  }

  private stopAccepting(): Promise<void> {
    // server.close resolves once every accepted socket has closed too.
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const { logger, protocol } = this.options;
    const ip = this.perIp.admit(socket);
    if (ip === null) {
      // NIOServerCnxnFactory: "Too many connections from {} - max is {}", and the socket is closed.
      logger.warn({ remote: normalizeIp(socket.remoteAddress ?? ''), max: this.perIp.max }, `${protocol} too many connections from one address`);
      return;
    }
    let conn: C;
    try {
      conn = this.createConnection(socket, this.connectionOptions);
    } catch (err) {
      logger.error({ err, remote: ip }, `${protocol} connection setup failed`);
      socket.destroy();
      return;
    }
    this.connections.add(conn);
    socket.once('close', () => this.connections.delete(conn));
  }
}
