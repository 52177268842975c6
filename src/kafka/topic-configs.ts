/**
 * Topic-level configs a CreateTopics or AlterConfigs may set (Kafka's TopicConfig / LogConfig names,
 * config-catalog.ts). Every name Kafka knows is accepted and kept, so clients and tools that pass
 * them work; each value is checked against its ConfigDef type, and an unknown name is refused with
 * Kafka's INVALID_CONFIG text ("Unknown topic config name: x", LogConfig.validateNames).
 */
import { invalidValueReason, topicConfigDef } from './config-catalog.js';
import { KafkaApiError } from './errors.js';
import type { KafkaConfig } from './settings.js';
import type { PartitionLogOptions } from './log/partition-log.js';

/** Check one topic config (name and value) as Kafka's LogConfig.validate does; the value to store. */
export function checkTopicConfig(name: string, value: string): string {
  const d = topicConfigDef(name);
  if (!d) throw new KafkaApiError('INVALID_CONFIG', `Unknown topic config name: ${name}`);
  const reason = invalidValueReason(d, value);
  if (reason !== null) throw new KafkaApiError('INVALID_CONFIG', `Invalid value ${value} for configuration ${name}: ${reason}`);
  return value.trim();
}

/** Check a CreateTopics config list; returns the configs to store (null values dropped, as Kafka does). */
export function validateTopicConfigs(configs: ReadonlyArray<{ name: string; value: string | null }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, value } of configs) {
    if (!topicConfigDef(name)) throw new KafkaApiError('INVALID_CONFIG', `Unknown topic config name: ${name}`);
    if (value === null) continue;
    out[name] = checkTopicConfig(name, value);
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
