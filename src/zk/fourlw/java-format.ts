import type { SessionId } from '../model/types.js';

/**
 * How ZooKeeper's Java code prints values, so the 4lw text and AdminServer JSON read the same as the
 * real server's to the scripts that parse them.
 */

/** Double.toString: at least one decimal ("0.0", "1.5"), scientific outside [1e-3, 1e7) ("1.0E-4"). */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** AvgMinMaxCounter.getAvg: BigDecimal.setScale(4, HALF_UP). */
export function roundAvg(avg: number): number {
  return Math.round(avg * 1e4) / 1e4;
}

/** Long.toHexString: two's complement for negatives (-1 → ffffffffffffffff), no leading zeros. */
export function longHex(n: number | bigint): string {
  return BigInt.asUintN(64, BigInt(n)).toString(16);
}

/** Session ids are 16-digit hex strings in our model; ZooKeeper prints "0x" + Long.toHexString(id). */
export function sessionHex(id: SessionId | null): string {
  return `0x${id === null ? '0' : longHex(BigInt(`0x${id}`))}`;
}

/** A session id as Java's signed long (AdminServer JSON prints session ids as numbers). */
export function sessionLong(id: SessionId | null): bigint {
  return id === null ? 0n : BigInt.asIntN(64, BigInt(`0x${id}`));
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** java.util.Date.toString ("EEE MMM dd HH:mm:ss zzz yyyy"), always in UTC. */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** Inet6Address.getHostAddress writes all 8 groups without zero compression ("0:0:0:0:0:0:0:1"). */
function javaHostAddress(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const missing = ip.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

/** InetSocketAddress.toString as 4lw prints it: "/127.0.0.1:48064". */
export function socketAddressText(ip: string, port: number): string {
  return `/${javaHostAddress(ip)}:${port}`;
}

/** Jackson's InetSocketAddress form in AdminServer JSON: "127.0.0.1:48064", "[0:0:0:0:0:0:0:1]:5". */
export function socketAddressJson(ip: string, port: number): string {
  const host = javaHostAddress(ip);
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * JSON with 64-bit integers: AdminServer prints session ids as JSON numbers, beyond JS's 2^53, so
 * they are kept as bigint and written as digits. JSON.stringify cannot do that on Node 20.
 */
export function toJson(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
