import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { recordRouteMetrics } from '../core/http/route-metrics.js';
import type { RouteMetricsSpec } from '../core/metrics/route-metrics.js';
import { NacosAccessDenied } from './auth/access-denied.js';
import { ErrorCode, NacosError } from './errors.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerConfigRoutes } from './routes/config.js';
import { registerNamespaceRoutes } from './routes/namespaces.js';
import { registerNamingRoutes } from './routes/naming.js';
import { registerOpsRoutes } from './routes/ops.js';
import type { NacosServices } from './services.js';

/** junction_nacos_http_requests_total{method,route,status}, junction_nacos_http_request_duration_seconds. */
const ROUTE_METRICS: RouteMetricsSpec = {
  requests: { name: 'http_requests_total', help: 'Nacos HTTP requests' },
  latency: { name: 'http_request_duration_seconds', help: 'Nacos HTTP request latency',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 30] },
};

/** Nacos HTTP open API under the /nacos context path (v1 plain-text, v2 envelope). */
export function createNacosHttp(services: NacosServices): FastifyInstance {
  const { ctx } = services;
  const app = ctx.httpApp({
    // Content arrives form-encoded, so the body may be up to ~3× the content limit; the content
    // limit itself is enforced by the config routes with a Nacos-style message.
    bodyLimit: ctx.settings.maxContentBytes * 3 + 64 * 1024,
    routerOptions: { maxParamLength: 1024 },
  });
  app.register(formbody);
  // curl -X POST without -d and some clients send bodies with no or odd content types: Nacos
  // (Spring) ignores them, so do we rather than answering 415.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, _body, done) => done(null, undefined));

  const timedNotFound = recordRouteMetrics(app, ctx.metrics, ROUTE_METRICS);

  app.setErrorHandler((err: Error, req, reply) => {
    const v2 = req.url.startsWith('/nacos/v2/');
    // Nacos's AuthFilter refusals are Spring's JSON error page on every path (see access-denied.ts).
    if (err instanceof NacosAccessDenied) return reply.code(403).send(err.springBody(req.url.split('?')[0]!, ctx.clock.now()));
    if (err instanceof NacosError) {
      if (v2) return reply.code(err.status).send(err.v2Body());
      return reply.code(err.status).type('text/plain;charset=UTF-8').send(err.body);
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      // Framework-level rejections (body too large, bad encoding): answer like Nacos does.
      if (v2) return reply.code(status).send({ code: ErrorCode.PARAMETER_MISSING.code, message: err.message, data: null });
      return reply.code(status).type('text/plain;charset=UTF-8').send(`caused: ${err.message};`);
    }
    ctx.logger.error({ err, url: req.url, method: req.method }, 'nacos request failed');
    if (v2) return reply.code(500).send({ code: ErrorCode.SERVER_ERROR.code, message: ErrorCode.SERVER_ERROR.message, data: null });
    return reply.code(500).type('text/plain;charset=UTF-8').send(`caused: ${err.message};`);
  });
  app.setNotFoundHandler(timedNotFound((req, reply) => {
    reply.code(404).send({ timestamp: new Date(ctx.clock.now()).toISOString(), status: 404, error: 'Not Found', path: req.url.split('?')[0] });
  }));

  registerNamingRoutes(app, ctx, services.naming);
  registerConfigRoutes(app, ctx, services.configs);
  registerNamespaceRoutes(app, ctx);
  registerAuthRoutes(app, ctx);
  registerOpsRoutes(app, ctx);
  return app;
}
