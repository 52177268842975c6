import { amqp } from './amqp/plugin.js';
import type { Personality } from './core/personality.js';
import { kafka } from './kafka/plugin.js';
import { nacos } from './nacos/plugin.js';
import { zk } from './zk/plugin.js';

/**
 * Every personality this build serves, in start order. The app, the admin port, `junction status`,
 * the start usage, the README settings check and the test helpers all loop over this list: adding
 * a personality is its folder plus one line here.
 */
export const PERSONALITIES = [nacos, zk, kafka, amqp] as const satisfies readonly Personality[];

export type PersonalityName = (typeof PERSONALITIES)[number]['name'];
