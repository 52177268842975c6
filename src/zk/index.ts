import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthService } from '../core/auth/auth-service.js';
import type { Clock } from '../core/clock.js';
import type { JunctionConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Metrics } from '../core/metrics/registry.js';
import { registerZkMetrics } from './metrics.js';
import { ZkServer } from './server.js';
import type { ZkServerView, ZkSettings } from './server-view.js';
import { ZkService } from './service.js';
import { createServerView } from './view.js';
import { parseZooCfg, resolveZkSettings } from './zoo-cfg.js';

/** A running ZooKeeper personality: the client port, its service, and its read-only view. */
export interface ZkPersonality {
  readonly server: ZkServer;
  readonly service: ZkService;
  readonly view: ZkServerView;
  readonly port: number;
  close(): Promise<void>;
}

/** Resolve settings (Junction config, then an optional zoo.cfg), open the store, listen. */
export async function startZk(config: JunctionConfig, deps: { clock: Clock; logger: Logger; metrics: Metrics; auth: AuthService }): Promise<ZkPersonality> {
  const settings = loadZkSettings(config, deps.logger);
  const service = await ZkService.open(settings, {
    dir: settings.dataDir, fsync: config.fsync, clock: deps.clock, logger: deps.logger,
    onFsync: (s) => deps.metrics.fsyncSeconds.observe({ store: 'zk' }, s),
  });
  let view: ZkServerView | null = null;
  const { requestLatency } = registerZkMetrics(deps.metrics, () => view);
  const server = new ZkServer(service, settings, deps.clock, deps.logger, {
    onLatency: (op, seconds) => requestLatency.observe({ op }, seconds),
    ...(config.auth ? {
      authenticate: (user: string, password: string) => deps.auth.authenticate(user, password).then(() => true, () => false),
    } : {}),
  });
  view = server.view = createServerView(server, deps.clock.now());
  try {
    const port = await server.listen(config.bind, settings.clientPort);
    const ready = view;
    return { server, service, view: ready, port, async close() { await server.close(); await service.close(); } };
  } catch (err) {
    await service.close();
    throw err;
  }
}

function loadZkSettings(config: JunctionConfig, logger: Logger): ZkSettings {
  let zooCfg = null;
  if (config.zk.configFile) {
    let text: string;
    try { text = readFileSync(config.zk.configFile, 'utf8'); } catch (err) {
      throw new ConfigError(`zk-config: cannot read ${config.zk.configFile}: ${(err as Error).message}`);
    }
    zooCfg = parseZooCfg(text, config.zk.configFile);
    for (const warning of zooCfg.warnings) logger.warn({ file: config.zk.configFile, warning }, 'zoo.cfg setting ignored');
  }
  const settings = resolveZkSettings(config.zk, zooCfg, join(config.dataDir, 'zk'), config.ports.zk);
  // zoo.cfg's dataDir holds the whole ZooKeeper store (log + snapshots), as dataDir does in ZooKeeper.
  return zooCfg?.dataDir ? { ...settings, dataDir: zooCfg.dataDir } : settings;
}
