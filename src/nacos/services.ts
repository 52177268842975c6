import { ConfigService } from './config/config-service.js';
import type { NacosContext } from './context.js';
import { NamingRuntime } from './health/naming-runtime.js';

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

/** Build the services over an opened store; each registers its metrics and apply listeners once. */
export function buildNacosServices(ctx: NacosContext): NacosServices {
  return { ctx, naming: new NamingRuntime(ctx), configs: new ConfigService(ctx) };
}
