import type { FastifyInstance, onResponseHookHandler } from 'fastify';
import type { MetricsScope } from '../metrics/registry.js';
import { RouteMetrics, type RouteMetricsSpec, type RouteRecorder } from '../metrics/route-metrics.js';

/**
 * Count every request and its latency by method, route and status. Each route gets its own
 * onResponse hook bound to its recorder when it is registered, so a request does no label or
 * route lookup (reading req.routeOptions builds an object per call). Requests no route matched
 * are recorded by the not-found handler, through the returned function, as route `unmatched`.
 */
export function recordRouteMetrics(app: FastifyInstance, metrics: MetricsScope, spec: RouteMetricsSpec): (method: string) => RouteRecorder {
  const routes = new RouteMetrics(metrics, spec);
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
