/**
 * What DescribeConfigs reports: every topic config of Kafka 3.x's LogConfig with its type, Kafka's
 * default and the broker config it falls back to (LogConfig's TopicConfigSynonyms, e.g. retention.ms
 * ← log.retention.ms), and the broker's own settings under their server.properties names. Values the
 * broker takes from Junction's settings (retention, segment size, message size) are reported from
 * them; the others are Kafka's defaults, which is what this broker behaves as.
 */
import type { KafkaConfig } from './settings.js';

/** DescribeConfigsResponse.ConfigSource ids. */
export const ConfigSource = { TOPIC_CONFIG: 1, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5 } as const;
/** DescribeConfigsResponse.ConfigType ids (ConfigDef.Type). */
export const ConfigType = { BOOLEAN: 1, STRING: 2, INT: 3, LONG: 5, DOUBLE: 6, LIST: 7 } as const;
type ConfigTypeName = keyof typeof ConfigType;

export interface TopicConfigDef {
  readonly name: string;
  readonly type: ConfigTypeName;
  /** Kafka 3.x's default (ServerLogConfigs / LogConfig). */
  readonly kafkaDefault: string;
  /** The broker config the topic config falls back to, null when there is none. */
  readonly brokerName: string | null;
  /** The broker's value when Junction declares that setting. */
  readonly fromSettings?: (s: KafkaConfig) => string;
  /** The values a STRING or LIST config may take (ConfigDef.ValidString / ValidList). */
  readonly oneOf?: readonly string[];
  /** Least value of a number (ConfigDef.Range.atLeast). */
  readonly atLeast?: number;
  readonly doc: string;
}

const LONG_MAX = '9223372036854775807';

function def(name: string, type: ConfigTypeName, kafkaDefault: string, brokerName: string | null, doc: string,
  extra: Partial<Pick<TopicConfigDef, 'fromSettings' | 'oneOf' | 'atLeast'>> = {}): TopicConfigDef {
  return { name, type, kafkaDefault, brokerName, doc, ...extra };
}

/** Every topic config Kafka 3.x reports for a topic, in its alphabetical order. */
export const TOPIC_CONFIGS: readonly TopicConfigDef[] = [
  def('cleanup.policy', 'LIST', 'delete', 'log.cleanup.policy', 'delete or compact old segments (this broker only deletes)', { oneOf: ['delete', 'compact'] }),
  def('compression.type', 'STRING', 'producer', 'compression.type', 'codec of stored batches; this broker keeps the producer\'s',
    { oneOf: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] }),
  def('delete.retention.ms', 'LONG', '86400000', 'log.cleaner.delete.retention.ms', 'how long delete tombstones are kept (compaction)', { atLeast: 0 }),
  def('file.delete.delay.ms', 'LONG', '60000', 'log.segment.delete.delay.ms', 'delay before a deleted segment file is removed', { atLeast: 0 }),
  def('flush.messages', 'LONG', LONG_MAX, 'log.flush.interval.messages', 'fsync after this many messages (Junction follows --fsync)', { atLeast: 1 }),
  def('flush.ms', 'LONG', LONG_MAX, 'log.flush.interval.ms', 'fsync after this long (Junction follows --fsync)', { atLeast: 0 }),
  def('follower.replication.throttled.replicas', 'LIST', '', 'follower.replication.throttled.replicas', 'replicas throttled on the follower side'),
  def('index.interval.bytes', 'INT', '4096', 'log.index.interval.bytes', 'bytes between offset index entries', { atLeast: 0 }),
  def('leader.replication.throttled.replicas', 'LIST', '', 'leader.replication.throttled.replicas', 'replicas throttled on the leader side'),
  def('local.retention.bytes', 'LONG', '-2', 'log.local.retention.bytes', 'local retention size with tiered storage', { atLeast: -2 }),
  def('local.retention.ms', 'LONG', '-2', 'log.local.retention.ms', 'local retention time with tiered storage', { atLeast: -2 }),
  def('max.compaction.lag.ms', 'LONG', LONG_MAX, 'log.cleaner.max.compaction.lag.ms', 'longest time a message stays uncompacted', { atLeast: 1 }),
  def('max.message.bytes', 'INT', '1048588', 'message.max.bytes', 'largest record batch a Produce may carry',
    { fromSettings: (s) => String(s.messageMaxBytes), atLeast: 0 }),
  def('message.downconversion.enable', 'BOOLEAN', 'true', 'log.message.downconversion.enable', 'down-convert for old consumers'),
  def('message.format.version', 'STRING', '3.0-IV1', 'log.message.format.version', 'deprecated; magic 2 is always used'),
  def('message.timestamp.after.max.ms', 'LONG', LONG_MAX, 'log.message.timestamp.after.max.ms', 'how far in the future a timestamp may be', { atLeast: 0 }),
  def('message.timestamp.before.max.ms', 'LONG', LONG_MAX, 'log.message.timestamp.before.max.ms', 'how far in the past a timestamp may be', { atLeast: 0 }),
  def('message.timestamp.difference.max.ms', 'LONG', LONG_MAX, 'log.message.timestamp.difference.max.ms', 'deprecated bound on timestamps', { atLeast: 0 }),
  def('message.timestamp.type', 'STRING', 'CreateTime', 'log.message.timestamp.type', 'CreateTime keeps the producer\'s; LogAppendTime stamps at append',
    { oneOf: ['CreateTime', 'LogAppendTime'] }),
  def('min.cleanable.dirty.ratio', 'DOUBLE', '0.5', 'log.cleaner.min.cleanable.ratio', 'dirty ratio that triggers compaction', { atLeast: 0 }),
  def('min.compaction.lag.ms', 'LONG', '0', 'log.cleaner.min.compaction.lag.ms', 'shortest time a message stays uncompacted', { atLeast: 0 }),
  def('min.insync.replicas', 'INT', '1', 'min.insync.replicas', 'replicas that must acknowledge acks=all (one broker: 1)', { atLeast: 1 }),
  def('preallocate', 'BOOLEAN', 'false', 'log.preallocate', 'preallocate segment files'),
  def('remote.storage.enable', 'BOOLEAN', 'false', null, 'tiered storage for this topic'),
  def('retention.bytes', 'LONG', '-1', 'log.retention.bytes', 'delete old segments of a partition above this size (-1: no limit)',
    { fromSettings: (s) => String(s.retentionBytes) }),
  def('retention.ms', 'LONG', '604800000', 'log.retention.ms', 'delete segments older than this (-1: keep forever)',
    { fromSettings: (s) => String(s.retentionMs), atLeast: -1 }),
  def('segment.bytes', 'INT', '1073741824', 'log.segment.bytes', 'roll a partition\'s segment at this size',
    { fromSettings: (s) => String(s.segmentBytes), atLeast: 14 }),
  def('segment.index.bytes', 'INT', '10485760', 'log.index.size.max.bytes', 'size of a segment\'s offset index', { atLeast: 4 }),
  def('segment.jitter.ms', 'LONG', '0', 'log.roll.jitter.ms', 'random jitter subtracted from segment.ms', { atLeast: 0 }),
  def('segment.ms', 'LONG', '604800000', 'log.roll.ms', 'roll a segment after this long (this broker rolls by size only)', { atLeast: 1 }),
  def('unclean.leader.election.enable', 'BOOLEAN', 'false', 'unclean.leader.election.enable', 'elect an out-of-sync replica (one broker: moot)'),
];

const BY_NAME = new Map(TOPIC_CONFIGS.map((d) => [d.name, d]));

export function topicConfigDef(name: string): TopicConfigDef | undefined { return BY_NAME.get(name); }

/** The broker-level value of a topic config: Junction's setting (STATIC_BROKER_CONFIG when it
 *  differs from Kafka's default) or Kafka's default (DEFAULT_CONFIG). */
export function brokerValue(d: TopicConfigDef, settings: KafkaConfig): { value: string; source: number } {
  const value = d.fromSettings?.(settings);
  if (value !== undefined && value !== d.kafkaDefault) return { value, source: ConfigSource.STATIC_BROKER_CONFIG };
  return { value: d.kafkaDefault, source: ConfigSource.DEFAULT_CONFIG };
}

/** ConfigDef's parse of a value of `d`'s type: null when valid, else Kafka's reason. */
export function invalidValueReason(d: TopicConfigDef, value: string): string | null {
  const v = value.trim();
  switch (d.type) {
    case 'BOOLEAN':
      return /^(true|false)$/i.test(v) ? null : 'Expected value to be either true or false';
    case 'INT':
    case 'LONG': {
      if (!/^-?\d+$/.test(v)) return `Not a number of type ${d.type}`;
      const n = BigInt(v);
      const max = d.type === 'INT' ? 2n ** 31n - 1n : 2n ** 63n - 1n;
      if (n > max || n < -max - 1n) return `Not a number of type ${d.type}`;
      return d.atLeast !== undefined && n < BigInt(d.atLeast) ? `Value must be at least ${d.atLeast}` : null;
    }
    case 'DOUBLE':
      if (v === '' || !Number.isFinite(Number(v))) return 'Not a number of type DOUBLE';
      return d.atLeast !== undefined && Number(v) < d.atLeast ? `Value must be at least ${d.atLeast}` : null;
    case 'STRING':
      return d.oneOf && !d.oneOf.includes(v) ? `String must be one of: ${d.oneOf.join(', ')}` : null;
    case 'LIST':
      if (!d.oneOf) return null;
      return listItems(v).every((item) => d.oneOf!.includes(item)) ? null : `Invalid value(s) ${v}; must be among [${d.oneOf.join(', ')}]`;
  }
}

/** A LIST config's items (ConfigDef.parseType for LIST: comma separated, trimmed, empty → none). */
export function listItems(value: string): string[] {
  return value.trim() === '' ? [] : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
