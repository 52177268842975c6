import type { Personality } from '../core/personality.js';
import { amqpSettings, type AmqpConfig } from './settings.js';

/** RabbitMQ 3.10's AMQP 0-9-1 protocol (one broker, in-memory model). Its code is loaded only
 *  when it is enabled. */
export const amqp = {
  name: 'amqp',
  title: 'RabbitMQ 3.10 (AMQP 0-9-1)',
  settings: amqpSettings,
  open: async (ctx) => (await import('./personality.js')).openAmqp(ctx),
} as const satisfies Personality<AmqpConfig>;
