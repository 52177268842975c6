/**
 * Topic-level configs a CreateTopics may set (Kafka's TopicConfig / LogConfig names). Every name
 * Kafka knows is accepted and kept, so clients and tools that pass them work; the ones this broker
 * acts on are checked for a valid value, and an unknown name is refused with Kafka's INVALID_CONFIG
 * text ("Unknown topic config name: x", LogConfig.validateNames).
 */
import { KafkaApiError } from './errors.js';
import type { KafkaConfig } from './settings.js';
import type { PartitionLogOptions } from './log/partition-log.js';

const KNOWN_TOPIC_CONFIGS = new Set([
  'cleanup.policy', 'compression.type', 'delete.retention.ms', 'file.delete.delay.ms', 'flush.messages', 'flush.ms',
  'follower.replication.throttled.replicas', 'index.interval.bytes', 'leader.replication.throttled.replicas',
  'local.retention.bytes', 'local.retention.ms', 'max.compaction.lag.ms', 'max.message.bytes', 'message.downconversion.enable',
  'message.format.version', 'message.timestamp.after.max.ms', 'message.timestamp.before.max.ms',
  'message.timestamp.difference.max.ms', 'message.timestamp.type', 'min.cleanable.dirty.ratio', 'min.compaction.lag.ms',
  'min.insync.replicas', 'preallocate', 'remote.storage.enable', 'retention.bytes', 'retention.ms', 'segment.bytes',
  'segment.index.bytes', 'segment.jitter.ms', 'segment.ms', 'unclean.leader.election.enable',
]);

/** Configs read as longs here, with the least value Kafka's ConfigDef allows. */
const LONG_CONFIGS: Record<string, number> = {
  'retention.ms': -1, 'retention.bytes': -1, 'segment.bytes': 14, 'segment.ms': 1, 'max.message.bytes': 0,
};

/** Check a CreateTopics config list; returns the configs to store (null values dropped, as Kafka does). */
export function validateTopicConfigs(configs: ReadonlyArray<{ name: string; value: string | null }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, value } of configs) {
    if (!KNOWN_TOPIC_CONFIGS.has(name)) throw new KafkaApiError('INVALID_CONFIG', `Unknown topic config name: ${name}`);
    if (value === null) continue;
    const min = LONG_CONFIGS[name];
    if (min !== undefined && (!/^-?\d+$/.test(value.trim()) || Number(value) < min)) {
      throw new KafkaApiError('INVALID_CONFIG', `Invalid value ${value} for configuration ${name}: ` +
        (/^-?\d+$/.test(value.trim()) ? `Value must be at least ${min}` : 'Not a number of type LONG'));
    }
    if (name === 'message.timestamp.type' && value !== 'CreateTime' && value !== 'LogAppendTime') {
      throw new KafkaApiError('INVALID_CONFIG', `Invalid value ${value} for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime`);
    }
    out[name] = value.trim();
  }
  return out;
}

/** What a topic's partitions run with: its overrides over the broker settings (log.* → topic names). */
export interface EffectiveTopicConfig {
  maxMessageBytes: number;
  retentionMs: number;
  retentionBytes: number;
  log: PartitionLogOptions;
}

export function effectiveTopicConfig(configs: Readonly<Record<string, string>>, settings: KafkaConfig): EffectiveTopicConfig {
  const long = (name: string, fallback: number): number => (configs[name] !== undefined ? Number(configs[name]) : fallback);
  return {
    maxMessageBytes: long('max.message.bytes', settings.messageMaxBytes),
    retentionMs: long('retention.ms', settings.retentionMs),
    retentionBytes: long('retention.bytes', settings.retentionBytes),
    log: {
      segmentBytes: long('segment.bytes', settings.segmentBytes),
      segmentMs: long('segment.ms', settings.segmentMs),
      timestampType: configs['message.timestamp.type'] === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
    },
  };
}
