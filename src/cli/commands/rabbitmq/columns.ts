import { argsCell, type Cell } from './output.js';
import { unsupportedColumns } from './failure.js';

/** The info keys each list verb accepts, read from the management API's JSON, and the columns
 *  it prints by default (rabbitmqctl 3.10.8's `help list_queues` …). */

type Json = Record<string, unknown>;
export interface ColumnSet { defaults: string[]; keys: Record<string, (item: Json) => Cell> }

const field = (key: string) => (item: Json): Cell => (item[key] ?? null) as Cell;
const num = (key: string) => (item: Json): Cell => (typeof item[key] === 'number' ? item[key] as number : 0);
/** Erlang pids cannot be had over HTTP: a stand-in with the node's name. */
const pid = (node: unknown, n: unknown) => `<${String(node)}.1.${String(n)}.0>`;
const protocol = (p: unknown): Cell => (p === 'AMQP 0-9-1' ? { tuple: [0, 9, 1] } : String(p ?? ''));
const ip = (key: string) => (item: Json): Cell => ({ ip: String(item[key] ?? '') });

export const QUEUE_COLUMNS: ColumnSet = {
  defaults: ['name', 'messages'],
  keys: {
    name: field('name'), durable: field('durable'), auto_delete: field('auto_delete'), arguments: (q) => argsCell(q.arguments),
    policy: (q) => (q.policy ?? '') as Cell, exclusive: field('exclusive'), exclusive_consumer_tag: (q) => (q.exclusive_consumer_tag ?? '') as Cell,
    messages_ready: num('messages_ready'), messages_unacknowledged: num('messages_unacknowledged'), messages: num('messages'),
    messages_ready_ram: num('messages_ready_ram'), messages_unacknowledged_ram: num('messages_unacknowledged_ram'),
    messages_ram: num('messages_ram'), messages_persistent: num('messages_persistent'), message_bytes: num('message_bytes'),
    message_bytes_ready: num('message_bytes_ready'), message_bytes_unacknowledged: num('message_bytes_unacknowledged'),
    message_bytes_ram: num('message_bytes_ram'), message_bytes_persistent: num('message_bytes_persistent'),
    head_message_timestamp: (q) => (q.head_message_timestamp ?? '') as Cell, consumers: num('consumers'),
    consumer_utilisation: (q) => (q.consumer_utilisation ?? '') as Cell, consumer_capacity: num('consumer_capacity'),
    memory: num('memory'), state: field('state'), type: field('type'),
  },
};

export const EXCHANGE_COLUMNS: ColumnSet = {
  defaults: ['name', 'type'],
  keys: {
    name: field('name'), type: field('type'), durable: field('durable'), auto_delete: field('auto_delete'),
    internal: field('internal'), arguments: (x) => argsCell(x.arguments), policy: (x) => (x.policy ?? '') as Cell,
  },
};

export const BINDING_COLUMNS: ColumnSet = {
  defaults: ['source_name', 'source_kind', 'destination_name', 'destination_kind', 'routing_key', 'arguments'],
  keys: {
    source_name: field('source'), source_kind: () => 'exchange', destination_name: field('destination'),
    destination_kind: field('destination_type'), routing_key: field('routing_key'), arguments: (b) => argsCell(b.arguments),
  },
};

export const CONNECTION_COLUMNS: ColumnSet = {
  defaults: ['user', 'peer_host', 'peer_port', 'state'],
  keys: {
    name: field('name'), user: field('user'), vhost: field('vhost'), state: field('state'), channels: num('channels'),
    protocol: (c) => protocol(c.protocol), peer_host: ip('peer_host'), peer_port: field('peer_port'),
    host: ip('host'), port: field('port'), auth_mechanism: field('auth_mechanism'), timeout: field('timeout'),
    frame_max: field('frame_max'), channel_max: field('channel_max'), connected_at: field('connected_at'),
    recv_oct: num('recv_oct'), recv_cnt: num('recv_cnt'), send_oct: num('send_oct'), send_cnt: num('send_cnt'),
    send_pend: num('send_pend'), ssl: field('ssl'), type: field('type'), client_properties: (c) => argsCell(c.client_properties),
    user_provided_name: (c) => (c.user_provided_name ?? '') as Cell,
  },
};

export const CHANNEL_COLUMNS: ColumnSet = {
  defaults: ['pid', 'user', 'consumer_count', 'messages_unacknowledged'],
  keys: {
    pid: (c) => pid(c.node, c.number), connection: (c) => pid(c.node, 0), name: field('name'), number: field('number'),
    user: field('user'), vhost: field('vhost'), transactional: field('transactional'), confirm: field('confirm'),
    consumer_count: num('consumer_count'), messages_unacknowledged: num('messages_unacknowledged'),
    messages_uncommitted: num('messages_uncommitted'), acks_uncommitted: num('acks_uncommitted'),
    messages_unconfirmed: num('messages_unconfirmed'), prefetch_count: num('prefetch_count'),
    global_prefetch_count: num('global_prefetch_count'), state: field('state'),
  },
};

export const CONSUMER_COLUMNS: ColumnSet = {
  defaults: ['queue_name', 'channel_pid', 'consumer_tag', 'ack_required', 'prefetch_count', 'active', 'arguments'],
  keys: {
    queue_name: (c) => ((c.queue as Json | undefined)?.name ?? '') as Cell,
    channel_pid: (c) => { const ch = (c.channel_details ?? {}) as Json; return pid(ch.node, ch.number); },
    consumer_tag: field('consumer_tag'), ack_required: field('ack_required'), prefetch_count: num('prefetch_count'),
    active: field('active'), activity_status: field('activity_status'), exclusive: field('exclusive'), arguments: (c) => argsCell(c.arguments),
  },
};

export const VHOST_COLUMNS: ColumnSet = {
  defaults: ['name'],
  keys: {
    name: field('name'), description: field('description'), tags: (v) => (Array.isArray(v.tags) ? { tags: v.tags as string[] } : String(v.tags ?? '')),
    tracing: field('tracing'), default_queue_type: field('default_queue_type'),
    cluster_state: (v) => argsCell(v.cluster_state),
  },
};

/** The requested columns (or the defaults), refusing unknown ones as rabbitmqctl does. */
export function selectColumns(set: ColumnSet, requested: string[]): string[] {
  const columns = requested.length > 0 ? requested : set.defaults;
  const unknown = columns.filter((c) => !Object.hasOwn(set.keys, c));
  if (unknown.length > 0) throw unsupportedColumns(unknown);
  return columns;
}

export function rowsOf(set: ColumnSet, columns: string[], items: Json[]): Cell[][] {
  return items.map((item) => columns.map((c) => set.keys[c]!(item)));
}
