import { AmqpCodecError } from './errors.js';
import { type FieldTable, readTable, writeTable } from './field-table.js';
import type { ArgType } from './method-spec.js';
import { AmqpReader } from './reader.js';
import { ReplyCodes } from './reply-codes.js';
import { AmqpWriter } from './writer.js';

/** The 14 basic properties (rabbitmq-codegen amqp-rabbitmq-0.9.1.json, class basic "properties"). */
export interface BasicProperties {
  contentType?: string;
  contentEncoding?: string;
  headers?: FieldTable;
  deliveryMode?: number;
  priority?: number;
  correlationId?: string;
  replyTo?: string;
  expiration?: string;
  messageId?: string;
  timestamp?: bigint;
  type?: string;
  userId?: string;
  appId?: string;
  clusterId?: string;
}

/** In flag order: the first property is bit 15 of the property-flags word (spec §4.2.6.1). */
export const BASIC_PROPERTIES: readonly (readonly [keyof BasicProperties, ArgType])[] = [
  ['contentType', 'shortstr'], ['contentEncoding', 'shortstr'], ['headers', 'table'],
  ['deliveryMode', 'octet'], ['priority', 'octet'], ['correlationId', 'shortstr'], ['replyTo', 'shortstr'],
  ['expiration', 'shortstr'], ['messageId', 'shortstr'], ['timestamp', 'timestamp'], ['type', 'shortstr'],
  ['userId', 'shortstr'], ['appId', 'shortstr'], ['clusterId', 'shortstr'],
];

export interface ContentHeader {
  readonly classId: number;
  /** Unused, must be 0 (spec); kept so a header re-encodes as it came. */
  readonly weight: number;
  readonly bodySize: bigint;
  readonly properties: BasicProperties;
}

/** Header payload: class-id u16, weight u16, body-size u64, property flags u16, properties ([GEN] build_simple_content_frames). */
export function decodeContentHeader(payload: Buffer): ContentHeader {
  const r = new AmqpReader(payload);
  const classId = r.u16();
  const weight = r.u16();
  const bodySize = r.u64();
  return { classId, weight, bodySize, properties: readProperties(r) };
}

/** The properties of a header payload alone: what a publish needs (no BigInt body size). */
export function decodeBasicProperties(payload: Buffer): BasicProperties {
  const r = new AmqpReader(payload);
  r.skip(12);
  return readProperties(r);
}

function readProperties(r: AmqpReader): BasicProperties {
  const flags = r.u16();
  // Bit 0 continues the flags into another word; basic has only 14 properties, so any bit set
  // in a continuation word names a property that does not exist.
  for (let more = flags & 1; more; ) {
    const next = r.u16();
    if ((next & ~1) !== 0) throw new AmqpCodecError(ReplyCodes.FRAME_ERROR, 'unknown property flags in continuation word');
    more = next & 1;
  }
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < BASIC_PROPERTIES.length; i++) {
    if ((flags & (1 << (15 - i))) === 0) continue;
    const [name, type] = BASIC_PROPERTIES[i]!;
    properties[name] = readProperty(r, type);
  }
  if (r.remaining !== 0) throw new AmqpCodecError(ReplyCodes.FRAME_ERROR, `${r.remaining} trailing bytes after content header`);
  return properties as BasicProperties;
}

function readProperty(r: AmqpReader, type: ArgType): unknown {
  switch (type) {
    case 'octet': return r.u8();
    case 'timestamp': return r.u64();
    case 'table': return readTable(r);
    default: return r.shortstr();
  }
}

export function encodeContentHeader(header: ContentHeader): Buffer {
  const w = new AmqpWriter(64);
  w.u16(header.classId).u16(header.weight).u64(header.bodySize);
  let flags = 0;
  const present = BASIC_PROPERTIES.filter(([name], i) => {
    if (header.properties[name] === undefined) return false;
    flags |= 1 << (15 - i);
    return true;
  });
  w.u16(flags);
  for (const [name, type] of present) {
    const value = header.properties[name];
    if (type === 'octet') w.u8(value as number);
    else if (type === 'timestamp') w.u64(value as bigint);
    else if (type === 'table') writeTable(w, value as FieldTable);
    else w.shortstr(value as string);
  }
  return w.toBuffer();
}

/**
 * Cuts a body into payloads of at most frameMax − 8 bytes (frame_max counts the 7-byte header and
 * the end octet; rabbit_binary_generator uses FrameMax - ?EMPTY_FRAME_SIZE). frameMax 0 = no limit.
 * An empty body gives no body frames (spec §4.2.6.2).
 */
export function splitBody(body: Buffer, frameMax: number): Buffer[] {
  const chunk = frameMax === 0 ? Math.max(body.length, 1) : frameMax - 8;
  if (chunk <= 0) throw new AmqpCodecError(ReplyCodes.INTERNAL_ERROR, `frame_max ${frameMax} leaves no room for a body`);
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += chunk) parts.push(body.subarray(at, at + chunk));
  return parts;
}
