import type { Channel } from '../channel/channel.js';
import type { AmqpConnection } from '../connection/connection.js';
import type { BasicProperties } from '../protocol/content.js';
import { fieldString, tableGet } from '../protocol/field-table.js';
import { fieldTableToPlain, plainToFieldTable } from '../store/field-table-json.js';
import type { Arguments, ChannelInfo, ConnectionInfo, ConsumerInfo } from './broker-view.js';

/**
 * Connections, channels and consumers of the running AMQP listener as the management API lists
 * them (rabbit_reader / rabbit_channel info items). Only connections past connection.open count,
 * as RabbitMQ lists a connection once it is running.
 */

const host = (addr: string | undefined): string => (addr ?? '').replace(/^::ffff:/, '');

export function connectionName(c: AmqpConnection): string {
  const s = c.socket;
  return `${host(s.remoteAddress)}:${s.remotePort ?? 0} -> ${host(s.localAddress)}:${s.localPort ?? 0}`;
}

export function connectionInfo(c: AmqpConnection): ConnectionInfo {
  const s = c.socket;
  const tune = c.tune;
  const provided = fieldString(tableGet(c.clientProperties, 'connection_name'));
  return {
    name: connectionName(c), user: c.user, vhost: c.vhost.name, state: c.blocked ? 'blocked' : c.inFlow ? 'flow' : 'running',
    peerHost: host(s.remoteAddress), peerPort: s.remotePort ?? 0, host: host(s.localAddress), port: s.localPort ?? 0,
    authMechanism: c.authMechanism, channels: c.channelCount, channelMax: tune.channelMax, frameMax: tune.frameMax,
    heartbeatSeconds: tune.heartbeat, connectedAt: c.connectedAt, clientProperties: fieldTableToPlain(c.clientProperties),
    userProvidedName: provided ?? null, recvOct: s.bytesRead, sendOct: s.bytesWritten, recvCnt: 0, sendCnt: 0,
  };
}

export function channelInfo(c: AmqpConnection, ch: Channel): ChannelInfo {
  const s = c.socket;
  return {
    connectionName: connectionName(c), peerHost: host(s.remoteAddress), peerPort: s.remotePort ?? 0, number: ch.id, user: c.user,
    vhost: c.vhost.name, state: ch.open ? 'running' : 'closing', prefetchCount: ch.consumerPrefetch, globalPrefetchCount: ch.channelPrefetch,
    consumerCount: ch.consumers.size, messagesUnacknowledged: ch.unacked.size, messagesUnconfirmed: 0, messagesUncommitted: 0,
    acksUncommitted: 0, confirm: ch.publisher.confirmMode, transactional: ch.publisher.txMode, idleSince: null, messageStats: {},
  };
}

export function consumerInfos(c: AmqpConnection, ch: Channel): ConsumerInfo[] {
  const s = c.socket;
  const channel = { connectionName: connectionName(c), number: ch.id, peerHost: host(s.remoteAddress), peerPort: s.remotePort ?? 0, user: c.user };
  return [...ch.consumers.values()].map((x) => ({
    vhost: c.vhost.name, queue: x.queue.name, consumerTag: x.tag, channel, ackRequired: !x.noAck, exclusive: x.exclusive,
    prefetchCount: x.prefetch, active: true, arguments: {},
  }));
}

/** Management JSON properties (rabbit_mgmt_format:to_basic_properties) to basic properties. */
export function propertiesFromJson(p: Arguments): BasicProperties {
  const out: BasicProperties = {};
  const str = (k: string): string | undefined => (typeof p[k] === 'string' ? p[k] as string : undefined);
  const int = (k: string): number | undefined => (typeof p[k] === 'number' ? p[k] as number : undefined);
  const set = <K extends keyof BasicProperties>(key: K, value: BasicProperties[K] | undefined): void => { if (value !== undefined) out[key] = value; };
  set('contentType', str('content_type'));
  set('contentEncoding', str('content_encoding'));
  if (p.headers && typeof p.headers === 'object') out.headers = plainToFieldTable(p.headers as Record<string, unknown>);
  set('deliveryMode', int('delivery_mode'));
  set('priority', int('priority'));
  set('correlationId', str('correlation_id'));
  set('replyTo', str('reply_to'));
  set('expiration', str('expiration'));
  set('messageId', str('message_id'));
  const ts = int('timestamp');
  if (ts !== undefined) out.timestamp = BigInt(Math.trunc(ts));
  set('type', str('type'));
  set('userId', str('user_id'));
  set('appId', str('app_id'));
  return out;
}

/** Basic properties as rabbit_mgmt_format shows them (snake_case, headers as JSON). */
export function propertiesToJson(p: BasicProperties): Arguments {
  const out: Arguments = {};
  const names: [keyof BasicProperties, string][] = [['contentType', 'content_type'], ['contentEncoding', 'content_encoding'],
    ['deliveryMode', 'delivery_mode'], ['priority', 'priority'], ['correlationId', 'correlation_id'], ['replyTo', 'reply_to'],
    ['expiration', 'expiration'], ['messageId', 'message_id'], ['type', 'type'], ['userId', 'user_id'], ['appId', 'app_id'],
    ['clusterId', 'cluster_id']];
  for (const [key, json] of names) if (p[key] !== undefined) out[json] = p[key];
  if (p.timestamp !== undefined) out.timestamp = Number(p.timestamp);
  if (p.headers !== undefined) out.headers = fieldTableToPlain(p.headers);
  return out;
}
