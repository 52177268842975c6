import Fastify, { type FastifyInstance } from 'fastify';
import type { Junction } from '../app.js';
import { requireAdmin } from './auth.js';
import { statusOf } from './status.js';
import { registerZkAdminCommands } from '../zk/admin-commands.js';

/**
 * Admin HTTP port: Prometheus /metrics, /health, and the JSON admin API the CLI uses.
 * /metrics and /health stay open (scrapers and probes carry no credentials); with auth on,
 * /api/* needs a global admin.
 */
export function createAdminHttp(junction: Junction): FastifyInstance {
  const app = Fastify({ logger: false, return503OnClosing: true });
  app.get('/metrics', async (_req, reply) => {
    reply.type(junction.metrics.contentType);
    return junction.metrics.render();
  });
  app.get('/health', async () => ({ status: 'UP' }));
  app.register(async (api) => {
    if (junction.config.auth) api.addHook('preHandler', requireAdmin(junction.auth));
    api.get('/status', async () => statusOf(junction));
  }, { prefix: '/api' });
  // ZooKeeper's AdminServer commands (/commands/<name>), guarded like /api: they list sessions,
  // client addresses and the configuration.
  app.register(async (zk) => {
    if (junction.config.auth) zk.addHook('preHandler', requireAdmin(junction.auth));
    registerZkAdminCommands(zk, () => junction.zk?.view ?? null);
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) junction.logger.error({ err, url: req.url, method: req.method }, 'admin request failed');
    reply.code(status).send({ error: status === 500 ? 'internal' : 'bad request', message: err.message });
  });
  return app;
}
