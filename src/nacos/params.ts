import type { FastifyRequest } from 'fastify';
import { ErrorCode, NacosError } from './errors.js';

type Source = Readonly<Record<string, unknown>> | undefined;

function source(value: unknown): Source {
  return value && typeof value === 'object' ? value as Record<string, unknown> : undefined;
}

/** A parameter as Nacos reads it: the first of repeated values, as a string; absent for null. */
function valueIn(src: Source, name: string): string | undefined {
  if (!src) return undefined;
  // Most names asked for are absent: look once, and check ownership only for a value found.
  const v = src[name];
  if (v === undefined || v === null || !Object.hasOwn(src, name)) return undefined;
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? String(v[0]) : String(v);
}

/**
 * Nacos reads every parameter from the query string or the form body alike; a body value wins.
 * Values are looked up on demand (a request reads a handful of its parameters, and reads on the
 * hot paths should not copy them all); all() builds the merged map once when a route needs it.
 */
export class Params {
  private readonly query: Source;
  private readonly body: Source;
  private merged: Record<string, string> | undefined;

  constructor(req: FastifyRequest) {
    this.query = source(req.query);
    this.body = source(req.body);
  }

  private get(name: string): string | undefined {
    return valueIn(this.body, name) ?? valueIn(this.query, name);
  }

  /** The value as sent, empty string included (Spring @RequestParam: present even when blank). */
  raw(name: string): string | undefined {
    return this.get(name);
  }

  optional(name: string, fallback?: string): string | undefined {
    const v = this.get(name);
    return v === undefined || v === '' ? fallback : v;
  }
  /** Missing or blank → 400, worded as Nacos words it. */
  required(name: string): string {
    const v = this.optional(name);
    if (v === undefined) throw new NacosError(400, `Required parameter '${name}' type String is not present`, ErrorCode.PARAMETER_MISSING);
    return v;
  }
  int(name: string, fallback: number): number {
    const v = this.optional(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new NacosError(400, `caused: ${name} is not a valid integer: ${v};`);
    return n;
  }
  all(): Readonly<Record<string, string>> {
    if (this.merged) return this.merged;
    const merged: Record<string, string> = {};
    for (const src of [this.query, this.body]) {
      if (!src) continue;
      for (const k of Object.keys(src)) {
        const v = valueIn(src, k);
        if (v !== undefined) merged[k] = v;
      }
    }
    this.merged = merged;
    return merged;
  }
}
