import type { FastifyInstance } from 'fastify';
import { authHook } from './auth.js';
import { BrokerViewError } from './broker-view.js';
import type { ManagementOptions } from './context.js';
import { MgmtHttpError, sendError } from './errors.js';
import { accessRoutes } from './routes-access.js';
import { definitionRoutes } from './routes-definitions.js';
import { messageRoutes } from './routes-messages.js';
import { nodeRoutes } from './routes-node.js';
import { objectRoutes } from './routes-objects.js';
import { RouteTable } from './route-table.js';

/**
 * RabbitMQ's management HTTP API (/api/*) as a Fastify plugin: register it on an instance made
 * by PersonalityContext.httpApp() — `app.register(managementApi, options)` — which keeps core's
 * bounds. Everything about the broker goes through options.broker (BrokerView).
 */
export async function managementApi(app: FastifyInstance, opts: ManagementOptions): Promise<void> {
  // RabbitMQ reads a JSON body whatever the content type says (curl -d sends form-urlencoded),
  // and an empty body is no body (PUT /api/vhosts/v2 without one).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, text, done) => {
    const body = String(text);
    if (body.trim() === '') { done(null, undefined); return; }
    try { done(null, JSON.parse(body)); } catch {
      done(new MgmtHttpError(400, { error: 'bad_request', reason: 'not_json' }), undefined);
    }
  });
  app.addHook('onRequest', authHook(opts));
  app.setErrorHandler(async (err, req, reply) => {
    if (err instanceof MgmtHttpError) return sendError(reply, err);
    if (err instanceof BrokerViewError) {
      return reply.code(err.status).send(err.status === 404 ? { error: 'Object Not Found', reason: 'Not Found' } : { error: 'bad_request', reason: err.reason });
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send({ error: 'bad_request', reason: (err as Error).message });
    opts.logger.error({ err, url: req.url, method: req.method }, 'amqp management request failed');
    return reply.code(500).send({ error: 'internal_server_error', reason: 'internal error' });
  });
  const routes = new RouteTable();
  nodeRoutes(routes, opts);
  accessRoutes(routes, opts);
  objectRoutes(routes, opts);
  messageRoutes(routes, opts);
  definitionRoutes(routes, opts);
  routes.registerOn(app);
}
