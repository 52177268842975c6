import type { BasicProperties } from '../protocol/content.js';
import { type FieldTable, type FieldValue, fieldString, tableGet } from '../protocol/field-table.js';
import { compareBinaryKeys } from './erlang-terms.js';

// Dead-lettering as rabbit_dead_letter (RabbitMQ 3.10.8) does it: make_msg/5 builds the message
// that goes to the dead-letter exchange (x-death bookkeeping, routing keys, expiration removed),
// detect_cycles/3 drops it for queues it already died in without a rejection on the way.
// RabbitMQ 3.10 sets x-first-death-*; the x-last-death-* headers came with 3.13 and are not sent.

export type DeadLetterReason = 'rejected' | 'expired' | 'maxlen' | 'delivery_limit';

/** A message as the broker keeps it: properties, the exchange it was published to, and its routing
 *  keys as rabbit_basic:make_message records them — the publish key, then the CC and BCC header values. */
export interface RoutedMessage {
  readonly properties: BasicProperties;
  readonly exchange: string;
  readonly routingKeys: readonly string[];
}

export interface DeadLetterEvent {
  readonly reason: DeadLetterReason;
  /** The queue the message dies in. */
  readonly queue: string;
  /** The queue's effective dead-letter exchange (where the result is published). */
  readonly deadLetterExchange: string;
  /** The queue's effective dead-letter routing key; undefined keeps the message's own keys. */
  readonly deadLetterRoutingKey?: string;
  readonly nowMs: number;
}

type Entry = readonly [string, FieldValue];
const longstr = (text: string): FieldValue => ({ type: 'S', value: Buffer.from(text, 'utf8') });

/** rabbit_misc:sort_field_table: lists:keysort on the binary keys (bytewise, stable). */
function sortTable(table: readonly Entry[]): Entry[] {
  return [...table].sort((a, b) => compareBinaryKeys(a[0], b[0]));
}

/** rabbit_misc:set_table_value without its final sort: replace the first entry with that key, or
 *  append. Callers sort once at the end — the same result, since keysort is stable and a replaced
 *  entry keeps its place among equal keys. */
function storeValue(table: readonly Entry[], key: string, value: FieldValue): Entry[] {
  const at = table.findIndex(([name]) => name === key);
  const next = [...table];
  if (at >= 0) next[at] = [key, value];
  else next.push([key, value]);
  return next;
}

/** rabbit_misc:set_table_value: store, then sort the whole table. */
function setTableValue(table: readonly Entry[], key: string, value: FieldValue): Entry[] {
  return sortTable(storeValue(table, key, value));
}

/** rabbit_basic:header_routes: the longstr values of the CC then BCC array headers. */
function headerRoutes(headers: FieldTable): string[] {
  const routes: string[] = [];
  for (const key of ['CC', 'BCC']) {
    const value = tableGet(headers, key);
    if (value?.type === 'A') for (const item of value.value) if (item.type === 'S') routes.push(item.value.toString('utf8'));
  }
  return routes;
}

const infoKey = (info: FieldTable, key: string) => fieldString(tableGet(info, key));
const sameDeath = (info: FieldTable, queue: string | undefined, reason: string | undefined) =>
  infoKey(info, 'queue') === queue && infoKey(info, 'reason') === reason;
const countOf = (n: bigint): Entry => ['count', { type: 'l', value: n }];

/** group_by_queue_and_reason: one table per {queue, reason} (older RabbitMQs wrote duplicates);
 *  a table lacking `count` gets the number of its duplicates. Like RabbitMQ's fold, it reverses
 *  the order when there are two or more tables. */
function groupByQueueAndReason(tables: readonly FieldTable[]): FieldTable[] {
  if (tables.length <= 1) return [...tables];
  const seen = new Set<string>();
  let grouped: FieldTable[] = [];
  for (const info of tables) {
    const queue = infoKey(info, 'queue');
    const reason = infoKey(info, 'reason');
    const matches = tables.filter((t) => sameDeath(t, queue, reason));
    const first = matches[0]!;
    const augmented = tableGet(first, 'count') === undefined ? [countOf(BigInt(matches.length)), ...first] : first;
    const key = JSON.stringify([queue ?? null, reason ?? null]);
    if (grouped.length === 0) grouped = [augmented];
    else if (!seen.has(key)) grouped = [augmented, ...grouped];
    seen.add(key);
  }
  return grouped;
}

function incrementCount(info: FieldTable): Entry[] {
  const at = info.findIndex(([name]) => name === 'count');
  if (at < 0) return [countOf(1n), ...info];
  const current = info[at]![1];
  const n = current.type === 'l' || current.type === 'L' ? current.value : BigInt((current as { value: number }).value);
  const next = [...info];
  next[at] = countOf(n + 1n);
  return next;
}

/** update_x_death_header/2: prepend or count up this {queue, reason}; the first death also sets x-first-death-*. */
function updateXDeath(info: Entry[], headers: FieldTable, queue: string, reason: string, exchange: string): Entry[] {
  const existing = tableGet(headers, 'x-death');
  if (existing === undefined) {
    let next = storeValue(headers, 'x-first-death-reason', longstr(reason));
    next = storeValue(next, 'x-first-death-queue', longstr(queue));
    next = storeValue(next, 'x-first-death-exchange', longstr(exchange));
    return setTableValue(next, 'x-death', { type: 'A', value: [{ type: 'F', value: [countOf(1n), ...info] }] });
  }
  if (existing.type !== 'A') {
    // RabbitMQ logs "Message has invalid x-death header" and starts a new one.
    return setTableValue(headers, 'x-death', { type: 'A', value: [{ type: 'F', value: [countOf(1n), ...info] }] });
  }
  const tables = existing.value.flatMap((v) => (v.type === 'F' ? [v.value] : []));
  const grouped = groupByQueueAndReason(tables);
  const match = grouped.find((t) => sameDeath(t, queue, reason));
  const others = grouped.filter((t) => t !== match);
  const updated = match === undefined ? [countOf(1n), ...info] : incrementCount(match);
  const deaths: FieldValue[] = [{ type: 'F', value: sortTable(updated) }, ...others.map((t): FieldValue => ({ type: 'F', value: t }))];
  return setTableValue(headers, 'x-death', { type: 'A', value: deaths });
}

/**
 * The message that `event.queue` publishes to its dead-letter exchange (rabbit_dead_letter:make_msg):
 * - x-death: the entry for {queue, reason} counts up (its other fields stay as first recorded) and
 *   moves to the front, or a new entry {count, reason, queue, time (seconds), exchange (the one the
 *   message was published to), routing-keys (publish key + CC), original-expiration (if it had
 *   one)} is prepended; on the first death x-first-death-reason/-queue/-exchange are set too;
 * - headers come out sorted by name, as rabbit_misc:set_table_value leaves them;
 * - `expiration` is removed (a per-message TTL does not follow the message);
 * - routing keys: [dead-letter routing key] (and the CC header removed) when the queue has one,
 *   else the message's own keys (publish key, CC, BCC);
 * - exchange: the dead-letter exchange.
 * Broker: call for each message a queue rejects (nack/reject requeue=false), expires, drops as
 * maxlen (drop-head or reject-publish-dlx) — only when the queue's DLX exchange exists (RabbitMQ
 * discards the message otherwise) — then route the result through the DLX, skip queues for which
 * isDeadLetterCycle is true, and enqueue it (no confirms, no mandatory: rabbit_basic:delivery(false, false)).
 */
export function deadLetterMessage(message: RoutedMessage, event: DeadLetterEvent): RoutedMessage {
  const headers = message.properties.headers ?? [];
  const publishKey = message.routingKeys[0] ?? '';
  const info: Entry[] = [
    ['reason', longstr(event.reason)],
    ['queue', longstr(event.queue)],
    ['time', { type: 'T', value: BigInt(Math.floor(event.nowMs / 1000)) }],
    ['exchange', longstr(message.exchange)],
    ['routing-keys', { type: 'A', value: [publishKey, ...headerRoutes(headers)].map(longstr) }],
  ];
  if (message.properties.expiration !== undefined) info.push(['original-expiration', longstr(message.properties.expiration)]);
  let nextHeaders = updateXDeath(info, headers, event.queue, event.reason, message.exchange);
  const rk = event.deadLetterRoutingKey;
  if (rk !== undefined) {
    const cc = nextHeaders.findIndex(([name]) => name === 'CC');
    if (cc >= 0) nextHeaders = nextHeaders.filter((_, i) => i !== cc);
  }
  const { expiration: _dropped, ...rest } = message.properties;
  return {
    properties: { ...rest, headers: nextHeaders },
    exchange: event.deadLetterExchange,
    routingKeys: rk !== undefined ? [rk] : [...message.routingKeys],
  };
}

/**
 * rabbit_dead_letter:detect_cycles/is_cycle: a dead-lettered message (already passed through
 * deadLetterMessage) is dropped for `queue` when it died in that queue before and every death from
 * the latest back to that one had a reason other than `rejected` — an automatic loop (TTL or
 * max-length) with no consumer deciding. A `rejected` death never counts as a cycle. RabbitMQ logs
 * "Message dropped. Dead-letter queues cycle detected" once per cycle.
 * Broker: call per target queue the DLX routing found, with the reason of this death.
 */
export function isDeadLetterCycle(reason: DeadLetterReason, properties: BasicProperties, queue: string): boolean {
  if (reason === 'rejected') return false;
  const deaths = tableGet(properties.headers ?? [], 'x-death');
  if (deaths?.type !== 'A') return false;
  const at = deaths.value.findIndex((d) => d.type === 'F' && infoKey(d.value, 'queue') === queue);
  if (at < 0) return false;
  return deaths.value.slice(0, at + 1).every((d) => d.type === 'F' && infoKey(d.value, 'reason') !== 'rejected');
}
