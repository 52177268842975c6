import { AmqpCodecError } from './errors.js';
import { AmqpReader } from './reader.js';
import { ReplyCodes } from './reply-codes.js';
import { AmqpWriter } from './writer.js';

/**
 * Field values as RabbitMQ reads and writes them (rabbit_binary_parser parse_table,
 * rabbit_binary_generator field_value_to_binary; research amqp.md §1 table). Each value keeps its
 * tag so a table re-encodes byte for byte (headers are echoed on deliver exactly as published).
 * `s` is a signed 16-bit int and `L` a signed 64-bit int, as in RabbitMQ (0-9-1 errata).
 */
export type FieldValue =
  | { readonly type: 't'; readonly value: boolean }
  | { readonly type: 'b' | 'B' | 's' | 'u' | 'I' | 'i' | 'f' | 'd'; readonly value: number }
  | { readonly type: 'l' | 'L' | 'T'; readonly value: bigint }
  | { readonly type: 'D'; readonly scale: number; readonly value: number }
  | { readonly type: 'S' | 'x'; readonly value: Buffer }
  | { readonly type: 'A'; readonly value: readonly FieldValue[] }
  | { readonly type: 'F'; readonly value: FieldTable }
  | { readonly type: 'V' };

/** Ordered entries: duplicates and order survive a round trip, as they do on the wire. */
export type FieldTable = readonly (readonly [string, FieldValue])[];

/**
 * Nesting limit for F and A. RabbitMQ has none (Erlang recursion is cheap); ours keeps a crafted
 * frame of nested tables from exhausting the JS stack. Real clients nest 2–3 levels (x-death).
 */
export const MAX_TABLE_DEPTH = 100;

const frameError = (detail: string) => new AmqpCodecError(ReplyCodes.FRAME_ERROR, detail);

export function readFieldValue(r: AmqpReader, depth = 0): FieldValue {
  const tag = String.fromCharCode(r.u8());
  switch (tag) {
    case 't': return { type: 't', value: r.u8() !== 0 };
    case 'b': return { type: 'b', value: r.i8() };
    case 'B': return { type: 'B', value: r.u8() };
    case 's': return { type: 's', value: r.i16() };
    case 'u': return { type: 'u', value: r.u16() };
    case 'I': return { type: 'I', value: r.i32() };
    case 'i': return { type: 'i', value: r.u32() };
    case 'l': return { type: 'l', value: r.i64() };
    case 'L': return { type: 'L', value: r.i64() };
    case 'T': return { type: 'T', value: r.u64() };
    case 'f': return { type: 'f', value: r.f32() };
    case 'd': return { type: 'd', value: r.f64() };
    case 'D': return { type: 'D', scale: r.u8(), value: r.u32() };
    case 'S': return { type: 'S', value: r.longstr() };
    case 'x': return { type: 'x', value: r.longstr() };
    case 'A': return { type: 'A', value: readArrayBody(new AmqpReader(r.longstr()), depth + 1) };
    case 'F': return { type: 'F', value: readTableBody(new AmqpReader(r.longstr()), depth + 1) };
    case 'V': return { type: 'V' };
    default: throw frameError(`unsupported table field type ${JSON.stringify(tag)}`);
  }
}

function checkDepth(depth: number): void {
  if (depth > MAX_TABLE_DEPTH) throw frameError(`field tables nested deeper than ${MAX_TABLE_DEPTH}`);
}

/** Reads fields until the reader is empty (the caller has cut the table's bytes out). */
export function readTableBody(r: AmqpReader, depth = 0): FieldTable {
  checkDepth(depth);
  const entries: [string, FieldValue][] = [];
  while (r.remaining > 0) entries.push([r.shortstr(), readFieldValue(r, depth)]);
  return entries;
}

function readArrayBody(r: AmqpReader, depth: number): FieldValue[] {
  checkDepth(depth);
  const values: FieldValue[] = [];
  while (r.remaining > 0) values.push(readFieldValue(r, depth));
  return values;
}

/** A table argument: u32 byte length, then fields. */
export function readTable(r: AmqpReader): FieldTable {
  return readTableBody(new AmqpReader(r.longstr()));
}

export function writeFieldValue(w: AmqpWriter, v: FieldValue): void {
  w.u8(v.type.charCodeAt(0));
  switch (v.type) {
    case 't': w.u8(v.value ? 1 : 0); break;
    case 'b': w.i8(v.value); break;
    case 'B': w.u8(v.value); break;
    case 's': w.i16(v.value); break;
    case 'u': w.u16(v.value); break;
    case 'I': w.i32(v.value); break;
    case 'i': w.u32(v.value); break;
    case 'l': case 'L': w.i64(v.value); break;
    case 'T': w.u64(v.value); break;
    case 'f': w.f32(v.value); break;
    case 'd': w.f64(v.value); break;
    case 'D': w.u8(v.scale).u32(v.value); break;
    case 'S': case 'x': w.longstr(v.value); break;
    case 'A': w.sized(() => { for (const item of v.value) writeFieldValue(w, item); }); break;
    case 'F': writeTable(w, v.value); break;
    case 'V': break;
  }
}

export function writeTable(w: AmqpWriter, table: FieldTable): void {
  w.sized(() => writeTableBody(w, table));
}

/** Fields without the length prefix (also AMQPLAIN's response format, amqp.md §3). */
export function writeTableBody(w: AmqpWriter, table: FieldTable): void {
  for (const [name, value] of table) { w.shortstr(name); writeFieldValue(w, value); }
}

export function tableGet(table: FieldTable, name: string): FieldValue | undefined {
  for (const [key, value] of table) if (key === name) return value;
  return undefined;
}

/**
 * The numeric value of any integer tag (b B s u I i l L), or undefined. RabbitMQ compares queue
 * and consumer arguments numerically whatever tag a client chose (amqplib sends 60000 as `I`,
 * 10 as `b`; pika `I` or `l`) — research amqp.md §1.
 */
export function fieldInteger(v: FieldValue | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  switch (v.type) {
    case 'b': case 'B': case 's': case 'u': case 'I': case 'i': return BigInt(v.value);
    case 'l': case 'L': return v.value;
    default: return undefined;
  }
}

/** The text of an S or x value (what clients send for string arguments), or undefined. */
export function fieldString(v: FieldValue | undefined): string | undefined {
  return v !== undefined && (v.type === 'S' || v.type === 'x') ? v.value.toString('utf8') : undefined;
}
