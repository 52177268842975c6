/**
 * What `junction zk` prints, in zkCli.sh 3.8's formats (org.apache.zookeeper.cli.*), plus the
 * client-side checks zkCli's ZooKeeper handle makes before anything reaches the server.
 */
import { Err } from '../../zk/codec/errors.js';
import type { ACL, Stat } from '../../zk/codec/types.js';
import { Perms } from '../../zk/codec/types.js';

/** Long.toHexString: two's-complement 64-bit, lower case, no padding. */
export function javaHex(v: number | bigint): string {
  return BigInt.asUintN(64, BigInt(v)).toString(16);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone ?? ''}`;
  let fmt = dateFormats.get(key);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat(locale, {
      timeZone, weekday: 'short', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit',
      second: '2-digit', hourCycle: 'h23', year: 'numeric', timeZoneName: 'short',
    });
    dateFormats.set(key, fmt);
  }
  return fmt;
}

function parts(locale: string, ms: number, timeZone: string | undefined): Record<string, string> {
  const part: Record<string, string> = {};
  for (const p of dateFormat(locale, timeZone).formatToParts(new Date(ms))) part[p.type] = p.value;
  return part;
}

/**
 * java.util.Date.toString(): "EEE MMM dd HH:mm:ss zzz yyyy" in the default time zone, e.g.
 * "Wed Nov 25 22:40:06 UTC 2026". Zone abbreviations come from Intl: en-US names (UTC, EST, PDT)
 * match Java's; where en-US only has "GMT+1", en-GB's (CET, BST) are used. Zones neither knows
 * (Asia/Tokyo) print as "GMT+9" where Java says "JST".
 */
export function javaDate(ms: number, timeZone?: string): string {
  const p = parts('en-US', ms, timeZone);
  let zone = p.timeZoneName!;
  if (/^GMT[+-]/.test(zone)) {
    const gb = parts('en-GB', ms, timeZone).timeZoneName!;
    if (!/^(GMT|UTC)[+-]/.test(gb)) zone = gb;
  }
  return `${p.weekday} ${p.month} ${p.day} ${p.hour}:${p.minute}:${p.second} ${zone} ${p.year}`;
}

/** StatPrinter.print: the eleven `label = value` lines, in zkCli's order. */
export function formatStat(stat: Stat): string {
  return [
    `cZxid = 0x${javaHex(stat.czxid)}`,
    `ctime = ${javaDate(stat.ctime)}`,
    `mZxid = 0x${javaHex(stat.mzxid)}`,
    `mtime = ${javaDate(stat.mtime)}`,
    `pZxid = 0x${javaHex(stat.pzxid)}`,
    `cversion = ${stat.cversion}`,
    `dataVersion = ${stat.version}`,
    `aclVersion = ${stat.aversion}`,
    `ephemeralOwner = 0x${javaHex(stat.ephemeralOwner)}`,
    `dataLength = ${stat.dataLength}`,
    `numChildren = ${stat.numChildren}`,
  ].join('\n') + '\n';
}

/** A Stat for --json: jute field names; ephemeralOwner as zkCli's hex (a 64-bit session id). */
export function statJson(stat: Stat): Record<string, number | string> {
  return {
    czxid: stat.czxid, mzxid: stat.mzxid, ctime: stat.ctime, mtime: stat.mtime, version: stat.version,
    cversion: stat.cversion, aversion: stat.aversion, ephemeralOwner: `0x${javaHex(stat.ephemeralOwner)}`,
    dataLength: stat.dataLength, numChildren: stat.numChildren, pzxid: stat.pzxid,
  };
}

/** ZKUtil.getPermString: letters in the order c d r w a. */
export function permString(perms: number): string {
  const letters: [number, string][] = [[Perms.CREATE, 'c'], [Perms.DELETE, 'd'], [Perms.READ, 'r'], [Perms.WRITE, 'w'], [Perms.ADMIN, 'a']];
  return letters.filter(([bit]) => (perms & bit) !== 0).map(([, ch]) => ch).join('');
}

/** jute ToStringOutputArchive.escapeString: a leading quote, and , } % NUL CR LF escaped. */
function juteString(s: string): string {
  const escapes: Record<string, string> = { '\0': '%00', '\n': '%0A', '\r': '%0D', ',': '%2C', '}': '%7D', '%': '%25' };
  return `'${[...s].map((c) => escapes[c] ?? c).join('')}`;
}

/** GetAclCommand: Id.toString() ("'world,'anyone" and a newline) then ": " and the perms. */
export function formatAcl(acl: readonly ACL[]): string {
  return acl.map((a) => `${juteString(a.id.scheme)},${juteString(a.id.id)}\n: ${permString(a.perms)}\n`).join('');
}

export function aclJson(acl: readonly ACL[]): { scheme: string; id: string; perms: string }[] {
  return acl.map((a) => ({ scheme: a.id.scheme, id: a.id.id, perms: permString(a.perms) }));
}

/**
 * AclParser.parse: comma-separated scheme:id:perm; the id is everything between the first and the
 * last colon (so digest:user:hash:r and ip:127.0.0.1:r work). Entries zkCli cannot read are
 * skipped with its warning, as are unknown perm letters.
 */
export function parseAcl(text: string): { acl: ACL[]; warnings: string[] } {
  const acl: ACL[] = [];
  const warnings: string[] = [];
  const bits: Record<string, number> = { r: Perms.READ, w: Perms.WRITE, c: Perms.CREATE, d: Perms.DELETE, a: Perms.ADMIN };
  for (const entry of text.split(',')) {
    const first = entry.indexOf(':');
    const last = entry.lastIndexOf(':');
    if (first === -1 || first === last) {
      warnings.push(`${entry} does not have the form scheme:id:perm`);
      continue;
    }
    let perms = 0;
    for (const ch of entry.slice(last + 1)) {
      if (bits[ch] === undefined) warnings.push(`Unknown perm type: ${ch}`);
      else perms |= bits[ch];
    }
    acl.push({ perms, id: { scheme: entry.slice(0, first), id: entry.slice(first + 1, last) } });
  }
  return { acl, warnings };
}

/**
 * PathUtils.validatePath (the Java client checks paths before sending); a sequential create
 * checks path + "1" so "/q/" is a valid prefix. Returns zkCli's message, or undefined when valid.
 */
export function invalidPath(path: string, sequential = false): string | undefined {
  const p = sequential ? `${path}1` : path;
  if (p.length === 0) return 'Path length must be > 0';
  if (p[0] !== '/') return 'Path must start with / character';
  if (p.length === 1) return undefined;
  if (p.endsWith('/')) return 'Path must not end with / character';
  const reason = invalidPathChar(p);
  return reason === undefined ? undefined : `Invalid path string "${p}" caused by ${reason}`;
}

function invalidPathChar(p: string): string | undefined {
  for (let i = 1; i < p.length; i++) {
    const c = p.charCodeAt(i);
    const last = p[i - 1];
    const endsSegment = i + 1 === p.length || p[i + 1] === '/';
    if (c === 0) return `null character not allowed @${i}`;
    if (p[i] === '/' && last === '/') return `empty node name specified @${i}`;
    if (p[i] === '.' && last === '.') {
      if (p[i - 2] === '/' && endsSegment) return `relative paths not allowed @${i}`;
    } else if (p[i] === '.') {
      if (last === '/' && endsSegment) return `relative paths not allowed @${i}`;
    } else if ((c > 0 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) {
      return `invalid character @${i}`;
    }
  }
  return undefined;
}

/** CliWrapperException.getMessage: zkCli's wording per KeeperException; the rest as Java prints them. */
const CLI_MESSAGE: Partial<Record<number, string>> = {
  [Err.NONODE]: 'Node does not exist: ',
  [Err.NOCHILDRENFOREPHEMERALS]: 'Ephemerals cannot have children: ',
  [Err.NODEEXISTS]: 'Node already exists: ',
  [Err.NOTEMPTY]: 'Node not empty: ',
  [Err.NOTREADONLY]: 'Not a read-only call: ',
  [Err.INVALIDACL]: 'Acl is not valid : ',
  [Err.NOAUTH]: 'Insufficient permission : ',
  [Err.BADARGUMENTS]: 'Arguments are not valid : ',
  [Err.BADVERSION]: 'version No is not valid : ',
  [Err.QUOTAEXCEEDED]: 'Quota has exceeded : ',
};

/** zkCli's stderr line for a failed request; a KeeperException without a path prints "null". */
export function cliMessage(zkCode: number, path: string | undefined, keeperMessage: string): string {
  if (zkCode === Err.RECONFIGINPROGRESS) return 'Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)';
  const prefix = CLI_MESSAGE[zkCode];
  return prefix === undefined ? keeperMessage : `${prefix}${path ?? 'null'}`;
}
