// Topic configs as Kafka's LogConfig declares them: values checked by ConfigDef type, list configs
// changed item by item (IncrementalAlterConfigs APPEND/SUBTRACT), sources and synonyms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invalidValueReason, TOPIC_CONFIGS, topicConfigDef } from '../../src/kafka/config-catalog.js';
import { ConfigOp, incrementallyChanged } from '../../src/kafka/config-changes.js';
import { topicConfigEntries } from '../../src/kafka/config-resources.js';
import { KafkaApiError } from '../../src/kafka/errors.js';
import type { KafkaConfig } from '../../src/kafka/settings.js';

const settings = { messageMaxBytes: 1_048_588, retentionMs: 604_800_000, retentionBytes: -1, segmentBytes: 4096 } as KafkaConfig;
const reason = (name: string, value: string): string | null => invalidValueReason(topicConfigDef(name)!, value);

test('every value is checked against its ConfigDef type', () => {
  assert.equal(TOPIC_CONFIGS.length, 31);
  assert.equal(reason('preallocate', 'TRUE'), null);
  assert.equal(reason('preallocate', 'yes'), 'Expected value to be either true or false');
  assert.equal(reason('segment.bytes', '13'), 'Value must be at least 14');
  assert.equal(reason('segment.bytes', '2147483648'), 'Not a number of type INT');
  assert.equal(reason('retention.ms', '9223372036854775807'), null);
  assert.equal(reason('retention.ms', '1e3'), 'Not a number of type LONG');
  assert.equal(reason('min.cleanable.dirty.ratio', '0.25'), null);
  assert.equal(reason('compression.type', 'brotli'), 'String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer');
  assert.equal(reason('cleanup.policy', 'compact, delete'), null);
  assert.match(String(reason('cleanup.policy', 'delete,shred')), /Invalid value/);
});

test('APPEND adds missing items, SUBTRACT removes them, both only on list configs; SET/DELETE any', () => {
  const changed = incrementallyChanged({ 'retention.ms': '5' }, [
    { name: 'cleanup.policy', op: ConfigOp.APPEND, value: 'compact,delete' },
    { name: 'retention.ms', op: ConfigOp.DELETE, value: null },
    { name: 'segment.bytes', op: ConfigOp.SET, value: ' 8192 ' },
  ], settings);
  assert.deepEqual(changed, { 'cleanup.policy': 'delete,compact', 'segment.bytes': '8192' });
  assert.deepEqual(incrementallyChanged(changed, [{ name: 'cleanup.policy', op: ConfigOp.SUBTRACT, value: 'delete' }], settings)['cleanup.policy'], 'compact');
  const refused = (op: number, name: string, value: string | null): string => {
    try { incrementallyChanged({}, [{ name, op, value }], settings); } catch (err) {
      assert.ok(err instanceof KafkaApiError);
      return `${err.kafkaError}: ${err.message}`;
    }
    return 'accepted';
  };
  assert.equal(refused(ConfigOp.SUBTRACT, 'segment.bytes', '1'), 'INVALID_REQUEST: Config value subtract is not allowed for config key: segment.bytes');
  assert.equal(refused(ConfigOp.SET, 'retention.ms', null), 'INVALID_REQUEST: Null value not supported for : retention.ms');
  assert.equal(refused(9, 'retention.ms', '1'), 'INVALID_REQUEST: Unknown config operation 9 for config key: retention.ms');
  assert.equal(refused(ConfigOp.SET, 'log.retention.ms', '1'), 'INVALID_CONFIG: Unknown topic config name: log.retention.ms');
});

test('sources: the override, else a setting that differs from Kafka\'s default, else the default; synonyms in that order', () => {
  const entries = new Map(topicConfigEntries({ 'segment.bytes': '2048' }, settings).map((e) => [e.name, e]));
  assert.deepEqual(entries.get('segment.bytes')!.synonyms, [
    { name: 'segment.bytes', value: '2048', source: 1 }, { name: 'log.segment.bytes', value: '4096', source: 4 },
    { name: 'log.segment.bytes', value: '1073741824', source: 5 },
  ]);
  assert.deepEqual([entries.get('retention.ms')!.value, entries.get('retention.ms')!.source], ['604800000', 5]);
  assert.deepEqual(entries.get('remote.storage.enable')!.synonyms, [], 'no broker-level synonym');
});
