import type { Personality } from '../core/personality.js';
import { zkSettings, type ZkConfig } from './settings.js';

/** ZooKeeper 3.8's client protocol, four-letter words and AdminServer commands. Its code is
 *  loaded only when it is enabled. */
export const zk = {
  name: 'zk',
  title: 'ZooKeeper 3.8',
  settings: zkSettings,
  open: async (ctx) => (await import('./personality.js')).openZk(ctx),
} as const satisfies Personality<ZkConfig>;
