import { ConfigError } from '../core/errors.js';
import { defineSettings } from '../core/settings/group.js';
import { bool, int, port, text } from '../core/settings/spec.js';
import { FOUR_LETTER_WORDS, parseWhitelist } from './fourlw/words.js';
import { parseZooCfg } from './zoo-cfg.js';

/** The ZooKeeper personality's settings as declared (zoo.cfg names in `native`); ZkSettings
 *  (below) is what the server runs with once ZooKeeper's derived defaults are applied. */
export interface ZkConfig {
  port: number;
  /** --zk-config: a zoo.cfg read at start ('' = none). */
  config: string;
  /** '' = <data-dir>/zk */
  dataDir: string;
  tickTime: number;
  /** 0 = ZooKeeper's default 2× / 20× tickTime. */
  minSessionTimeout: number;
  maxSessionTimeout: number;
  maxClientCnxns: number;
  snapCount: number;
  snapRetainCount: number;
  purgeInterval: number;
  /** Comma list, '*' = all. */
  fourLetterWords: string;
  juteMaxBuffer: number;
  extendedTypes: boolean;
  superDigest: string;
  containerCheckMs: number;
  sessionlessCnxnTimeout: number;
  globalOutstandingLimit: number;
  maxUnsentBytes: number;
  closeAboveUnsentBytes: number;
}

/**
 * What the server runs with (4lw, AdminServer and the connections read it): the declared settings
 * with ZooKeeper's derived defaults applied by resolveZkSettings — session timeouts filled in,
 * the whitelist expanded, the store's directory resolved — under the names ZooKeeper's reports use.
 */
export type ZkSettings = Omit<ZkConfig, 'port' | 'config' | 'purgeInterval' | 'fourLetterWords' | 'extendedTypes' | 'superDigest'> & {
  /** clientPort (the port actually bound once listening: conf and the AdminServer report it). */
  clientPort: number;
  purgeIntervalHours: number;
  /** 4lw.commands.whitelist expanded ('*' = every word; srvr always). */
  fourLetterWords: string[];
  extendedTypesEnabled: boolean;
  /** null when none is set. */
  superDigest: string | null;
};

/** ZooKeeper 3.8's defaults (zoo_sample.cfg tickTime; ZooKeeperServer, NIOServerCnxnFactory). */
export const zkSettings = defineSettings<ZkConfig>({
  section: 'zk',
  title: 'ZooKeeper 3.8',
  specs: {
    port: port(2181, 'client port (jute protocol and four-letter words)', { native: 'clientPort' }),
    config: text({ default: '', arg: 'FILE', help: 'a zoo.cfg to read; Junction\'s own settings win over its values' }),
    dataDir: text({ default: '', arg: 'DIR', native: 'dataDir', defaultText: '<data-dir>/zk', help: 'the ZooKeeper store (log and snapshots)' }),
    tickTime: int({ default: 2000, min: 1, arg: 'MS', native: 'tickTime', help: 'tick (ms); session timeouts are negotiated into [2×, 20×] tick unless set' }),
    minSessionTimeout: int({ default: 0, min: 0, arg: 'MS', native: 'minSessionTimeout', defaultText: '2× tick', help: 'shortest session timeout granted (ms)' }),
    maxSessionTimeout: int({ default: 0, min: 0, arg: 'MS', native: 'maxSessionTimeout', defaultText: '20× tick', help: 'longest session timeout granted (ms)' }),
    maxClientCnxns: int({ default: 60, min: 0, native: 'maxClientCnxns', help: 'connections per client IP (0 = no limit)' }),
    snapCount: int({ default: 100_000, min: 2, native: 'snapCount', help: 'snapshot every N txns' }),
    snapRetainCount: int({ default: 3, min: 3, native: 'autopurge.snapRetainCount', help: 'snapshots kept (older ones and their log are purged)' }),
    purgeInterval: int({ default: 0, min: 0, arg: 'HOURS', native: 'autopurge.purgeInterval', help: 'purge task interval (0 = off; purging follows each snapshot)' }),
    fourLetterWords: text({
      default: 'srvr', flag: 'zk-4lw-whitelist', arg: 'LIST', native: '4lw.commands.whitelist',
      help: 'four-letter words allowed (* = all); ZooKeeper 3.8\'s default is srvr only',
      check: (v) => {
        const unknown = v.split(',').map((s) => s.trim()).filter((w) => w && w !== '*' && !FOUR_LETTER_WORDS.has(w));
        return unknown.length ? `unknown four-letter word ${JSON.stringify(unknown[0])}` : null;
      },
    }),
    juteMaxBuffer: int({ default: 0xfffff, min: 1, flag: 'zk-jute-maxbuffer', arg: 'BYTES', native: 'jute.maxbuffer', help: 'largest request; a larger one closes the connection' }),
    extendedTypes: bool({ default: true, native: 'extendedTypesEnabled', help: 'TTL nodes (off: createTTL answers UNIMPLEMENTED)' }),
    superDigest: text({
      default: '', arg: 'USER:BASE64', native: 'DigestAuthenticationProvider.superDigest',
      help: 'digest of ZooKeeper\'s super user (user:base64(sha1(user:password)))',
      check: (v) => (/^[^:]+:[A-Za-z0-9+/]+=*$/.test(v) ? null : 'expected <user>:<base64 SHA-1 digest>'),
    }),
    containerCheckMs: int({ default: 60_000, min: 1, arg: 'MS', native: 'znode.container.checkIntervalMs', help: 'how often empty containers and expired TTL nodes are removed' }),
    // NIOServerCnxnFactory: Integer.getInteger("zookeeper.nio.sessionlessCnxnTimeout", 10000).
    sessionlessCnxnTimeout: int({
      default: 10_000, min: 1, arg: 'MS', native: 'nio.sessionlessCnxnTimeout',
      help: 'close a connection that has no session this long after accept (also one that never sent a whole frame header)',
    }),
    // ZooKeeperServer: Integer.getInteger("zookeeper.globalOutstandingLimit", 1000).
    globalOutstandingLimit: int({
      default: 1000, min: 0, native: 'globalOutstandingLimit',
      help: 'unanswered requests across all connections above which a connection adding one stops reading',
    }),
    // Junction's own: ZooKeeper has no per-connection bound on reply bytes (docs/compat/zookeeper.md).
    maxUnsentBytes: int({
      default: 4 * 1024 * 1024, min: 1, arg: 'BYTES',
      help: 'stop reading and processing a connection\'s requests while this many reply bytes wait to be sent to it',
    }),
    closeAboveUnsentBytes: int({
      default: 64 * 1024 * 1024, min: 0, arg: 'BYTES',
      help: 'close a connection with more unsent reply bytes than this (replies queued behind a write, watch events); 0 = never',
    }),
  },
  check(s, where) {
    if (s.closeAboveUnsentBytes !== 0 && s.closeAboveUnsentBytes <= s.maxUnsentBytes) {
      throw new ConfigError(`${where('closeAboveUnsentBytes')}: must be 0 (never) or above maxUnsentBytes (${s.maxUnsentBytes})`);
    }
    // QuorumPeerConfig.parseProperties' check, after the 2× / 20× tick defaults are filled in.
    const min = s.minSessionTimeout || 2 * s.tickTime;
    const max = s.maxSessionTimeout || 20 * s.tickTime;
    if (min > max) {
      throw new ConfigError(`${where('minSessionTimeout')} / ${where('maxSessionTimeout')}: minSessionTimeout (${min}) ` +
        `must not be larger than maxSessionTimeout (${max})`);
    }
  },
  nativeFile: { name: 'zoo.cfg', setting: 'config', parse: parseZooCfg },
});

/**
 * The settings the server runs with: ZooKeeper's derived defaults applied (session timeouts 2× /
 * 20× tickTime when unset, the whitelist expanded, srvr always allowed) and the store's directory.
 */
export function resolveZkSettings(cfg: ZkConfig, defaultDataDir: string): ZkSettings {
  const { port, config: _file, purgeInterval, fourLetterWords, extendedTypes, superDigest, ...same } = cfg;
  return {
    ...same,
    minSessionTimeout: cfg.minSessionTimeout || 2 * cfg.tickTime,
    maxSessionTimeout: cfg.maxSessionTimeout || 20 * cfg.tickTime,
    purgeIntervalHours: purgeInterval,
    fourLetterWords: parseWhitelist(fourLetterWords),
    extendedTypesEnabled: extendedTypes,
    superDigest: superDigest === '' ? null : superDigest,
    // zoo.cfg's dataDir holds the whole ZooKeeper store (log + snapshots), as dataDir does in ZooKeeper.
    dataDir: cfg.dataDir || defaultDataDir,
    clientPort: port,
  };
}
