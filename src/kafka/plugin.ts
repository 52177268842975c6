import type { Personality } from '../core/personality.js';
import { kafkaSettings, type KafkaConfig } from './settings.js';

/** Apache Kafka's client protocol (a single broker: topics, produce, fetch, offsets). Its code
 *  is loaded only when it is enabled. */
export const kafka = {
  name: 'kafka',
  title: 'Kafka 3.x',
  settings: kafkaSettings,
  open: async (ctx) => (await import('./personality.js')).openKafka(ctx),
} as const satisfies Personality<KafkaConfig>;
