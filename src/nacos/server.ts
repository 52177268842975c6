import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type onResponseHookHandler } from 'fastify';
import type { Metrics } from '../core/metrics/registry.js';
import { type RouteMetricsSpec, RouteMetrics, type RouteRecorder } from '../core/metrics/route-metrics.js';
import { NacosAccessDenied } from './auth/access-denied.js';
import { ErrorCode, NacosError } from './errors.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerConfigRoutes } from './routes/config.js';
import { registerNamespaceRoutes } from './routes/namespaces.js';
import { registerNamingRoutes } from './routes/naming.js';
import { registerOpsRoutes } from './routes/ops.js';
import type { NacosServices } from './services.js';

const ROUTE_METRICS: RouteMetricsSpec = {
  requests: { name: 'nacos_http_requests_total', help: 'Nacos HTTP requests' },
  latency: { name: 'nacos_http_request_duration_seconds', help: 'Nacos HTTP request latency',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 30] },
};

/**
 * Count every request and its latency by method, route and status. Each route gets its own
 * onResponse hook bound to its recorder when it is registered, so a request does no label or
 * route lookup (reading req.routeOptions builds an object per call). Requests no route matched
 * are recorded by the not-found handler, through the returned function, as route `unmatched`.
 */
function recordRequests(app: FastifyInstance, metrics: Metrics): (method: string) => RouteRecorder {
  const routes = new RouteMetrics(metrics, ROUTE_METRICS);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const byMethod = new Map(methods.map((m) => [m, routes.route(m, route.url)]));
    const record: onResponseHookHandler = (req, reply, done) => {
      byMethod.get(req.method)?.observe(reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    const existing = route.onResponse;
    route.onResponse = existing === undefined ? [record] : [...(Array.isArray(existing) ? existing : [existing]), record];
  });
  const unmatched = new Map<string, RouteRecorder>();
  return (method) => {
    let r = unmatched.get(method);
    if (!r) unmatched.set(method, (r = routes.route(method, 'unmatched')));
    return r;
  };
}

/** Nacos HTTP open API under the /nacos context path (v1 plain-text, v2 envelope). */
export function createNacosHttp(services: NacosServices): FastifyInstance {
  const { ctx } = services;
  const app = Fastify({
    logger: false,
    // Content arrives form-encoded, so the body may be up to ~3× the content limit; the content
    // limit itself is enforced by the config routes with a Nacos-style message.
    bodyLimit: ctx.config.nacos.maxContentBytes * 3 + 64 * 1024,
    routerOptions: { maxParamLength: 1024 },
    return503OnClosing: true,
  });
  app.register(formbody);
  // curl -X POST without -d and some clients send bodies with no or odd content types: Nacos
  // (Spring) ignores them, so do we rather than answering 415.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, _body, done) => done(null, undefined));

  const unmatched = recordRequests(app, ctx.metrics);

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
  app.setNotFoundHandler((req, reply) => {
    const recorder = unmatched(req.method);
    reply.raw.once('finish', () => recorder.observe(reply.statusCode, reply.elapsedTime / 1000));
    reply.code(404).send({ timestamp: new Date(ctx.clock.now()).toISOString(), status: 404, error: 'Not Found', path: req.url.split('?')[0] });
  });

  registerNamingRoutes(app, ctx, services.naming);
  registerConfigRoutes(app, ctx, services.configs);
  registerNamespaceRoutes(app, ctx);
  registerAuthRoutes(app, ctx);
  registerOpsRoutes(app, ctx);
  return app;
}
