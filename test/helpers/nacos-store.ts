import type { Junction } from '../../src/app.js';
import type { RunningNacos } from '../../src/nacos/personality.js';

/** The Nacos personality's command store, for tests that snapshot it or drop volatile state. */
export function nacosStore(junction: Junction): RunningNacos['store'] {
  const nacos = junction.personality('nacos') as RunningNacos | undefined;
  if (!nacos) throw new Error('nacos is not enabled on this server');
  return nacos.store;
}
