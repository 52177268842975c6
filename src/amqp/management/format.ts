import type {
  BindingInfo, ChannelInfo, ConnectionInfo, ConsumerInfo, Counter, ExchangeInfo, MessageStats, PolicyInfo, QueueInfo,
} from './broker-view.js';

/**
 * BrokerView records as RabbitMQ 3.10.8's management API prints them (rabbit_mgmt_format,
 * captured in /work/shared/research/amqp-samples/). Erlang-internal fields that mean nothing
 * here (garbage_collection, reductions, backing_queue_status) are left out: docs/compat/amqp.md.
 */

type Json = Record<string, unknown>;

/** `{rate}` objects as rates_mode basic prints them. */
export const details = (rate: number): Json => ({ rate });

/** `publish: 3, publish_details: {rate: 0.0}` … for each counter present. */
export function messageStats(stats: MessageStats | Partial<Record<string, Counter>>): Json {
  const out: Json = {};
  for (const [key, counter] of Object.entries(stats) as [string, Counter][]) {
    out[key] = counter.count;
    out[`${key}_details`] = details(counter.rate);
  }
  return out;
}

/** rabbit_mgmt_format:format_nulls + timestamps as "2026-11-25T20:25:14.386+00:00". */
export function timestamp(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace('Z', '+00:00');
}

export function formatQueue(q: QueueInfo, node: string): Json {
  const messages = q.messagesReady + q.messagesUnacknowledged;
  const json: Json = {
    arguments: q.arguments, auto_delete: q.autoDelete, consumer_capacity: q.consumers > 0 ? 1.0 : 0,
    consumer_utilisation: q.consumers > 0 ? 1.0 : null, consumers: q.consumers, durable: q.durable,
    effective_policy_definition: q.effectivePolicyDefinition, exclusive: q.exclusive,
    exclusive_consumer_tag: q.exclusiveConsumerTag, head_message_timestamp: q.headMessageTimestamp,
    memory: 0, message_bytes: q.messageBytesReady + q.messageBytesUnacknowledged,
    message_bytes_paged_out: 0, message_bytes_persistent: q.messageBytesPersistent,
    message_bytes_ram: q.messageBytesReady + q.messageBytesUnacknowledged,
    message_bytes_ready: q.messageBytesReady, message_bytes_unacknowledged: q.messageBytesUnacknowledged,
    messages, messages_details: details(0), messages_paged_out: 0, messages_persistent: q.messagesPersistent,
    messages_ram: messages, messages_ready: q.messagesReady, messages_ready_details: details(0),
    messages_ready_ram: q.messagesReady, messages_unacknowledged: q.messagesUnacknowledged,
    messages_unacknowledged_details: details(0), messages_unacknowledged_ram: q.messagesUnacknowledged,
    name: q.name, node, operator_policy: null, policy: q.policy, recoverable_slaves: null,
    single_active_consumer_tag: q.singleActiveConsumerTag, state: 'running', type: 'classic', vhost: q.vhost,
  };
  if (q.idleSince !== null) json.idle_since = timestamp(q.idleSince);
  if (Object.keys(q.messageStats).length > 0) json.message_stats = messageStats(q.messageStats);
  return json;
}

export function formatExchange(x: ExchangeInfo): Json {
  const json: Json = {
    arguments: x.arguments, auto_delete: x.autoDelete, durable: x.durable, internal: x.internal, name: x.name,
    type: x.type, user_who_performed_action: 'rmq-internal', vhost: x.vhost,
  };
  if (x.policy !== null) json.policy = x.policy;
  if (Object.keys(x.messageStats).length > 0) json.message_stats = messageStats(x.messageStats);
  return json;
}

/** rabbit_mgmt_format:pack_binding_props: the url-quoted key, "~" for an empty key without
 *  arguments, or key~<hash of the arguments>. */
export function propertiesKey(b: BindingInfo): string {
  const hasArgs = Object.keys(b.arguments).length > 0;
  if (!hasArgs) return b.routingKey === '' ? '~' : encodeURIComponent(b.routingKey);
  return `${encodeURIComponent(b.routingKey)}~${argumentsHash(b.arguments)}`;
}

/** A stable short hash of binding arguments (RabbitMQ's is an Erlang term hash; only its
 *  stability matters to clients, which pass properties_key back verbatim). */
function argumentsHash(args: Record<string, unknown>): string {
  const text = JSON.stringify(Object.keys(args).sort().map((k) => [k, args[k]]));
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return Buffer.from(h.toString(16).padStart(8, '0'), 'hex').toString('base64url');
}

export function formatBinding(b: BindingInfo): Json {
  return {
    source: b.source, vhost: b.vhost, destination: b.destination, destination_type: b.destinationType,
    routing_key: b.routingKey, arguments: b.arguments, properties_key: propertiesKey(b),
  };
}

export function formatConnection(c: ConnectionInfo, node: string): Json {
  return {
    auth_mechanism: c.authMechanism, channel_max: c.channelMax, channels: c.channels, client_properties: c.clientProperties,
    connected_at: c.connectedAt, frame_max: c.frameMax, host: c.host, name: c.name, node,
    peer_cert_issuer: null, peer_cert_subject: null, peer_cert_validity: null, peer_host: c.peerHost, peer_port: c.peerPort,
    port: c.port, protocol: 'AMQP 0-9-1', recv_cnt: c.recvCnt, recv_oct: c.recvOct, recv_oct_details: details(0),
    send_cnt: c.sendCnt, send_oct: c.sendOct, send_oct_details: details(0), send_pend: 0, ssl: false,
    ssl_cipher: null, ssl_hash: null, ssl_key_exchange: null, ssl_protocol: null, state: c.state,
    timeout: c.heartbeatSeconds, type: 'network', user: c.user,
    // Present only when the client named its connection (client property connection_name).
    ...(c.userProvidedName === null ? {} : { user_provided_name: c.userProvidedName }),
    user_who_performed_action: c.user, vhost: c.vhost,
  };
}

export function channelName(connectionName: string, number: number): string {
  return `${connectionName} (${number})`;
}

export function formatChannel(c: ChannelInfo, node: string): Json {
  const json: Json = {
    acks_uncommitted: c.acksUncommitted, confirm: c.confirm,
    connection_details: { name: c.connectionName, peer_host: c.peerHost, peer_port: c.peerPort },
    consumer_count: c.consumerCount, global_prefetch_count: c.globalPrefetchCount,
    messages_unacknowledged: c.messagesUnacknowledged, messages_uncommitted: c.messagesUncommitted,
    messages_unconfirmed: c.messagesUnconfirmed, name: channelName(c.connectionName, c.number), node,
    number: c.number, pending_raft_commands: 0, prefetch_count: c.prefetchCount, state: c.state,
    transactional: c.transactional, user: c.user, user_who_performed_action: c.user, vhost: c.vhost,
  };
  if (c.idleSince !== null) json.idle_since = timestamp(c.idleSince);
  if (Object.keys(c.messageStats).length > 0) json.message_stats = messageStats(c.messageStats);
  return json;
}

export function formatConsumer(c: ConsumerInfo, node: string): Json {
  return {
    arguments: c.arguments, ack_required: c.ackRequired, active: c.active, activity_status: c.active ? 'up' : 'waiting',
    channel_details: {
      connection_name: c.channel.connectionName, name: channelName(c.channel.connectionName, c.channel.number), node,
      number: c.channel.number, peer_host: c.channel.peerHost, peer_port: c.channel.peerPort, user: c.channel.user,
    },
    consumer_tag: c.consumerTag, exclusive: c.exclusive, prefetch_count: c.prefetchCount,
    queue: { name: c.queue, vhost: c.vhost },
  };
}

export function formatPolicy(p: PolicyInfo): Json {
  return { vhost: p.vhost, name: p.name, pattern: p.pattern, 'apply-to': p.applyTo, definition: p.definition, priority: p.priority };
}
