import type { Junction } from '../app.js';

/** Read a Map-or-object's entry count without trusting the model's shape (models evolve). */
function sizeOf(value: unknown): number | undefined {
  if (value instanceof Map || value instanceof Set) return value.size;
  if (Array.isArray(value)) return value.length;
  return undefined;
}

function valuesOf(value: unknown): unknown[] {
  if (value instanceof Map) return [...value.values()];
  if (Array.isArray(value)) return value;
  return [];
}

/**
 * Cheap counts from the Nacos model for `junction status`: services, instances, configs and
 * custom namespaces. Best effort — a count the model cannot give is left out rather than guessed.
 */
export function nacosCounts(state: unknown): Record<string, number> {
  const s = state as { naming?: { services?: unknown }; config?: { configs?: unknown; namespaces?: unknown } } | undefined;
  const out: Record<string, number> = {};
  const services = s?.naming?.services;
  const serviceCount = sizeOf(services);
  if (serviceCount !== undefined) {
    out.services = serviceCount;
    let instances = 0;
    for (const service of valuesOf(services)) instances += sizeOf((service as { instances?: unknown })?.instances) ?? 0;
    out.instances = instances;
  }
  const configs = sizeOf(s?.config?.configs);
  if (configs !== undefined) out.configs = configs;
  const namespaces = sizeOf(s?.config?.namespaces);
  if (namespaces !== undefined) out.namespaces = namespaces;
  return out;
}

/** GET /api/status: what `junction status` shows. */
export function statusOf(junction: Junction): Record<string, unknown> {
  const counts: Record<string, Record<string, number>> = {};
  if (junction.nacosStore) counts.nacos = nacosCounts(junction.nacosStore.state);
  const zk = junction.zk?.view;
  if (zk) counts.zk = { znodes: zk.nodeCount(), sessions: zk.sessions().length, watches: zk.watches.count, zxid: zk.lastZxid() };
  return {
    version: process.env.npm_package_version ?? '0.1.0',
    uptimeMs: junction.clock.now() - junction.startedAt,
    ports: junction.ports(),
    bind: junction.config.bind,
    enabled: junction.config.enabled,
    auth: junction.config.auth,
    fsync: junction.config.fsync,
    dataDir: junction.config.dataDir,
    counts,
  };
}
