import { ErrorCode, type ErrorCodeEntry, NacosError } from '../errors.js';

/**
 * Config parameter validation with Nacos's texts (config/server/utils/ParamUtils.java).
 * v1 answers 400 `caused: <message>;`; v2 answers PARAMETER_VALIDATE_ERROR with <message> as data.
 */
export class ConfigParamError extends NacosError {
  constructor(detail: string, status = 400, v2Code: ErrorCodeEntry = ErrorCode.PARAMETER_VALIDATE_ERROR) {
    super(status, `caused: ${detail};`, v2Code, detail);
    this.name = 'ConfigParamError';
  }
}

/** What Java's Long.parseLong accepts (up to 18 digits keeps it a safe JS integer). */
export const JAVA_LONG = /^[+-]?\d{1,18}$/;

const TAG_MAX_LEN = 16;
const TENANT_MAX_LEN = 128;
// Java Character.isLetterOrDigit works per UTF-16 unit, so surrogate halves are never valid.
const VALID = /^[\p{L}\p{Nd}_\-.:]*$/u;
const SURROGATE = /[\uD800-\uDFFF]/;

/** What VALID accepts among ASCII characters, at least one: most names, decided by one match
 *  (a compiled regular expression reads a sliced query-string value far faster than charCodeAt). */
const VALID_ASCII_NAME = /^[A-Za-z0-9_\-.:]+$/;

/** ParamUtils.isValid: letters, digits and `_ - . :` only. */
export function isValidParam(value: string): boolean {
  return VALID_ASCII_NAME.test(value) || (VALID.test(value) && !SURROGATE.test(value));
}

/** Not blank and valid (after Java's trim when `trim`); a plain ASCII name is decided at once. */
function isValidName(value: string | undefined, trim: boolean): boolean {
  if (value !== undefined && VALID_ASCII_NAME.test(value)) return true;
  return !isBlank(value) && isValidParam(trim ? javaTrim(value!) : value!);
}

/** Java String.trim(): strips every char <= U+0020 at both ends. */
export function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

function isBlank(s: string | undefined | null): boolean {
  return s === undefined || s === null || javaTrim(s) === '';
}

/** ParamUtils.checkParam(dataId, group, datumId, content) with the content limit in bytes. */
export function checkConfigParams(dataId: string | undefined, group: string | undefined, content: string, maxContentBytes: number): void {
  // ParamUtils: isBlank(dataId) || !isValid(dataId.trim()); isBlank(group) || !isValid(group).
  if (!isValidName(dataId, true)) throw new ConfigParamError(`invalid dataId : ${dataId ?? null}`);
  if (!isValidName(group, false)) throw new ConfigParamError(`invalid group : ${group ?? null}`);
  if (isBlank(content)) throw new ConfigParamError(`content is blank : ${content}`);
  // Nacos compares content.length() with nacos.config.max-content; Junction's limit is in bytes.
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only a long content needs counting.
  if (content.length > maxContentBytes || (content.length * 3 > maxContentBytes && Buffer.byteLength(content) > maxContentBytes)) {
    throw new ConfigParamError(`invalid content, over ${maxContentBytes}`);
  }
}

/** ParamUtils.checkParam(tag) (v1) / checkParamV2(tag). */
export function checkTag(tag: string | undefined): void {
  if (isBlank(tag)) return;
  if (!isValidParam(javaTrim(tag!))) throw new ConfigParamError(`invalid tag : ${tag}`);
  if (tag!.length > TAG_MAX_LEN) throw new ConfigParamError('too long tag, over 16');
}

/** ParamUtils.checkTenant (v1 texts) / checkTenantV2 (v2 texts). */
export function checkTenant(tenant: string | undefined, v2 = false): void {
  if (isBlank(tenant)) return;
  const name = v2 ? 'namespaceId' : 'tenant';
  if (!isValidParam(javaTrim(tenant!))) throw new ConfigParamError(`invalid ${name}`);
  if (tenant!.length > TENANT_MAX_LEN) throw new ConfigParamError(`too long ${name}, over 128`);
}

export interface ConfigAdvanceInfo {
  configTags?: string | undefined;
  desc?: string | undefined;
  use?: string | undefined;
  effect?: string | undefined;
  type?: string | undefined;
  schema?: string | undefined;
}

/** ParamUtils.checkParam(Map configAdvanceInfo): lengths of the optional metadata. */
export function checkAdvanceInfo(info: ConfigAdvanceInfo): void {
  if (info.configTags !== undefined) {
    const tags = info.configTags.split(',');
    if (tags.length > 5) throw new ConfigParamError('too much config_tags, over 5');
    if (tags.some((t) => t.length > 64)) throw new ConfigParamError('too long tag, over 64');
  }
  const limits: [keyof ConfigAdvanceInfo, number][] = [['desc', 128], ['use', 32], ['effect', 32], ['type', 32], ['schema', 32768]];
  for (const [field, max] of limits) {
    const v = info[field];
    if (v !== undefined && v.length > max) throw new ConfigParamError(`too long ${field}, over ${max}`);
  }
}

/** api ConfigType: an unknown or blank type is stored as `text` (ConfigType.getDefaultType). */
const CONFIG_TYPES = new Set(['properties', 'xml', 'json', 'text', 'html', 'yaml', 'toml', 'unset']);
export function normalizeConfigType(type: string | undefined): string {
  return type !== undefined && CONFIG_TYPES.has(type) ? type : 'text';
}

/** FileTypeEnum: the Content-Type a v1 GET answers for a config type. */
export function contentTypeFor(type: string): string {
  switch (type) {
    case 'json': return 'application/json;charset=UTF-8';
    case 'xml': return 'application/xml;charset=UTF-8';
    case 'html': return 'text/html;charset=UTF-8';
    default: return 'text/plain;charset=UTF-8';
  }
}

/** NamespaceUtil.processNamespaceParameter: blank, `public` and `null` all mean the default ''. */
export function normalizeTenant(tenant: string | undefined): string {
  if (tenant === undefined) return '';
  const t = javaTrim(tenant);
  if (t === '' || t.toLowerCase() === 'public' || t.toLowerCase() === 'null') return '';
  return tenant;
}
