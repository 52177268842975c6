import { groupedName, groupOf, nameOf, serviceKey } from '../../model/naming/keys.js';
import type { NamingInstance, NamingService, NamingState } from '../../model/naming/types.js';
import { preparedAnswer, type PreparedAnswer } from '../prepared-reply.js';

/** SwitchDomain.defaultPushCacheMillis: how long clients may cache a ServiceInfo. */
export const CACHE_MILLIS = 10_000;

export interface ServiceInfoQuery { namespaceId: string; serviceName: string; clusters: string; healthyOnly: boolean; enabledOnly: boolean }

/** The v1 instance/list answer's headers (reply.type('application/json')); content-length follows. */
const LIST_HEADERS = ['content-type', 'application/json'];

/**
 * A ServiceInfo answer but for lastRefTime, which is the time of each answer (ServiceUtil), and
 * the last HTTP answer built from it: answers within the same millisecond are the same bytes.
 */
interface Rendered { head: Buffer; tail: Buffer; last?: { now: number; answer: PreparedAnswer } }
/** A service's rendered answers at one revision: by clusters asked for, then by filterIndex. */
interface CacheEntry { revision: number; views: Map<string, Rendered[]> }

/** Distinct `clusters` values kept per service revision (clients send their own lists). */
const MAX_CLUSTER_VIEWS = 64;

const filterIndex = (q: ServiceInfoQuery) => (q.healthyOnly ? 1 : 0) + (q.enabledOnly ? 2 : 0);

/** Java prints doubles with a fraction (1.0); clients compare numbers, but keep the bytes alike. */
export function javaDouble(n: number): string { return Number.isInteger(n) ? n.toFixed(1) : String(n); }

function preserved(instance: NamingInstance, key: string, fallback: number): number {
  const v = instance.metadata[key];
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : fallback;
}

/** Instance JSON in Jackson's field order (api/naming/pojo/Instance). */
export function instanceJson(i: NamingInstance, grouped: string, healthy = i.healthy): string {
  return `{"instanceId":${JSON.stringify(i.instanceId)},"ip":${JSON.stringify(i.ip)},"port":${i.port},`
    + `"weight":${javaDouble(i.weight)},"healthy":${healthy},"enabled":${i.enabled},"ephemeral":${i.ephemeral},`
    + `"clusterName":${JSON.stringify(i.clusterName)},"serviceName":${JSON.stringify(grouped)},`
    + `"metadata":${JSON.stringify(i.metadata)},`
    + `"instanceHeartBeatInterval":${preserved(i, 'preserved.heart.beat.interval', 5000)},`
    + `"instanceHeartBeatTimeOut":${preserved(i, 'preserved.heart.beat.timeout', 15000)},`
    + `"ipDeleteTimeout":${preserved(i, 'preserved.ip.delete.timeout', 30000)},`
    + `"instanceIdGenerator":${JSON.stringify(i.metadata['preserved.instance.id.generator'] ?? 'simple')}}`;
}

/**
 * ServiceUtil.selectInstancesWithHealthyProtection: filter by clusters/enabled/healthy; when the
 * healthy share is at or below the protect threshold, answer every instance as healthy. Rendered
 * host arrays are cached per service revision, so unchanged services are not re-serialised; the
 * cache is keyed by the service object itself, so a deleted service's entry goes with it.
 */
export class ServiceInfoView {
  private readonly cache = new WeakMap<NamingService, CacheEntry>();

  constructor(private readonly state: () => NamingState) {}

  render(q: ServiceInfoQuery, now: number): string {
    const view = this.view(q);
    return `${view.head.toString()}${now}${view.tail.toString()}`;
  }

  /** render() as an HTTP answer (v1 instance/list). */
  renderAnswer(q: ServiceInfoQuery, now: number): PreparedAnswer {
    const view = this.view(q);
    // A new millisecond costs a copy of the encoded parts, not an encoding of the list. The parts
    // are kept as bytes only (render() decodes them): strings beside them held every listed
    // service's answer three times, +60 MiB with 100k instances listed.
    if (view.last?.now !== now) {
      view.last = { now, answer: preparedAnswer(LIST_HEADERS, Buffer.concat([view.head, Buffer.from(String(now)), view.tail])) };
    }
    return view.last.answer;
  }

  private view(q: ServiceInfoQuery): Rendered {
    const service = this.state().services.get(serviceKey(q.namespaceId, q.serviceName));
    return service ? this.cached(service, q) : renderInfo(q, '', false);
  }

  private cached(service: NamingService, q: ServiceInfoQuery): Rendered {
    let entry = this.cache.get(service);
    if (!entry || entry.revision !== service.revision) {
      entry = { revision: service.revision, views: new Map() };
      this.cache.set(service, entry);
    }
    let byFilter = entry.views.get(q.clusters);
    if (!byFilter) {
      if (entry.views.size >= MAX_CLUSTER_VIEWS) entry.views.clear();
      entry.views.set(q.clusters, (byFilter = []));
    }
    let view = byFilter[filterIndex(q)];
    if (!view) {
      const { hosts, reachProtectionThreshold } = select(service, q);
      view = byFilter[filterIndex(q)] = renderInfo(q, hosts, reachProtectionThreshold);
    }
    return view;
  }
}

/** ServiceInfo JSON in Jackson's field order, split around lastRefTime. */
function renderInfo(q: ServiceInfoQuery, hosts: string, reachProtectionThreshold: boolean): Rendered {
  const grouped = groupedName(nameOf(q.serviceName), groupOf(q.serviceName));
  return {
    head: Buffer.from(`{"name":${JSON.stringify(grouped)},"groupName":${JSON.stringify(groupOf(q.serviceName))},`
      + `"clusters":${JSON.stringify(q.clusters)},"cacheMillis":${CACHE_MILLIS},"hosts":[${hosts}],"lastRefTime":`),
    tail: Buffer.from(`,"checksum":"","allIPs":false,"reachProtectionThreshold":${reachProtectionThreshold},"valid":true}`),
  };
}

function select(service: NamingService, q: ServiceInfoQuery): { hosts: string; reachProtectionThreshold: boolean } {
  const clusters = q.clusters ? new Set(q.clusters.split(',')) : null;
  const grouped = `${service.groupName}@@${service.name}`;
  const chosen: NamingInstance[] = [];
  let healthyCount = 0;
  for (const i of service.instances.values()) {
    if (clusters && !clusters.has(i.clusterName)) continue;
    if (q.enabledOnly && !i.enabled) continue;
    if (i.healthy) healthyCount++;
    if (!q.healthyOnly || i.healthy) chosen.push(i);
  }
  const threshold = Math.max(service.protectThreshold, 0);
  const reach = chosen.length > 0 && healthyCount / chosen.length <= threshold;
  return { hosts: chosen.map((i) => instanceJson(i, grouped, reach ? true : i.healthy)).join(','), reachProtectionThreshold: reach };
}
