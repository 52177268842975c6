import type { Socket } from 'node:net';

/**
 * How many connections each client address holds, refusing one above a maximum (ZooKeeper's
 * maxClientCnxns, NIOServerCnxnFactory; the same bound fits Kafka's max.connections.per.ip and
 * the HTTP ports).
 */
export class PerIpConnectionLimit {
  private readonly counts = new Map<string, number>();

  /** max: connections allowed per address; 0 = unlimited. */
  constructor(readonly max: number) {}

  /** Count one more connection from `ip`, or return false (and count nothing) if it is at the limit. */
  tryAcquire(ip: string): boolean {
    const next = (this.counts.get(ip) ?? 0) + 1;
    if (this.max > 0 && next > this.max) return false;
    this.counts.set(ip, next);
    return true;
  }

  /** One connection from `ip` ended (call once per successful tryAcquire). */
  release(ip: string): void {
    const left = (this.counts.get(ip) ?? 1) - 1;
    if (left <= 0) this.counts.delete(ip); else this.counts.set(ip, left);
  }

  count(ip: string): number { return this.counts.get(ip) ?? 0; }

  /**
   * An accepted socket: counted until it closes and its address returned, or — at the limit —
   * destroyed at once and null returned (the caller logs the refusal in its protocol's words).
   */
  admit(socket: Socket): string | null {
    const ip = normalizeIp(socket.remoteAddress ?? '');
    if (!this.tryAcquire(ip)) {
      socket.on('error', () => { /* refused: nothing to report */ });
      socket.destroy();
      return null;
    }
    socket.once('close', () => this.release(ip));
    return ip;
  }
}

/** "::ffff:127.0.0.1" → "127.0.0.1", as Java reports an IPv4 client on a dual-stack socket. */
export function normalizeIp(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
