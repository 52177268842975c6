import type { NacosContext } from '../context.js';
import { groupedName } from '../model/naming/keys.js';
import type { InstanceRef, NamingInstance, NamingService } from '../model/naming/types.js';

/** Nacos defaults (api Constants): 15 s without a beat → unhealthy, 30 s → removed. */
export const DEFAULT_BEAT_TIMEOUT_MS = 15_000;
export const DEFAULT_IP_DELETE_TIMEOUT_MS = 30_000;
/** EmptyServiceAutoCleanerV2: nacos.naming.clean.empty-service.expired-time default 60 s. */
export const EMPTY_SERVICE_EXPIRE_MS = 60_000;
export const SWEEP_INTERVAL_MS = 1_000;

function timeout(i: NamingInstance, key: string, fallback: number): number {
  const v = i.metadata[key];
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? n : fallback;
}

/**
 * UnhealthyInstanceChecker + ExpiredInstanceChecker + EmptyServiceAutoCleaner, as one sweep: the
 * decisions use the clock here, and become volatile commands so apply stays clock-free.
 */
export function sweepHeartbeats(ctx: NacosContext): void {
  const now = ctx.clock.now();
  // Runs every second over every instance: allocate nothing for instances that need no command.
  // Deleting the current entry while iterating a Map is safe, so no copies are needed.
  for (const s of ctx.store.state.naming.services.values()) {
    if (s.ephemeral) {
      for (const i of s.instances.values()) {
        const idle = now - i.lastBeat;
        if (idle > timeout(i, 'preserved.ip.delete.timeout', DEFAULT_IP_DELETE_TIMEOUT_MS)) {
          void ctx.store.applyVolatile({ type: 'naming.instance.expire', time: now, ...instanceRef(s, i) });
        } else if (i.healthy && idle > timeout(i, 'preserved.heart.beat.timeout', DEFAULT_BEAT_TIMEOUT_MS)) {
          void ctx.store.applyVolatile({ type: 'naming.instance.health', healthy: false, ...instanceRef(s, i) });
        }
      }
    }
    if (!s.explicit && s.instances.size === 0 && s.emptySince !== null && now - s.emptySince > EMPTY_SERVICE_EXPIRE_MS) {
      void ctx.store.applyVolatile({ type: 'naming.service.expire', time: now, namespaceId: s.namespaceId, serviceName: groupedName(s.name, s.groupName) });
    }
  }
}

function instanceRef(s: NamingService, i: NamingInstance): InstanceRef {
  return { namespaceId: s.namespaceId, serviceName: groupedName(s.name, s.groupName), ip: i.ip, port: i.port, clusterName: i.clusterName };
}
