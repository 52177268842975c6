import { defineSettings } from '../core/settings/group.js';
import { int, port, text } from '../core/settings/spec.js';

/** The AMQP personality's settings as declared (rabbitmq.conf names in `native`). */
export interface AmqpConfig {
  port: number;
  /** The management HTTP API's port (rabbitmq_management). */
  managementPort: number;
  /** Seconds proposed in connection.tune; 0 = no heartbeats. */
  heartbeat: number;
  frameMax: number;
  channelMax: number;
  maxMessageSize: number;
  defaultVhost: string;
  handshakeTimeoutMs: number;
}

/**
 * RabbitMQ 3.10 defaults (deps/rabbit/Makefile `rabbit.app` env and rabbitmq.conf.example):
 * heartbeat 60, frame_max 131072, channel_max 2047, max_message_size 134217728 (128 MiB),
 * default_vhost <<"/">>, handshake_timeout 10000 ms.
 */
export const amqpSettings = defineSettings<AmqpConfig>({
  section: 'amqp',
  title: 'RabbitMQ (AMQP 0-9-1)',
  specs: {
    port: port(5672, 'AMQP 0-9-1 port', { native: 'listeners.tcp.default' }),
    managementPort: port(15672, 'management HTTP API port (rabbitmqctl, curl, the UI\'s API)', { native: 'management.tcp.port' }),
    heartbeat: int({ default: 60, min: 0, max: 65535, arg: 'SECONDS', native: 'heartbeat', help: 'heartbeat timeout proposed to clients in connection.tune (0 = none)' }),
    frameMax: int({ default: 131_072, min: 4096, arg: 'BYTES', native: 'frame_max', help: 'largest frame proposed in connection.tune and accepted afterwards' }),
    channelMax: int({ default: 2047, min: 1, max: 65535, native: 'channel_max', help: 'most channels one connection may open' }),
    maxMessageSize: int({ default: 134_217_728, min: 1, max: 536_870_912, arg: 'BYTES', native: 'max_message_size', help: 'largest message body a publish may carry' }),
    defaultVhost: text({ default: '/', arg: 'VHOST', native: 'default_vhost', help: 'the virtual host that exists from the first start' }),
    handshakeTimeoutMs: int({ default: 10_000, min: 1, arg: 'MS', native: 'handshake_timeout', help: 'close a connection whose AMQP handshake is not complete this long after accept' }),
  },
});
