import type { Junction } from '../app.js';

/** GET /api/status: what `junction status` shows; counts come from each personality's status(). */
export function statusOf(junction: Junction): Record<string, unknown> {
  const counts: Record<string, Record<string, number>> = {};
  for (const name of junction.enabled) counts[name] = junction.personality(name)!.status();
  return {
    version: junction.version,
    uptimeMs: junction.clock.now() - junction.startedAt,
    ports: junction.ports(),
    bind: junction.config.bind,
    enabled: junction.enabled,
    auth: junction.config.auth,
    fsync: junction.config.fsync,
    dataDir: junction.config.dataDir,
    counts,
  };
}
