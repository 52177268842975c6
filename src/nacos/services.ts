import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../core/auth/auth-service.js';
import type { Clock } from '../core/clock.js';
import type { JunctionConfig } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { Metrics } from '../core/metrics/registry.js';
import { DurableStore } from '../core/state/durable-store.js';
import { createNacosGuard } from './auth/guard.js';
import { ConfigService } from './config/config-service.js';
import type { NacosContext } from './context.js';
import { NamingRuntime } from './health/naming-runtime.js';
import { nacosMachine, type NacosCommand, type NacosState } from './model/index.js';
import { createNacosHttp } from './server.js';
import { startNacosTimers } from './timers.js';

/**
 * The Nacos services of one server, built once by buildNacosServices and handed to the route
 * modules and timers that use them (nothing looks them up by context or keeps them in module
 * state, so several servers can run in one process, as the tests do).
 */
export interface NacosServices {
  /** Store, guard, auth, clock, logger, metrics, settings. */
  ctx: NacosContext;
  /** Rendered instance lists, UDP subscribers and their pusher (naming routes and timers). */
  naming: NamingRuntime;
  /** Config publish/get/remove and the long-poll listeners (config routes). */
  configs: ConfigService;
}

/** What Nacos needs from the rest of Junction. */
export interface NacosDeps {
  config: JunctionConfig;
  auth: AuthService;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Called with the duration of each fdatasync of the Nacos log (seconds). */
  onFsync?: (seconds: number) => void;
}

/** An opened Nacos personality: its store, its HTTP app (not yet listening) and its timers. */
export interface OpenedNacos {
  store: DurableStore<NacosState, NacosCommand>;
  services: NacosServices;
  app: FastifyInstance;
  /** Stops the naming timers and the UDP pusher. */
  stopTimers(): void;
}

/** Build the services over an opened store; each registers its metrics and apply listeners once. */
export function buildNacosServices(ctx: NacosContext): NacosServices {
  return { ctx, naming: new NamingRuntime(ctx), configs: new ConfigService(ctx) };
}

/**
 * Open the Nacos personality: the command store in `<dataDir>/nacos` (snapshot + log replay),
 * the services, the HTTP app and the timers. The caller listens on the app and, on shutdown,
 * stops the timers, closes the app, then closes the store.
 */
export async function openNacos(deps: NacosDeps): Promise<OpenedNacos> {
  const { config, auth, clock, logger, metrics } = deps;
  const store = await DurableStore.open(nacosMachine, {
    dir: join(config.dataDir, 'nacos'), fsync: config.fsync, logger,
    snapshotEvery: config.nacos.snapshotEvery, ...(deps.onFsync ? { onFsync: deps.onFsync } : {}),
  });
  const ctx: NacosContext = { store, guard: createNacosGuard(auth, config), auth, clock, logger, metrics, config };
  const services = buildNacosServices(ctx);
  const app = createNacosHttp(services);
  const stopTimers = startNacosTimers(ctx, services.naming);
  return { store, services, app, stopTimers };
}
