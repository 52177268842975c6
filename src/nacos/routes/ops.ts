import type { FastifyInstance } from 'fastify';
import type { NacosContext } from '../context.js';
import { v2Success } from '../errors.js';

/** The Nacos server version Junction answers as (the open API it implements). */
export const NACOS_COMPAT_VERSION = '2.4.3';

/**
 * Operations endpoints Nacos serves without credentials (its default nacos.security.ignore.urls
 * covers /v1/console/health/**, /v1/console/server/** and /actuator/**): probes for Kubernetes,
 * the Prometheus scrape and the server-state map the console and SDKs read at start.
 */
export function registerOpsRoutes(app: FastifyInstance, ctx: NacosContext): void {
  // Nacos exposes Spring Actuator's Prometheus endpoint here; we serve the same registry as
  // the admin port's /metrics, so a scrape config pointing at Nacos keeps working.
  app.get('/nacos/actuator/prometheus', async (_req, reply) => {
    reply.type(ctx.metrics.contentType);
    return ctx.metrics.render();
  });

  // Nacos HealthController: plain-text "OK" with 200; readiness checks config and naming storage,
  // which here are one in-process store that is ready once the server listens.
  const ok = async (_req: unknown, reply: { type(t: string): unknown }) => {
    reply.type('text/plain;charset=UTF-8');
    return 'OK';
  };
  app.get('/nacos/v1/console/health/liveness', ok);
  app.get('/nacos/v1/console/health/readiness', ok);

  // Nacos HealthControllerV2: Result.success("ok").
  const okV2 = async () => v2Success('ok');
  app.get('/nacos/v2/console/health/liveness', okV2);
  app.get('/nacos/v2/console/health/readiness', okV2);

  app.get('/nacos/v1/console/server/state', async () => {
    // The bound port (differs from the configured one when that was 0).
    const address = app.server.address();
    return serverState(ctx, address && typeof address === 'object' ? address.port : ctx.settings.port);
  });
}

/**
 * Nacos ServerStateController (2.2+): the union of every module's state, values as strings
 * (Map<String,String>; null stays null). Keys and meanings from EnvModuleStateBuilder,
 * AuthModuleStateBuilder, ConfigModuleStateBuilder and the console module.
 */
export function serverState(ctx: NacosContext, port: number): Record<string, string | null> {
  return {
    version: NACOS_COMPAT_VERSION,
    // EnvUtil.STANDALONE_MODE_ALONE: Junction is one node.
    standalone_mode: 'standalone',
    startup_mode: 'standalone',
    // null = both config and naming (EnvUtil.getFunctionMode() when nacos.functionMode is unset).
    function_mode: null,
    server_port: String(port),
    auth_enabled: String(ctx.authEnabled),
    // The nacos auth plugin shows the login page exactly when auth is on.
    login_page_enabled: String(ctx.authEnabled),
    auth_system_type: 'nacos',
    // True while a console should offer "initialise the admin password" (Nacos 2.4, no admin yet).
    auth_admin_request: String(adminMissing(ctx)),
    console_ui_enabled: 'false',
    datasource_platform: '',
    plugin_datasource_log_enabled: 'false',
    config_retention_days: '30',
    maxContent: String(ctx.settings.maxContentBytes),
    isHealthCheck: 'true',
    maxHealthCheckFailCount: '12',
    notifyConnectTimeout: '100',
    notifySocketTimeout: '200',
    isManageCapacity: 'true',
    isCapacityLimitCheck: 'false',
  };
}

/**
 * Nacos 2.4 (NacosAuthPluginService.isAdminRequest): true while no global admin exists, so a
 * console offers "initialise the admin password" (POST /v1/auth/users/admin) instead of a login.
 */
function adminMissing(ctx: NacosContext): boolean {
  return ctx.authEnabled && !ctx.auth.hasGlobalAdmin();
}
