import { AmqpCodecError } from './errors.js';
import { type FieldTable, readTable, writeTable } from './field-table.js';
import type { ArgType, MethodSpec } from './method-spec.js';
import { AmqpReader } from './reader.js';
import { ReplyCodes } from './reply-codes.js';
import { METHOD_SPECS } from './spec-table.js';
import { AmqpWriter } from './writer.js';

/**
 * One generic encoder/decoder over the method table (spec-table.ts). Argument values by wire type:
 * bit → boolean, octet/short/long → number, longlong/timestamp → bigint, shortstr → string,
 * longstr → Buffer (a string is accepted on encode), table → FieldTable.
 */
export type ArgValue = boolean | number | bigint | string | Buffer | FieldTable;
export type MethodArgs = Readonly<Record<string, ArgValue>>;

export interface DecodedMethod { readonly spec: MethodSpec; readonly args: MethodArgs }

const key = (classId: number, methodId: number) => (classId << 16) | methodId;
const byId = new Map<number, MethodSpec>(METHOD_SPECS.map((m) => [key(m.classId, m.methodId), m]));
const byName = new Map<string, MethodSpec>(METHOD_SPECS.map((m) => [`${m.className}.${m.name}`, m]));

export function methodSpec(classId: number, methodId: number): MethodSpec | undefined {
  return byId.get(key(classId, methodId));
}

/** `methodByName('queue.declare')`; throws on a name the spec does not have (a programming error). */
export function methodByName(name: string): MethodSpec {
  const spec = byName.get(name);
  if (spec === undefined) throw new AmqpCodecError(ReplyCodes.INTERNAL_ERROR, `no AMQP method ${name}`);
  return spec;
}

/** The `-ok` the peer must answer with, or undefined for async methods. */
export function replySpec(spec: MethodSpec): MethodSpec | undefined {
  return spec.reply === null ? undefined : methodSpec(spec.classId, spec.reply);
}

/** Method payload: class-id u16, method-id u16, then the arguments; bits packed LSB first (§4.2.5.2). */
export function decodeMethodPayload(payload: Buffer): DecodedMethod {
  const r = new AmqpReader(payload);
  const classId = r.u16();
  const methodId = r.u16();
  const spec = methodSpec(classId, methodId);
  // RabbitMQ: rabbit_framing lookup_method_name fails → COMMAND_INVALID "unknown_method_id".
  if (spec === undefined) {
    throw new AmqpCodecError(ReplyCodes.COMMAND_INVALID, `unknown method ${classId}/${methodId}`, classId, methodId);
  }
  const args: Record<string, ArgValue> = {};
  let bitOctet = 0;
  let bitIndex = 8;
  for (const [name, type] of spec.args) {
    if (type === 'bit') {
      if (bitIndex === 8) { bitOctet = r.u8(); bitIndex = 0; }
      args[name] = (bitOctet & (1 << bitIndex++)) !== 0;
      continue;
    }
    bitIndex = 8;
    args[name] = readArg(r, type);
  }
  // RabbitMQ decodes each method with an exact binary pattern, so trailing bytes are a frame error too.
  if (r.remaining !== 0) {
    throw new AmqpCodecError(ReplyCodes.FRAME_ERROR, `${r.remaining} trailing bytes after ${spec.className}.${spec.name}`, classId, methodId);
  }
  return { spec, args };
}

function readArg(r: AmqpReader, type: Exclude<ArgType, 'bit'>): ArgValue {
  switch (type) {
    case 'octet': return r.u8();
    case 'short': return r.u16();
    case 'long': return r.u32();
    case 'longlong': case 'timestamp': return r.u64();
    case 'shortstr': return r.shortstr();
    case 'longstr': return r.longstr();
    case 'table': return readTable(r);
  }
}

/** Encodes a method payload; missing arguments take the zero of their type (0, '', false, {}). */
export function encodeMethodPayload(spec: MethodSpec | string, args: MethodArgs = {}): Buffer {
  const method = typeof spec === 'string' ? methodByName(spec) : spec;
  const w = new AmqpWriter(64);
  w.u16(method.classId).u16(method.methodId);
  let bitOctet = 0;
  let bitIndex = 0;
  const flushBits = () => { if (bitIndex > 0) { w.u8(bitOctet); bitOctet = 0; bitIndex = 0; } };
  for (const [name, type] of method.args) {
    const value = args[name];
    if (type === 'bit') {
      if (value === true) bitOctet |= 1 << bitIndex;
      if (++bitIndex === 8) flushBits();
      continue;
    }
    flushBits();
    writeArg(w, type, value);
  }
  flushBits();
  return w.toBuffer();
}

function writeArg(w: AmqpWriter, type: Exclude<ArgType, 'bit'>, value: ArgValue | undefined): void {
  switch (type) {
    case 'octet': w.u8(Number(value ?? 0)); break;
    case 'short': w.u16(Number(value ?? 0)); break;
    case 'long': w.u32(Number(value ?? 0)); break;
    case 'longlong': case 'timestamp': w.u64(BigInt((value as bigint | number | undefined) ?? 0n)); break;
    case 'shortstr': w.shortstr(typeof value === 'string' ? value : ''); break;
    case 'longstr': w.longstr(typeof value === 'string' || Buffer.isBuffer(value) ? value : Buffer.alloc(0)); break;
    case 'table': writeTable(w, Array.isArray(value) ? value as FieldTable : []); break;
  }
}
