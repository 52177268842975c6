import type { NacosContext } from '../context.js';
import type { NacosCommand } from '../model/index.js';
import type { NamingResult } from '../model/naming/types.js';
import { serviceKey } from '../model/naming/keys.js';
import { ServiceInfoView } from '../routes/naming/service-info.js';
import { UdpPusher } from './udp-push.js';

/** A 1.x-style subscriber: a client polling instance/list with udpPort (InstanceController.list). */
export interface Subscriber { namespaceId: string; serviceName: string; clusters: string; ip: string; udpPort: number; lastSeen: number }

/** Nacos drops a UDP subscriber that stopped polling; clients poll every cacheMillis (10 s). */
export const SUBSCRIBER_TTL_MS = 30_000;

/**
 * What naming routes and timers share for one server: the rendered-view cache, the subscribers
 * and the UDP pusher. Built once per server (services.ts) and passed to them.
 */
export class NamingRuntime {
  readonly view: ServiceInfoView;
  readonly subscribers = new Map<string, Map<string, Subscriber>>();
  readonly pusher: UdpPusher;
  private dirty = new Set<string>();
  private flushScheduled = false;

  constructor(private readonly ctx: NacosContext) {
    this.view = new ServiceInfoView(() => ctx.store.state.naming);
    this.pusher = new UdpPusher(ctx.logger);
    ctx.store.onApply((cmd, result) => this.onApply(cmd, result));
    registerNamingMetrics(ctx, this);
  }

  subscribe(s: Omit<Subscriber, 'lastSeen'>): void {
    const key = serviceKey(s.namespaceId, s.serviceName);
    let subs = this.subscribers.get(key);
    if (!subs) this.subscribers.set(key, (subs = new Map()));
    const addr = `${s.ip}:${s.udpPort}`;
    const existing = subs.get(addr);
    if (existing) { existing.lastSeen = this.ctx.clock.now(); existing.clusters = s.clusters; return; }
    subs.set(addr, { ...s, lastSeen: this.ctx.clock.now() });
  }

  subscriberCount(): number {
    let n = 0;
    for (const subs of this.subscribers.values()) n += subs.size;
    return n;
  }

  /** Forget subscribers that stopped polling. */
  pruneSubscribers(now: number): void {
    for (const [key, subs] of this.subscribers) {
      for (const [addr, s] of subs) if (now - s.lastSeen > SUBSCRIBER_TTL_MS) subs.delete(addr);
      if (subs.size === 0) this.subscribers.delete(key);
    }
  }

  private onApply(cmd: NacosCommand, result: unknown): void {
    if (!cmd.type.startsWith('naming.') || !(result as NamingResult | undefined)?.ok) return;
    if (!(result as { changed: boolean }).changed) return;
    const { namespaceId, serviceName } = cmd as { namespaceId: string; serviceName: string };
    const key = serviceKey(namespaceId, serviceName);
    if (!this.subscribers.has(key)) return;
    this.dirty.add(key);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Coalesce a burst of changes into one push per service (Nacos delays pushes for the same reason).
    setImmediate(() => this.flushPushes());
  }

  private flushPushes(): void {
    this.flushScheduled = false;
    const now = this.ctx.clock.now();
    for (const key of this.dirty) {
      for (const s of this.subscribers.get(key)?.values() ?? []) {
        if (now - s.lastSeen > SUBSCRIBER_TTL_MS) continue;
        // Push what the subscriber would poll: its clusters, all instances (UdpPushService).
        const data = this.view.render({ namespaceId: s.namespaceId, serviceName: s.serviceName, clusters: s.clusters,
          healthyOnly: false, enabledOnly: false }, now);
        this.pusher.push(s.ip, s.udpPort, data);
      }
    }
    this.dirty.clear();
  }
}

function registerNamingMetrics(ctx: NacosContext, rt: NamingRuntime): void {
  ctx.metrics.gauge('naming_services', 'Nacos services', [], (g) => g.set(ctx.store.state.naming.services.size));
  ctx.metrics.gauge('naming_instances', 'Nacos instances', ['ephemeral', 'healthy'], (g) => {
    const counts = { 'true|true': 0, 'true|false': 0, 'false|true': 0, 'false|false': 0 } as Record<string, number>;
    for (const s of ctx.store.state.naming.services.values()) {
      for (const i of s.instances.values()) counts[`${i.ephemeral}|${i.healthy}`]!++;
    }
    for (const [k, v] of Object.entries(counts)) {
      const [ephemeral, healthy] = k.split('|') as [string, string];
      g.set({ ephemeral, healthy }, v);
    }
  });
  ctx.metrics.gauge('naming_subscribers', 'Nacos naming subscribers (UDP push)', [], (g) => g.set(rt.subscriberCount()));
}
