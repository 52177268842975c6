import type { Junction } from '../../src/app.js';
import type { RunningZk } from '../../src/zk/personality.js';

/** The ZooKeeper personality of a test server, for tests that look at its server or service. */
export function zkPersonality(junction: Junction): RunningZk {
  const zk = junction.personality('zk') as RunningZk | undefined;
  if (!zk) throw new Error('zk is not enabled on this server');
  return zk;
}
