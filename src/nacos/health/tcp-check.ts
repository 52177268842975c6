import { connect } from 'node:net';
import type { NacosContext } from '../context.js';
import { groupedName } from '../model/naming/keys.js';

/** Nacos TCP health checker: connect within the timeout = healthy. */
export const TCP_CHECK_INTERVAL_MS = 5_000;
export const TCP_CONNECT_TIMEOUT_MS = 500;
/** SwitchDomain.checkTimes: a status flips after this many consecutive opposite results. */
export const CHECK_TIMES = 3;

export function tcpProbe(host: string, port: number, timeoutMs = TCP_CONNECT_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Health checks of persistent instances (HealthCheckCommonV2.checkOk/checkFail counters). */
export class TcpHealthChecker {
  private streaks = new Map<string, { ok: number; fail: number }>();
  private running: Promise<void> | null = null;

  constructor(private readonly ctx: NacosContext, private readonly probe = tcpProbe) {}

  /** One round over every persistent instance; a round still in flight is not overlapped. */
  round(): Promise<void> {
    this.running ??= this.check().finally(() => { this.running = null; });
    return this.running;
  }

  private async check(): Promise<void> {
    const targets: { ref: { namespaceId: string; serviceName: string; ip: string; port: number; clusterName: string }; id: string }[] = [];
    for (const s of this.ctx.store.state.naming.services.values()) {
      if (s.ephemeral) continue;
      const serviceName = groupedName(s.name, s.groupName);
      for (const i of s.instances.values()) {
        targets.push({ ref: { namespaceId: s.namespaceId, serviceName, ip: i.ip, port: i.port, clusterName: i.clusterName },
          id: `${s.namespaceId}##${serviceName}#${i.ip}:${i.port}` });
      }
    }
    const seen = new Set(targets.map((t) => t.id));
    for (const id of this.streaks.keys()) if (!seen.has(id)) this.streaks.delete(id);
    await Promise.all(targets.map(async (t) => this.record(t.ref, t.id, await this.probe(t.ref.ip, t.ref.port))));
  }

  private record(ref: { namespaceId: string; serviceName: string; ip: string; port: number; clusterName: string }, id: string, ok: boolean): void {
    const s = this.ctx.store.state.naming.services.get(`${ref.namespaceId}##${ref.serviceName}`);
    const instance = s?.instances.get(`${ref.ip}:${ref.port}`);
    if (!instance) return;
    let streak = this.streaks.get(id);
    if (!streak) this.streaks.set(id, (streak = { ok: 0, fail: 0 }));
    if (ok) { streak.fail = 0; streak.ok++; } else { streak.ok = 0; streak.fail++; }
    if (instance.healthy !== ok && (ok ? streak.ok : streak.fail) >= CHECK_TIMES) {
      void this.ctx.store.applyVolatile({ type: 'naming.instance.health', healthy: ok, ...ref });
    }
  }
}
