import type { Personality } from '../core/personality.js';
import { nacosSettings, type NacosConfig } from './settings.js';

/** Nacos 2.x's HTTP open API: service registry and config center. Its code (and Fastify) is loaded
 *  only when it is enabled. */
export const nacos = {
  name: 'nacos',
  title: 'Nacos 2.x',
  settings: nacosSettings,
  open: async (ctx) => (await import('./personality.js')).openNacos(ctx),
} as const satisfies Personality<NacosConfig>;
