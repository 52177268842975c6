import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.js';
import { DEFAULTS, loadConfig } from '../../src/core/config.js';
import { cleanup, tmp } from './fixtures/log-helpers.js';

function withFile(content: string, fn: (file: string) => void): void {
  const dir = tmp('junction-config-');
  try {
    const file = join(dir, 'junction.json');
    writeFileSync(file, content);
    fn(file);
  } finally { cleanup(dir); }
}

function refuses(pattern: RegExp, flags: Parameters<typeof loadConfig>[0], env: NodeJS.ProcessEnv = {}): void {
  assert.throws(() => loadConfig(flags, env), (e: unknown) => {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('defaults with no file, env or flags', () => {
  assert.deepEqual(loadConfig({}, {}), DEFAULTS);
});

test('precedence: flags > env > file > defaults', () => {
  withFile(JSON.stringify({ fsync: 'always', dataDir: '/from-file', ports: { nacos: 1111, zk: 2222 }, logLevel: 'warn' }), (file) => {
    const fileOnly = loadConfig({ config: file }, {});
    assert.equal(fileOnly.fsync, 'always');
    assert.equal(fileOnly.dataDir, '/from-file');
    assert.equal(fileOnly.ports.nacos, 1111);
    assert.equal(fileOnly.ports.kafka, DEFAULTS.ports.kafka);

    const env = { JUNCTION_CONFIG: file, JUNCTION_FSYNC: 'never', JUNCTION_NACOS_PORT: '3333', JUNCTION_LOG_LEVEL: '' };
    const withEnv = loadConfig({}, env);
    assert.equal(withEnv.fsync, 'never', 'env beats file');
    assert.equal(withEnv.ports.nacos, 3333);
    assert.equal(withEnv.ports.zk, 2222, 'file value kept where env is silent');
    assert.equal(withEnv.logLevel, 'warn', 'an empty env var does not override');

    const withFlags = loadConfig({ fsync: 'batch', 'nacos-port': '4444', 'data-dir': '/from-flag' }, env);
    assert.equal(withFlags.fsync, 'batch', 'flag beats env');
    assert.equal(withFlags.ports.nacos, 4444);
    assert.equal(withFlags.dataDir, '/from-flag');
    assert.equal(withFlags.ports.zk, 2222);
  });
});

test('typed values: numbers, booleans, personality lists', () => {
  const cfg = loadConfig({ 'token-ttl': ' 60 ', enable: 'nacos, zk', 'nacos-snapshot-every': '10' }, { JUNCTION_AUTH: 'yes' });
  assert.equal(cfg.tokenTtlSeconds, 60);
  assert.deepEqual(cfg.enabled, ['nacos', 'zk']);
  assert.equal(cfg.auth, true);
  assert.equal(cfg.nacos.snapshotEvery, 10);
  withFile(JSON.stringify({ enabled: ['nacos'], auth: true, nacos: { maxContentBytes: 5 } }), (file) => {
    const c = loadConfig({ config: file }, {});
    assert.equal(c.auth, true);
    assert.equal(c.nacos.maxContentBytes, 5);
  });
});

test('every validation error names the setting and why', () => {
  refuses(/^--nacos-port: expected a whole number, got "80a"$/, { 'nacos-port': '80a' });
  refuses(/^port zk: 70000 is outside 0\.\.65535$/, { 'zk-port': '70000' });
  refuses(/^port admin: -1 is outside 0\.\.65535$/, {}, { JUNCTION_ADMIN_PORT: '-1' });
  refuses(/^fsync: expected always, batch or never, got "sometimes"$/, { fsync: 'sometimes' });
  refuses(/^--enable: unknown personality "mqtt" \(known: nacos, zk, kafka, amqp\)$/, { enable: 'nacos,mqtt' });
  refuses(/^JUNCTION_AUTH: expected true or false, got "maybe"$/, {}, { JUNCTION_AUTH: 'maybe' });
  refuses(/^admin-init: expected generate or api, got "later"$/, { 'admin-init': 'later' });
  refuses(/^log-level: unknown level "loud"$/, { 'log-level': 'loud' });
  refuses(/^bind: "example\.com" is not an IP address$/, { bind: 'example.com', auth: true });
  refuses(/^token-ttl: must be positive, got 0$/, { 'token-ttl': '0' });
  refuses(/^nacos-max-content: must be positive$/, { 'nacos-max-content': '-5' });
  refuses(/^nacos-snapshot-every: must be positive$/, { 'nacos-snapshot-every': '0' });
  refuses(/^admin-user: invalid name "bad name"$/, { 'admin-user': 'bad name' });
});

test('a non-loopback bind without auth is refused with an explanation; with auth it is accepted', () => {
  for (const bind of ['0.0.0.0', '::', '192.168.1.10']) {
    refuses(/^bind: refusing to listen on .* with auth disabled — anyone who can reach it could read and change every config and registration\. Enable auth \(--auth\) or bind a loopback address/, { bind });
  }
  const open = loadConfig({ bind: '0.0.0.0', auth: true }, {});
  assert.equal(open.bind, '0.0.0.0');
  assert.equal(open.auth, true);
  for (const bind of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) assert.equal(loadConfig({ bind }, {}).bind, bind);
});

test('config file problems name the file', () => {
  withFile('{ "fsync": "batch", ', (file) => refuses(new RegExp(`^config file ${file}: .*JSON`), { config: file }));
  withFile('[1, 2]', (file) => refuses(new RegExp(`^config file ${file}: expected a JSON object of settings$`), { config: file }));
  withFile('null', (file) => refuses(new RegExp(`^config file ${file}: expected a JSON object`), {}, { JUNCTION_CONFIG: file }));
  withFile('{"fsinc": "always"}', (file) => refuses(new RegExp(`^config file ${file}: unknown setting "fsinc"`), { config: file }));
  withFile('{"ports": {"nacoss": 1}}', (file) => refuses(new RegExp(`^config file ${file}: unknown setting "ports\\.nacoss"`), { config: file }));
  withFile('{"ports": {"nacos": "x"}}', (file) => refuses(new RegExp(`^${file}: ports\\.nacos: expected a whole number, got "x"$`), { config: file }));
  const missing = join(tmp('junction-config-'), 'nope.json');
  refuses(new RegExp(`^config file ${missing}: ENOENT`), { config: missing });
});
