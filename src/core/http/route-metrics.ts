import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, onResponseHookHandler, RouteHandlerMethod, RouteOptions } from 'fastify';
import type { MetricsScope } from '../metrics/registry.js';
import { RouteMetrics, type RouteMetricsSpec, type RouteRecorder } from '../metrics/route-metrics.js';
import { requestMethod } from './fastify.js';

/**
 * Route config (`app.get(url, { config: TIMED_BY_HANDLER }, handler)`) of a GET route whose requests
 * are counted and timed around its handler instead of by an onResponse hook. A route hook makes
 * Fastify listen for every response's finish and run its hook runner (~4.5k instructions a
 * request, as much as a hot read route's own work); this costs two clock reads. Only for GET:
 * Fastify parses no body for it, so with no request hooks of its own every request reaches the
 * handler, and an answer the handler does not write itself (an error, a promise) is still
 * recorded when it finishes.
 */
export const TIMED_BY_HANDLER = { timedByHandler: true } as const;

/** Request hooks that could answer before the handler runs (and so unseen by a timed handler). */
const HOOKS_BEFORE_HANDLER = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;

/**
 * Count every request and its latency by method, route and status. Each route gets its own
 * recorder when it is registered, so a request does no label or route lookup (reading
 * req.routeOptions builds an object per call): routes with TIMED_BY_HANDLER are timed around their
 * handler, the others by an onResponse hook bound to their recorder. Requests no route matched
 * are recorded by the not-found handler, which the returned function wraps, as route `unmatched`.
 */
export function recordRouteMetrics(app: FastifyInstance, metrics: MetricsScope, spec: RouteMetricsSpec): (notFound: RouteHandlerMethod) => RouteHandlerMethod {
  const routes = new RouteMetrics(metrics, spec);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if ((route.config as { timedByHandler?: boolean } | undefined)?.timedByHandler) {
      checkTimedByHandler(route, methods);
      route.handler = timedHandler(route.handler, recordersOf(routes, methods, route.url));
      return;
    }
    const byMethod = recordersOf(routes, methods, route.url);
    const record: onResponseHookHandler = (req, reply, done) => {
      byMethod(requestMethod(req.raw))?.observe(reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    const existing = route.onResponse;
    route.onResponse = existing === undefined ? [record] : [...(Array.isArray(existing) ? existing : [existing]), record];
  });
  // The not-found handler has no route hooks: Fastify then keeps no start time (reply.elapsedTime
  // is 0), so it is timed like a TIMED_BY_HANDLER route.
  const unmatched = new Map<string, RouteHandlerMethod>();
  return (notFound) => function unmatchedRoute(this: FastifyInstance, req, reply) {
    const method = requestMethod(req.raw);
    let timed = unmatched.get(method);
    if (!timed) unmatched.set(method, (timed = timedHandler(notFound, () => routes.route(method, 'unmatched'))));
    return timed.call(this, req, reply);
  };
}

/**
 * A route's recorder for each method it answers. A GET route also answers HEAD (createHttpApp
 * routes HEAD as GET; a Fastify instance with exposeHeadRoutes gives HEAD a route of its own), whose
 * series is made on the first HEAD request, as rarely any client sends one.
 */
function recordersOf(routes: RouteMetrics, methods: readonly string[], url: string): (method: string) => RouteRecorder | undefined {
  const byMethod = new Map<string, RouteRecorder>(methods.map((m) => [m, routes.route(m, url)]));
  const answersHead = methods.includes('GET');
  return (method) => {
    let recorder = byMethod.get(method);
    if (recorder === undefined && method === 'HEAD' && answersHead) byMethod.set(method, (recorder = routes.route(method, url)));
    return recorder;
  };
}

function checkTimedByHandler(route: RouteOptions, methods: readonly string[]): void {
  if (methods.length !== 1 || (methods[0] !== 'GET' && methods[0] !== 'HEAD')) {
    throw new Error(`${methods.join(',')} ${route.url}: only a GET route can be timed by its handler (a body may fail before it)`);
  }
  const hook = HOOKS_BEFORE_HANDLER.find((name) => route[name] !== undefined);
  if (hook) throw new Error(`GET ${route.url}: a route timed by its handler cannot have a ${hook} hook`);
}

/**
 * The handler, timed from its start until its answer is written: at once when it wrote the answer
 * itself (reply.send or reply.raw, synchronously), else when the response finishes, as Fastify's
 * onResponse would (an error it threw, a promise, a value Fastify sends).
 */
function timedHandler(handler: RouteHandlerMethod, recorderOf: (method: string) => RouteRecorder | undefined): RouteHandlerMethod {
  return function timed(this: FastifyInstance, req, reply) {
    const recorder = recorderOf(requestMethod(req.raw))!;
    const started = performance.now();
    let result;
    try {
      result = handler.call(this, req, reply);
    } catch (err) {
      observeWhenFinished(reply, recorder, started);
      throw err;
    }
    if (reply.raw.writableEnded) recorder.observe(reply.raw.statusCode, (performance.now() - started) / 1000);
    else observeWhenFinished(reply, recorder, started);
    return result;
  };
}

/** Record when the response is written or fails, like Fastify's onResponse (finish or error). */
function observeWhenFinished(reply: FastifyReply, recorder: RouteRecorder, started: number): void {
  const res = reply.raw;
  const done = () => {
    res.removeListener('finish', done);
    res.removeListener('error', done);
    recorder.observe(res.statusCode, (performance.now() - started) / 1000);
  };
  res.on('finish', done);
  res.on('error', done);
}
