import type { Junction } from '../app.js';

/** One registered personality as /api/status shows it: running (with its counts) or not enabled. */
interface PersonalityStatus { name: string; title: string; running: boolean; ports?: Record<string, number>; counts?: Record<string, number> }

/** GET /api/status: what `junction status` shows, every personality of the registry included. */
export function statusOf(junction: Junction): Record<string, unknown> {
  const counts: Record<string, Record<string, number>> = {};
  const personalities: PersonalityStatus[] = junction.registry.map((p) => {
    const running = junction.personality(p.name);
    if (!running) return { name: p.name, title: p.title, running: false };
    counts[p.name] = running.status();
    return { name: p.name, title: p.title, running: true, ports: running.ports(), counts: counts[p.name] };
  });
  return {
    version: junction.version,
    uptimeMs: junction.clock.now() - junction.startedAt,
    ports: junction.ports(),
    bind: junction.config.bind,
    enabled: junction.enabled,
    auth: junction.config.auth,
    fsync: junction.config.fsync,
    dataDir: junction.config.dataDir,
    personalities,
    counts,
  };
}
