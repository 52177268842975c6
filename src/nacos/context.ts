import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../core/auth/auth-service.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { MetricsScope } from '../core/metrics/registry.js';
import type { DurableStore } from '../core/state/durable-store.js';
import type { NacosCommand, NacosState } from './model/index.js';
import type { NacosConfig } from './settings.js';
import type { PersonalityContext } from '../core/personality.js';

/** Nacos permission actions (AuthConstants / ActionTypes): read and write. */
export type NacosAction = 'r' | 'w';

/** What a naming or config request touches, in Nacos's resource terms
 *  (permission resource strings look like `namespaceId:group:naming/serviceName`). */
export interface NacosResource {
  namespaceId: string;
  group: string;
  kind: 'naming' | 'config';
  name: string;
}

/** Access control for Nacos routes. With auth off every check passes. */
export interface AuthGuard {
  /** False with auth off (nacos.core.auth.enabled=false): every check would pass, so the hot read
   *  routes skip calling them. True with auth on: every check runs. */
  readonly enforcing: boolean;
  /** Throws NacosError(403) unless the request's identity may perform `action` on `resource`. */
  check(req: FastifyRequest, resource: NacosResource, action: NacosAction): Promise<void>;
  /** Throws NacosError(403) unless the request comes from a global admin (console APIs). */
  requireAdmin(req: FastifyRequest): Promise<void>;
}

/** What every Nacos route module and timer needs; built once in nacos/services.ts (openNacos). */
export interface NacosContext {
  store: DurableStore<NacosState, NacosCommand>;
  guard: AuthGuard;
  /** Users, roles, permissions and tokens (the auth routes manage them; the guard reads them). */
  auth: AuthService;
  /** --auth: requests need credentials (Nacos's nacos.core.auth.enabled). */
  authEnabled: boolean;
  clock: Clock;
  logger: Logger;
  /** Names get the junction_nacos_ prefix. */
  metrics: MetricsScope;
  settings: NacosConfig;
  /** A Fastify instance with Junction's HTTP bounds (PersonalityContext.httpApp). */
  httpApp: PersonalityContext<NacosConfig>['httpApp'];
}
