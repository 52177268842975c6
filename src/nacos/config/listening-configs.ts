import { ErrorCode, NacosError } from '../errors.js';

/**
 * The `Listening-Configs` parameter of POST /v1/cs/configs/listener (Nacos MD5Util.getClientMd5Map).
 *
 * Wire format, after the form decoding of the request: records ended by \u0001, fields separated
 * by \u0002 — `dataId␂group␂md5␁` (old) or `dataId␂group␂md5␂tenant␁` (multi-tenant). Nacos then
 * URL-decodes the value once more (ConfigController.listener: URLDecoder.decode), so `+` means a
 * space and `%XX` escapes are decoded again. Text after the last \u0001 is ignored, like Nacos.
 */
export interface ListenKey {
  dataId: string;
  group: string;
  /** '' when the record has no tenant field. */
  tenant: string;
  /** The client's md5 of its copy; '' when it has none. */
  md5: string;
}

/** Nacos protects itself from huge probes: more than 10 000 listened keys is an invalid probe. */
export const MAX_LISTEN_KEYS = 10_000;

const WORD_SEPARATOR = '\u0002';
const LINE_SEPARATOR = '\u0001';

/** A malformed probe: answered 400 with Nacos's `caused: …;` text. */
export class ListeningConfigsError extends NacosError {
  constructor(message: string) {
    super(400, `caused: ${message};`, ErrorCode.PARAMETER_VALIDATE_ERROR);
    this.name = 'ListeningConfigsError';
  }
}

/** Parses one probe; throws only ListeningConfigsError. Runs in linear time. */
export function parseListeningConfigs(raw: string | undefined): ListenKey[] {
  // Nacos: StringUtils.isBlank(probeModify) → IllegalArgumentException("invalid probeModify")
  if (raw === undefined || raw.trim() === '') throw new ListeningConfigsError('invalid probeModify');
  const probe = javaUrlDecode(raw);
  const keys = new Map<string, ListenKey>();
  let fields: string[] = [];
  let start = 0;
  for (let i = 0; i < probe.length; i++) {
    const c = probe[i];
    if (c === WORD_SEPARATOR) {
      fields.push(probe.slice(start, i));
      start = i + 1;
      if (fields.length > 3) throw new ListeningConfigsError('invalid probeModify');
    } else if (c === LINE_SEPARATOR) {
      const last = probe.slice(start, i);
      start = i + 1;
      // Fewer than two fields before the end of a record makes Nacos fail with an index error,
      // which the controller reports as an invalid probe.
      if (fields.length < 2) throw new ListeningConfigsError('invalid probeModify');
      const key: ListenKey = fields.length === 2
        ? { dataId: fields[0]!, group: fields[1]!, tenant: '', md5: last }
        : { dataId: fields[0]!, group: fields[1]!, tenant: last, md5: fields[2]! };
      keys.set(`${key.tenant}${WORD_SEPARATOR}${key.group}${WORD_SEPARATOR}${key.dataId}`, key);
      fields = [];
      if (keys.size > MAX_LISTEN_KEYS) throw new ListeningConfigsError('invalid probeModify');
    }
  }
  return [...keys.values()];
}

/** java.net.URLDecoder.decode(s, "UTF-8"): `+` → space, runs of %XX → UTF-8 bytes. */
export function javaUrlDecode(s: string): string {
  if (!s.includes('%') && !s.includes('+')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '+') { out += ' '; i++; continue; }
    if (c !== '%') { out += c; i++; continue; }
    const bytes: number[] = [];
    while (i < s.length && s[i] === '%') {
      if (i + 2 >= s.length) {
        throw new ListeningConfigsError('URLDecoder: Incomplete trailing escape (%) pattern');
      }
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw new ListeningConfigsError(`URLDecoder: Illegal hex characters in escape (%) pattern - For input string: "${hex}"`);
      }
      bytes.push(parseInt(hex, 16));
      i += 3;
    }
    out += Buffer.from(bytes).toString('utf8');
  }
  return out;
}

/**
 * java.net.URLEncoder.encode(s, "UTF-8"): keeps A-Z a-z 0-9 . - * _, turns space into `+` and
 * everything else into upper-case %XX of its UTF-8 bytes. Nacos encodes the changed-keys answer
 * of the listener this way (MD5Util.compareMd5ResultString).
 */
export function javaUrlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
