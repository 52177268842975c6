import type { FastifyRequest } from 'fastify';
import type { RouteTable } from './route-table.js';
import { generatePassword } from '../../core/auth/password.js';
import { requireAdministrator } from './auth.js';
import type { Arguments } from './broker-view.js';
import { userOf, type ManagementOptions } from './context.js';
import { badRequest, notFound } from './errors.js';
import { formatPolicy } from './format.js';
import { bodyOf, parseTags } from './routes-access.js';
import { RABBITMQ_VERSION } from './routes-node.js';

/**
 * GET/POST /api/definitions[/{vhost}] (rabbit_mgmt_wm_definitions): users, vhosts, permissions
 * from the user store; queues, exchanges, bindings, policies from the broker. Built-in objects
 * (the default exchange, amq.*, its implicit bindings) and exclusive queues are not exported.
 */

type Json = Record<string, unknown>;
const isBuiltInExchange = (name: string) => name === '' || name.startsWith('amq.');

function brokerDefinitions(opts: ManagementOptions, vhost: string | undefined, withVhost: boolean): Json {
  const { broker } = opts;
  const v = (x: { vhost: string }) => (withVhost ? { vhost: x.vhost } : {});
  return {
    policies: broker.policies(vhost).map((p) => { const { vhost: pv, ...rest } = formatPolicy(p); return withVhost ? { vhost: pv, ...rest } : rest; }),
    queues: broker.queues(vhost).filter((q) => !q.exclusive).map((q) =>
      ({ name: q.name, ...v(q), durable: q.durable, auto_delete: q.autoDelete, arguments: q.arguments })),
    exchanges: broker.exchanges(vhost).filter((x) => !isBuiltInExchange(x.name)).map((x) =>
      ({ name: x.name, ...v(x), type: x.type, durable: x.durable, auto_delete: x.autoDelete, internal: x.internal, arguments: x.arguments })),
    bindings: broker.bindings(vhost).filter((b) => b.source !== '').map((b) => ({
      source: b.source, ...v(b), destination: b.destination, destination_type: b.destinationType,
      routing_key: b.routingKey, arguments: b.arguments,
    })),
  };
}

function exportAll(opts: ManagementOptions): Json {
  const { users } = opts;
  return {
    rabbit_version: RABBITMQ_VERSION, rabbitmq_version: RABBITMQ_VERSION, product_name: 'RabbitMQ', product_version: RABBITMQ_VERSION,
    users: users.users().map((u) => ({ name: u.username, password_hash: u.passwordHash, hashing_algorithm: 'junction_scrypt',
      tags: users.rabbit.tagsOf(u.username), limits: {} })),
    vhosts: users.rabbit.vhosts().map((v) => ({ name: v.name })),
    permissions: users.rabbit.permissions().map((p) => ({ user: p.username, vhost: p.vhost, configure: p.configure, write: p.write, read: p.read })),
    topic_permissions: [], parameters: [], global_parameters: [],
    ...brokerDefinitions(opts, undefined, true),
  };
}

const list = (body: Json, key: string): Json[] => (Array.isArray(body[key]) ? body[key] as Json[] : []);
const str = (x: unknown, fallback = '') => (typeof x === 'string' ? x : fallback);
const obj = (x: unknown): Arguments => (x && typeof x === 'object' && !Array.isArray(x) ? x as Arguments : {});

async function importAccess(opts: ManagementOptions, body: Json): Promise<void> {
  const { users } = opts;
  for (const u of list(body, 'users')) {
    const name = str(u.name);
    if (name === '') throw badRequest('user without a name');
    if (u.password === undefined && u.password_hash !== undefined && !users.hasUser(name)) {
      throw badRequest(`user ${name}: password_hash is not supported (the store keeps its own hashes); give password`);
    }
    if (!users.hasUser(name)) await users.createUser(name, str(u.password) || generatePassword());
    else if (typeof u.password === 'string') await users.setPassword(name, u.password);
    await users.rabbit.setTags(name, parseTags(u.tags));
  }
  for (const v of list(body, 'vhosts')) {
    const meta = obj(v.metadata);
    await users.rabbit.putVhost(str(v.name), { description: str(meta.description ?? v.description), tags: parseTags(meta.tags ?? v.tags) });
  }
  for (const p of list(body, 'permissions')) {
    const result = await users.rabbit.setPermission(str(p.user), str(p.vhost), { configure: str(p.configure), write: str(p.write), read: str(p.read) });
    if (!result.ok) throw badRequest(`permission for ${str(p.user)} in ${str(p.vhost)}: ${result.error}`);
  }
}

async function importBroker(opts: ManagementOptions, body: Json, vhost: string | undefined): Promise<void> {
  const { broker } = opts;
  const vh = (x: Json) => vhost ?? str(x.vhost, '/');
  for (const x of list(body, 'exchanges')) {
    await broker.declareExchange(vh(x), str(x.name), { type: str(x.type, 'direct'), durable: x.durable !== false,
      autoDelete: x.auto_delete === true, internal: x.internal === true, arguments: obj(x.arguments) });
  }
  for (const q of list(body, 'queues')) {
    await broker.declareQueue(vh(q), str(q.name), { durable: q.durable !== false, autoDelete: q.auto_delete === true, arguments: obj(q.arguments) });
  }
  for (const b of list(body, 'bindings')) {
    await broker.bind({ vhost: vh(b), source: str(b.source), destination: str(b.destination),
      destinationType: b.destination_type === 'exchange' ? 'exchange' : 'queue', routingKey: str(b.routing_key), arguments: obj(b.arguments) });
  }
  for (const p of list(body, 'policies')) {
    const applyTo = p['apply-to'] === 'queues' || p['apply-to'] === 'exchanges' ? p['apply-to'] : 'all';
    await broker.putPolicy({ vhost: vh(p), name: str(p.name), pattern: str(p.pattern), applyTo,
      priority: typeof p.priority === 'number' ? p.priority : 0, definition: obj(p.definition) });
  }
}

export function definitionRoutes(app: RouteTable, opts: ManagementOptions): void {
  const vhostParam = (req: FastifyRequest) => {
    const vhost = (req.params as Record<string, string>).vhost!;
    if (!opts.users.rabbit.vhostExists(vhost)) throw notFound();
    return vhost;
  };
  app.get('/api/definitions', async (req) => { requireAdministrator(userOf(req)); return exportAll(opts); });
  app.get('/api/definitions/:vhost', async (req) => {
    requireAdministrator(userOf(req));
    return { rabbit_version: RABBITMQ_VERSION, rabbitmq_version: RABBITMQ_VERSION, product_name: 'RabbitMQ',
      product_version: RABBITMQ_VERSION, parameters: [], ...brokerDefinitions(opts, vhostParam(req), false) };
  });
  app.post('/api/definitions', async (req, reply) => {
    requireAdministrator(userOf(req));
    const body = bodyOf(req);
    await importAccess(opts, body);
    await importBroker(opts, body, undefined);
    return reply.code(204).send();
  });
  app.post('/api/definitions/:vhost', async (req, reply) => {
    requireAdministrator(userOf(req));
    await importBroker(opts, bodyOf(req), vhostParam(req));
    return reply.code(204).send();
  });
}
