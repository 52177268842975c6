/**
 * Protocol as data. A message is declared as in Apache Kafka's JSON message definitions
 * (clients/src/main/resources/common/message/*.json): fields with `versions`,
 * `nullableVersions`, `taggedVersions` + `tag`, nested struct arrays and defaults, under the
 * message's `validVersions` and `flexibleVersions`. One generic decode/encode walks a
 * declaration for one version, as Kafka's generated Message.read/write classes do; values are
 * plain objects whose keys are the field names (camelCase here), int64 as bigint, bytes as Buffer.
 */
import { KafkaProtocolError } from './protocol-error.js';
import type { Reader } from './reader.js';
import { inVersions, type Versions } from './versions.js';
import { Writer } from './writer.js';
import { ZERO_UUID } from './reader.js';

export type PrimitiveType =
  'int8' | 'int16' | 'int32' | 'int64' | 'uint16' | 'uint32' | 'float64' | 'bool' | 'string' | 'bytes' | 'records' | 'uuid';

export interface FieldSpec {
  readonly name: string;
  /** A primitive, `[]primitive`, `[]StructName` or `StructName` (the last two with `fields`). */
  readonly type: string;
  readonly versions: Versions;
  readonly nullableVersions?: Versions;
  readonly taggedVersions?: Versions;
  readonly tag?: number;
  /** Only "none": the field keeps its non-compact form in flexible versions (RequestHeader ClientId). */
  readonly flexibleVersions?: 'none';
  readonly default?: number | bigint | string | boolean | null;
  /** Kafka's `ignorable`: a non-default value is dropped, not refused, in versions without the field. */
  readonly ignorable?: boolean;
  readonly fields?: readonly FieldSpec[];
}

export interface MessageSpec {
  readonly name: string;
  readonly apiKey?: number;
  readonly type: 'request' | 'response' | 'header' | 'data';
  readonly validVersions: Versions;
  readonly flexibleVersions: Versions;
  readonly fields: readonly FieldSpec[];
}

/** Declares a message; `const` keeps the literal field names and types for the value types below. */
export function defineMessage<const M extends MessageSpec>(spec: M): M { return spec; }

// ---- value types derived from a declaration -------------------------------------------------

type ScalarValue<T> = T extends 'int8' | 'int16' | 'int32' | 'uint16' | 'uint32' | 'float64' ? number
  : T extends 'int64' ? bigint : T extends 'bool' ? boolean : T extends 'string' | 'uuid' ? string
    : T extends 'bytes' | 'records' ? Buffer : never;
type OrNull<F, V> = F extends { nullableVersions: string } ? V | null : F extends { type: 'records' } ? V | null : V;
type FieldValue<F> = F extends { fields: infer S extends readonly FieldSpec[] }
  ? (F extends { type: `[]${string}` } ? StructValue<S>[] : StructValue<S>)
  : F extends { type: `[]${infer E}` } ? ScalarValue<E>[] : F extends { type: infer T } ? ScalarValue<T> : never;
type FieldInput<F> = F extends { fields: infer S extends readonly FieldSpec[] }
  ? (F extends { type: `[]${string}` } ? readonly StructInput<S>[] : StructInput<S>)
  : F extends { type: `[]${infer E}` } ? readonly ScalarValue<E>[] : F extends { type: infer T } ? ScalarValue<T> : never;

/** A declared struct's value; for an undeclared (general) MessageSpec, any plain object. */
export type StructValue<S extends readonly FieldSpec[]> = string extends S[number]['name'] ? Record<string, unknown>
  : { [F in S[number] as F['name']]: OrNull<F, FieldValue<F>> };
/** What encode accepts: every field may be left out and then takes its default, as in Kafka's generated classes. */
export type StructInput<S extends readonly FieldSpec[]> = string extends S[number]['name'] ? Record<string, unknown>
  : { [F in S[number] as F['name']]?: OrNull<F, FieldInput<F>> };
export type MessageValue<M extends MessageSpec> = StructValue<M['fields']>;
export type MessageInput<M extends MessageSpec> = StructInput<M['fields']>;

// ---- plans: a declaration resolved for one version --------------------------------------------

interface FieldPlan {
  readonly spec: FieldSpec;
  readonly name: string;
  readonly element: PrimitiveType | StructPlan;
  readonly array: boolean;
  readonly nullable: boolean;
  /** Compact strings, bytes and arrays: the version is flexible and the field does not opt out. */
  readonly compact: boolean;
}

interface StructPlan {
  readonly what: string;
  readonly version: number;
  readonly flexible: boolean;
  readonly regular: readonly FieldPlan[];
  /** Tagged fields of this version by tag, ascending. */
  readonly tagged: ReadonlyMap<number, FieldPlan>;
  /** Fields that this version does not carry: decode fills their defaults, encode checks them. */
  readonly absent: readonly FieldSpec[];
}

const PRIMITIVES = new Set<string>(['int8', 'int16', 'int32', 'int64', 'uint16', 'uint32', 'float64', 'bool', 'string', 'bytes', 'records', 'uuid']);

function planStruct(what: string, fields: readonly FieldSpec[], version: number, flexible: boolean): StructPlan {
  const regular: FieldPlan[] = [];
  const tagged = new Map<number, FieldPlan>();
  const absent: FieldSpec[] = [];
  for (const spec of fields) {
    if (!inVersions(spec.versions, version)) { absent.push(spec); continue; }
    const array = spec.type.startsWith('[]');
    const base = array ? spec.type.slice(2) : spec.type;
    if (spec.fields === undefined && !PRIMITIVES.has(base)) throw new KafkaProtocolError(`${what}.${spec.name}: unknown type ${spec.type}`);
    const element = spec.fields ? planStruct(`${what}.${spec.name}`, spec.fields, version, flexible) : base as PrimitiveType;
    const nullable = inVersions(spec.nullableVersions, version) || base === 'records' && !array;
    if (nullable && spec.fields && !array) throw new KafkaProtocolError(`${what}.${spec.name}: nullable structs are not supported`);
    const plan = { spec, name: spec.name, element, array, nullable, compact: flexible && spec.flexibleVersions !== 'none' };
    if (flexible && spec.tag !== undefined && inVersions(spec.taggedVersions, version)) tagged.set(spec.tag, plan);
    else regular.push(plan);
  }
  return { what, version, flexible, regular, tagged: new Map([...tagged].sort((a, b) => a[0] - b[0])), absent };
}

const plans = new WeakMap<MessageSpec, Map<number, StructPlan>>();

function planFor(message: MessageSpec, version: number): StructPlan {
  let byVersion = plans.get(message);
  if (!byVersion) plans.set(message, byVersion = new Map());
  let plan = byVersion.get(version);
  if (!plan) {
    if (!Number.isInteger(version) || !inVersions(message.validVersions, version)) {
      throw new KafkaProtocolError(`${message.name} has no version ${version} (valid: ${message.validVersions})`);
    }
    plan = planStruct(message.name, message.fields, version, inVersions(message.flexibleVersions, version));
    byVersion.set(version, plan);
  }
  return plan;
}

/** Whether a message declares `version` (its validVersions). */
export function hasVersion(message: MessageSpec, version: number): boolean {
  return Number.isInteger(version) && inVersions(message.validVersions, version);
}

// ---- defaults -------------------------------------------------------------------------------

function scalarDefault(type: PrimitiveType, given: FieldSpec['default']): unknown {
  if (given === null) return null;
  switch (type) {
    case 'int64': return given === undefined ? 0n : BigInt(given as number | bigint | string);
    case 'bool': return given === undefined ? false : given === true || given === 'true';
    case 'string': return given === undefined ? '' : String(given);
    case 'uuid': return ZERO_UUID;
    case 'bytes': return Buffer.alloc(0);
    case 'records': return null;
    default: return given === undefined ? 0 : Number(given);
  }
}

function specDefault(spec: FieldSpec): unknown {
  if (spec.type.startsWith('[]')) return spec.default === null ? null : [];
  if (spec.fields) return structDefault(spec.fields);
  return scalarDefault(spec.type as PrimitiveType, spec.default);
}

function structDefault(fields: readonly FieldSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f.name] = specDefault(f);
  return out;
}

function isDefault(spec: FieldSpec, value: unknown): boolean {
  if (value === undefined) return true;
  const dflt = specDefault(spec);
  if (Array.isArray(dflt)) return Array.isArray(value) && value.length === 0;
  if (Buffer.isBuffer(dflt)) return value instanceof Uint8Array && value.length === 0;
  if (spec.fields && !spec.type.startsWith('[]')) {
    return spec.fields.every((f) => isDefault(f, (value as Record<string, unknown>)[f.name]));
  }
  return value === dflt;
}

// ---- decode ---------------------------------------------------------------------------------

function readScalar(r: Reader, type: PrimitiveType, nullable: boolean, compact: boolean): unknown {
  switch (type) {
    case 'int8': return r.int8();
    case 'int16': return r.int16();
    case 'int32': return r.int32();
    case 'int64': return r.int64();
    case 'uint16': return r.uint16();
    case 'uint32': return r.uint32();
    case 'float64': return r.float64();
    case 'bool': return r.bool();
    case 'uuid': return r.uuid();
    case 'string':
      if (compact) return nullable ? r.compactNullableString() : r.compactString();
      return nullable ? r.nullableString() : r.string();
    case 'bytes': case 'records':
      if (compact) return nullable ? r.compactNullableBytes() : r.compactBytes();
      return nullable ? r.nullableBytes() : r.bytes();
  }
}

function readElement(r: Reader, element: PrimitiveType | StructPlan, compact: boolean): unknown {
  return typeof element === 'string' ? readScalar(r, element, false, compact) : readStruct(r, element);
}

function readField(r: Reader, f: FieldPlan): unknown {
  if (!f.array) return typeof f.element === 'string' ? readScalar(r, f.element, f.nullable, f.compact) : readStruct(r, f.element);
  const n = r.arrayLength(f.compact, f.nullable);
  if (n === null) return null;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = readElement(r, f.element, f.compact);
  return out;
}

function readStruct(r: Reader, plan: StructPlan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of plan.regular) out[f.name] = readField(r, f);
  for (const spec of plan.absent) out[spec.name] = specDefault(spec);
  if (plan.flexible) {
    for (const f of plan.tagged.values()) out[f.name] = specDefault(f.spec);
    r.taggedFields((tag, payload) => {
      const f = plan.tagged.get(tag);
      if (f === undefined) return false;
      out[f.name] = readField(payload, f);
      return true;
    });
  }
  return out;
}

/** Reads one `message` body of `version`; fails only with KafkaProtocolError. */
export function decode<M extends MessageSpec>(message: M, version: number, r: Reader): MessageValue<M> {
  return readStruct(r, planFor(message, version)) as MessageValue<M>;
}

// ---- encode ---------------------------------------------------------------------------------

function writeScalar(w: Writer, type: PrimitiveType, value: unknown, f: FieldPlan, what: string): void {
  if (value === null && (!f.nullable || type !== 'string' && type !== 'bytes' && type !== 'records')) {
    throw new KafkaProtocolError(`${what}: null in a version where it is not nullable`);
  }
  switch (type) {
    case 'int8': w.int8(value as number); return;
    case 'int16': w.int16(value as number); return;
    case 'int32': w.int32(value as number); return;
    case 'int64': w.int64(value as bigint); return;
    case 'uint16': w.uint16(value as number); return;
    case 'uint32': w.uint32(value as number); return;
    case 'float64': w.float64(value as number); return;
    case 'bool': w.bool(value as boolean); return;
    case 'uuid': w.uuid(value as string); return;
    case 'string': w.string(value as string | null, f.compact); return;
    case 'bytes': case 'records': w.bytes(value as Uint8Array | null, f.compact); return;
  }
}

function writeField(w: Writer, f: FieldPlan, given: unknown, what: string): void {
  const value = given === undefined ? specDefault(f.spec) : given;
  if (!f.array) {
    if (typeof f.element === 'string') writeScalar(w, f.element, value, f, what);
    else writeStruct(w, f.element, value, what);
    return;
  }
  if (value === null) {
    if (!f.nullable) throw new KafkaProtocolError(`${what}: null array in a version where it is not nullable`);
    w.arrayLength(null, f.compact);
    return;
  }
  if (!Array.isArray(value)) throw new KafkaProtocolError(`${what}: expected an array`);
  w.arrayLength(value.length, f.compact);
  const element = { ...f, array: false, nullable: false };
  value.forEach((item, i) => writeField(w, element, item, `${what}[${i}]`));
}

function writeStruct(w: Writer, plan: StructPlan, value: unknown, what: string): void {
  if (value === null || typeof value !== 'object') throw new KafkaProtocolError(`${what}: expected an object`);
  const struct = value as Record<string, unknown>;
  for (const spec of plan.absent) {
    // Kafka's generated write(): a non-default value of a field this version lacks is an error
    // (UnsupportedVersionException) unless the field is ignorable.
    if (!spec.ignorable && !isDefault(spec, struct[spec.name])) {
      throw new KafkaProtocolError(`${what}.${spec.name} is not in version ${plan.version} and is not ignorable`);
    }
  }
  for (const f of plan.regular) writeField(w, f, struct[f.name], `${what}.${f.name}`);
  if (!plan.flexible) return;
  const present = [...plan.tagged].filter(([, f]) => !isDefault(f.spec, struct[f.name]));
  w.unsignedVarint(present.length);
  for (const [tag, f] of present) {
    const payload = new Writer(64);
    writeField(payload, f, struct[f.name], `${what}.${f.name}`);
    w.unsignedVarint(tag).unsignedVarint(payload.length).raw(payload.finish());
  }
}

/** Writes one `message` body of `version`; a value the version cannot carry is a KafkaProtocolError. */
export function encode<M extends MessageSpec>(message: M, version: number, value: MessageInput<M>, w: Writer): void {
  const plan = planFor(message, version);
  writeStruct(w, plan, value, message.name);
}
