import { ConfigError } from '../core/errors.js';
import { defineSettings } from '../core/settings/group.js';
import { bool, int, port, text } from '../core/settings/spec.js';
import { parseServerProperties } from './server-properties.js';

/** The Kafka personality's settings as declared (server.properties names in `native`). */
export interface KafkaConfig {
  port: number;
  /** --kafka-config: a server.properties read at start ('' = none). */
  config: string;
  /** host:port put in Metadata ('' = the bind address and the port). */
  advertisedListener: string;
  nodeId: number;
  numPartitions: number;
  autoCreateTopics: boolean;
  /** -1 = keep forever. */
  retentionMs: number;
  /** -1 = no size limit. */
  retentionBytes: number;
  segmentBytes: number;
  messageMaxBytes: number;
  socketRequestMaxBytes: number;
  connectionsMaxIdleMs: number;
  /** Wait before the first rebalance of an Empty group, so more members join it. */
  groupInitialRebalanceDelayMs: number;
  /** Committed offsets of a group without members are kept this long. */
  offsetsRetentionMinutes: number;
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
}

const HOUR_MS = 3_600_000;

/** Apache Kafka 3.x broker defaults (KafkaConfig / ServerLogConfigs / GroupCoordinatorConfig). */
export const kafkaSettings = defineSettings<KafkaConfig>({
  section: 'kafka',
  title: 'Kafka',
  specs: {
    port: port(9092, 'Kafka protocol port (the PLAINTEXT listener)', { native: 'listeners' }),
    config: text({ default: '', arg: 'FILE', help: 'a server.properties to read; Junction\'s own settings win over its values' }),
    advertisedListener: text({
      default: '', arg: 'HOST:PORT', native: 'advertised.listeners', defaultText: '<bind>:<port>',
      help: 'the broker address Metadata gives clients (advertised.listeners)',
      check: (v) => (/^[^\s:]+:\d{1,5}$/.test(v) || /^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(v) ? null : 'expected host:port'),
    }),
    nodeId: int({ default: 1, min: 0, native: 'node.id', help: 'this broker\'s id in Metadata (also the controller id)' }),
    numPartitions: int({ default: 1, min: 1, native: 'num.partitions', help: 'partitions of an automatically created topic' }),
    autoCreateTopics: bool({ default: true, native: 'auto.create.topics.enable', help: 'create a topic when a Metadata request names it (Produce and Fetch never create, as in Kafka)' }),
    retentionMs: int({
      default: 168 * HOUR_MS, min: -1, arg: 'MS', native: 'log.retention.ms', defaultText: '7 days',
      help: 'delete a segment whose newest record is older than this (-1 = never)',
    }),
    retentionBytes: int({ default: -1, min: -1, arg: 'BYTES', native: 'log.retention.bytes', help: 'delete old segments of a partition above this size (-1 = no limit)' }),
    segmentBytes: int({ default: 1024 * 1024 * 1024, min: 14, arg: 'BYTES', native: 'log.segment.bytes', help: 'roll a partition\'s segment at this size' }),
    messageMaxBytes: int({ default: 1_048_588, min: 0, arg: 'BYTES', native: 'message.max.bytes', help: 'largest record batch a Produce may carry' }),
    socketRequestMaxBytes: int({ default: 104_857_600, min: 1, arg: 'BYTES', native: 'socket.request.max.bytes', help: 'largest request frame; a larger one closes the connection' }),
    connectionsMaxIdleMs: int({ default: 600_000, min: 1, arg: 'MS', native: 'connections.max.idle.ms', help: 'close a connection idle this long' }),
    groupInitialRebalanceDelayMs: int({
      default: 3000, min: 0, arg: 'MS', native: 'group.initial.rebalance.delay.ms',
      help: 'how long the first rebalance of an empty consumer group waits for more members (extended by each new joiner, up to the rebalance timeout)',
    }),
    offsetsRetentionMinutes: int({
      default: 10_080, min: 1, arg: 'MINUTES', native: 'offsets.retention.minutes', defaultText: '7 days',
      help: 'keep the committed offsets of a group this long after it lost its last member (of a standalone group: after each commit)',
    }),
    groupMinSessionTimeoutMs: int({ default: 6000, min: 1, arg: 'MS', native: 'group.min.session.timeout.ms', help: 'smallest session timeout a consumer may ask for' }),
    groupMaxSessionTimeoutMs: int({ default: 1_800_000, min: 1, arg: 'MS', native: 'group.max.session.timeout.ms', help: 'largest session timeout a consumer may ask for' }),
  },
  check(s, where) {
    if (s.groupMinSessionTimeoutMs > s.groupMaxSessionTimeoutMs) {
      throw new ConfigError(`${where('groupMinSessionTimeoutMs')}: group.min.session.timeout.ms (${s.groupMinSessionTimeoutMs}) must not exceed ` +
        `group.max.session.timeout.ms (${s.groupMaxSessionTimeoutMs})`);
    }
    if (s.messageMaxBytes > s.socketRequestMaxBytes) {
      throw new ConfigError(`${where('messageMaxBytes')}: message.max.bytes (${s.messageMaxBytes}) must not exceed ` +
        `socket.request.max.bytes (${s.socketRequestMaxBytes})`);
    }
  },
  nativeFile: { name: 'server.properties', setting: 'config', parse: parseServerProperties },
});
