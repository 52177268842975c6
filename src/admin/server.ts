import Fastify, { type FastifyInstance } from 'fastify';
import type { Junction } from '../app.js';

/** Admin HTTP port: Prometheus /metrics, /health, and the JSON admin API the CLI uses. */
export function createAdminHttp(junction: Junction): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_req, reply) => {
    reply.type(junction.metrics.contentType);
    return junction.metrics.render();
  });
  app.get('/health', async () => ({ status: 'UP' }));
  app.get('/api/status', async () => ({
    version: process.env.npm_package_version ?? '0.1.0',
    uptimeMs: junction.clock.now() - junction.startedAt,
    ports: junction.ports(),
    enabled: junction.config.enabled,
    auth: junction.config.auth,
    fsync: junction.config.fsync,
    dataDir: junction.config.dataDir,
  }));
  return app;
}
