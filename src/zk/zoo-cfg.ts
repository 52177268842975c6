import { ConfigError } from '../core/errors.js';
import type { NativeValue } from '../core/settings/group.js';
import { parseProperties } from '../core/settings/properties.js';
import { FOUR_LETTER_WORDS } from './fourlw/words.js';

// ---- zoo.cfg keys --------------------------------------------------------------------------------

/** Integer.parseInt: optional sign, decimal digits, 32-bit range. */
function javaInt(where: string, value: string): number {
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) {
    throw new ConfigError(`${where}: expected an integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * How ZooKeeper reads a key before using it: Java's integer and boolean syntax, and its own
 * corrections. Returns the value to apply (checked further by the setting's declaration), or null
 * for "not set"; `warn` records a correction. Keys not listed here are taken as written.
 */
type Reader = (value: string, where: string, warn: (w: string) => void) => string | null;

const int: Reader = (v, w) => String(javaInt(w, v));
/** -1 is ZooKeeper's "unset": the 2× / 20× tickTime defaults apply. */
const intOrUnset: Reader = (v, w) => (javaInt(w, v) === -1 ? null : String(javaInt(w, v)));
const atLeast = (key: string, floor: number, why: string): Reader => (v, w, warn) => {
  const n = javaInt(w, v);
  if (n < floor) warn(`${key}: ${n} is below ${floor}, ${why}`);
  return String(Math.max(floor, n));
};

const READERS: Record<string, Reader> = {
  tickTime: int,
  // ZooKeeper treats clientPort 0 as "not set".
  clientPort: (v, w) => (javaInt(w, v) === 0 ? null : String(javaInt(w, v))),
  maxClientCnxns: int,
  minSessionTimeout: intOrUnset,
  maxSessionTimeout: intOrUnset,
  // ZooKeeperServer.getSnapCount: "SnapCount should be 2 or more", reset to 2.
  snapCount: atLeast('snapCount', 2, 'using 2 as ZooKeeper does'),
  // QuorumPeerConfig: "Invalid autopurge.snapRetainCount … Defaulting to 3" (PurgeTxnLog keeps >= 3).
  'autopurge.snapRetainCount': atLeast('autopurge.snapRetainCount', 3, 'using 3 as ZooKeeper does'),
  // A purgeInterval <= 0 leaves the purge task unscheduled.
  'autopurge.purgeInterval': (v, w) => String(Math.max(0, javaInt(w, v))),
  '4lw.commands.whitelist': (v, _w, warn) => {
    const words = v.split(',').map((s) => s.trim()).filter(Boolean);
    for (const word of words) if (word !== '*' && !FOUR_LETTER_WORDS.has(word)) warn(`4lw.commands.whitelist: unknown word ${JSON.stringify(word)} ignored`);
    return words.filter((word) => word === '*' || FOUR_LETTER_WORDS.has(word)).join(',');
  },
  'jute.maxbuffer': int,
  // QuorumPeerConfig.parseBoolean (its message too).
  extendedTypesEnabled: (v, w) => {
    if (/^(true|false)$/i.test(v)) return v.toLowerCase();
    throw new ConfigError(`${w}: Invalid option ${v}. Choose 'true' or 'false.'`);
  },
  'znode.container.checkIntervalMs': int,
  'nio.sessionlessCnxnTimeout': int,
  globalOutstandingLimit: int,
};

/** Read but not applied, with the reason. */
const NOT_APPLIED: Record<string, string> = {
  clientPortAddress: 'ignored, Junction listens on its --bind address',
  dataLogDir: 'ignored, the txn log lives in dataDir/log',
};

/** Quorum settings: meaningful only in an ensemble, which Junction does not form. */
const QUORUM_KEY = /^(server\.\d+|group\.\d+|weight\.\d+|initLimit|syncLimit|electionAlg|peerType|dynamicConfigFile|standaloneEnabled|reconfigEnabled|syncEnabled|quorumListenOnAllIPs|connectToLearnerMasterLimit|observerMasterPort|leaderServes|cnxTimeout|electionPortBindRetry|sslQuorum|sslQuorumReloadCertFiles|portUnification|multiAddress\..*|quorum\..*)$/;

/**
 * Parse a zoo.cfg into values of the declared settings (`declared` = their zoo.cfg names), read
 * with ZooKeeper's syntax and corrections. Keys ZooKeeper reads as system properties ("zookeeper."
 * + key) are accepted with or without that prefix. admin.* is ignored (Junction's admin port serves
 * the AdminServer commands); quorum keys and unknown keys are ignored with a warning; bad values
 * throw ConfigError naming the file, line and key.
 */
export function parseZooCfg(text: string, file: string, declared: ReadonlySet<string>): { values: NativeValue[]; warnings: string[] } {
  const values: NativeValue[] = [];
  const warnings: string[] = [];
  for (const [rawKey, { value, lineNo }] of parseProperties(text, file)) {
    const key = rawKey.startsWith('zookeeper.') ? rawKey.slice('zookeeper.'.length) : rawKey;
    const where = `${file}:${lineNo}: ${rawKey}`;
    if (declared.has(key)) {
      const read = READERS[key] ?? ((v: string) => v);
      const applied = read(value, where, (w) => warnings.push(w));
      if (applied !== null) values.push({ name: key, value: applied, where });
    } else if (NOT_APPLIED[key]) warnings.push(`${rawKey}: ${NOT_APPLIED[key]}`);
    else if (key.startsWith('admin.')) continue;
    else if (QUORUM_KEY.test(key)) warnings.push(`${rawKey}: ignored, Junction runs ZooKeeper standalone only`);
    else warnings.push(`${rawKey}: unknown or unsupported setting, ignored`);
  }
  return { values, warnings };
}
