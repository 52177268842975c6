import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';

type Handler = (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * The management API's routes, gathered and then given to Fastify as one route per path with
 * the methods it answers (GET, PUT and DELETE of /api/queues/{vhost}/{name} are one route), not
 * one route per method: 36 routes instead of 58. Each Fastify route costs the start an avvio
 * callback (a plugin timer, listeners, ticks), a preReady listener and a context; fewer of them
 * cut what enabling AMQP runs of Node's argument validators at start by ~30 % (docs/benchmarks.md,
 * "Idle memory with AMQP").
 * Routing is unchanged: find-my-way matches the path, a method the path does not answer still
 * gets Fastify's 404.
 */
export class RouteTable {
  private readonly paths = new Map<string, Map<HTTPMethods, Handler>>();

  get(url: string, handler: Handler): void { this.add('GET', url, handler); }
  put(url: string, handler: Handler): void { this.add('PUT', url, handler); }
  post(url: string, handler: Handler): void { this.add('POST', url, handler); }
  delete(url: string, handler: Handler): void { this.add('DELETE', url, handler); }

  /** Register the gathered routes on `app`, one per path. */
  registerOn(app: FastifyInstance): void {
    for (const [url, handlers] of this.paths) {
      const methods = [...handlers.keys()];
      if (methods.length === 1) {
        app.route({ method: methods[0]!, url, handler: handlers.get(methods[0]!)! });
        continue;
      }
      // createHttpApp routes HEAD as GET, so req.method is one of `methods`.
      app.route({ method: methods, url, handler(req, reply) { return handlers.get(req.method as HTTPMethods)!.call(this, req, reply); } });
    }
  }

  private add(method: HTTPMethods, url: string, handler: Handler): void {
    let handlers = this.paths.get(url);
    if (!handlers) this.paths.set(url, (handlers = new Map()));
    if (handlers.has(method)) throw new Error(`management route ${method} ${url} declared twice`);
    handlers.set(method, handler);
  }
}
