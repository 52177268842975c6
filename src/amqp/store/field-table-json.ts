import { StorageError } from '../../core/errors.js';
import type { FieldTable, FieldValue } from '../protocol/field-table.js';

/**
 * FieldTables as JSON, two ways.
 *
 * Tagged (what the definitions log and snapshots hold): every value keeps its AMQP tag, so a
 * table read back is the table declared, bit for bit — a redeclare compares equal and a delivery
 * re-encodes the same bytes. A table is [[name, value]…] (order and duplicates kept), a value
 * [tag, …]: ['t', bool], ['b'|'B'|'s'|'u'|'I'|'i', n], ['f'|'d', n | 'NaN' | 'Infinity' |
 * '-Infinity' | '-0'] (what JSON numbers cannot carry), ['l'|'L'|'T', decimal string],
 * ['D', scale, value], ['S'|'x', text] for UTF-8 that re-encodes to the same bytes, else
 * ['S'|'x', base64, 'base64'], ['A', [value…]], ['F', table], ['V'].
 *
 * Plain (what RabbitMQ's management API and definitions export show, rabbit_misc:amqp_table):
 * an object, the last of duplicate names winning (maps:from_list); strings as text, or
 * "Not UTF-8, base64 is: …" (utf8_safe, lines of 76); a decimal as the float "Scale.Value"
 * (amqp_value(decimal, {Before, After}) formats "~p.~p"); and back (rabbit_misc:to_amqp_table):
 * objects → F, arrays → A, strings → S, integers → l, other numbers → d, booleans → t.
 */
export type TaggedValue = readonly unknown[];
export type TaggedTable = readonly (readonly [string, TaggedValue])[];
export type PlainJson = null | boolean | number | string | PlainJson[] | { [name: string]: PlainJson };

const SPECIAL_NUMBERS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

function encodeFloat(n: number): number | string {
  if (Number.isFinite(n) && !Object.is(n, -0)) return n;
  return Object.is(n, -0) ? '-0' : String(n);
}

function encodeBytes(tag: 'S' | 'x', bytes: Buffer): TaggedValue {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? [tag, text] : [tag, bytes.toString('base64'), 'base64'];
}

export function fieldValueToTagged(v: FieldValue): TaggedValue {
  switch (v.type) {
    case 't': case 'b': case 'B': case 's': case 'u': case 'I': case 'i': return [v.type, v.value];
    case 'f': case 'd': return [v.type, encodeFloat(v.value)];
    case 'l': case 'L': case 'T': return [v.type, v.value.toString()];
    case 'D': return ['D', v.scale, v.value];
    case 'S': case 'x': return encodeBytes(v.type, v.value);
    case 'A': return ['A', v.value.map(fieldValueToTagged)];
    case 'F': return ['F', fieldTableToTagged(v.value)];
    case 'V': return ['V'];
  }
}

export function fieldTableToTagged(table: FieldTable): TaggedTable {
  return table.map(([name, value]) => [name, fieldValueToTagged(value)] as const);
}

function bad(what: string): StorageError {
  return new StorageError(`tagged field value: ${what}`);
}

function integer(x: unknown, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) throw bad(`${JSON.stringify(x)} is not an integer in ${min}..${max}`);
  return x;
}

function float(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && x in SPECIAL_NUMBERS) return SPECIAL_NUMBERS[x]!;
  throw bad(`${JSON.stringify(x)} is not a number`);
}

function big(x: unknown, unsigned: boolean): bigint {
  if (typeof x !== 'string' || !/^-?\d+$/.test(x)) throw bad(`${JSON.stringify(x)} is not a decimal integer`);
  const n = BigInt(x);
  const [min, max] = unsigned ? [0n, (1n << 64n) - 1n] : [-(1n << 63n), (1n << 63n) - 1n];
  if (n < min || n > max) throw bad(`${x} is out of range`);
  return n;
}

const INT_RANGES: Record<string, readonly [number, number]> = {
  b: [-128, 127], B: [0, 255], s: [-32768, 32767], u: [0, 65535], I: [-(2 ** 31), 2 ** 31 - 1], i: [0, 2 ** 32 - 1],
};

export function taggedToFieldValue(t: unknown, depth = 0): FieldValue {
  if (!Array.isArray(t) || typeof t[0] !== 'string') throw bad(`${JSON.stringify(t)} is not [tag, …]`);
  if (depth > 100) throw bad('nested deeper than 100');
  const [tag, a, b] = t as [string, unknown, unknown];
  switch (tag) {
    case 't': if (typeof a !== 'boolean') throw bad('t takes a boolean'); return { type: 't', value: a };
    case 'b': case 'B': case 's': case 'u': case 'I': case 'i': return { type: tag, value: integer(a, ...INT_RANGES[tag]!) };
    case 'f': case 'd': return { type: tag, value: float(a) };
    case 'l': case 'L': return { type: tag, value: big(a, false) };
    case 'T': return { type: 'T', value: big(a, true) };
    case 'D': return { type: 'D', scale: integer(a, 0, 255), value: integer(b, 0, 2 ** 32 - 1) };
    case 'S': case 'x':
      if (typeof a !== 'string') throw bad(`${tag} takes a string`);
      return { type: tag, value: b === 'base64' ? Buffer.from(a, 'base64') : Buffer.from(a, 'utf8') };
    case 'A': if (!Array.isArray(a)) throw bad('A takes a list'); return { type: 'A', value: a.map((x) => taggedToFieldValue(x, depth + 1)) };
    case 'F': return { type: 'F', value: taggedToFieldTable(a, depth + 1) };
    case 'V': return { type: 'V' };
    default: throw bad(`unknown tag ${JSON.stringify(tag)}`);
  }
}

export function taggedToFieldTable(t: unknown, depth = 0): FieldTable {
  if (!Array.isArray(t)) throw bad('a table is a list of [name, value]');
  return t.map((entry: unknown) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') throw bad(`${JSON.stringify(entry)} is not [name, value]`);
    return [entry[0], taggedToFieldValue(entry[1], depth)] as const;
  });
}

/** rabbit_misc:utf8_safe: the text, or "Not UTF-8, base64 is: " + base64 cut into lines of 76. */
function utf8Safe(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(bytes)) return text;
  return `Not UTF-8, base64 is: ${(bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\n')}`;
}

/** A bigint as a JSON number (exact below 2^53, as JSON readers see any number). */
function plainNumber(n: bigint): number { return Number(n); }

export function fieldValueToPlain(v: FieldValue): PlainJson {
  switch (v.type) {
    case 'l': case 'L': case 'T': return plainNumber(v.value);
    case 'D': return Number(`${v.scale}.${v.value}`);
    case 'S': case 'x': return utf8Safe(v.value);
    case 'A': return v.value.map(fieldValueToPlain);
    case 'F': return fieldTableToPlain(v.value);
    // void: RabbitMQ's value is the atom undefined; JSON has null for it.
    case 'V': return null;
    default: return v.value;
  }
}

export function fieldTableToPlain(table: FieldTable): { [name: string]: PlainJson } {
  const out: { [name: string]: PlainJson } = {};
  for (const [name, value] of table) out[name] = fieldValueToPlain(value);
  return out;
}

/** JSON arguments (management API, definitions import) as a table (rabbit_misc:to_amqp_table);
 *  null is refused as RabbitMQ refuses it (null_not_allowed). */
export function plainToFieldValue(x: unknown): FieldValue {
  if (x === null || x === undefined) throw bad('null is not allowed (RabbitMQ: null_not_allowed)');
  if (Array.isArray(x)) return { type: 'A', value: x.map(plainToFieldValue) };
  switch (typeof x) {
    case 'boolean': return { type: 't', value: x };
    case 'string': return { type: 'S', value: Buffer.from(x, 'utf8') };
    case 'number': return Number.isInteger(x) ? { type: 'l', value: BigInt(x) } : { type: 'd', value: x };
    case 'object': return { type: 'F', value: plainToFieldTable(x as Record<string, unknown>) };
    default: throw bad(`unhandled type ${typeof x}`);
  }
}

export function plainToFieldTable(obj: Record<string, unknown>): FieldTable {
  return Object.entries(obj).map(([name, value]) => [name, plainToFieldValue(value)] as const);
}

/** Tables compare as RabbitMQ compares binding arguments: fields sorted by name
 *  (rabbit_misc:sort_field_table), then exactly. The key is the sorted tagged JSON. */
export function fieldTableKey(table: FieldTable): string {
  // Erlang compares the names' bytes (lists:keysort on binaries); the sort is stable, as keysort.
  const sorted = [...table].sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  return JSON.stringify(fieldTableToTagged(sorted));
}
