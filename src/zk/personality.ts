import type { PersonalityContext, RunningPersonality } from '../core/personality.js';
import { registerZkAdminCommands } from './admin-commands.js';
import { registerZkMetrics } from './metrics.js';
import { ZkServer } from './server.js';
import type { ZkServerView } from './server-view.js';
import { resolveZkSettings, type ZkConfig } from './settings.js';
import { ZkService } from './service.js';
import { createServerView } from './view.js';

/** The running ZooKeeper personality; its tests reach the server and service through this type. */
export interface RunningZk extends RunningPersonality {
  readonly server: ZkServer;
  readonly service: ZkService;
}

/** Open the ZooKeeper store and listen on the client port (see plugin.ts for the contract). */
export async function openZk(ctx: PersonalityContext<ZkConfig>): Promise<RunningZk> {
  const settings = resolveZkSettings(ctx.settings, ctx.storage.dir);
  const service = await ZkService.open(settings, ctx.storage, ctx.clock, ctx.logger);
  let view: ZkServerView | null = null;
  const { requestLatency } = registerZkMetrics(ctx.metrics, () => view);
  const server = new ZkServer(service, settings, ctx.clock, ctx.logger, {
    onLatency: (op, seconds) => requestLatency.observe({ op }, seconds),
    ...(ctx.authRequired ? {
      authenticate: (user: string, password: string) => ctx.users.authenticate(user, password).then(() => true, () => false),
    } : {}),
  });
  const ready = view = server.view = createServerView(server, ctx.clock.now());
  let port: number;
  try {
    port = await server.listen(ctx.bind, settings.clientPort);
  } catch (err) {
    await service.close();
    throw err;
  }
  return {
    server,
    service,
    ports: () => ({ zk: port }),
    status: () => ({ znodes: ready.nodeCount(), sessions: ready.sessions().length, watches: ready.watches.count, zxid: ready.lastZxid() }),
    // ZooKeeper's AdminServer commands (/commands/<name>): they list sessions, client addresses and
    // the configuration, so they sit behind the admin credential.
    adminRoutes: (app) => registerZkAdminCommands(app, () => ready),
    async close() {
      await server.close();
      await service.close();
    },
  };
}
