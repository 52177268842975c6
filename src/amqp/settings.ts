import { defineSettings } from '../core/settings/group.js';
import { int, port, text } from '../core/settings/spec.js';
import { parseRabbitmqConf } from './ops/rabbitmq-conf.js';
import { byteSize, decimal } from './ops/units.js';

/** The AMQP personality's settings as declared (rabbitmq.conf names in `native`). */
export interface AmqpConfig {
  port: number;
  /** --amqp-config: a rabbitmq.conf read at start ('' = none). */
  config: string;
  /** The management HTTP API's port (rabbitmq_management). */
  managementPort: number;
  /** Seconds proposed in connection.tune; 0 = no heartbeats. */
  heartbeat: number;
  frameMax: number;
  channelMax: number;
  maxMessageSize: number;
  defaultVhost: string;
  handshakeTimeoutMs: number;
  /** A channel whose oldest unacked delivery is older than this is closed (406); 0 = never. */
  consumerTimeoutMs: number;
  /** Fraction of RAM; used unless vmMemoryHighWatermarkAbsolute is set. */
  vmMemoryHighWatermark: number;
  /** Bytes; 0 = use the relative watermark. */
  vmMemoryHighWatermarkAbsolute: number;
  /** Bytes of free disk under which publishers are blocked; used unless diskFreeLimitRelative is set. */
  diskFreeLimit: number;
  /** Multiple of RAM; 0 = use the absolute limit. */
  diskFreeLimitRelative: number;
  /** Ready messages of a durable FIFO queue held in memory; the rest stay on disk (durable/paged-tail.ts). */
  queueWindowMessages: number;
  /** Body bytes of those ready messages held in memory. */
  queueWindowBytes: number;
  /** Fraction of the memory high watermark above which non-durable queues page past their window. */
  vmMemoryHighWatermarkPagingRatio: number;
}

/**
 * RabbitMQ 3.10 defaults (deps/rabbit/Makefile `rabbit.app` env and rabbitmq.conf.example):
 * heartbeat 60, frame_max 131072, channel_max 2047, max_message_size 134217728 (128 MiB),
 * default_vhost <<"/">>, handshake_timeout 10000 ms; vm_memory_high_watermark {relative 0.4},
 * disk_free_limit 50000000, consumer_timeout 1800000 ms (30 min).
 */
export const amqpSettings = defineSettings<AmqpConfig>({
  section: 'amqp',
  title: 'RabbitMQ (AMQP 0-9-1)',
  specs: {
    port: port(5672, 'AMQP 0-9-1 port', { native: 'listeners.tcp.default' }),
    config: text({ default: '', arg: 'FILE', help: 'a rabbitmq.conf to read; Junction\'s own settings win over its values' }),
    managementPort: port(15672, 'management HTTP API port (rabbitmqctl, curl, the UI\'s API)', { native: 'management.tcp.port' }),
    heartbeat: int({ default: 60, min: 0, max: 65535, arg: 'SECONDS', native: 'heartbeat', help: 'heartbeat timeout proposed to clients in connection.tune (0 = none)' }),
    frameMax: int({ default: 131_072, min: 4096, arg: 'BYTES', native: 'frame_max', help: 'largest frame proposed in connection.tune and accepted afterwards' }),
    channelMax: int({ default: 2047, min: 1, max: 65535, native: 'channel_max', help: 'most channels one connection may open' }),
    maxMessageSize: int({ default: 134_217_728, min: 1, max: 536_870_912, arg: 'BYTES', native: 'max_message_size', help: 'largest message body a publish may carry' }),
    defaultVhost: text({ default: '/', arg: 'VHOST', native: 'default_vhost', help: 'the virtual host that exists from the first start' }),
    handshakeTimeoutMs: int({ default: 10_000, min: 1, arg: 'MS', native: 'handshake_timeout', help: 'close a connection whose AMQP handshake is not complete this long after accept' }),
    consumerTimeoutMs: int({ default: 1_800_000, min: 0, arg: 'MS', native: 'consumer_timeout', help: 'close a channel (406) whose oldest unacknowledged delivery is older than this (0 = never)' }),
    vmMemoryHighWatermark: decimal({
      default: 0.4, min: 0, max: 1, native: 'vm_memory_high_watermark.relative',
      help: 'memory alarm when RSS exceeds this fraction of RAM: publishing connections are blocked (0 = always in alarm)',
    }),
    vmMemoryHighWatermarkAbsolute: byteSize({
      default: 0, native: 'vm_memory_high_watermark.absolute', defaultText: '0 (relative)',
      help: 'memory alarm threshold in bytes (500MB, 2GiB …); when set it replaces the relative watermark',
    }),
    diskFreeLimit: byteSize({
      default: 50_000_000, native: 'disk_free_limit.absolute',
      help: 'disk alarm when free space on the data directory\'s disk falls below this (bytes, 50MB, 1GiB …)',
    }),
    diskFreeLimitRelative: decimal({
      default: 0, min: 0, max: 100, native: 'disk_free_limit.relative', defaultText: '0 (absolute)',
      help: 'disk alarm limit as a multiple of RAM (e.g. 1.5); when set it replaces the absolute limit',
    }),
    // RabbitMQ has no single setting: rabbit_variable_queue loads one 2048-entry index segment at a time.
    queueWindowMessages: int({ default: 2048, min: 1, arg: 'N', help: 'ready messages of a durable queue kept in memory; the messages beyond, persistent or transient, stay on disk only' }),
    queueWindowBytes: byteSize({ default: 8 * 1024 * 1024, defaultText: '8MiB', help: 'body bytes of a durable queue\'s ready messages kept in memory (8MiB …)' }),
    vmMemoryHighWatermarkPagingRatio: decimal({
      default: 0.5, min: 0, max: 100, native: 'vm_memory_high_watermark_paging_ratio',
      help: 'non-durable queues page messages beyond their window to disk while RSS exceeds this fraction of the memory high watermark (0 = always; above 1: only past the alarm)',
    }),
  },
  nativeFile: { name: 'rabbitmq.conf', setting: 'config', parse: parseRabbitmqConf },
});
