import { groupedName, instanceKey, serviceKey } from './keys.js';
import type { NamingInstance, NamingService, NamingState } from './types.js';

interface ServiceImage extends Omit<NamingService, 'instances' | 'revision' | 'emptySince'> { instances: NamingInstance[] }

/** Only durable data: explicitly created services and persistent instances (ephemeral data is
 *  rebuilt by client beats, as in Nacos). */
export function snapshotNaming(state: NamingState): unknown {
  const services: ServiceImage[] = [];
  for (const s of state.services.values()) {
    const persistent = [...s.instances.values()].filter((i) => !i.ephemeral);
    if (!s.explicit && persistent.length === 0) continue;
    const { instances: _i, revision: _r, emptySince: _e, ...meta } = s;
    services.push({ ...meta, instances: persistent });
  }
  return { services };
}

export function restoreNaming(image: unknown): NamingState {
  const state: NamingState = { services: new Map(), revision: 0 };
  const services = (image as { services?: ServiceImage[] } | null)?.services ?? [];
  for (const img of services) {
    const instances = new Map(img.instances.map((i) => [instanceKey(i.ip, i.port), i] as const));
    const service: NamingService = { ...img, instances, revision: ++state.revision, emptySince: null };
    state.services.set(serviceKey(img.namespaceId, groupedName(img.name, img.groupName)), service);
  }
  return state;
}
