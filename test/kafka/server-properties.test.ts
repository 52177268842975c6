// server.properties maps onto the Kafka personality's declared settings as Apache Kafka reads it:
// listener syntax, ms/minutes/hours precedence, ConfigDef booleans, broker.id = node.id; storage and
// cluster keys are ignored with a warning; flags still win over the file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import { declared, defaultsOf } from '../../src/core/settings/group.js';
import { loadSettings } from '../../src/core/settings/load.js';
import { kafkaSettings, type KafkaConfig } from '../../src/kafka/settings.js';
import { parseServerProperties } from '../../src/kafka/server-properties.js';

const FILE = '/opt/kafka/config/server.properties';
const NATIVE = new Set(declared(kafkaSettings).map((d) => d.spec.native).filter((n): n is string => n !== undefined));
const parse = (text: string) => parseServerProperties(text, FILE, NATIVE);
const values = (text: string): Record<string, string> => Object.fromEntries(parse(text).values.map((v) => [v.name, v.value]));

/** The Kafka 3.x quick start's config/kraft/server.properties, comments left out. */
const QUICKSTART = [
  'process.roles=broker,controller', 'node.id=1', 'controller.quorum.voters=1@localhost:9093',
  'listeners=PLAINTEXT://:9092,CONTROLLER://:9093', 'inter.broker.listener.name=PLAINTEXT',
  'advertised.listeners=PLAINTEXT://localhost:9092', 'controller.listener.names=CONTROLLER',
  'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL',
  'num.network.threads=3', 'num.io.threads=8', 'socket.send.buffer.bytes=102400', 'socket.receive.buffer.bytes=102400',
  'socket.request.max.bytes=104857600', 'log.dirs=/tmp/kraft-combined-logs', 'num.partitions=1',
  'num.recovery.threads.per.data.dir=1', 'offsets.topic.replication.factor=1', 'transaction.state.log.replication.factor=1',
  'transaction.state.log.min.isr=1', 'log.retention.hours=168', 'log.segment.bytes=1073741824',
  'log.retention.check.interval.ms=300000',
].join('\n');

test('the quick start server.properties: port, advertised address, node id and log settings apply; the rest warns', () => {
  const { values: v, warnings } = parse(QUICKSTART);
  assert.deepEqual(Object.fromEntries(v.map((x) => [x.name, x.value])), {
    listeners: '9092', 'advertised.listeners': 'localhost:9092', 'node.id': '1', 'socket.request.max.bytes': '104857600',
    'num.partitions': '1', 'log.segment.bytes': '1073741824', 'log.retention.ms': String(168 * 3_600_000),
  });
  assert.equal(v.find((x) => x.name === 'node.id')!.where, `${FILE}:2: node.id`);
  for (const key of ['process.roles', 'log.dirs', 'controller.quorum.voters', 'num.io.threads', 'offsets.topic.replication.factor']) {
    assert.ok(warnings.some((w) => w.startsWith(`${key}: ignored`)), `${key} warned: ${warnings.join(' | ')}`);
  }
  // The listener list names more than PLAINTEXT, and its host is empty: nothing to warn about the host.
  assert.ok(!warnings.some((w) => w.includes('host')), warnings.join(' | '));
});

test('durations: ms wins over minutes over hours; a negative value means unlimited', () => {
  assert.equal(values('log.retention.hours=1\nlog.retention.minutes=2')['log.retention.ms'], '120000');
  assert.equal(values('log.retention.hours=1\nlog.retention.minutes=2\nlog.retention.ms=5')['log.retention.ms'], '5');
  assert.equal(values('log.retention.hours=-1')['log.retention.ms'], '-1');
  // Read, not applied yet (segments roll by size): said so, not silently dropped.
  assert.ok(parse('log.roll.hours=2').warnings.some((w) => w.startsWith('log.roll.hours: not applied yet')));
});

test('listeners: the first client listener gives the port; a host or another protocol is reported', () => {
  const { values: v, warnings } = parse('listeners=SASL_PLAINTEXT://0.0.0.0:9094,PLAINTEXT://127.0.0.1:9092');
  assert.equal(v[0]!.value, '9094');
  assert.ok(warnings.some((w) => w.includes('one plain listener')));
  assert.ok(warnings.some((w) => w.includes('host 0.0.0.0 ignored')));
  assert.throws(() => parse('listeners=9092'), (e: unknown) => e instanceof ConfigError && /server\.properties:1: listeners: Unable to parse 9092/.test(e.message));
  assert.throws(() => parse('listeners=CONTROLLER://:9093'), /no listener for clients/);
  assert.throws(() => parse('advertised.listeners=PLAINTEXT://:9092'), /with a host/);
});

test('Kafka\'s own value errors: LONG, BOOLEAN; broker.id and node.id must agree', () => {
  assert.throws(() => parse('num.partitions=three'), (e: unknown) => e instanceof ConfigError && /:1: num\.partitions: Invalid value three .*LONG/.test(e.message));
  assert.throws(() => parse('auto.create.topics.enable=yes'), /Expected value to be either true or false/);
  assert.equal(values('auto.create.topics.enable=FALSE')['auto.create.topics.enable'], 'false');
  assert.equal(values('broker.id=3')['node.id'], '3');
  assert.throws(() => parse('broker.id=3\nnode.id=4'), /differs/);
  assert.ok(parse('some.plugin.setting=x').warnings.includes('some.plugin.setting: unknown or unsupported setting, ignored'));
});

test('loaded with the other sources: the file fills what flags leave, flags win, checks still run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'junction-kafka-props-'));
  try {
    const file = join(dir, 'server.properties');
    writeFileSync(file, 'listeners=PLAINTEXT://:19092\nnum.partitions=6\nlog.retention.minutes=30\nauto.create.topics.enable=false\n');
    const load = (flags: Record<string, string | boolean>) =>
      loadSettings([kafkaSettings], { 'kafka-config': file, ...flags }, {}).sections.get('kafka') as unknown as KafkaConfig;
    const s = load({ 'kafka-num-partitions': '3' });
    assert.equal(s.port, 19092);
    assert.equal(s.numPartitions, 3, 'the flag wins over the file');
    assert.equal(s.retentionMs, 30 * 60_000);
    assert.equal(s.autoCreateTopics, false);
    assert.equal(s.segmentBytes, defaultsOf(kafkaSettings).segmentBytes);
    writeFileSync(file, 'message.max.bytes=2000\nsocket.request.max.bytes=1000\n');
    assert.throws(() => load({}), /message\.max\.bytes \(2000\) must not exceed socket\.request\.max\.bytes \(1000\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('consumer group settings: initial rebalance delay, offsets retention, session timeout bounds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'junction-kafka-props-'));
  try {
    const file = join(dir, 'server.properties');
    writeFileSync(file, 'group.initial.rebalance.delay.ms=0\noffsets.retention.minutes=1440\ngroup.min.session.timeout.ms=1000\ngroup.max.session.timeout.ms=60000\n');
    const load = () => loadSettings([kafkaSettings], { 'kafka-config': file }, {}).sections.get('kafka') as unknown as KafkaConfig;
    const s = load();
    assert.deepEqual([s.groupInitialRebalanceDelayMs, s.offsetsRetentionMinutes, s.groupMinSessionTimeoutMs, s.groupMaxSessionTimeoutMs], [0, 1440, 1000, 60_000]);
    assert.deepEqual(parse('offsets.retention.minutes=5\ngroup.initial.rebalance.delay.ms=0').warnings, [], 'applied, not warned about');
    writeFileSync(file, 'group.min.session.timeout.ms=7000\ngroup.max.session.timeout.ms=6000\n');
    assert.throws(() => load(), /group\.min\.session\.timeout\.ms \(7000\) must not exceed group\.max\.session\.timeout\.ms \(6000\)/);
    const defaults = defaultsOf(kafkaSettings);
    assert.deepEqual([defaults.groupInitialRebalanceDelayMs, defaults.offsetsRetentionMinutes, defaults.groupMinSessionTimeoutMs, defaults.groupMaxSessionTimeoutMs],
      [3000, 10_080, 6000, 1_800_000], 'Kafka\'s defaults (GroupCoordinatorConfig)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
