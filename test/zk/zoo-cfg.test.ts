import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULTS } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { parseProperties, parseZooCfg, resolveZkSettings } from '../../src/zk/zoo-cfg.js';

const FILE = '/etc/zookeeper/zoo.cfg';
const props = (text: string): Record<string, string> =>
  Object.fromEntries([...parseProperties(text, FILE)].map(([k, v]) => [k, v.value]));

test('properties syntax: comments, = : and whitespace separators, trimming, last key wins', () => {
  assert.deepEqual(props([
    '# comment', '! also a comment', '', '   tickTime = 3000  ', 'a:b', 'c d', 'e', 'f =: g', 'a=again',
    '\tclientPort\t2182',
  ].join('\n')), { tickTime: '3000', a: 'again', c: 'd', e: '', f: ': g', clientPort: '2182' });
});

test('properties syntax: backslash continuation, escapes, CRLF, \\uXXXX', () => {
  assert.deepEqual(props('4lw.commands.whitelist=srvr,\\\r\n    ruok,\\\n\tmntr\r\nkey\\ with\\=sep = v\\tx\\u0041\n'),
    { '4lw.commands.whitelist': 'srvr,ruok,mntr', 'key with=sep': 'v\txA' });
  // An even number of trailing backslashes is an escaped backslash, not a continuation.
  assert.deepEqual(props('dir=c:\\\\\nnext=1'), { dir: 'c:\\', next: '1' });
  // A comment line does not continue even when it ends in a backslash.
  assert.deepEqual(props('# a \\\nk=v'), { k: 'v' });
  assert.throws(() => props('k=\\u00zz'), (e: unknown) => e instanceof ConfigError && /zoo\.cfg:1: malformed \\uxxxx/.test(e.message));
});

test('zoo.cfg: the recognised settings', () => {
  const cfg = parseZooCfg([
    'tickTime=3000', 'clientPort=2182', 'clientPortAddress=127.0.0.1', 'dataDir=/var/lib/zookeeper',
    'maxClientCnxns=0', 'minSessionTimeout=5000', 'maxSessionTimeout=90000', 'snapCount=5000',
    'autopurge.snapRetainCount=5', 'autopurge.purgeInterval=24', '4lw.commands.whitelist=ruok, mntr',
    'jute.maxbuffer=4194304', 'zookeeper.extendedTypesEnabled=FALSE', 'znode.container.checkIntervalMs=1000',
    'DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=', 'admin.enableServer=false',
    'admin.serverPort=8080',
  ].join('\n'), FILE);
  assert.deepEqual({ ...cfg, warnings: undefined }, {
    file: FILE, tickTime: 3000, clientPort: 2182, clientPortAddress: '127.0.0.1', dataDir: '/var/lib/zookeeper',
    maxClientCnxns: 0, minSessionTimeout: 5000, maxSessionTimeout: 90000, snapCount: 5000, snapRetainCount: 5,
    purgeInterval: 24, fourLetterWords: ['ruok', 'srvr', 'mntr'], juteMaxBuffer: 4194304, extendedTypesEnabled: false,
    containerCheckIntervalMs: 1000, superDigest: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=', warnings: undefined,
  });
  // admin.* is silently ignored; what Junction does not apply is said.
  assert.deepEqual(cfg.warnings, [
    'clientPortAddress: ignored, Junction listens on its --bind address',
  ]);
});

test('zoo.cfg: quorum keys and unknown keys are warned about, not applied', () => {
  const cfg = parseZooCfg('tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=zk1:2888:3888\nlocalSessionsEnabled=true\nbogus=1\n', FILE);
  assert.deepEqual(cfg.warnings, [
    'initLimit: ignored, Junction runs ZooKeeper standalone only',
    'syncLimit: ignored, Junction runs ZooKeeper standalone only',
    'server.1: ignored, Junction runs ZooKeeper standalone only',
    'localSessionsEnabled: unknown or unsupported setting, ignored',
    'bogus: unknown or unsupported setting, ignored',
  ]);
});

test('zoo.cfg: ZooKeeper\'s own corrections (-1 = unset, snapRetainCount >= 3, snapCount >= 2, clientPort 0 = unset)', () => {
  const cfg = parseZooCfg('minSessionTimeout=-1\nautopurge.snapRetainCount=1\nsnapCount=1\nclientPort=0\n4lw.commands.whitelist=ruok,nope\n', FILE);
  assert.equal(cfg.minSessionTimeout, undefined);
  assert.equal(cfg.snapRetainCount, 3);
  assert.equal(cfg.snapCount, 2);
  assert.equal(cfg.clientPort, undefined);
  assert.deepEqual(cfg.warnings, [
    'autopurge.snapRetainCount: 1 is below 3, using 3 as ZooKeeper does',
    'snapCount: 1 is below 2, using 2 as ZooKeeper does',
    '4lw.commands.whitelist: unknown word "nope" ignored',
  ]);
});

test('zoo.cfg: bad values are ConfigErrors naming file, line and key', () => {
  const err = (text: string, re: RegExp): void => {
    assert.throws(() => parseZooCfg(text, FILE), (e: unknown) => e instanceof ConfigError && re.test(e.message));
  };
  err('# c\ntickTime=fast', /^\/etc\/zookeeper\/zoo\.cfg:2: tickTime: expected an integer, got "fast"$/);
  err('tickTime=0', /zoo\.cfg:1: tickTime: must be at least 1, got 0/);
  err('clientPort=70000', /clientPort: 70000 is outside 0\.\.65535/);
  err('maxClientCnxns=-2', /maxClientCnxns: must be at least 0/);
  err('maxSessionTimeout=2147483648', /maxSessionTimeout: expected an integer/);
  err('extendedTypesEnabled=yes', /extendedTypesEnabled: Invalid option yes\. Choose 'true' or 'false\.'/);
  err('DigestAuthenticationProvider.superDigest=nocolon', /superDigest: expected <user>:<base64 SHA-1 digest>/);
  err('jute.maxbuffer=0', /jute\.maxbuffer: must be at least 1/);
});

test('resolve: Junction defaults give ZooKeeper\'s derived defaults', () => {
  const s = resolveZkSettings(DEFAULTS.zk, null, '/data/zk', 2181);
  assert.deepEqual(s, {
    tickTime: 2000, minSessionTimeout: 4000, maxSessionTimeout: 40000, maxClientCnxns: 60, snapCount: 100000,
    snapRetainCount: 3, purgeIntervalHours: 0, fourLetterWords: ['srvr'], juteMaxBuffer: 0xfffff,
    extendedTypesEnabled: true, superDigest: null, containerCheckMs: 60000, sessionlessCnxnTimeout: 10000,
    globalOutstandingLimit: 1000, maxUnsentBytes: 4 * 1024 * 1024, closeAboveUnsentBytes: 64 * 1024 * 1024,
    dataDir: '/data/zk', clientPort: 2181,
  });
});

test('zoo.cfg: sessionless connection timeout and global outstanding limit, with or without "zookeeper."', () => {
  // ZooKeeper reads both as system properties; QuorumPeerConfig makes "zookeeper." + key of a zoo.cfg key.
  for (const prefix of ['', 'zookeeper.']) {
    const zoo = parseZooCfg(`${prefix}nio.sessionlessCnxnTimeout=2500\n${prefix}globalOutstandingLimit=50\n`, FILE);
    assert.deepEqual(zoo.warnings, []);
    const s = resolveZkSettings(DEFAULTS.zk, zoo, '/d', 2181);
    assert.equal(s.sessionlessCnxnTimeout, 2500);
    assert.equal(s.globalOutstandingLimit, 50);
  }
  const err = (text: string, re: RegExp) => assert.throws(() => parseZooCfg(text, FILE), (e: unknown) => e instanceof ConfigError && re.test(e.message));
  err('nio.sessionlessCnxnTimeout=0', /nio\.sessionlessCnxnTimeout: must be at least 1/);
  err('globalOutstandingLimit=-1', /globalOutstandingLimit: must be at least 0/);
  err('globalOutstandingLimit=lots', /globalOutstandingLimit: expected an integer/);
});

test('resolve: the connection bounds can also come with the zk config (until Junction declares flags for them)', () => {
  const s = resolveZkSettings({ ...DEFAULTS.zk, globalOutstandingLimit: 7, maxUnsentBytes: 65536, sessionlessCnxnTimeout: 300 }, null, '/d', 2181);
  assert.deepEqual([s.globalOutstandingLimit, s.maxUnsentBytes, s.sessionlessCnxnTimeout], [7, 65536, 300]);
  assert.throws(() => resolveZkSettings({ ...DEFAULTS.zk, maxUnsentBytes: 0 }, null, '/d', 2181),
    (e: unknown) => e instanceof ConfigError && /maxUnsentBytes/.test(e.message));
  assert.equal(resolveZkSettings({ ...DEFAULTS.zk, closeAboveUnsentBytes: 0 }, null, '/d', 2181).closeAboveUnsentBytes, 0);
  assert.throws(() => resolveZkSettings({ ...DEFAULTS.zk, maxUnsentBytes: 65536, closeAboveUnsentBytes: 65536 }, null, '/d', 2181),
    (e: unknown) => e instanceof ConfigError && /closeAboveUnsentBytes.*above maxUnsentBytes/.test(e.message));
});

test('resolve: zoo.cfg wins over Junction config; timeouts follow its tickTime', () => {
  const zoo = parseZooCfg('tickTime=3000\nclientPort=2182\n4lw.commands.whitelist=*\nmaxSessionTimeout=100000\n', FILE);
  const s = resolveZkSettings({ ...DEFAULTS.zk, tickTime: 1000, maxClientCnxns: 10 }, zoo, '/data/zk', 2181);
  assert.equal(s.tickTime, 3000);
  assert.equal(s.minSessionTimeout, 6000);
  assert.equal(s.maxSessionTimeout, 100000);
  assert.equal(s.maxClientCnxns, 10);
  assert.equal(s.clientPort, 2182);
  assert.ok(s.fourLetterWords.includes('mntr') && s.fourLetterWords.includes('stat'));
});

test('resolve: keys listed as explicit win over zoo.cfg', () => {
  const zoo = parseZooCfg('tickTime=3000\nclientPort=2182\n', FILE);
  const s = resolveZkSettings({ ...DEFAULTS.zk, tickTime: 1000 }, zoo, '/data/zk', 2999, new Set(['tickTime', 'clientPort']));
  assert.equal(s.tickTime, 1000);
  assert.equal(s.minSessionTimeout, 2000);
  assert.equal(s.clientPort, 2999);
});

test('resolve: min > max is refused, naming where each came from', () => {
  const zoo = parseZooCfg('minSessionTimeout=50000\n', FILE);
  assert.throws(() => resolveZkSettings(DEFAULTS.zk, zoo, '/d', 2181), (e: unknown) => e instanceof ConfigError &&
    e.message === '/etc/zookeeper/zoo.cfg: minSessionTimeout / zk setting maxSessionTimeout (--zk-max-session-timeout): '
      + 'minSessionTimeout (50000) must not be larger than maxSessionTimeout (40000)');
  assert.throws(() => resolveZkSettings({ ...DEFAULTS.zk, tickTime: 0 }, null, '/d', 2181),
    (e: unknown) => e instanceof ConfigError && /--zk-tick-time/.test(e.message));
});

test('resolve: retain count and purge interval floors, empty super digest is none', () => {
  const s = resolveZkSettings({ ...DEFAULTS.zk, snapRetainCount: 1, purgeInterval: -5, superDigest: '' }, null, '/d', 2181);
  assert.equal(s.snapRetainCount, 3);
  assert.equal(s.purgeIntervalHours, 0);
  assert.equal(s.superDigest, null);
});
