import type { FastifyInstance } from 'fastify';
import { createHttpApp, httpLimits } from '../core/http/fastify.js';
import type { Junction } from '../app.js';
import type { RunningPersonality } from '../core/personality.js';
import { requireAdmin } from './auth.js';
import { statusOf } from './status.js';

/**
 * Admin HTTP port: Prometheus /metrics, /health, and the JSON admin API the CLI uses.
 * /metrics and /health stay open (scrapers and probes carry no credentials); with auth on,
 * /api/* needs a global admin.
 */
export function createAdminHttp(junction: Junction, personalities: readonly RunningPersonality[]): FastifyInstance {
  const app = createHttpApp(httpLimits(junction.config), junction.logger);
  app.get('/metrics', async (_req, reply) => {
    reply.type(junction.metrics.contentType);
    return junction.metrics.render();
  });
  app.get('/health', async () => ({ status: 'UP' }));
  app.register(async (api) => {
    if (junction.config.auth) api.addHook('preHandler', requireAdmin(junction.auth));
    api.get('/status', async () => statusOf(junction));
  }, { prefix: '/api' });
  // Each personality's own admin routes (ZooKeeper's AdminServer /commands/<name> …), guarded like
  // /api: they show sessions, client addresses and configuration.
  for (const p of personalities) {
    if (!p.adminRoutes) continue;
    app.register(async (scope) => {
      if (junction.config.auth) scope.addHook('preHandler', requireAdmin(junction.auth));
      p.adminRoutes!(scope);
    });
  }
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) junction.logger.error({ err, url: req.url, method: req.method }, 'admin request failed');
    reply.code(status).send({ error: status === 500 ? 'internal' : 'bad request', message: err.message });
  });
  return app;
}
