import type { JunctionConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { FOUR_LETTER_WORDS, parseWhitelist } from './fourlw/words.js';
import type { ZkSettings } from './server-view.js';

/** The zoo.cfg settings Junction understands (ZooKeeper names in comments); unset ones are absent. */
export interface ZooCfg {
  file: string;
  tickTime?: number;
  /** clientPort; ZooKeeper treats 0 as "not set", so does this. */
  clientPort?: number;
  /** Recorded, not applied: Junction listens on its --bind address. */
  clientPortAddress?: string;
  /** Recorded, not applied: Junction keeps ZooKeeper data under <--data-dir>/zk. */
  dataDir?: string;
  dataLogDir?: string;
  maxClientCnxns?: number;
  /** -1 (ZooKeeper's "unset") is left absent so the 2×/20× tickTime defaults apply. */
  minSessionTimeout?: number;
  maxSessionTimeout?: number;
  snapCount?: number;
  /** autopurge.snapRetainCount (raised to 3 as ZooKeeper does), autopurge.purgeInterval (hours). */
  snapRetainCount?: number;
  purgeInterval?: number;
  /** 4lw.commands.whitelist, expanded (parseWhitelist). */
  fourLetterWords?: string[];
  /** jute.maxbuffer */
  juteMaxBuffer?: number;
  /** zookeeper.extendedTypesEnabled */
  extendedTypesEnabled?: boolean;
  /** znode.container.checkIntervalMs */
  containerCheckIntervalMs?: number;
  /** DigestAuthenticationProvider.superDigest */
  superDigest?: string;
  /** zookeeper.nio.sessionlessCnxnTimeout (ms) */
  sessionlessCnxnTimeout?: number;
  /** zookeeper.globalOutstandingLimit */
  globalOutstandingLimit?: number;
  /** Settings read but not applied (unknown keys, quorum-only keys), one sentence each. */
  warnings: string[];
}

// ---- java.util.Properties.load syntax ----------------------------------------------------------

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
    // QuorumPeerConfig.parseProperties trims both.
    props.set(key.trim(), { value: value.trim(), lineNo });
  }
  return props;
}

// ---- zoo.cfg keys ------------------------------------------------------------------------------

/** Integer.parseInt: optional sign, decimal digits, 32-bit range. */
function int(where: string, value: string): number {
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) {
    throw new ConfigError(`${where}: expected an integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** QuorumPeerConfig.parseBoolean (its message too). */
function bool(where: string, value: string): boolean {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new ConfigError(`${where}: Invalid option ${value}. Choose 'true' or 'false.'`);
}

function atLeast(where: string, n: number, min: number): number {
  if (n < min) throw new ConfigError(`${where}: must be at least ${min}, got ${n}`);
  return n;
}

type Setter = (cfg: ZooCfg, value: string, where: string) => void;

const SETTERS: Record<string, Setter> = {
  tickTime: (c, v, w) => { c.tickTime = atLeast(w, int(w, v), 1); },
  clientPort: (c, v, w) => {
    const port = int(w, v);
    if (port < 0 || port > 65535) throw new ConfigError(`${w}: ${port} is outside 0..65535`);
    c.clientPort = port === 0 ? undefined : port;
  },
  clientPortAddress: (c, v) => { c.clientPortAddress = v; c.warnings.push(`clientPortAddress: ignored, Junction listens on its --bind address`); },
  // dataDir holds Junction's whole ZooKeeper store (log + snapshots); one directory, so a
  // separate dataLogDir is not supported.
  dataDir: (c, v) => { c.dataDir = v; },
  dataLogDir: (c, v) => { c.dataLogDir = v; c.warnings.push('dataLogDir: ignored, the txn log lives in dataDir/log'); },
  maxClientCnxns: (c, v, w) => { c.maxClientCnxns = atLeast(w, int(w, v), 0); },
  minSessionTimeout: (c, v, w) => { const n = int(w, v); c.minSessionTimeout = n === -1 ? undefined : atLeast(w, n, 0); },
  maxSessionTimeout: (c, v, w) => { const n = int(w, v); c.maxSessionTimeout = n === -1 ? undefined : atLeast(w, n, 0); },
  snapCount: (c, v, w) => {
    // ZooKeeperServer.getSnapCount: "SnapCount should be 2 or more", reset to 2.
    const n = int(w, v);
    if (n < 2) c.warnings.push(`snapCount: ${n} is below 2, using 2 as ZooKeeper does`);
    c.snapCount = Math.max(2, n);
  },
  'autopurge.snapRetainCount': (c, v, w) => {
    // QuorumPeerConfig: "Invalid autopurge.snapRetainCount … Defaulting to 3" (PurgeTxnLog keeps >= 3).
    const n = int(w, v);
    if (n < 3) c.warnings.push(`autopurge.snapRetainCount: ${n} is below 3, using 3 as ZooKeeper does`);
    c.snapRetainCount = Math.max(3, n);
  },
  // A purgeInterval <= 0 leaves the purge task unscheduled.
  'autopurge.purgeInterval': (c, v, w) => { c.purgeInterval = Math.max(0, int(w, v)); },
  '4lw.commands.whitelist': (c, v) => {
    const unknown = v.split(',').map((s) => s.trim()).filter((s) => s && s !== '*' && !FOUR_LETTER_WORDS.has(s));
    for (const word of unknown) c.warnings.push(`4lw.commands.whitelist: unknown word ${JSON.stringify(word)} ignored`);
    c.fourLetterWords = parseWhitelist(v);
  },
  'jute.maxbuffer': (c, v, w) => { c.juteMaxBuffer = atLeast(w, int(w, v), 1); },
  extendedTypesEnabled: (c, v, w) => { c.extendedTypesEnabled = bool(w, v); },
  'znode.container.checkIntervalMs': (c, v, w) => { c.containerCheckIntervalMs = atLeast(w, int(w, v), 1); },
  // Both are system properties in ZooKeeper; QuorumPeerConfig turns any other zoo.cfg key into the
  // system property "zookeeper." + key, which is how a zoo.cfg sets them.
  'nio.sessionlessCnxnTimeout': (c, v, w) => { c.sessionlessCnxnTimeout = atLeast(w, int(w, v), 1); },
  globalOutstandingLimit: (c, v, w) => { c.globalOutstandingLimit = atLeast(w, int(w, v), 0); },
  'DigestAuthenticationProvider.superDigest': (c, v, w) => {
    // DigestAuthenticationProvider compares "<user>:<base64 sha1>" digests.
    if (!/^[^:]+:[A-Za-z0-9+/]+=*$/.test(v)) throw new ConfigError(`${w}: expected <user>:<base64 SHA-1 digest>`);
    c.superDigest = v;
  },
};

/** Quorum settings: meaningful only in an ensemble, which Junction does not form. */
const QUORUM_KEY = /^(server\.\d+|group\.\d+|weight\.\d+|initLimit|syncLimit|electionAlg|peerType|dynamicConfigFile|standaloneEnabled|reconfigEnabled|syncEnabled|quorumListenOnAllIPs|connectToLearnerMasterLimit|observerMasterPort|leaderServes|cnxTimeout|electionPortBindRetry|sslQuorum|sslQuorumReloadCertFiles|portUnification|multiAddress\..*|quorum\..*)$/;

/**
 * Parse a zoo.cfg. Keys ZooKeeper reads as system properties ("zookeeper." + key) are accepted with
 * or without that prefix. admin.* is ignored (Junction's admin port serves the AdminServer
 * commands); quorum keys and unknown keys are ignored with a warning; bad values throw ConfigError
 * naming the file, line and key.
 */
export function parseZooCfg(text: string, file: string): ZooCfg {
  const cfg: ZooCfg = { file, warnings: [] };
  for (const [rawKey, { value, lineNo }] of parseProperties(text, file)) {
    const key = rawKey.startsWith('zookeeper.') ? rawKey.slice('zookeeper.'.length) : rawKey;
    const setter = SETTERS[key];
    if (setter) setter(cfg, value, `${file}:${lineNo}: ${rawKey}`);
    else if (key.startsWith('admin.')) continue;
    else if (QUORUM_KEY.test(key)) cfg.warnings.push(`${rawKey}: ignored, Junction runs ZooKeeper standalone only`);
    else cfg.warnings.push(`${rawKey}: unknown or unsupported setting, ignored`);
  }
  return cfg;
}

// ---- Junction config + zoo.cfg → ZkSettings ---------------------------------------------------

/** Client-port settings Junction's config does not declare (yet): they come from a zoo.cfg, from
 *  these fields when a caller passes them with the zk config, or from ZooKeeper's defaults. */
export interface ZkNetSettings {
  sessionlessCnxnTimeout: number;
  globalOutstandingLimit: number;
  maxUnsentBytes: number;
  closeAboveUnsentBytes: number;
}

export const ZK_NET_DEFAULTS: Readonly<ZkNetSettings> = {
  // NIOServerCnxnFactory: Integer.getInteger("zookeeper.nio.sessionlessCnxnTimeout", 10000).
  sessionlessCnxnTimeout: 10_000,
  // ZooKeeperServer: Integer.getInteger("zookeeper.globalOutstandingLimit", 1000).
  globalOutstandingLimit: 1000,
  // Junction's: 4 MiB of unsent replies per connection (four replies of jute.maxbuffer's size).
  maxUnsentBytes: 4 * 1024 * 1024,
  // Junction's: 64 MiB, far above any single reply a client accepts (jute.maxbuffer, 1 MiB).
  closeAboveUnsentBytes: 64 * 1024 * 1024,
};

/** Junction zk setting names (JunctionConfig['zk'] keys) and their flags, for explicit and errors. */
type ZkKey = Exclude<keyof JunctionConfig['zk'], 'configFile'> | keyof ZkNetSettings;
const FLAG: Record<ZkKey, string> = {
  tickTime: 'zk-tick-time', minSessionTimeout: 'zk-min-session-timeout', maxSessionTimeout: 'zk-max-session-timeout',
  maxClientCnxns: 'zk-max-client-cnxns', snapCount: 'zk-snap-count', snapRetainCount: 'zk-snap-retain-count',
  purgeInterval: 'zk-purge-interval', fourLetterWords: 'zk-4lw-whitelist', juteMaxBuffer: 'zk-jute-maxbuffer',
  extendedTypes: 'zk-extended-types', superDigest: 'zk-super-digest', containerCheckMs: 'zk-container-check-ms',
  sessionlessCnxnTimeout: 'zk-sessionless-cnxn-timeout', globalOutstandingLimit: 'zk-global-outstanding-limit',
  maxUnsentBytes: 'zk-max-unsent-bytes', closeAboveUnsentBytes: 'zk-close-above-unsent-bytes',
};
const ZOO_NAME: Partial<Record<ZkKey, string>> = {
  tickTime: 'tickTime', minSessionTimeout: 'minSessionTimeout', maxSessionTimeout: 'maxSessionTimeout',
  maxClientCnxns: 'maxClientCnxns', snapCount: 'snapCount', juteMaxBuffer: 'jute.maxbuffer',
  containerCheckMs: 'znode.container.checkIntervalMs', sessionlessCnxnTimeout: 'zookeeper.nio.sessionlessCnxnTimeout',
  globalOutstandingLimit: 'zookeeper.globalOutstandingLimit',
};

/**
 * The settings the ZooKeeper personality runs with.
 *
 * Precedence: a value set in zoo.cfg wins over Junction's zk config, because the config loader
 * cannot tell a Junction default from a value the user typed. A caller that can tell passes the
 * Junction zk keys set explicitly (e.g. from --zk-tick-time) in `explicit`; those win over zoo.cfg.
 * Then ZooKeeper's derived defaults apply: session timeouts 2× / 20× tickTime when unset (Junction's
 * 0, zoo.cfg's -1), snapRetainCount at least 3, snapCount at least 2 — and min ≤ max is checked.
 * `dataDir` and `clientPort` are Junction's (<data-dir>/zk, --zk-port); a zoo.cfg clientPort wins
 * over the port unless 'clientPort' is in `explicit`.
 */
export function resolveZkSettings(cfg: JunctionConfig['zk'] & Partial<ZkNetSettings>, zooCfg: ZooCfg | null, dataDir: string,
  clientPort: number, explicit: ReadonlySet<string> = new Set()): ZkSettings {
  const source = (key: ZkKey, fromZoo: boolean): string =>
    fromZoo ? `${zooCfg?.file}: ${ZOO_NAME[key] ?? key}` : `zk setting ${key} (--${FLAG[key]})`;
  const pick = <T>(key: ZkKey, zooValue: T | undefined, own: T): { value: T; where: string } => {
    const fromZoo = zooValue !== undefined && !explicit.has(key);
    return { value: fromZoo ? zooValue : own, where: source(key, fromZoo) };
  };
  const tick = pick('tickTime', zooCfg?.tickTime, cfg.tickTime);
  if (!Number.isInteger(tick.value) || tick.value <= 0) throw new ConfigError(`${tick.where}: tickTime must be a positive integer (ms)`);
  const min = pick('minSessionTimeout', zooCfg?.minSessionTimeout, cfg.minSessionTimeout || undefined);
  const max = pick('maxSessionTimeout', zooCfg?.maxSessionTimeout, cfg.maxSessionTimeout || undefined);
  const minSessionTimeout = min.value ?? 2 * tick.value;
  const maxSessionTimeout = max.value ?? 20 * tick.value;
  // QuorumPeerConfig.parseProperties' check, after the defaults are filled in.
  if (minSessionTimeout > maxSessionTimeout) {
    throw new ConfigError(`${min.where} / ${max.where}: minSessionTimeout (${minSessionTimeout}) must not be larger than maxSessionTimeout (${maxSessionTimeout})`);
  }
  const cnxns = pick('maxClientCnxns', zooCfg?.maxClientCnxns, cfg.maxClientCnxns);
  if (cnxns.value < 0) throw new ConfigError(`${cnxns.where}: maxClientCnxns must be 0 (unlimited) or more`);
  const jute = pick('juteMaxBuffer', zooCfg?.juteMaxBuffer, cfg.juteMaxBuffer);
  if (jute.value <= 0) throw new ConfigError(`${jute.where}: jute.maxbuffer must be positive`);
  const digest = pick('superDigest', zooCfg?.superDigest, cfg.superDigest).value;
  const container = pick('containerCheckMs', zooCfg?.containerCheckIntervalMs, cfg.containerCheckMs);
  if (container.value <= 0) throw new ConfigError(`${container.where}: znode.container.checkIntervalMs must be positive`);
  const net = resolveNetSettings(cfg, zooCfg, pick);
  const zooPort = explicit.has('clientPort') ? undefined : zooCfg?.clientPort;
  return {
    tickTime: tick.value,
    minSessionTimeout,
    maxSessionTimeout,
    maxClientCnxns: cnxns.value,
    snapCount: Math.max(2, pick('snapCount', zooCfg?.snapCount, cfg.snapCount).value),
    snapRetainCount: Math.max(3, pick('snapRetainCount', zooCfg?.snapRetainCount, cfg.snapRetainCount).value),
    purgeIntervalHours: Math.max(0, pick('purgeInterval', zooCfg?.purgeInterval, cfg.purgeInterval).value),
    fourLetterWords: pick('fourLetterWords', zooCfg?.fourLetterWords, parseWhitelist(cfg.fourLetterWords)).value,
    juteMaxBuffer: jute.value,
    extendedTypesEnabled: pick('extendedTypes', zooCfg?.extendedTypesEnabled, cfg.extendedTypes).value,
    superDigest: digest === '' ? null : digest,
    containerCheckMs: container.value,
    ...net,
    dataDir,
    clientPort: zooPort ?? clientPort,
  };
}

type Pick = <T>(key: ZkKey, zooValue: T | undefined, own: T) => { value: T; where: string };

/** The client port's connection bounds, checked as ZooKeeper would accept them. */
function resolveNetSettings(cfg: Partial<ZkNetSettings>, zooCfg: ZooCfg | null, pick: Pick): ZkNetSettings {
  const sessionless = pick('sessionlessCnxnTimeout', zooCfg?.sessionlessCnxnTimeout, cfg.sessionlessCnxnTimeout ?? ZK_NET_DEFAULTS.sessionlessCnxnTimeout);
  if (!Number.isInteger(sessionless.value) || sessionless.value <= 0) throw new ConfigError(`${sessionless.where}: must be a positive integer (ms)`);
  const outstanding = pick('globalOutstandingLimit', zooCfg?.globalOutstandingLimit, cfg.globalOutstandingLimit ?? ZK_NET_DEFAULTS.globalOutstandingLimit);
  if (!Number.isInteger(outstanding.value) || outstanding.value < 0) throw new ConfigError(`${outstanding.where}: must be 0 or more`);
  const unsent = pick('maxUnsentBytes', undefined, cfg.maxUnsentBytes ?? ZK_NET_DEFAULTS.maxUnsentBytes);
  if (!Number.isInteger(unsent.value) || unsent.value <= 0) throw new ConfigError(`${unsent.where}: must be a positive integer (bytes)`);
  const close = pick('closeAboveUnsentBytes', undefined, cfg.closeAboveUnsentBytes ?? ZK_NET_DEFAULTS.closeAboveUnsentBytes);
  if (!Number.isInteger(close.value) || (close.value !== 0 && close.value <= unsent.value)) {
    throw new ConfigError(`${close.where}: must be 0 (never) or above maxUnsentBytes (${unsent.value})`);
  }
  return { sessionlessCnxnTimeout: sessionless.value, globalOutstandingLimit: outstanding.value,
    maxUnsentBytes: unsent.value, closeAboveUnsentBytes: close.value };
}
