import type { FastifyRequest } from 'fastify';
import { ErrorCode as E } from '../../errors.js';
import { DEFAULT_GROUP, groupedName } from '../../model/naming/keys.js';
import { Params } from '../../params.js';
import { NamingError } from './errors.js';

const INT = /^[+-]?\d+$/;
const TRUE_WORDS = new Set(['true', 'on', 'yes', 'y', 't']);

/**
 * Request parameters with Nacos naming's wording: v1 `WebUtils.required` says
 * "Param 'x' is required.", v2 forms say "Required parameter 'x' type String is not present";
 * Java's number parsing says `For input string: "x"`. Values are trimmed like WebUtils does.
 */
export class NamingParams {
  private readonly p: Params;
  constructor(req: FastifyRequest, readonly v2 = req.url.startsWith('/nacos/v2/')) { this.p = new Params(req); }

  optional(name: string, fallback = ''): string {
    const v = this.p.optional(name)?.trim();
    return v === undefined || v === '' ? fallback : v;
  }

  required(name: string, type = 'String'): string {
    const v = this.optional(name);
    if (v !== '') return v;
    if (this.v2) throw new NamingError(400, `Required parameter '${name}' type ${type} is not present`, E.PARAMETER_MISSING);
    throw new NamingError(400, `Param '${name}' is required.`, E.PARAMETER_MISSING);
  }

  /** Spring @RequestParam on v1 service routes: MissingServletRequestParameterException's text. */
  requestParam(name: string): string {
    const v = this.optional(name);
    if (v !== '') return v;
    if (this.v2) return this.required(name);
    throw new NamingError(400, `Parameter '${name}' is missing`, E.PARAMETER_MISSING);
  }

  int(name: string, fallback?: number): number {
    if (fallback !== undefined && this.optional(name) === '') return fallback;
    const v = fallback === undefined ? this.required(name, 'Integer') : this.optional(name);
    const n = Number(v);
    if (!INT.test(v) || n > 2 ** 31 - 1 || n < -(2 ** 31)) throw new NamingError(400, `For input string: "${v}"`);
    return n;
  }

  double(name: string, fallback?: number): number {
    const v = fallback === undefined ? this.required(name, 'Double') : this.optional(name, String(fallback));
    const n = Number(v);
    if (v === '' || !Number.isFinite(n)) throw new NamingError(400, `For input string: "${v}"`);
    return n;
  }

  /** ConvertUtils.toBoolean (true/on/yes/y/t). */
  bool(name: string, fallback: boolean): boolean {
    const v = this.optional(name);
    return v === '' ? fallback : TRUE_WORDS.has(v.toLowerCase());
  }

  namespaceId(): string { return this.optional('namespaceId', 'public'); }

  /**
   * v1: ServiceNameFilter prefixes `groupName@@` (default DEFAULT_GROUP) when serviceName has no
   * group, then NamingUtils.checkServiceNameFormat. v2: serviceName and groupName are separate.
   */
  groupedServiceName(required?: (name: string) => string): string {
    const raw = required ? required('serviceName') : this.required('serviceName');
    const group = this.optional('groupName', DEFAULT_GROUP);
    const grouped = this.v2 || !raw.includes('@@') ? groupedName(raw, group) : raw;
    checkServiceNameFormat(grouped);
    return grouped;
  }
}

/** NamingUtils.checkServiceNameFormat (Java split drops trailing empty parts). Nacos throws
 *  IllegalArgumentException, which v2 answers as PARAMETER_VALIDATE_ERROR (it never uses
 *  SERVICE_NAME_ERROR). */
export function checkServiceNameFormat(grouped: string): void {
  // The usual `group@@name`: one separator, text on both sides (what split would find valid).
  const at = grouped.indexOf('@@');
  if (at > 0 && at + 2 < grouped.length && grouped.indexOf('@@', at + 2) < 0) return;
  const parts = grouped.split('@@');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length <= 1) {
    throw new NamingError(400, "Param 'serviceName' is illegal, it should be format as 'groupName@@serviceName'", E.PARAMETER_VALIDATE_ERROR);
  }
  if (parts[0] === '') throw new NamingError(400, "Param 'serviceName' is illegal, groupName can't be empty", E.PARAMETER_VALIDATE_ERROR);
}

/** UtilsAndCommons.parseMetadata: a JSON object, else `k=v,k=v`. */
export function parseMetadata(raw: string): Record<string, string> {
  if (raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
        out[k] = v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      }
      return out;
    }
  } catch { /* fall through to k=v pairs, as Nacos does */ }
  const out: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const kv = pair.split('=');
    if (kv.length !== 2) throw new NamingError(400, `metadata format incorrect:${raw}`, E.INSTANCE_METADATA_ERROR);
    out[kv[0]!] = kv[1]!;
  }
  return out;
}
