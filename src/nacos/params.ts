import type { FastifyRequest } from 'fastify';
import { ErrorCode, NacosError } from './errors.js';

/** Nacos reads every parameter from the query string or the form body alike. */
export class Params {
  private readonly values: Record<string, string>;
  constructor(req: FastifyRequest) {
    const merged: Record<string, string> = {};
    for (const source of [req.query, req.body]) {
      if (source && typeof source === 'object') {
        for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
          if (v === undefined || v === null) continue;
          merged[k] = Array.isArray(v) ? String(v[0]) : String(v);
        }
      }
    }
    this.values = merged;
  }
  optional(name: string, fallback?: string): string | undefined {
    const v = this.values[name];
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
  all(): Readonly<Record<string, string>> { return this.values; }
}
