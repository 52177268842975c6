import { StorageError } from '../../core/errors.js';
import { type BasicProperties, decodeContentHeader, encodeContentHeader } from '../protocol/content.js';

/** Class id of basic (spec): the stored content header is the one a delivery would carry. */
const BASIC_CLASS_ID = 60;
const FORMAT = 1;
/** No expiry deadline: stored as 0 (a deadline is a positive epoch ms). */
const NO_DEADLINE = 0;

/** A message as the broker holds it; the store keeps it byte for byte. */
export interface StoredMessage {
  exchange: string;
  routingKey: string;
  properties: BasicProperties;
  body: Buffer;
  /** The content header a delivery carries (the broker's AmqpMessage.header: `properties` and the
   *  body's size, as received), stored as it is instead of encoded again; absent: encoded here. */
  header?: Buffer;
  /** When the broker accepted it (epoch ms); default Date.now() at encoding. */
  publishedAt?: number;
  /** When it expires (epoch ms), from per-message expiration and/or the queue's x-message-ttl as
   *  the broker computed them on enqueue (RabbitMQ fixes the deadline then); absent: never. */
  expiresAt?: number;
}

/** What recovery and the index need, read from a record without copying its body. */
export interface RecordHead {
  publishedAt: number;
  expiresAt: number | null;
  priority: number;
  bodySize: number;
  /** Byte position of the body in the record's payload. */
  bodyStart: number;
  /** Not delivery-mode 2 (isTransient): written only to page it, never recovered. */
  transient: boolean;
}

/** delivery-mode 2 is persistent (AMQP 0-9-1 basic.properties); anything else is transient. */
const PERSISTENT = 2;

/**
 * A transient message (delivery-mode not 2). A durable queue pages transient messages into the
 * same log as persistent ones (durable-message-store.ts); the record's own content header says
 * which it is, so recovery skips them without a flag of its own — and every record written before
 * transient ones were paged is persistent, so older data directories read the same.
 */
export function isTransient(message: Pick<StoredMessage, 'properties'>): boolean {
  return message.properties.deliveryMode !== PERSISTENT;
}

/**
 * One stored message, LavinMQ's message record (research amqp.md §6: timestamp, exchange,
 * routing key, properties, body size, body) with our content header for the properties:
 *
 *   u8   format          1
 *   f64  publishedAt     epoch ms
 *   f64  expiresAt       epoch ms, 0 = none
 *   u8   exchange length, exchange (shortstr)
 *   u8   routing-key length, routing key (shortstr)
 *   u32  header length, AMQP content header (class 60, weight 0, body size, property flags + list,
 *        encoded by protocol/content.ts exactly as a delivery sends it)
 *   …    body
 *
 * Returns [head, body]: the body is the caller's Buffer, never copied (the log writes both with
 * one writev). The last head encoded is kept with its message: a message routed to N durable
 * queues (fanout) is appended to them one after another and encoded once, not N times. The kept
 * head is reused only while the fields it encodes are the same values (a dead-lettered copy with
 * new headers gets a new head); a properties object changed in place must be a new object to be
 * seen. One entry, not a WeakMap of every message: a WeakMap entry per persistent message cost
 * more than encoding the head.
 */
export function encodeMessageRecord(message: StoredMessage): [Buffer, Buffer] {
  const cached = last;
  if (cached && cached.message === message && cached.exchange === message.exchange && cached.routingKey === message.routingKey &&
    cached.properties === message.properties && cached.headers === message.properties.headers && cached.header === message.header &&
    cached.expiresAt === message.expiresAt && cached.bodySize === message.body.length &&
    (message.publishedAt === undefined || cached.publishedAt === message.publishedAt)) {
    return [cached.head, message.body];
  }
  const publishedAt = message.publishedAt ?? Date.now();
  const head = encodeHead(message, publishedAt);
  last = {
    message, head, exchange: message.exchange, routingKey: message.routingKey, properties: message.properties,
    headers: message.properties.headers, header: message.header, expiresAt: message.expiresAt, bodySize: message.body.length, publishedAt,
  };
  return [head, message.body];
}

interface CachedHead {
  message: StoredMessage; head: Buffer; exchange: string; routingKey: string; properties: BasicProperties;
  headers: BasicProperties['headers']; header: Buffer | undefined; expiresAt: number | undefined; bodySize: number; publishedAt: number;
}

let last: CachedHead | null = null;

/** One allocation per head (this runs for every persistent message a durable queue takes). */
function encodeHead(message: StoredMessage, publishedAt: number): Buffer {
  const header = message.header ??
    encodeContentHeader({ classId: BASIC_CLASS_ID, weight: 0, bodySize: BigInt(message.body.length), properties: message.properties });
  const exchangeBytes = Buffer.byteLength(message.exchange, 'utf8');
  const keyBytes = Buffer.byteLength(message.routingKey, 'utf8');
  if (exchangeBytes > 255 || keyBytes > 255) throw new StorageError('exchange and routing key are shortstrs (at most 255 bytes)');
  const head = Buffer.allocUnsafe(1 + 16 + 2 + exchangeBytes + keyBytes + 4 + header.length);
  let at = head.writeUInt8(FORMAT, 0);
  at = head.writeDoubleBE(publishedAt, at);
  at = head.writeDoubleBE(message.expiresAt ?? NO_DEADLINE, at);
  at = head.writeUInt8(exchangeBytes, at);
  at += head.write(message.exchange, at, 'utf8');
  at = head.writeUInt8(keyBytes, at);
  at += head.write(message.routingKey, at, 'utf8');
  at = head.writeUInt32BE(header.length, at);
  header.copy(head, at);
  return head;
}

function corrupt(detail: string): StorageError {
  return new StorageError(`stored message record: ${detail}`);
}

/** Offsets of the record's parts (checks lengths; a record is CRC-checked by the log already). */
function layout(payload: Buffer): { exchangeAt: number; keyAt: number; headerAt: number; headerLength: number; bodyStart: number } {
  if (payload.length < 23 || payload[0] !== FORMAT) throw corrupt(`unknown format ${payload[0]} or ${payload.length} bytes`);
  const exchangeAt = 18;
  const keyAt = exchangeAt + payload[17]! + 1;
  if (keyAt > payload.length) throw corrupt('exchange runs past the record');
  const headerAt = keyAt + payload[keyAt - 1]! + 4;
  if (headerAt > payload.length) throw corrupt('routing key runs past the record');
  const headerLength = payload.readUInt32BE(headerAt - 4);
  const bodyStart = headerAt + headerLength;
  if (bodyStart > payload.length) throw corrupt('content header runs past the record');
  return { exchangeAt, keyAt, headerAt, headerLength, bodyStart };
}

/** What the index needs (recovery): times, priority, body size and whether it is transient; the body is not copied.
 *  It decodes the whole content header — only recovery calls it, once per stored message. */
export function decodeRecordHead(payload: Buffer): RecordHead {
  const { headerAt, headerLength, bodyStart } = layout(payload);
  const header = decodeContentHeader(payload.subarray(headerAt, headerAt + headerLength));
  const expiresAt = payload.readDoubleBE(9);
  return {
    publishedAt: payload.readDoubleBE(1), expiresAt: expiresAt === NO_DEADLINE ? null : expiresAt,
    priority: header.properties.priority ?? 0, bodySize: payload.length - bodyStart, bodyStart,
    transient: isTransient(header),
  };
}

/** The whole message; its body and content header are views of `payload` (no copy): the header
 *  goes out with a delivery as it is. */
/** A message read back: its content header is always the stored bytes. */
export type ReadMessage = StoredMessage & { header: Buffer };

export function decodeMessageRecord(payload: Buffer): ReadMessage {
  const { exchangeAt, keyAt, headerAt, headerLength, bodyStart } = layout(payload);
  const header = decodeContentHeader(payload.subarray(headerAt, headerAt + headerLength));
  const message: ReadMessage = {
    exchange: payload.toString('utf8', exchangeAt, keyAt - 1),
    routingKey: payload.toString('utf8', keyAt, headerAt - 4),
    properties: header.properties,
    body: payload.subarray(bodyStart),
    header: payload.subarray(headerAt, headerAt + headerLength),
    publishedAt: payload.readDoubleBE(1),
  };
  const expiresAt = payload.readDoubleBE(9);
  if (expiresAt !== NO_DEADLINE) message.expiresAt = expiresAt;
  return message;
}
