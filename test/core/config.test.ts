import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.js';
import { defaultConfig, loadConfig, type JunctionConfig } from '../../src/core/config.js';
import type { NacosConfig } from '../../src/nacos/settings.js';
import { PERSONALITIES } from '../../src/personalities.js';
import type { ZkConfig } from '../../src/zk/settings.js';
import { cleanup, tmp } from './fixtures/log-helpers.js';

const load = (flags: Parameters<typeof loadConfig>[1], env: NodeJS.ProcessEnv = {}) => loadConfig(PERSONALITIES, flags, env);
const nacos = (c: JunctionConfig) => c.personalities.nacos as NacosConfig;
const zk = (c: JunctionConfig) => c.personalities.zk as ZkConfig;

function withFile(content: string, fn: (file: string) => void, name = 'junction.json'): void {
  const dir = tmp('junction-config-');
  try {
    const file = join(dir, name);
    writeFileSync(file, content);
    fn(file);
  } finally { cleanup(dir); }
}

function refuses(pattern: RegExp, flags: Parameters<typeof loadConfig>[1], env: NodeJS.ProcessEnv = {}): void {
  assert.throws(() => load(flags, env), (e: unknown) => {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('defaults with no file, env or flags: every registered personality enabled, ZooKeeper and Nacos ports', () => {
  const c = load({});
  assert.equal(c.dataDir, './data');
  assert.equal(c.bind, '127.0.0.1');
  assert.equal(c.fsync, 'batch');
  assert.equal(c.adminPort, 9464);
  assert.deepEqual(c.enabled, PERSONALITIES.map((p) => p.name));
  assert.equal(nacos(c).port, 8848);
  assert.equal(zk(c).port, 2181);
  assert.equal(zk(c).tickTime, 2000);
  assert.deepEqual(c.warnings, []);
  assert.deepEqual(defaultConfig(PERSONALITIES), c);
});

test('precedence: flags > env > file > defaults, file sections per personality', () => {
  withFile(JSON.stringify({ fsync: 'always', dataDir: '/from-file', nacos: { port: 1111 }, zk: { port: 2222 }, logLevel: 'warn' }), (file) => {
    const fileOnly = load({ config: file });
    assert.equal(fileOnly.fsync, 'always');
    assert.equal(fileOnly.dataDir, '/from-file');
    assert.equal(nacos(fileOnly).port, 1111);
    assert.equal(fileOnly.adminPort, 9464);

    const env = { JUNCTION_CONFIG: file, JUNCTION_FSYNC: 'never', JUNCTION_NACOS_PORT: '3333', JUNCTION_LOG_LEVEL: '' };
    const withEnv = load({}, env);
    assert.equal(withEnv.fsync, 'never', 'env beats file');
    assert.equal(nacos(withEnv).port, 3333);
    assert.equal(zk(withEnv).port, 2222, 'file value kept where env is silent');
    assert.equal(withEnv.logLevel, 'warn', 'an empty env var does not override');

    const withFlags = load({ fsync: 'batch', 'nacos-port': '4444', 'data-dir': '/from-flag' }, env);
    assert.equal(withFlags.fsync, 'batch', 'flag beats env');
    assert.equal(nacos(withFlags).port, 4444);
    assert.equal(withFlags.dataDir, '/from-flag');
    assert.equal(zk(withFlags).port, 2222);
  });
});

test('typed values: numbers, booleans, personality lists', () => {
  const cfg = load({ 'token-ttl': ' 60 ', enable: 'nacos, zk', 'nacos-snapshot-every': '10' }, { JUNCTION_AUTH: 'yes' });
  assert.equal(cfg.tokenTtlSeconds, 60);
  assert.deepEqual(cfg.enabled, ['nacos', 'zk']);
  assert.equal(cfg.auth, true);
  assert.equal(nacos(cfg).snapshotEvery, 10);
  withFile(JSON.stringify({ enabled: ['nacos'], auth: true, nacos: { maxContentBytes: 5 } }), (file) => {
    const c = load({ config: file });
    assert.equal(c.auth, true);
    assert.deepEqual(c.enabled, ['nacos']);
    assert.equal(nacos(c).maxContentBytes, 5);
  });
});

test('every validation error names where the value came from and why', () => {
  refuses(/^--nacos-port: expected a whole number, got "80a"$/, { 'nacos-port': '80a' });
  refuses(/^--zk-port: 70000 is outside 0\.\.65535$/, { 'zk-port': '70000' });
  refuses(/^JUNCTION_ADMIN_PORT: -1 is outside 0\.\.65535$/, {}, { JUNCTION_ADMIN_PORT: '-1' });
  refuses(/^--fsync: expected always, batch or never, got "sometimes"$/, { fsync: 'sometimes' });
  refuses(/^--enable: unknown personality "mqtt" \(known: nacos, zk, kafka, amqp\)$/, { enable: 'nacos,mqtt' });
  refuses(/^JUNCTION_AUTH: expected true or false, got "maybe"$/, {}, { JUNCTION_AUTH: 'maybe' });
  refuses(/^--admin-init: expected generate or api, got "later"$/, { 'admin-init': 'later' });
  refuses(/^--log-level: expected fatal, error, warn, info, debug, trace or silent, got "loud"$/, { 'log-level': 'loud' });
  refuses(/^--bind: "example\.com" is not an IP address$/, { bind: 'example.com', auth: true });
  refuses(/^--token-ttl: must be at least 1, got 0$/, { 'token-ttl': '0' });
  refuses(/^--nacos-max-content: must be at least 1, got -5$/, { 'nacos-max-content': '-5' });
  refuses(/^--nacos-snapshot-every: must be at least 1, got 0$/, { 'nacos-snapshot-every': '0' });
  refuses(/^--admin-user: invalid name "bad name"$/, { 'admin-user': 'bad name' });
  refuses(/^--zk-snap-retain-count: must be at least 3, got 1$/, { 'zk-snap-retain-count': '1' });
  refuses(/^--zk-4lw-whitelist: unknown four-letter word "nope"$/, { 'zk-4lw-whitelist': 'srvr,nope' });
  refuses(/^--zk-close-above-unsent-bytes: must be 0 \(never\) or above maxUnsentBytes \(65536\)$/,
    { 'zk-max-unsent-bytes': '65536', 'zk-close-above-unsent-bytes': '65536' });
  refuses(/^--zk-min-session-timeout \/ zk\.maxSessionTimeout \(default\): minSessionTimeout \(50000\) must not be larger than maxSessionTimeout \(40000\)$/,
    { 'zk-min-session-timeout': '50000' });
});

test('a non-loopback bind without auth is refused with an explanation; with auth it is accepted', () => {
  for (const bind of ['0.0.0.0', '::', '192.168.1.10']) {
    refuses(/^--bind: refusing to listen on .* with auth disabled — anyone who can reach it could read and change every config and registration\. Enable auth \(--auth\) or bind a loopback address/, { bind });
  }
  const open = load({ bind: '0.0.0.0', auth: true });
  assert.equal(open.bind, '0.0.0.0');
  assert.equal(open.auth, true);
  for (const bind of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) assert.equal(load({ bind }).bind, bind);
});

test('config file problems name the file', () => {
  withFile('{ "fsync": "batch", ', (file) => refuses(new RegExp(`^config file ${file}: .*JSON`), { config: file }));
  withFile('[1, 2]', (file) => refuses(new RegExp(`^config file ${file}: expected a JSON object of settings$`), { config: file }));
  withFile('null', (file) => refuses(new RegExp(`^config file ${file}: expected a JSON object`), {}, { JUNCTION_CONFIG: file }));
  withFile('{"fsinc": "always"}', (file) => refuses(new RegExp(`^config file ${file}: unknown setting "fsinc"`), { config: file }));
  withFile('{"nacos": {"portt": 1}}', (file) => refuses(new RegExp(`^config file ${file}: unknown setting "nacos\\.portt"`), { config: file }));
  withFile('{"nacos": 5}', (file) => refuses(new RegExp(`^config file ${file}: nacos: expected an object of nacos settings$`), { config: file }));
  withFile('{"nacos": {"port": "x"}}', (file) => refuses(new RegExp(`^${file}: nacos\\.port: expected a whole number, got "x"$`), { config: file }));
  const missing = join(tmp('junction-config-'), 'nope.json');
  refuses(new RegExp(`^config file ${missing}: ENOENT`), { config: missing });
});

test('zoo.cfg (--zk-config) fills the settings nothing else set; Junction\'s own sources win over it', () => {
  withFile('tickTime=3000\nclientPort=2182\n4lw.commands.whitelist=*\nmaxSessionTimeout=100000\ninitLimit=10\n', (zooCfg) => {
    const c = load({ 'zk-config': zooCfg, 'zk-max-client-cnxns': '10' });
    assert.equal(zk(c).tickTime, 3000);
    assert.equal(zk(c).port, 2182);
    assert.equal(zk(c).fourLetterWords, '*');
    assert.equal(zk(c).maxSessionTimeout, 100000);
    assert.equal(zk(c).maxClientCnxns, 10);
    assert.deepEqual(c.warnings, [{ file: zooCfg, warning: 'initLimit: ignored, Junction runs ZooKeeper standalone only' }]);

    const flagsWin = load({ 'zk-config': zooCfg, 'zk-tick-time': '1000' }, { JUNCTION_ZK_PORT: '2999' });
    assert.equal(zk(flagsWin).tickTime, 1000);
    assert.equal(zk(flagsWin).port, 2999);
    withFile(JSON.stringify({ zk: { config: zooCfg, tickTime: 500 } }), (file) => {
      const fileWins = load({ config: file });
      assert.equal(zk(fileWins).tickTime, 500, 'the JSON file wins over zoo.cfg');
      assert.equal(zk(fileWins).port, 2182, 'zoo.cfg wins over the default');
    });
  }, 'zoo.cfg');
  withFile('tickTime=0\n', (zooCfg) => refuses(new RegExp(`^${zooCfg}:1: tickTime: must be at least 1, got 0$`), { 'zk-config': zooCfg }), 'zoo.cfg');
  withFile('minSessionTimeout=50000\n', (zooCfg) => refuses(
    new RegExp(`^${zooCfg}:1: minSessionTimeout / zk\\.maxSessionTimeout \\(default\\): minSessionTimeout \\(50000\\) must not be larger than maxSessionTimeout \\(40000\\)$`),
    { 'zk-config': zooCfg }), 'zoo.cfg');
  refuses(/^--zk-config: cannot read \/nonexistent\/zoo\.cfg: ENOENT/, { 'zk-config': '/nonexistent/zoo.cfg' });
});
