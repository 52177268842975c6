// rabbitmq.conf (--amqp-config), RabbitMQ's information units and the resource-alarm monitor's
// limits and intervals (issue 10 §3–4); the alarms end to end are in test/compat/amqp/alarms.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import amqplib from 'amqplib';
import type { AmqpConfig } from '../../src/amqp/settings.js';
import { ResourceAlarms, type AlarmProbes } from '../../src/amqp/ops/alarms.js';
import { parseRabbitmqConf } from '../../src/amqp/ops/rabbitmq-conf.js';
import { parseInformationUnit } from '../../src/amqp/ops/units.js';
import { loadConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { PERSONALITIES } from '../../src/personalities.js';
import { killHard, startChildServer } from '../helpers/child-server.js';

const GiB = 1024 ** 3;

function withConf(text: string, fn: (file: string) => Promise<void> | void): Promise<void> | void {
  const dir = mkdtempSync(join(tmpdir(), 'junction-rabbitmq-conf-'));
  const file = join(dir, 'rabbitmq.conf');
  writeFileSync(file, text);
  const done = () => rmSync(dir, { recursive: true, force: true });
  try {
    const r = fn(file);
    if (r instanceof Promise) return r.finally(done);
    done();
  } catch (err) { done(); throw err; }
}

const amqp = (flags: Record<string, string>, env: NodeJS.ProcessEnv = {}) => {
  const c = loadConfig(PERSONALITIES, flags, env);
  return { settings: c.personalities.amqp as AmqpConfig, warnings: c.warnings.map((w) => w.warning) };
};

function refuses(pattern: RegExp, fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('information units as rabbit_resource_monitor_misc: KiB-style 1024, KB-style 1000, bare bytes', () => {
  assert.equal(parseInformationUnit('50MB'), 50_000_000);
  assert.equal(parseInformationUnit('2GiB'), 2 * GiB);
  assert.equal(parseInformationUnit('2G'), 2 * GiB);
  assert.equal(parseInformationUnit('512k'), 512 * 1024);
  assert.equal(parseInformationUnit('3kb'), 3000);
  assert.equal(parseInformationUnit('1000000'), 1_000_000);
  for (const bad of ['', '1.5GB', '10TB', 'GB', '-1', '5 MB x']) assert.equal(parseInformationUnit(bad), null, bad);
});

test('rabbitmq.conf: the keys Junction applies, comments, the last of a repeated key, warnings for the rest', () => {
  const declared = new Set(['listeners.tcp.default', 'heartbeat', 'disk_free_limit.absolute']);
  const r = parseRabbitmqConf([
    '# RabbitMQ config', '', 'listeners.tcp.default = 127.0.0.1:5673', 'heartbeat = 30  # seconds', 'heartbeat=20',
    'disk_free_limit.absolute = 1GB', 'default_user = admin', 'log.console.level = debug', 'queue_master_locator = min-masters',
  ].join('\n'), '/etc/rabbitmq/rabbitmq.conf', declared);
  assert.deepEqual(r.values, [
    { name: 'listeners.tcp.default', value: '5673', where: '/etc/rabbitmq/rabbitmq.conf:3: listeners.tcp.default' },
    { name: 'heartbeat', value: '20', where: '/etc/rabbitmq/rabbitmq.conf:5: heartbeat' },
    { name: 'disk_free_limit.absolute', value: '1GB', where: '/etc/rabbitmq/rabbitmq.conf:6: disk_free_limit.absolute' },
  ]);
  assert.deepEqual(r.warnings, [
    'listeners.tcp.default: address 127.0.0.1 ignored, Junction listens on its --bind address',
    'default_user: ignored, users come from Junction\'s user store (--auth, junction users)',
    'log.console.level: ignored, Junction logs its own way and runs a single node',
    'queue_master_locator: unknown or unsupported setting, ignored',
  ]);
  refuses(/^f:2: expected "key = value", got "heartbeat 30"$/, () => parseRabbitmqConf('a = 1\nheartbeat 30\n', 'f', declared));
});

test('--amqp-config fills the AMQP settings nothing else set; flags, env and the JSON file win; bad values name the line', () => {
  withConf([
    'listeners.tcp.default = 5673', 'management.tcp.port = 15673', 'default_vhost = /prod', 'heartbeat = 30',
    'frame_max = 65536', 'channel_max = 100', 'max_message_size = 1048576', 'consumer_timeout = 900000',
    'vm_memory_high_watermark.relative = 0.6', 'disk_free_limit.absolute = 2GB', 'cluster_name = x',
  ].join('\n'), (file) => {
    const { settings: s, warnings } = amqp({ 'amqp-config': file, 'amqp-heartbeat': '10' }, { JUNCTION_AMQP_CHANNEL_MAX: '5' });
    assert.deepEqual([s.port, s.managementPort, s.defaultVhost, s.frameMax, s.maxMessageSize, s.consumerTimeoutMs],
      [5673, 15673, '/prod', 65536, 1048576, 900000]);
    assert.deepEqual([s.vmMemoryHighWatermark, s.diskFreeLimit], [0.6, 2_000_000_000]);
    assert.equal(s.heartbeat, 10, 'the flag wins');
    assert.equal(s.channelMax, 5, 'the environment wins');
    assert.deepEqual(warnings, ['cluster_name: ignored, Junction logs its own way and runs a single node']);
  });
  withConf('vm_memory_high_watermark.absolute = 2GiB\ndisk_free_limit.relative = 1.5\n', (file) => {
    const { settings: s } = amqp({ 'amqp-config': file });
    assert.deepEqual([s.vmMemoryHighWatermarkAbsolute, s.diskFreeLimitRelative], [2 * GiB, 1.5]);
  });
  withConf('\nheartbeat = soon\n', (file) => refuses(new RegExp(`^${file}:2: heartbeat: expected a whole number, got "soon"$`), () => amqp({ 'amqp-config': file })));
  withConf('vm_memory_high_watermark.relative = 1.5\n', (file) =>
    refuses(new RegExp(`^${file}:1: vm_memory_high_watermark.relative: must be within 0..1, got 1.5$`), () => amqp({ 'amqp-config': file })));
  withConf('disk_free_limit.absolute = 10TB\n', (file) =>
    refuses(/disk_free_limit.absolute: expected bytes \(an integer or with a unit: 500MB, 500MiB, 2GB, 2GiB\), got "10TB"$/, () => amqp({ 'amqp-config': file })));
  withConf('listeners.tcp.default = any\n', (file) =>
    refuses(new RegExp(`^${file}:1: listeners.tcp.default: expected a port or host:port, got "any"$`), () => amqp({ 'amqp-config': file })));
  refuses(/^--amqp-config: cannot read \/nonexistent\/rabbitmq.conf/, () => amqp({ 'amqp-config': '/nonexistent/rabbitmq.conf' }));
  refuses(/^--amqp-disk-free-limit: expected bytes/, () => amqp({ 'amqp-disk-free-limit': 'lots' }));
});

test('junction start --amqp-config: amqplib negotiates the file\'s heartbeat, frame_max and channel_max; ignored keys are logged', async () => {
  await withConf('heartbeat = 17\nframe_max = 65536\nchannel_max = 99\ndefault_pass = secret\n', async (file) => {
    const dir = mkdtempSync(join(tmpdir(), 'junction-amqp-config-'));
    const server = await startChildServer(['--enable', 'amqp', '--data-dir', dir, '--amqp-config', file]);
    try {
      const conn = await amqplib.connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
      const c = conn.connection as unknown as { heartbeat: number; frameMax: number; channelMax: number };
      assert.deepEqual([c.heartbeat, c.frameMax, c.channelMax], [17, 65536, 99]);
      await conn.close();
      assert.ok(server.output.some((l) => l.includes('default_pass: ignored, users come from Junction')), server.output.join('\n'));
    } finally {
      await killHard(server);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function monitor(probe: Partial<AlarmProbes>, limits: Partial<ConstructorParameters<typeof ResourceAlarms>[0]> = {}) {
  const changes: string[] = [];
  const probes: AlarmProbes = { rssBytes: () => 100, totalMemoryBytes: () => 1000, freeDiskBytes: async () => 1e9, ...probe };
  const alarms: ResourceAlarms = new ResourceAlarms({ vmMemoryHighWatermark: 0.4, vmMemoryHighWatermarkAbsolute: 0, diskFreeLimit: 50_000_000,
    diskFreeLimitRelative: 0, ...limits }, '/', silentLogger(), () => changes.push(alarms.active.size ? alarms.reason() : 'clear'), probes);
  return { alarms, changes };
}

test('alarm limits: relative watermark of RAM, absolute when set; disk limit absolute or a multiple of RAM; reasons as rabbit_reader', async () => {
  let rss = 100;
  let free = 1e9;
  const { alarms, changes } = monitor({ rssBytes: () => rss, freeDiskBytes: async () => free });
  assert.equal(alarms.memoryLimitBytes(), 400);
  alarms.checkMemory();
  rss = 401;
  alarms.checkMemory();
  alarms.checkMemory();
  await alarms.setLimits({ vmMemoryHighWatermarkAbsolute: 500 });
  assert.equal(alarms.memoryLimitBytes(), 500);
  rss = 600;
  free = 10;
  alarms.checkMemory();
  await alarms.checkDisk();
  await alarms.setLimits({ diskFreeLimitRelative: 0.001 });
  assert.equal(alarms.diskLimitBytes(), 1);
  assert.deepEqual(changes, ['low on memory', 'clear', 'low on memory', 'low on memory & disk', 'low on memory']);
});

test('disk check interval as rabbit_disk_monitor: 2 × (free − limit) / 250000 ms within 100 ms .. 10 s; 10 s while alarmed', async () => {
  let free = 0;
  const { alarms } = monitor({ freeDiskBytes: async () => free });
  free = 50_000_000 + 250_000 * 1000;
  assert.equal(await alarms.checkDisk(), 2000);
  free = 50_000_000 + 1000;
  assert.equal(await alarms.checkDisk(), 100);
  free = 1e12;
  assert.equal(await alarms.checkDisk(), 10_000);
  free = 1;
  assert.equal(await alarms.checkDisk(), 10_000);
  assert.deepEqual([...alarms.active], ['disk']);
});
