import type { AuthService } from '../core/auth/auth-service.js';
import type { Logger } from '../core/logger.js';
import { TcpListener } from '../core/net/listener.js';
import type { Broker } from './broker/broker.js';
import { AmqpConnection, type AmqpServerContext } from './connection/connection.js';
import { ResourceAlarms } from './ops/alarms.js';
import type { AmqpConfig } from './settings.js';

/** Stop reading a connection (and delivering to its consumers) while this many bytes wait to be sent. */
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

/**
 * The AMQP listener (rabbit_networking's tcp listener) on core/net's TcpListener: the 8-byte
 * protocol header is the preface, then one AmqpConnection per socket; the handshake must finish
 * within handshake_timeout. Heartbeats, not an idle timeout, detect dead peers.
 */
export class AmqpServer {
  readonly listener: TcpListener<AmqpConnection>;
  readonly context: AmqpServerContext;
  /** Memory and disk alarms; tests and rabbitmqctl change the limits with alarms.setLimits. */
  readonly alarms: ResourceAlarms;

  /** `dataDir`: the directory whose disk the free-space alarm watches. */
  constructor(settings: AmqpConfig, broker: Broker, logger: Logger, security: { users: AuthService; authRequired: boolean }, dataDir: string) {
    const { vmMemoryHighWatermark, vmMemoryHighWatermarkAbsolute, diskFreeLimit, diskFreeLimitRelative, vmMemoryHighWatermarkPagingRatio } = settings;
    this.alarms = new ResourceAlarms({ vmMemoryHighWatermark, vmMemoryHighWatermarkAbsolute, diskFreeLimit, diskFreeLimitRelative, vmMemoryHighWatermarkPagingRatio },
      dataDir, logger, () => { for (const conn of this.listener.connections) conn.alarmsChanged(); });
    this.context = { settings, broker, logger, ...security, alarms: this.alarms };
    this.listener = new TcpListener({
      protocol: 'amqp', logger,
      maxConnectionsPerIp: 0,
      maxUnsentBytes: MAX_UNSENT_BYTES,
      handshakeTimeoutMs: settings.handshakeTimeoutMs,
      idleTimeoutMs: 0,
      prefaceBytes: 8,
    }, (socket, options) => new AmqpConnection(socket, this.context, options));
  }

  async listen(host: string, port: number): Promise<number> {
    const bound = await this.listener.listen(host, port);
    this.alarms.start();
    return bound;
  }

  /** Every connection gets connection.close 320 CONNECTION_FORCED, then the listener closes. */
  async close(): Promise<void> {
    this.alarms.stop();
    for (const conn of this.listener.connections) conn.forceClose('broker forced connection closure with reason \'shutdown\'');
    await this.listener.drain(1000);
  }
}
