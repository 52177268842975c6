import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { GrpcConnection } from './connection.js';

/** A connection that never sent ConnectionSetupRequest is forgotten after this long. */
const UNREGISTERED_TTL_MS = 60_000;

/** Why a connection went away (logged, and counted by the metrics). */
export type CloseReason = 'stream-closed' | 'detection-failed' | 'server-shutdown';

/**
 * Nacos's ConnectionManager for Junction: connections by id and by the peer address of their TCP
 * connection. grpc-js gives a call its peer (`ip:port` of the client's socket) and not Nacos's
 * transport attribute, so the peer plays the role of GrpcServerConstants.CONTEXT_KEY_CONN_ID: the
 * unary ServerCheckRequest, the bi-stream and later unary requests of one channel share it.
 */
export class ConnectionRegistry {
  private readonly byPeer = new Map<string, GrpcConnection>();
  private readonly byId = new Map<string, GrpcConnection>();
  private readonly closeListeners: Array<(conn: GrpcConnection, reason: CloseReason) => void> = [];

  constructor(private readonly clock: Clock, private readonly logger: Logger) {}

  /** The connection of a peer, made on first sight (ServerCheckRequest gets its id). */
  forPeer(peer: string): GrpcConnection {
    let conn = this.byPeer.get(peer);
    if (conn && !conn.closed) return conn;
    const { ip, port } = splitPeer(peer);
    conn = new GrpcConnection(`${this.clock.now()}_${ip}_${port}`, peer, ip, port, this.clock);
    this.byPeer.set(peer, conn);
    this.byId.set(conn.id, conn);
    return conn;
  }

  /** The registered connection of a peer, if any (ConnectionManager.checkValid). */
  registeredFor(peer: string): GrpcConnection | undefined {
    const conn = this.byPeer.get(peer);
    return conn?.registered ? conn : undefined;
  }

  get(id: string): GrpcConnection | undefined { return this.byId.get(id); }

  registered(): GrpcConnection[] { return [...this.byId.values()].filter((c) => c.registered); }

  onClose(listener: (conn: GrpcConnection, reason: CloseReason) => void): void { this.closeListeners.push(listener); }

  /** ConnectionManager.unregister: close it, forget it, tell the naming and config sides. */
  remove(conn: GrpcConnection, reason: CloseReason): void {
    if (this.byId.get(conn.id) !== conn) return;
    this.byId.delete(conn.id);
    if (this.byPeer.get(conn.peer) === conn) this.byPeer.delete(conn.peer);
    const wasRegistered = conn.registered;
    conn.close();
    // A client going away is routine (debug); a client ejected for not answering is worth a line.
    if (wasRegistered) {
      if (reason === 'detection-failed') this.logger.info({ connectionId: conn.id, reason }, 'nacos grpc connection ejected');
      else this.logger.debug({ connectionId: conn.id, reason }, 'nacos grpc connection closed');
    }
    for (const l of this.closeListeners) {
      try { l(conn, reason); } catch (err) { this.logger.error({ err, connectionId: conn.id }, 'nacos grpc close listener failed'); }
    }
  }

  /**
   * NacosRuntimeConnectionEjector: a connection idle longer than `idleMs` is sent a
   * ClientDetectionRequest; without an answer within `timeoutMs` it is unregistered.
   */
  async detect(idleMs: number, timeoutMs: number): Promise<void> {
    const now = this.clock.now();
    const probes: Array<Promise<void>> = [];
    for (const conn of [...this.byId.values()]) {
      if (!conn.registered) {
        if (now - conn.createdAt > UNREGISTERED_TTL_MS) this.remove(conn, 'stream-closed');
        continue;
      }
      if (now - conn.lastActive < idleMs) continue;
      probes.push(conn.request('ClientDetectionRequest', {}, timeoutMs).then(
        () => conn.touch(),
        () => this.remove(conn, 'detection-failed'),
      ));
    }
    await Promise.all(probes);
  }

  /** On shutdown: ConnectResetRequest to every client so it reconnects elsewhere, then close. */
  closeAll(): void {
    for (const conn of [...this.byId.values()]) {
      conn.send('ConnectResetRequest', { serverIp: null, serverPort: null, connectionId: conn.id });
      this.remove(conn, 'server-shutdown');
    }
  }
}

/** `1.2.3.4:5678`, `[::1]:5678` or `ipv4:1.2.3.4:5678` → ip and port. */
export function splitPeer(peer: string): { ip: string; port: number } {
  const bare = peer.replace(/^ipv[46]:/, '');
  const at = bare.lastIndexOf(':');
  if (at < 0) return { ip: bare, port: 0 };
  return { ip: bare.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(bare.slice(at + 1)) || 0 };
}
