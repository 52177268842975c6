import type { PersonalityContext, RunningPersonality } from '../core/personality.js';
import type { DurableStore } from '../core/state/durable-store.js';
import { createNacosGuard } from './auth/guard.js';
import type { NacosContext } from './context.js';
import { nacosMachine, type NacosCommand, type NacosState } from './model/index.js';
import { registerNacosMonitor } from './monitor-metrics.js';
import { startNacosGrpc, type RunningNacosGrpc } from './grpc/server.js';
import { createNacosHttp } from './server.js';
import { buildNacosServices, type NacosServices } from './services.js';
import type { NacosConfig } from './settings.js';
import { startNacosTimers } from './timers.js';

/** The running Nacos personality; tests reach its store through this type. */
export interface RunningNacos extends RunningPersonality {
  readonly store: DurableStore<NacosState, NacosCommand>;
  readonly services: NacosServices;
  readonly grpc: RunningNacosGrpc;
}

/** Open the Nacos store (data/nacos), build its services once, start its timers and the HTTP open API. */
export async function openNacos(ctx: PersonalityContext<NacosConfig>): Promise<RunningNacos> {
  const store = await ctx.storage.commandStore(nacosMachine, { snapshotEvery: ctx.settings.snapshotEvery });
  const nacos: NacosContext = {
    store, guard: createNacosGuard(ctx.users, ctx.authRequired), auth: ctx.users, authEnabled: ctx.authRequired,
    clock: ctx.clock, logger: ctx.logger, metrics: ctx.metrics, settings: ctx.settings, httpApp: (o) => ctx.httpApp(o),
  };
  const services = buildNacosServices(nacos);
  registerNacosMonitor(ctx.metrics, services);
  const stopTimers = startNacosTimers(nacos, services.naming);
  const app = createNacosHttp(services);
  let grpc: RunningNacosGrpc | undefined;
  try {
    await app.listen({ host: ctx.bind, port: ctx.settings.port });
    const port = (app.server.address() as { port: number }).port;
    const { grpcPort, grpcKeepAliveMs } = ctx.settings;
    grpc = await startNacosGrpc(services, { host: ctx.bind, port: grpcPort >= 0 ? grpcPort : port === 0 ? 0 : port + 1000,
      keepAliveMs: grpcKeepAliveMs });
  } catch (err) {
    stopTimers();
    await grpc?.close();
    await app.close();
    await store.close();
    throw err;
  }
  const port = (app.server.address() as { port: number }).port;
  const running = grpc;
  return {
    store,
    services,
    grpc: running,
    ports: () => ({ nacos: port, nacosGrpc: running.port }),
    url: (host) => `http://${host}:${port}/nacos`,
    status: () => ({ ...nacosCounts(store.state), grpcConnections: running.connections.registered().length }),
    adminRoutes(admin) {
      // Per-connection metadata (Nacos's /v2/core/loader/current view of ConnectionMeta).
      admin.get('/api/nacos/grpc/connections', async () => running.connections.registered().map((c) => c.describe()));
    },
    async close() {
      stopTimers();
      // ConnectResetRequest first, so clients move on while the HTTP side still answers.
      await running.close();
      await app.close();
      await store.close();
    },
  };
}

/** What `junction status` shows: services, instances, configs and custom namespaces. */
function nacosCounts(state: NacosState): Record<string, number> {
  let instances = 0;
  for (const service of state.naming.services.values()) instances += service.instances.size;
  return {
    services: state.naming.services.size, instances,
    configs: state.config.configs.size, namespaces: state.config.namespaces.size,
  };
}
