/**
 * Random values for a declared message at one version, from the declaration alone: every field the
 * version carries gets a value of its type (null sometimes where the version allows it), fields it
 * does not carry are left out. Used by the round-trip and fuzz tests.
 */
import type { FieldSpec, MessageSpec } from '../../src/kafka/protocol/schema.js';
import { inVersions } from '../../src/kafka/protocol/versions.js';

type Random = () => number;

function int(random: Random, bits: number, signed = true): number {
  const span = 2 ** bits;
  const n = Math.floor(random() * span);
  return signed ? n - span / 2 : n;
}

function scalar(type: string, random: Random, flexible: boolean): unknown {
  switch (type) {
    case 'int8': return int(random, 8);
    case 'int16': return int(random, 16);
    case 'int32': return int(random, 32);
    case 'uint16': return int(random, 16, false);
    case 'uint32': return int(random, 32, false);
    case 'int64': return BigInt(int(random, 32)) * 4294967296n + BigInt(int(random, 32, false));
    case 'float64': return random() * 1e6;
    case 'bool': return random() < 0.5;
    case 'uuid': return Buffer.from(Array.from({ length: 16 }, () => int(random, 8, false))).toString('base64url');
    case 'string': return ['', 'a', 'topic-é', 'x'.repeat(flexible ? 300 : 40)][Math.floor(random() * 4)];
    case 'bytes': case 'records': return Buffer.from(Array.from({ length: Math.floor(random() * 20) }, () => int(random, 8, false)));
    default: throw new Error(`no sample for ${type}`);
  }
}

function fieldValue(spec: FieldSpec, version: number, flexible: boolean, random: Random, depth: number): unknown {
  const nullable = inVersions(spec.nullableVersions, version);
  if (nullable && random() < 0.25) return null;
  if (!spec.type.startsWith('[]')) return spec.fields ? struct(spec.fields, version, flexible, random, depth + 1) : scalar(spec.type, random, flexible);
  const n = depth > 3 ? 0 : Math.floor(random() * 3);
  return Array.from({ length: n }, () => (spec.fields
    ? struct(spec.fields, version, flexible, random, depth + 1)
    : scalar(spec.type.slice(2), random, flexible)));
}

export function struct(fields: readonly FieldSpec[], version: number, flexible: boolean, random: Random, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (inVersions(f.versions, version)) out[f.name] = fieldValue(f, version, flexible, random, depth);
  return out;
}

export function sampleValue(spec: MessageSpec, version: number, random: Random): Record<string, unknown> {
  return struct(spec.fields, version, inVersions(spec.flexibleVersions, version), random);
}

/** Every version a message declares. */
export function versionsOf(spec: MessageSpec): number[] {
  const [min, max] = spec.validVersions.split('-').map(Number);
  return Array.from({ length: (max ?? min!) - min! + 1 }, (_, i) => min! + i);
}

/** Keeps only the keys of `value` that `sample` has, recursively (drops the defaults decode fills in). */
export function sameShape(value: unknown, sample: unknown): unknown {
  if (Array.isArray(sample) && Array.isArray(value)) return value.map((v, i) => sameShape(v, sample[i]));
  if (sample && typeof sample === 'object' && !Buffer.isBuffer(sample) && value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(sample).map((k) => [k, sameShape((value as Record<string, unknown>)[k], (sample as Record<string, unknown>)[k])]));
  }
  return value;
}
