import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { CoreSettings } from '../config.js';
import type { Logger } from '../logger.js';
import { PerIpConnectionLimit } from '../net/per-ip-limit.js';

/**
 * Fastify compiles JSON schemas with ajv and fast-json-stringify, and by default loads both when an
 * instance is created, whether or not a route declares a schema. Junction's routes validate their
 * parameters in code (with the original's error texts), so these load only if a schema ever shows
 * up — about a fifth of the code a start would otherwise evaluate. (Fastify's documented
 * schemaController.compilersFactory option; resolved from fastify's own dependencies.)
 */
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
type Factory = (...args: unknown[]) => unknown;
const lazy = (pkg: string): Factory => {
  let factory: Factory | null = null;
  return (...args) => (factory ??= (fromFastify(pkg) as () => Factory)())(...args);
};
const schemaCompilers = {
  buildValidator: lazy('@fastify/ajv-compiler'),
  buildSerializer: lazy('@fastify/fast-json-stringify-compiler'),
};

/** Requests that arrived as HEAD and are routed as GET (createHttpApp). */
const headRequests = new WeakSet<IncomingMessage>();

/** The method the client sent: HEAD for a HEAD request that createHttpApp routes as GET. */
export function requestMethod(raw: IncomingMessage): string {
  return headRequests.has(raw) ? 'HEAD' : raw.method ?? '';
}

/**
 * HEAD is answered by the GET route, as Fastify's automatic HEAD routes (exposeHeadRoutes) do,
 * but without a second route per GET route: the request is routed as GET, and Node writes no body
 * for it (ServerResponse decided that from the HEAD request line before this listener runs). A
 * HEAD route per GET route cost every start about 10 ms of CPU (a route, its avvio callback and
 * its matcher compiled with new Function for each of ~75 GET routes). requestMethod(req.raw)
 * still tells HEAD from GET (route metrics count HEAD under its own method).
 */
function routeHeadAsGet(req: IncomingMessage): void {
  if (req.method === 'HEAD') {
    req.method = 'GET';
    headRequests.add(req);
  }
}

/** The bounds every HTTP port of Junction keeps (core settings --http-*). */
export interface HttpLimits {
  /** Time to receive a whole request, body included; 0 = none. */
  requestTimeoutMs: number;
  /** Connections one client address may hold; 0 = no limit. */
  maxConnectionsPerIp: number;
}

export function httpLimits(config: CoreSettings): HttpLimits {
  return { requestTimeoutMs: config.httpRequestTimeout, maxConnectionsPerIp: config.httpMaxConnectionsPerIp };
}

/**
 * A Fastify instance for one of Junction's HTTP ports. Fastify leaves a request's body untimed
 * (requestTimeout 0): a client sending a body at 1 byte/s would hold its connection for ever, and
 * with it a file descriptor and buffers. Here a request must arrive whole within
 * requestTimeoutMs (Node checks every second, so it is closed within a second of that), and one
 * address may hold maxConnectionsPerIp connections, as on the ZooKeeper port.
 */
export function createHttpApp(limits: HttpLimits, logger: Logger, options: FastifyServerOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: false,
    return503OnClosing: true,
    exposeHeadRoutes: false,
    requestTimeout: limits.requestTimeoutMs,
    // Node applies requestTimeout only when http.createServer is given it (setting the property
    // afterwards, as Fastify does, times out slow headers but not a slow body).
    http: { requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: 1000 },
    ...options,
    schemaController: { compilersFactory: schemaCompilers as never },
  });
  // Before Fastify's own 'request' listener, which routes the request.
  app.server.prependListener('request', routeHeadAsGet);
  const perIp = new PerIpConnectionLimit(limits.maxConnectionsPerIp);
  app.server.on('connection', (socket) => {
    if (perIp.admit(socket) === null) {
      logger.warn({ remote: socket.remoteAddress, max: perIp.max }, 'http too many connections from one address');
    }
  });
  return app;
}
