import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import { declared, defaultsOf } from '../../src/core/settings/group.js';
import { parseProperties } from '../../src/core/settings/properties.js';
import { resolveZkSettings, zkSettings } from '../../src/zk/settings.js';
import { parseZooCfg } from '../../src/zk/zoo-cfg.js';

const FILE = '/etc/zookeeper/zoo.cfg';
/** The zoo.cfg names the ZooKeeper personality declares. */
const NATIVE = new Set(declared(zkSettings).map((d) => d.spec.native).filter((n): n is string => n !== undefined));
const zoo = (text: string) => parseZooCfg(text, FILE, NATIVE);
const values = (text: string): Record<string, string> => Object.fromEntries(zoo(text).values.map((v) => [v.name, v.value]));
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

test('zoo.cfg: the recognised settings map onto the declared ones, by their zoo.cfg names, with file:line', () => {
  const text = [
    'tickTime=3000', 'clientPort=2182', 'clientPortAddress=127.0.0.1', 'dataDir=/var/lib/zookeeper',
    'maxClientCnxns=0', 'minSessionTimeout=5000', 'maxSessionTimeout=90000', 'snapCount=5000',
    'autopurge.snapRetainCount=5', 'autopurge.purgeInterval=24', '4lw.commands.whitelist=ruok, mntr',
    'jute.maxbuffer=4194304', 'zookeeper.extendedTypesEnabled=FALSE', 'znode.container.checkIntervalMs=1000',
    'DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=', 'admin.enableServer=false',
    'admin.serverPort=8080',
  ].join('\n');
  assert.deepEqual(values(text), {
    tickTime: '3000', clientPort: '2182', dataDir: '/var/lib/zookeeper', maxClientCnxns: '0', minSessionTimeout: '5000',
    maxSessionTimeout: '90000', snapCount: '5000', 'autopurge.snapRetainCount': '5', 'autopurge.purgeInterval': '24',
    '4lw.commands.whitelist': 'ruok,mntr', 'jute.maxbuffer': '4194304', extendedTypesEnabled: 'false',
    'znode.container.checkIntervalMs': '1000', 'DigestAuthenticationProvider.superDigest': 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=',
  });
  assert.equal(zoo(text).values.find((v) => v.name === 'extendedTypesEnabled')!.where, `${FILE}:13: zookeeper.extendedTypesEnabled`);
  // Every zoo.cfg key the reader knows is declared by a setting (one declaration, no second table).
  for (const name of Object.keys(values(text))) assert.ok(NATIVE.has(name), name);
  // admin.* is silently ignored; what Junction does not apply is said.
  assert.deepEqual(zoo(text).warnings, ['clientPortAddress: ignored, Junction listens on its --bind address']);
});

test('zoo.cfg: quorum keys and unknown keys are warned about, not applied', () => {
  const cfg = zoo('tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=zk1:2888:3888\nlocalSessionsEnabled=true\nbogus=1\ndataLogDir=/x\n');
  assert.deepEqual(cfg.warnings, [
    'initLimit: ignored, Junction runs ZooKeeper standalone only',
    'syncLimit: ignored, Junction runs ZooKeeper standalone only',
    'server.1: ignored, Junction runs ZooKeeper standalone only',
    'localSessionsEnabled: unknown or unsupported setting, ignored',
    'bogus: unknown or unsupported setting, ignored',
    'dataLogDir: ignored, the txn log lives in dataDir/log',
  ]);
  assert.deepEqual(cfg.values.map((v) => v.name), ['tickTime']);
});

test('zoo.cfg: ZooKeeper\'s own corrections (-1 = unset, snapRetainCount >= 3, snapCount >= 2, clientPort 0 = unset)', () => {
  const cfg = zoo('minSessionTimeout=-1\nautopurge.snapRetainCount=1\nsnapCount=1\nclientPort=0\n4lw.commands.whitelist=ruok,nope\nautopurge.purgeInterval=-4\n');
  assert.deepEqual(values('minSessionTimeout=-1\nautopurge.snapRetainCount=1\nsnapCount=1\nclientPort=0\n4lw.commands.whitelist=ruok,nope\nautopurge.purgeInterval=-4\n'),
    { 'autopurge.snapRetainCount': '3', snapCount: '2', '4lw.commands.whitelist': 'ruok', 'autopurge.purgeInterval': '0' });
  assert.deepEqual(cfg.warnings, [
    'autopurge.snapRetainCount: 1 is below 3, using 3 as ZooKeeper does',
    'snapCount: 1 is below 2, using 2 as ZooKeeper does',
    '4lw.commands.whitelist: unknown word "nope" ignored',
  ]);
});

test('zoo.cfg: Java syntax errors are ConfigErrors naming file, line and key', () => {
  const err = (text: string, re: RegExp): void => {
    assert.throws(() => zoo(text), (e: unknown) => e instanceof ConfigError && re.test(e.message));
  };
  err('# c\ntickTime=fast', /^\/etc\/zookeeper\/zoo\.cfg:2: tickTime: expected an integer, got "fast"$/);
  err('maxSessionTimeout=2147483648', /maxSessionTimeout: expected an integer/);
  err('extendedTypesEnabled=yes', /extendedTypesEnabled: Invalid option yes\. Choose 'true' or 'false\.'/);
});

test('zoo.cfg: values are then checked by the declarations, naming file, line and key', () => {
  const check = (text: string, re: RegExp): void => {
    const [v] = zoo(text).values;
    const d = declared(zkSettings).find((x) => x.spec.native === v!.name)!;
    assert.throws(() => d.spec.parse(v!.value), (e: unknown) => e instanceof Error && re.test(`${v!.where}: ${e.message}`));
  };
  check('tickTime=0', /zoo\.cfg:1: tickTime: must be at least 1, got 0/);
  check('clientPort=70000', /clientPort: 70000 is outside 0\.\.65535/);
  check('maxClientCnxns=-2', /maxClientCnxns: must be at least 0/);
  check('DigestAuthenticationProvider.superDigest=nocolon', /superDigest: expected <user>:<base64 SHA-1 digest>/);
  check('jute.maxbuffer=0', /jute\.maxbuffer: must be at least 1/);
  check('nio.sessionlessCnxnTimeout=0', /nio\.sessionlessCnxnTimeout: must be at least 1/);
  check('globalOutstandingLimit=-1', /globalOutstandingLimit: must be at least 0/);
});

test('resolve: the defaults give ZooKeeper\'s derived defaults', () => {
  const s = resolveZkSettings(defaultsOf(zkSettings), '/data/zk');
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
    const zoo = parseZooCfg(`${prefix}nio.sessionlessCnxnTimeout=2500\n${prefix}globalOutstandingLimit=50\n`, FILE, NATIVE);
    assert.deepEqual(zoo.warnings, []);
    assert.deepEqual(zoo.values.map((v) => [v.name, v.value]), [['nio.sessionlessCnxnTimeout', '2500'], ['globalOutstandingLimit', '50']]);
  }
  assert.throws(() => zoo('globalOutstandingLimit=lots'), (e: unknown) => e instanceof ConfigError && /globalOutstandingLimit: expected an integer/.test(e.message));
});

test('resolve: the connection bounds reach the server settings; close limit 0 means never', () => {
  const s = resolveZkSettings({ ...defaultsOf(zkSettings), globalOutstandingLimit: 7, maxUnsentBytes: 65536, sessionlessCnxnTimeout: 300, closeAboveUnsentBytes: 0 }, '/d');
  assert.deepEqual([s.globalOutstandingLimit, s.maxUnsentBytes, s.sessionlessCnxnTimeout, s.closeAboveUnsentBytes], [7, 65536, 300, 0]);
});

test('resolve: timeouts follow tickTime, * expands the whitelist, zoo.cfg\'s dataDir replaces <data-dir>/zk', () => {
  const s = resolveZkSettings({ ...defaultsOf(zkSettings), tickTime: 3000, maxSessionTimeout: 100000, fourLetterWords: '*', dataDir: '/var/zk', superDigest: 'a:b' }, '/data/zk');
  assert.equal(s.minSessionTimeout, 6000);
  assert.equal(s.maxSessionTimeout, 100000);
  assert.ok(s.fourLetterWords.includes('mntr') && s.fourLetterWords.includes('stat'));
  assert.equal(s.dataDir, '/var/zk');
  assert.equal(s.superDigest, 'a:b');
});
