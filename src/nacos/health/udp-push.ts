import { createSocket, type Socket } from 'node:dgram';
import { gzipSync } from 'node:zlib';
import type { Logger } from '../../core/logger.js';

/**
 * Nacos 1.x-style UDP push (UdpPushService): `{type:"dom", data:<ServiceInfo JSON string>,
 * lastRefTime}` to the subscriber's udpPort, gzipped when large; the client answers `push-ack`.
 * Lost pushes are not retried: the client's poll (every cacheMillis) catches up.
 */
export class UdpPusher {
  private socket: Socket | null = null;
  private closed = false;
  sent = 0;
  acks = 0;

  constructor(private readonly logger: Logger) {}

  push(ip: string, port: number, data: string): void {
    if (this.closed) return;
    const packet = Buffer.from(JSON.stringify({ type: 'dom', data, lastRefTime: Number(process.hrtime.bigint()) }));
    // UdpPushService.compressIfNecessary: gzip above 1 KiB; clients sniff the gzip magic.
    const bytes = packet.length > 1024 ? gzipSync(packet) : packet;
    this.ensureSocket().send(bytes, port, ip, (err) => {
      if (err) this.logger.debug({ err, ip, port }, 'naming udp push failed');
      else this.sent++;
    });
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
    this.socket = null;
  }

  private ensureSocket(): Socket {
    if (this.socket) return this.socket;
    const socket = createSocket('udp4');
    socket.on('message', () => { this.acks++; });
    socket.on('error', (err) => this.logger.warn({ err }, 'naming udp push socket error'));
    socket.unref();
    this.socket = socket;
    return socket;
  }
}
