import { JunctionError } from '../../core/errors.js';

/**
 * Everything the management API (and so `junction rabbitmqctl`) needs from the broker, and no
 * more. The route layer turns these records into RabbitMQ's JSON shapes (format.ts); the broker
 * (amqp-core, phase 2) implements this interface over its in-memory model. Users, vhosts and
 * permissions are not here: they live in the shared user store (core/auth, RabbitAccess).
 *
 * Reads are synchronous snapshots of the broker's state; writes resolve once done (durable
 * where the object is). A write the broker refuses throws BrokerViewError with RabbitMQ's
 * status and reason (e.g. 400 "inequivalent arg 'x-message-ttl' for queue 'q1' in vhost '/': …").
 */
export interface BrokerView {
  /** Counters for /api/overview (node-wide) or one vhost's (/api/vhosts: messages, message_stats). */
  overview(vhost?: string): BrokerTotals;

  queues(vhost?: string): QueueInfo[];
  queue(vhost: string, name: string): QueueInfo | undefined;
  /** queue.declare's rules (equivalence, exclusive owner …), by the management user. */
  declareQueue(vhost: string, name: string, spec: QueueSpec): Promise<'created' | 'exists'>;
  /** 'not-found' for a missing queue; if-empty/if-unused refusals throw BrokerViewError(400). */
  deleteQueue(vhost: string, name: string, opts?: { ifEmpty?: boolean; ifUnused?: boolean }): Promise<'deleted' | 'not-found'>;
  /** The number of messages purged; undefined for a missing queue. */
  purgeQueue(vhost: string, name: string): Promise<number | undefined>;

  exchanges(vhost?: string): ExchangeInfo[];
  exchange(vhost: string, name: string): ExchangeInfo | undefined;
  declareExchange(vhost: string, name: string, spec: ExchangeSpec): Promise<'created' | 'exists'>;
  deleteExchange(vhost: string, name: string, opts?: { ifUnused?: boolean }): Promise<'deleted' | 'not-found'>;

  /** Every binding, the default exchange's implicit ones included (source ''), as RabbitMQ lists them. */
  bindings(vhost?: string): BindingInfo[];
  bind(binding: BindingInfo): Promise<void>;
  /** false when no such binding exists. */
  unbind(binding: BindingInfo): Promise<boolean>;

  connections(): ConnectionInfo[];
  /** connection.close with 320 CONNECTION_FORCED and `reason`; false when no such connection. */
  closeConnection(name: string, reason: string): Promise<boolean>;
  channels(): ChannelInfo[];
  consumers(vhost?: string): ConsumerInfo[];

  policies(vhost?: string): PolicyInfo[];
  putPolicy(policy: PolicyInfo): Promise<'created' | 'updated'>;
  deletePolicy(vhost: string, name: string): Promise<boolean>;

  /** basic.publish by the management user; the default exchange is ''. Throws for a missing exchange. */
  publish(vhost: string, exchange: string, message: OutgoingMessage): Promise<{ routed: boolean }>;
  /** Up to `count` basic.gets; each is then acked, or rejected with or without requeue. */
  get(vhost: string, queue: string, opts: { count: number; ack: 'ack' | 'reject'; requeue: boolean }): Promise<GotMessage[]>;

  /** A vhost was deleted from the user store: drop its queues, exchanges, bindings, policies
   *  and close its connections (rabbit_vhost:delete). */
  dropVhost(vhost: string): Promise<void>;
}

/** A refusal with RabbitMQ's HTTP status and reason text (400 bad_request, 404 not found …). */
export class BrokerViewError extends JunctionError {
  constructor(readonly status: 400 | 404 | 405 | 409, readonly reason: string) { super('AMQP_MGMT', reason); }
}

export type Arguments = Record<string, unknown>;

/** Counters since start and their rates per second (rates_mode basic). */
export interface Counter { count: number; rate: number }
/** rabbit_mgmt's message_stats; keys absent until that activity happened, as RabbitMQ. */
export type MessageStats = Partial<Record<MessageStatKey, Counter>>;
export type MessageStatKey = 'publish' | 'confirm' | 'deliver' | 'deliver_get' | 'deliver_no_ack' | 'get' | 'get_no_ack'
  | 'get_empty' | 'ack' | 'redeliver' | 'drop_unroutable' | 'return_unroutable' | 'disk_reads' | 'disk_writes'
  /** Exchanges' own two. */
  | 'publish_in' | 'publish_out';
/** overview.churn_rates: objects created/closed since start. */
export type ChurnKey = 'channel_closed' | 'channel_created' | 'connection_closed' | 'connection_created'
  | 'queue_created' | 'queue_declared' | 'queue_deleted';

export interface BrokerTotals {
  connections: number; channels: number; consumers: number; exchanges: number; queues: number;
  messagesReady: number; messagesUnacknowledged: number;
  messageStats: MessageStats;
  churn: Partial<Record<ChurnKey, Counter>>;
  /** Bytes received and sent on AMQP connections (a vhost's recv_oct/send_oct). */
  recvOct: number; sendOct: number;
  /** The AMQP listener, for overview.listeners. */
  listeners: { protocol: 'amqp'; ip: string; port: number }[];
}

export interface QueueSpec { durable: boolean; autoDelete: boolean; arguments: Arguments }
export interface QueueInfo extends QueueSpec {
  vhost: string; name: string; exclusive: boolean;
  /** Junction has classic queues only (quorum/stream are refused at declare). */
  messagesReady: number; messagesUnacknowledged: number; messagesPersistent: number;
  messageBytesReady: number; messageBytesUnacknowledged: number; messageBytesPersistent: number;
  consumers: number; exclusiveConsumerTag: string | null; singleActiveConsumerTag: string | null;
  policy: string | null; effectivePolicyDefinition: Arguments;
  /** Epoch ms since the queue had no activity; null while active. */
  idleSince: number | null; headMessageTimestamp: number | null;
  messageStats: MessageStats;
}

export interface ExchangeSpec { type: string; durable: boolean; autoDelete: boolean; internal: boolean; arguments: Arguments }
export interface ExchangeInfo extends ExchangeSpec { vhost: string; name: string; policy: string | null; messageStats: MessageStats }

export interface BindingInfo {
  vhost: string; source: string; destination: string; destinationType: 'queue' | 'exchange';
  routingKey: string; arguments: Arguments;
}

export interface ConnectionInfo {
  /** "127.0.0.1:49146 -> 127.0.0.1:5672", RabbitMQ's connection name. */
  name: string; user: string; vhost: string; state: 'starting' | 'running' | 'flow' | 'blocking' | 'blocked' | 'closing';
  peerHost: string; peerPort: number; host: string; port: number; authMechanism: string;
  channels: number; channelMax: number; frameMax: number; heartbeatSeconds: number;
  connectedAt: number; clientProperties: Arguments; userProvidedName: string | null;
  recvOct: number; sendOct: number; recvCnt: number; sendCnt: number;
}

export interface ChannelInfo {
  connectionName: string; peerHost: string; peerPort: number; number: number; user: string; vhost: string;
  state: 'running' | 'flow' | 'closing'; prefetchCount: number; globalPrefetchCount: number; consumerCount: number;
  messagesUnacknowledged: number; messagesUnconfirmed: number; messagesUncommitted: number; acksUncommitted: number;
  confirm: boolean; transactional: boolean; idleSince: number | null; messageStats: MessageStats;
}

export interface ConsumerInfo {
  vhost: string; queue: string; consumerTag: string;
  channel: { connectionName: string; number: number; peerHost: string; peerPort: number; user: string };
  ackRequired: boolean; exclusive: boolean; prefetchCount: number; active: boolean; arguments: Arguments;
}

export interface PolicyInfo {
  vhost: string; name: string; pattern: string; applyTo: 'queues' | 'exchanges' | 'all';
  priority: number; definition: Arguments;
}

/** Properties as the management API carries them (delivery_mode, headers, content_type …). */
export interface OutgoingMessage { routingKey: string; properties: Arguments; payload: Buffer }
export interface GotMessage {
  exchange: string; routingKey: string; redelivered: boolean; messageCount: number;
  properties: Arguments; payload: Buffer;
}
