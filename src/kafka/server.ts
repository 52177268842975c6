import { hostname } from 'node:os';
import type { Logger } from '../core/logger.js';
import { TcpListener } from '../core/net/listener.js';
import { KafkaConnection } from './connection.js';
import type { GroupService } from './groups/service.js';
import type { BrokerContext } from './handlers/context.js';
import type { KafkaMetrics } from './metrics.js';
import type { KafkaConfig } from './settings.js';
import type { TopicService } from './topics.js';

/** Kafka's queued.max.requests: requests read and not yet answered across all connections
 *  before the broker stops reading more. */
const QUEUED_MAX_REQUESTS = 500;
/** Stop reading a connection while this many response bytes wait to be sent. */
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

/** host:port of advertised.listeners, or the bind address (a wildcard → this host's name, as
 *  Kafka advertises its canonical host name) and the bound port. */
export function advertisedAddress(settings: KafkaConfig, bind: string, port: number): { host: string; port: number } {
  if (settings.advertisedListener !== '') {
    const at = settings.advertisedListener.lastIndexOf(':');
    return { host: settings.advertisedListener.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(settings.advertisedListener.slice(at + 1)) };
  }
  const wildcard = bind === '0.0.0.0' || bind === '::' || bind === '';
  return { host: wildcard ? hostname() : bind, port };
}

/**
 * The Kafka listener (SocketServer's PLAINTEXT acceptor and processors) on core/net's
 * TcpListener: one KafkaConnection per socket, idle connections closed after
 * connections.max.idle.ms, reading throttled past queued.max.requests outstanding requests.
 */
export class KafkaServer {
  readonly listener: TcpListener<KafkaConnection>;
  readonly context: BrokerContext;
  private boundPort = 0;

  constructor(readonly settings: KafkaConfig, readonly topics: TopicService, readonly groups: GroupService, bind: string, logger: Logger,
    metrics: KafkaMetrics) {
    this.context = {
      settings, topics, groups, logger, metrics,
      advertised: () => advertisedAddress(settings, bind, this.boundPort),
    };
    this.listener = new TcpListener({
      protocol: 'kafka', logger,
      maxConnectionsPerIp: 0,
      outstandingLimit: QUEUED_MAX_REQUESTS,
      maxUnsentBytes: MAX_UNSENT_BYTES,
      handshakeTimeoutMs: 0,
      idleTimeoutMs: settings.connectionsMaxIdleMs,
    }, (socket, options) => new KafkaConnection(socket, this.context, options));
  }

  get port(): number { return this.boundPort; }

  async listen(host: string, port: number): Promise<number> {
    this.boundPort = await this.listener.listen(host, port);
    return this.boundPort;
  }

  close(): Promise<void> { return this.listener.close(); }
}
