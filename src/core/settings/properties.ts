import { ConfigError } from '../errors.js';

/**
 * java.util.Properties.load syntax, the format of the originals' own config files (ZooKeeper's
 * zoo.cfg, Kafka's server.properties), so they map onto Junction's declared settings.
 */

const WS = new Set([' ', '\t', '\f']);
const skipWs = (s: string): string => s.replace(/^[ \t\f]+/, '');

/**
 * Properties.LineReader: natural lines, leading whitespace dropped, blank and #/! comment lines
 * skipped; a line ending in an odd number of backslashes continues on the next one.
 */
function logicalLines(text: string): { text: string; lineNo: number }[] {
  const natural = text.split(/\r\n|\r|\n/);
  const out: { text: string; lineNo: number }[] = [];
  for (let i = 0; i < natural.length;) {
    const lineNo = i + 1;
    let line = skipWs(natural[i++] as string);
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    while ((/\\+$/.exec(line)?.[0].length ?? 0) % 2 === 1) {
      line = line.slice(0, -1);
      if (i >= natural.length) break;
      line += skipWs(natural[i++] as string);
    }
    out.push({ text: line, lineNo });
  }
  return out;
}

/** Properties.loadConvert: \t \n \r \f, \uXXXX, and \x → x. */
function unescape(s: string, where: string): string {
  return s.replace(/\\(u(.{0,4})|.)/gs, (_m, esc: string, hex: string | undefined) => {
    if (hex === undefined) return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[esc] ?? esc;
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ConfigError(`${where}: malformed \\uxxxx encoding`);
    return String.fromCharCode(parseInt(hex, 16));
  });
}

/** Properties.load0: the key ends at the first unescaped '=', ':' or whitespace. */
function splitKeyValue(line: string, where: string): [string, string] {
  let keyEnd = line.length;
  let valueStart = line.length;
  let hasSep = false;
  let backslash = false;
  for (let k = 0; k < line.length; k++) {
    const c = line[k] as string;
    if (!backslash && (c === '=' || c === ':')) { keyEnd = k; valueStart = k + 1; hasSep = true; break; }
    if (!backslash && WS.has(c)) { keyEnd = k; valueStart = k + 1; break; }
    backslash = c === '\\' ? !backslash : false;
  }
  for (; valueStart < line.length; valueStart++) {
    const c = line[valueStart] as string;
    if (WS.has(c)) continue;
    if (!hasSep && (c === '=' || c === ':')) { hasSep = true; continue; }
    break;
  }
  return [unescape(line.slice(0, keyEnd), where), unescape(line.slice(valueStart), where)];
}

/** A .properties text as ordered key → value (a repeated key keeps its last value, as Properties). */
export function parseProperties(text: string, file: string): Map<string, { value: string; lineNo: number }> {
  const props = new Map<string, { value: string; lineNo: number }>();
  for (const { text: line, lineNo } of logicalLines(text)) {
    const [key, value] = splitKeyValue(line, `${file}:${lineNo}`);
    // ZooKeeper (QuorumPeerConfig.parseProperties) trims both.
    props.set(key.trim(), { value: value.trim(), lineNo });
  }
  return props;
}
