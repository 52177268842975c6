import type { ConfigPublishCommand, ConfigRemoveCommand, PublishResult, RemoveResult } from '../model/config/commands.js';
import { configKey } from '../model/config/types.js';
import type { NacosCommand } from '../model/index.js';
import { groupedName, groupOf, instanceKey, nameOf, serviceKey } from '../model/naming/keys.js';
import type { InstanceRef, NamingResult } from '../model/naming/types.js';
import { deregisterInstance } from '../routes/naming/instance-ops.js';
import type { NacosServices } from '../services.js';
import { RawJson } from './codec.js';
import type { GrpcConnection } from './connection.js';
import type { ConnectionRegistry } from './connections.js';

interface ServiceSubscription { namespaceId: string; serviceName: string; clusters: string }
interface ConfigListen { tenant: string; group: string; dataId: string }

/** How long a push waits for the client's ack (Nacos PushConfig.pushTaskTimeout / rpc push timeout 3 s). */
export const PUSH_TIMEOUT_MS = 3_000;

/**
 * What gRPC clients hold on the server, by connection: naming subscriptions (Nacos 2.x
 * ClientServiceIndexesManager), the ephemeral instances they published (ConnectionBasedClient)
 * and config listeners (ConfigChangeListenContext). Store changes — from gRPC or HTTP alike —
 * become NotifySubscriberRequest / ConfigChangeNotifyRequest pushes on the subscribers' bi-streams.
 */
export class GrpcSubscriptions {
  private readonly subscribers = new Map<string, Map<GrpcConnection, ServiceSubscription>>();
  private readonly listeners = new Map<string, Map<GrpcConnection, ConfigListen>>();
  private readonly owned = new Map<GrpcConnection, Map<string, InstanceRef>>();
  private readonly dirty = new Set<string>();
  private flushScheduled = false;
  /** Pushes answered and failed (exported as metrics by the server module). */
  readonly pushStats = { acked: 0, failed: 0 };

  constructor(private readonly services: NacosServices, connections: ConnectionRegistry) {
    services.ctx.store.onApply((cmd, result) => this.onApply(cmd, result));
    connections.onClose((conn) => this.release(conn));
  }

  subscribe(conn: GrpcConnection, sub: ServiceSubscription): void {
    const key = serviceKey(sub.namespaceId, sub.serviceName);
    let subs = this.subscribers.get(key);
    if (!subs) this.subscribers.set(key, (subs = new Map()));
    subs.set(conn, sub);
  }

  unsubscribe(conn: GrpcConnection, namespaceId: string, serviceName: string): void {
    const key = serviceKey(namespaceId, serviceName);
    const subs = this.subscribers.get(key);
    subs?.delete(conn);
    if (subs?.size === 0) this.subscribers.delete(key);
  }

  listen(conn: GrpcConnection, l: ConfigListen): void {
    const key = configKey(l.tenant, l.group, l.dataId);
    let ls = this.listeners.get(key);
    if (!ls) this.listeners.set(key, (ls = new Map()));
    ls.set(conn, l);
  }

  unlisten(conn: GrpcConnection, l: ConfigListen): void {
    const key = configKey(l.tenant, l.group, l.dataId);
    const ls = this.listeners.get(key);
    ls?.delete(conn);
    if (ls?.size === 0) this.listeners.delete(key);
  }

  /** An ephemeral instance registered over this connection now belongs to it. */
  own(conn: GrpcConnection, ref: InstanceRef): void {
    let refs = this.owned.get(conn);
    if (!refs) this.owned.set(conn, (refs = new Map()));
    refs.set(`${serviceKey(ref.namespaceId, ref.serviceName)}#${instanceKey(ref.ip, ref.port)}`, ref);
  }

  disown(conn: GrpcConnection, ref: InstanceRef): void {
    this.owned.get(conn)?.delete(`${serviceKey(ref.namespaceId, ref.serviceName)}#${instanceKey(ref.ip, ref.port)}`);
  }

  ownedBy(conn: GrpcConnection): InstanceRef[] { return [...(this.owned.get(conn)?.values() ?? [])]; }

  counts(): { subscribers: number; listeners: number; ownedInstances: number } {
    let subscribers = 0, listeners = 0, ownedInstances = 0;
    for (const s of this.subscribers.values()) subscribers += s.size;
    for (const l of this.listeners.values()) listeners += l.size;
    for (const o of this.owned.values()) ownedInstances += o.size;
    return { subscribers, listeners, ownedInstances };
  }

  /**
   * Instances of a live connection never expire by beat timeout (Nacos 2.x keeps a connection's
   * instances while the connection lives); the HTTP sweep expires by lastBeat, so refresh it.
   */
  async keepOwnedAlive(): Promise<void> {
    const { store, clock } = this.services.ctx;
    for (const refs of this.owned.values()) {
      for (const ref of refs.values()) await store.applyVolatile({ type: 'naming.instance.beat', ...ref, time: clock.now() });
    }
  }

  /** The connection went away: forget its subscriptions and deregister its instances (subscribers are pushed). */
  private release(conn: GrpcConnection): void {
    for (const [key, subs] of this.subscribers) if (subs.delete(conn) && subs.size === 0) this.subscribers.delete(key);
    for (const [key, ls] of this.listeners) if (ls.delete(conn) && ls.size === 0) this.listeners.delete(key);
    const refs = this.owned.get(conn);
    this.owned.delete(conn);
    for (const ref of refs?.values() ?? []) {
      deregisterInstance(this.services.ctx, ref, true).catch((err: unknown) =>
        this.services.ctx.logger.warn({ err, connectionId: conn.id }, 'nacos grpc instance release failed'));
    }
  }

  /** ServiceInfo as the HTTP API renders it (ServiceUtil.selectInstancesWithHealthyProtection). */
  serviceInfo(namespaceId: string, serviceName: string, clusters: string, healthyOnly: boolean): RawJson {
    const json = this.services.naming.view.render(
      { namespaceId, serviceName, clusters, healthyOnly, enabledOnly: true }, this.services.ctx.clock.now());
    // The HTTP view (cached per service revision) starts with {"name":"group@@name",…; Nacos 2.x's
    // ServiceStorage puts the bare name beside groupName there (clients rebuild group@@name).
    const grouped = `{"name":${JSON.stringify(groupedName(nameOf(serviceName), groupOf(serviceName)))}`;
    if (!json.startsWith(grouped)) return new RawJson(json);
    return new RawJson(`{"name":${JSON.stringify(nameOf(serviceName))}${json.slice(grouped.length)}`);
  }

  private onApply(cmd: NacosCommand, result: unknown): void {
    if (cmd.type.startsWith('naming.')) {
      const r = result as NamingResult | undefined;
      if (!r?.ok || !r.changed) return;
      const { namespaceId, serviceName } = cmd as { namespaceId: string; serviceName: string };
      const key = serviceKey(namespaceId, serviceName);
      if (!this.subscribers.has(key)) return;
      this.dirty.add(key);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Coalesce a burst of changes into one push per service (Nacos's PushDelayTaskExecuteEngine).
        setImmediate(() => this.flushNamingPushes());
      }
    } else if (cmd.type === 'config.publish' && (result as PublishResult).ok && (result as { md5Changed: boolean }).md5Changed) {
      this.pushConfigChange(cmd);
    } else if (cmd.type === 'config.remove' && (result as RemoveResult).existed) {
      this.pushConfigChange(cmd);
    }
  }

  private flushNamingPushes(): void {
    this.flushScheduled = false;
    for (const key of this.dirty) {
      for (const [conn, sub] of this.subscribers.get(key) ?? []) {
        const serviceInfo = this.serviceInfo(sub.namespaceId, sub.serviceName, sub.clusters, false);
        // NotifySubscriberRequest.buildNotifySubscriberRequest(serviceInfo)
        this.track(conn.request('NotifySubscriberRequest', {
          namespace: sub.namespaceId, serviceName: nameOf(sub.serviceName), groupName: groupOf(sub.serviceName),
          serviceInfo, module: 'naming',
        }, PUSH_TIMEOUT_MS), conn, 'NotifySubscriberRequest');
      }
    }
    this.dirty.clear();
  }

  /** RpcConfigChangeNotifier: ConfigChangeNotifyRequest.build(dataId, group, tenant) to each listener. */
  private pushConfigChange(cmd: ConfigPublishCommand | ConfigRemoveCommand): void {
    for (const conn of this.listeners.get(configKey(cmd.tenant, cmd.group, cmd.dataId))?.keys() ?? []) {
      this.track(conn.request('ConfigChangeNotifyRequest', {
        dataId: cmd.dataId, group: cmd.group, tenant: cmd.tenant, module: 'config',
      }, PUSH_TIMEOUT_MS), conn, 'ConfigChangeNotifyRequest');
    }
  }

  private track(push: Promise<unknown>, conn: GrpcConnection, type: string): void {
    push.then(() => { this.pushStats.acked++; }, (err: unknown) => {
      this.pushStats.failed++;
      this.services.ctx.logger.debug({ err, connectionId: conn.id, type }, 'nacos grpc push not acknowledged');
    });
  }
}
