import { validatePolicy } from '../semantics/policies.js';
import type { FastifyRequest } from 'fastify';
import type { RouteTable } from './route-table.js';
import { requirePolicymaker, requireVhost, visibleVhosts } from './auth.js';
import type { Arguments, BindingInfo } from './broker-view.js';
import { userOf, type ManagementOptions } from './context.js';
import { badRequest, notFound } from './errors.js';
import { formatBinding, formatConsumer, formatExchange, formatPolicy, formatQueue, propertiesKey } from './format.js';
import { listAnswer, type Query } from './list-query.js';
import { bodyOf } from './routes-access.js';

/** Queues, exchanges, bindings and policies (rabbit_mgmt_wm_queue(s), _exchange(s), _binding(s),
 *  _policies), over the BrokerView. */

type Params = Record<string, string>;
const q = (req: FastifyRequest) => req.query as Query;
const p = (req: FastifyRequest) => req.params as Params;

/** The vhost of a path, which must exist (404) and be the user's (401). */
function vhostParam(opts: ManagementOptions, req: FastifyRequest, write: boolean): string {
  const vhost = p(req).vhost!;
  if (!opts.users.rabbit.vhostExists(vhost)) throw notFound();
  requireVhost(opts, userOf(req), vhost, write);
  return vhost;
}

/** The vhost filter of a list route: /api/queues (visible vhosts) or /api/queues/{vhost}. */
function listScope(opts: ManagementOptions, req: FastifyRequest): { vhost?: string; visible: (v: string) => boolean } {
  if (p(req).vhost === undefined) return { visible: visibleVhosts(opts, userOf(req)) };
  return { vhost: vhostParam(opts, req, false), visible: () => true };
}

const bool = (v: unknown, fallback: boolean) => (typeof v === 'boolean' ? v : fallback);
const args = (v: unknown): Arguments => (v && typeof v === 'object' && !Array.isArray(v) ? v as Arguments : {});

function queueRoutes(app: RouteTable, opts: ManagementOptions): void {
  const { broker, nodeName } = opts;
  const list = async (req: FastifyRequest) => {
    const { vhost, visible } = listScope(opts, req);
    return listAnswer(broker.queues(vhost).filter((x) => visible(x.vhost)).map((x) => formatQueue(x, nodeName)), q(req));
  };
  app.get('/api/queues/:vhost?', list); // /api/queues and /api/queues/{vhost}
  app.get('/api/queues/:vhost/:name', async (req) => {
    const vhost = vhostParam(opts, req, false);
    const queue = broker.queue(vhost, p(req).name!);
    if (!queue) throw notFound();
    const consumers = broker.consumers(vhost).filter((c) => c.queue === queue.name);
    return { ...formatQueue(queue, nodeName), consumer_details: consumers.map((c) => formatConsumer(c, nodeName)), deliveries: [], incoming: [] };
  });
  app.put('/api/queues/:vhost/:name', async (req, reply) => {
    const vhost = vhostParam(opts, req, true);
    const body = bodyOf(req);
    const outcome = await broker.declareQueue(vhost, p(req).name!, {
      durable: bool(body.durable, true), autoDelete: bool(body.auto_delete, false), arguments: args(body.arguments),
    });
    return reply.code(outcome === 'created' ? 201 : 204).send();
  });
  app.delete('/api/queues/:vhost/:name', async (req, reply) => {
    const vhost = vhostParam(opts, req, true);
    const query = q(req);
    const outcome = await broker.deleteQueue(vhost, p(req).name!, { ifEmpty: query['if-empty'] === 'true', ifUnused: query['if-unused'] === 'true' });
    if (outcome === 'not-found') throw notFound();
    return reply.code(204).send();
  });
  app.delete('/api/queues/:vhost/:name/contents', async (req, reply) => {
    const vhost = vhostParam(opts, req, true);
    if ((await broker.purgeQueue(vhost, p(req).name!)) === undefined) throw notFound();
    return reply.code(204).send();
  });
  app.get('/api/queues/:vhost/:name/bindings', async (req) => {
    const vhost = vhostParam(opts, req, false);
    const name = p(req).name!;
    if (!broker.queue(vhost, name)) throw notFound();
    const bindings = broker.bindings(vhost).filter((b) => b.destinationType === 'queue' && b.destination === name);
    return listAnswer(bindings.map(formatBinding), q(req), []);
  });
}

function exchangeRoutes(app: RouteTable, opts: ManagementOptions): void {
  const { broker } = opts;
  const list = async (req: FastifyRequest) => {
    const { vhost, visible } = listScope(opts, req);
    return listAnswer(broker.exchanges(vhost).filter((x) => visible(x.vhost)).map(formatExchange), q(req));
  };
  app.get('/api/exchanges/:vhost?', list); // /api/exchanges and /api/exchanges/{vhost}
  // The default exchange is "amq.default" in paths (rabbit_mgmt_util:id/2).
  const exchangeName = (req: FastifyRequest) => (p(req).name === 'amq.default' ? '' : p(req).name!);
  app.get('/api/exchanges/:vhost/:name', async (req) => {
    const vhost = vhostParam(opts, req, false);
    const exchange = broker.exchange(vhost, exchangeName(req));
    if (!exchange) throw notFound();
    return { ...formatExchange(exchange), incoming: [], outgoing: [] };
  });
  app.put('/api/exchanges/:vhost/:name', async (req, reply) => {
    const vhost = vhostParam(opts, req, true);
    const body = bodyOf(req);
    if (typeof body.type !== 'string') throw badRequest('type mandatory');
    const outcome = await broker.declareExchange(vhost, exchangeName(req), {
      type: body.type, durable: bool(body.durable, true), autoDelete: bool(body.auto_delete, false),
      internal: bool(body.internal, false), arguments: args(body.arguments),
    });
    return reply.code(outcome === 'created' ? 201 : 204).send();
  });
  app.delete('/api/exchanges/:vhost/:name', async (req, reply) => {
    const vhost = vhostParam(opts, req, true);
    const outcome = await broker.deleteExchange(vhost, exchangeName(req), { ifUnused: q(req)['if-unused'] === 'true' });
    if (outcome === 'not-found') throw notFound();
    return reply.code(204).send();
  });
}

function bindingRoutes(app: RouteTable, opts: ManagementOptions): void {
  const { broker } = opts;
  const list = async (req: FastifyRequest) => {
    const { vhost, visible } = listScope(opts, req);
    return listAnswer(broker.bindings(vhost).filter((b) => visible(b.vhost)).map(formatBinding), q(req), []);
  };
  app.get('/api/bindings/:vhost?', list); // /api/bindings and /api/bindings/{vhost}
  const between = (req: FastifyRequest, vhost: string): BindingInfo[] => {
    const { source, kind, destination } = p(req);
    const destinationType = kind === 'q' ? 'queue' : 'exchange';
    const src = source === 'amq.default' ? '' : source!;
    return broker.bindings(vhost).filter((b) => b.source === src && b.destination === destination && b.destinationType === destinationType);
  };
  app.get('/api/bindings/:vhost/e/:source/:kind/:destination', async (req) => {
    if (!['q', 'e'].includes(p(req).kind!)) throw notFound();
    return listAnswer(between(req, vhostParam(opts, req, false)).map(formatBinding), q(req), []);
  });
  app.post('/api/bindings/:vhost/e/:source/:kind/:destination', async (req, reply) => {
    const vhost = vhostParam(opts, req, true);
    const { source, kind, destination } = p(req);
    if (!['q', 'e'].includes(kind!)) throw notFound();
    const body = bodyOf(req);
    const binding: BindingInfo = {
      vhost, source: source!, destination: destination!, destinationType: kind === 'q' ? 'queue' : 'exchange',
      routingKey: typeof body.routing_key === 'string' ? body.routing_key : '', arguments: args(body.arguments),
    };
    await broker.bind(binding);
    // rabbit_mgmt_wm_bindings: 201, Location relative to the request: <destination>/<properties_key>
    // (3.10.8 answers e.g. `q1/a.%2523~ZKgNZg`).
    const location = `${encodeURIComponent(binding.destination)}/${encodeURIComponent(propertiesKey(binding))}`;
    return reply.code(201).header('location', location).send();
  });
  app.delete('/api/bindings/:vhost/e/:source/:kind/:destination/:props', async (req, reply) => {
    const vhost = vhostParam(opts, req, true);
    const found = between(req, vhost).find((b) => propertiesKey(b) === p(req).props);
    if (!found || !(await broker.unbind(found))) throw notFound();
    return reply.code(204).send();
  });
}

function policyRoutes(app: RouteTable, opts: ManagementOptions): void {
  const { broker } = opts;
  const list = async (req: FastifyRequest) => {
    const { vhost, visible } = listScope(opts, req);
    return listAnswer(broker.policies(vhost).filter((x) => visible(x.vhost)).map(formatPolicy), q(req));
  };
  app.get('/api/policies/:vhost?', list); // /api/policies and /api/policies/{vhost}
  app.get('/api/policies/:vhost/:name', async (req) => {
    const vhost = vhostParam(opts, req, false);
    const policy = broker.policies(vhost).find((x) => x.name === p(req).name);
    if (!policy) throw notFound();
    return formatPolicy(policy);
  });
  app.put('/api/policies/:vhost/:name', async (req, reply) => {
    requirePolicymaker(userOf(req));
    const vhost = vhostParam(opts, req, true);
    const body = bodyOf(req);
    // rabbit_policy's validation, with its reason texts (amqp/semantics, checked against 3.10.8).
    const invalid = validatePolicy(body);
    if (invalid !== null) throw badRequest(invalid);
    const applyTo = (body['apply-to'] ?? 'all') as 'all' | 'queues' | 'exchanges';
    const outcome = await broker.putPolicy({
      vhost, name: p(req).name!, pattern: body.pattern as string, applyTo, priority: typeof body.priority === 'number' ? body.priority : 0,
      definition: args(body.definition),
    });
    return reply.code(outcome === 'created' ? 201 : 204).send();
  });
  app.delete('/api/policies/:vhost/:name', async (req, reply) => {
    requirePolicymaker(userOf(req));
    const vhost = vhostParam(opts, req, true);
    if (!(await broker.deletePolicy(vhost, p(req).name!))) throw notFound();
    return reply.code(204).send();
  });
}

export function objectRoutes(app: RouteTable, opts: ManagementOptions): void {
  queueRoutes(app, opts);
  exchangeRoutes(app, opts);
  bindingRoutes(app, opts);
  policyRoutes(app, opts);
}
