import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createAdminHttp } from './admin/server.js';
import { AuthService } from './core/auth/auth-service.js';
import { systemClock, type Clock } from './core/clock.js';
import type { JunctionConfig } from './core/config.js';
import { StorageError } from './core/errors.js';
import type { Logger } from './core/logger.js';
import { Metrics } from './core/metrics/registry.js';
import { DurableStore } from './core/state/durable-store.js';
import type { NacosCommand, NacosState } from './nacos/model/index.js';
import { openNacos } from './nacos/services.js';
import { startZk, type ZkPersonality } from './zk/index.js';

/** Data-dir layout version (ARCHITECTURE principle 6); bump with a migration when formats change. */
export const DATA_VERSION = 1;

export interface StartOptions { clock?: Clock; logger: Logger; metrics?: Metrics }

/** A running Junction: every enabled personality, the admin port, and the stores behind them. */
export class Junction {
  readonly startedAt: number;
  private stopping: Promise<void> | null = null;

  private constructor(
    readonly config: JunctionConfig,
    readonly logger: Logger,
    readonly clock: Clock,
    readonly metrics: Metrics,
    readonly auth: AuthService,
    readonly nacosStore: DurableStore<NacosState, NacosCommand> | null,
    readonly zk: ZkPersonality | null,
    private readonly servers: { name: string; app: FastifyInstance }[],
    private readonly stopTimers: () => void,
  ) {
    this.startedAt = clock.now();
  }

  static async start(config: JunctionConfig, opts: StartOptions): Promise<Junction> {
    const clock = opts.clock ?? systemClock;
    const logger = opts.logger;
    const metrics = opts.metrics ?? new Metrics();
    prepareDataDir(config.dataDir);
    const onFsync = (store: string) => (s: number) => metrics.fsyncSeconds.observe({ store }, s);

    const auth = await AuthService.open({ dir: join(config.dataDir, 'auth'), config, logger, clock, onFsync: onFsync('auth') });
    const servers: { name: string; app: FastifyInstance }[] = [];
    let nacosStore: DurableStore<NacosState, NacosCommand> | null = null;
    let stopTimers = () => {};
    let zk: ZkPersonality | null = null;
    try {
      if (config.enabled.includes('nacos')) {
        const nacos = await openNacos({ config, auth, clock, logger, metrics, onFsync: onFsync('nacos') });
        nacosStore = nacos.store;
        stopTimers = nacos.stopTimers;
        await nacos.app.listen({ host: config.bind, port: config.ports.nacos });
        servers.push({ name: 'nacos', app: nacos.app });
      }
      if (config.enabled.includes('zk')) zk = await startZk(config, { clock, logger, metrics, auth });
      const junction = new Junction(config, logger, clock, metrics, auth, nacosStore, zk, servers, () => stopTimers());
      const admin = createAdminHttp(junction);
      await admin.listen({ host: config.bind, port: config.ports.admin });
      servers.push({ name: 'admin', app: admin });
      logger.info({ bind: config.bind, ports: junction.ports(), dataDir: config.dataDir, auth: config.auth, fsync: config.fsync }, 'junction ready');
      return junction;
    } catch (err) {
      stopTimers();
      await Promise.allSettled(servers.map((s) => s.app.close()));
      await zk?.close();
      await nacosStore?.close();
      await auth.close();
      throw err;
    }
  }

  /** The ports actually bound (differs from the config when it asked for port 0). */
  ports(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { name, app } of this.servers) {
      const addr = app.server.address();
      if (addr && typeof addr === 'object') out[name] = addr.port;
    }
    if (this.zk) out.zk = this.zk.port;
    return out;
  }

  /** Graceful stop: stop accepting, finish in-flight requests, flush and fsync the logs. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopTimers();
      await Promise.allSettled(this.servers.map((s) => s.app.close()));
      await this.zk?.close();
      await this.nacosStore?.close();
      await this.auth.close();
      this.logger.info('junction stopped');
    })();
    return this.stopping;
  }
}

function prepareDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'VERSION');
  if (!existsSync(file)) {
    writeFileSync(file, `${DATA_VERSION}\n`);
    return;
  }
  const found = Number(readFileSync(file, 'utf8').trim());
  if (found !== DATA_VERSION) {
    throw new StorageError(`data dir ${dir} has layout version ${found}; this Junction reads version ${DATA_VERSION}`);
  }
}
