import type { FastifyRequest } from 'fastify';
import type { RouteTable } from './route-table.js';
import { generatePassword } from '../../core/auth/password.js';
import type { VhostPermission } from '../../core/auth/vhosts.js';
import { requireAdministrator, requireVhost, visibleVhosts } from './auth.js';
import { userOf, type ManagementOptions } from './context.js';
import { badRequest, MgmtHttpError, notFound } from './errors.js';
import { details, messageStats } from './format.js';
import { listAnswer, type Query } from './list-query.js';

/**
 * Users, vhosts, permissions and whoami (rabbit_mgmt_wm_user(s), _vhost(s), _permission(s),
 * _whoami) — real in this phase: they live in the shared user store.
 */

type Json = Record<string, unknown>;
type Params = Record<string, string>;

export function bodyOf(req: FastifyRequest): Json {
  const body = req.body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('body must be a JSON object');
  return body as Json;
}

/** Tags as the API takes them: "a,b" or ["a","b"] (rabbit_mgmt_wm_user, 3.9+). */
export function parseTags(value: unknown): string[] {
  const list = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : [];
  return list.map((t) => t.trim()).filter((t) => t !== '');
}

const formatPermission = (p: VhostPermission): Json =>
  ({ user: p.username, vhost: p.vhost, configure: p.configure, write: p.write, read: p.read });

function formatUser(opts: ManagementOptions, name: string, passwordHash: string): Json {
  // Not RabbitMQ's salted SHA-256: the store keeps scrypt hashes (docs/compat/amqp.md).
  return { name, password_hash: passwordHash, hashing_algorithm: 'junction_scrypt', tags: opts.users.rabbit.tagsOf(name), limits: {} };
}

function formatVhost(opts: ManagementOptions, name: string): Json {
  const v = opts.users.rabbit.vhost(name)!;
  const t = opts.broker.overview(name);
  const ready = t.messagesReady;
  const unacked = t.messagesUnacknowledged;
  const activity: Json = Object.keys(t.messageStats).length > 0 ? { message_stats: messageStats(t.messageStats) } : {};
  // RabbitMQ shows a vhost's traffic once a connection used it.
  if (t.recvOct > 0 || t.sendOct > 0) {
    Object.assign(activity, { recv_oct: t.recvOct, recv_oct_details: details(0), send_oct: t.sendOct, send_oct_details: details(0) });
  }
  return {
    ...activity,
    cluster_state: { [opts.nodeName]: 'running' }, default_queue_type: v.defaultQueueType ?? 'undefined',
    description: v.description, messages: ready + unacked, messages_details: details(0), messages_ready: ready,
    messages_ready_details: details(0), messages_unacknowledged: unacked, messages_unacknowledged_details: details(0),
    metadata: { description: v.description, tags: v.tags }, name, tags: v.tags, tracing: false,
  };
}

function userRoutes(app: RouteTable, opts: ManagementOptions): void {
  const { users } = opts;
  app.get('/api/users', async (req) => {
    requireAdministrator(userOf(req));
    return listAnswer(users.users().map((u) => formatUser(opts, u.username, u.passwordHash)), req.query as Query, ['name']);
  });
  app.get('/api/users/:user', async (req) => {
    requireAdministrator(userOf(req));
    const u = users.users().find((x) => x.username === (req.params as Params).user);
    if (!u) throw notFound();
    return formatUser(opts, u.username, u.passwordHash);
  });
  app.put('/api/users/:user', async (req, reply) => {
    requireAdministrator(userOf(req));
    const name = (req.params as Params).user!;
    const body = bodyOf(req);
    if (body.tags === undefined) throw badRequest('tags mandatory');
    const exists = users.hasUser(name);
    // A password_hash is accepted only as the one GET /api/users/{name} gave (rabbitmqctl
    // set_user_tags sends it back to keep the password): the store keeps scrypt hashes only.
    const stored = users.users().find((u) => u.username === name)?.passwordHash;
    if (body.password_hash !== undefined && body.password === undefined && body.password_hash !== stored) {
      throw badRequest('password_hash is not supported (the store keeps its own hashes); give password');
    }
    const password = typeof body.password === 'string' ? body.password : undefined;
    if (!exists) await users.createUser(name, password ?? generatePassword());
    else if (password !== undefined) await users.setPassword(name, password);
    const result = await users.rabbit.setTags(name, parseTags(body.tags));
    if (!result.ok) throw notFound();
    return reply.code(exists ? 204 : 201).send();
  });
  app.delete('/api/users/:user', async (req, reply) => {
    requireAdministrator(userOf(req));
    const name = (req.params as Params).user!;
    if (!users.hasUser(name)) throw notFound();
    const result = await users.deleteUser(name);
    if (!result.ok) throw badRequest(`cannot delete ${name}: it is Junction's initial admin`);
    return reply.code(204).send();
  });
  app.get('/api/users/:user/permissions', async (req) => {
    requireAdministrator(userOf(req));
    const name = (req.params as Params).user!;
    if (!users.hasUser(name)) throw notFound();
    return listAnswer(users.rabbit.permissions({ username: name }).map(formatPermission), req.query as Query, ['vhost', 'user']);
  });
  app.get('/api/whoami', async (req) => {
    const u = userOf(req);
    return { name: u.name, tags: u.tags };
  });
}

function vhostRoutes(app: RouteTable, opts: ManagementOptions): void {
  const { rabbit } = opts.users;
  app.get('/api/vhosts', async (req) => {
    const visible = visibleVhosts(opts, userOf(req));
    const names = rabbit.vhosts().map((v) => v.name).filter(visible);
    return listAnswer(names.map((n) => formatVhost(opts, n)), req.query as Query, ['name']);
  });
  app.get('/api/vhosts/:vhost', async (req) => {
    const vhost = (req.params as Params).vhost!;
    if (!rabbit.vhostExists(vhost)) throw notFound();
    requireVhost(opts, userOf(req), vhost, false);
    return formatVhost(opts, vhost);
  });
  app.put('/api/vhosts/:vhost', async (req, reply) => {
    requireAdministrator(userOf(req));
    const vhost = (req.params as Params).vhost!;
    const body = bodyOf(req);
    const existing = rabbit.vhost(vhost);
    const description = typeof body.description === 'string' ? body.description : existing?.description ?? '';
    const tags = body.tags === undefined ? existing?.tags ?? [] : parseTags(body.tags);
    const dqt = typeof body.default_queue_type === 'string' ? body.default_queue_type : existing?.defaultQueueType;
    await rabbit.putVhost(vhost, { description, tags, ...(dqt === undefined ? {} : { defaultQueueType: dqt }) });
    // rabbit_mgmt_wm_vhost:put_vhost grants the creating user .* .* .* on the new vhost.
    const creator = userOf(req).name;
    if (!existing && opts.users.hasUser(creator)) await rabbit.setPermission(creator, vhost, { configure: '.*', write: '.*', read: '.*' });
    return reply.code(existing ? 204 : 201).send();
  });
  app.delete('/api/vhosts/:vhost', async (req, reply) => {
    requireAdministrator(userOf(req));
    const vhost = (req.params as Params).vhost!;
    const result = await rabbit.deleteVhost(vhost);
    if (!result.ok && result.error === 'vhost-not-found') throw notFound();
    if (!result.ok) throw badRequest(`cannot delete the default virtual host ${JSON.stringify(vhost)}`);
    await opts.broker.dropVhost(vhost);
    return reply.code(204).send();
  });
  app.get('/api/vhosts/:vhost/permissions', async (req) => {
    requireAdministrator(userOf(req));
    const vhost = (req.params as Params).vhost!;
    if (!rabbit.vhostExists(vhost)) throw notFound();
    return listAnswer(rabbit.permissions({ vhost }).map(formatPermission), req.query as Query, ['vhost', 'user']);
  });
}

function permissionRoutes(app: RouteTable, opts: ManagementOptions): void {
  const { rabbit } = opts.users;
  app.get('/api/permissions', async (req) => {
    requireAdministrator(userOf(req));
    return listAnswer(rabbit.permissions().map(formatPermission), req.query as Query, ['vhost', 'user']);
  });
  app.get('/api/permissions/:vhost/:user', async (req) => {
    requireAdministrator(userOf(req));
    const { vhost, user } = req.params as Params;
    const p = rabbit.permission(user!, vhost!);
    if (!p) throw notFound();
    return formatPermission(p);
  });
  app.put('/api/permissions/:vhost/:user', async (req, reply) => {
    requireAdministrator(userOf(req));
    const { vhost, user } = req.params as Params;
    const body = bodyOf(req);
    const missing = ['configure', 'write', 'read'].filter((k) => typeof body[k] !== 'string');
    if (missing.length > 0) throw badRequest(`${missing.join(', ')} mandatory`);
    const existed = rabbit.permission(user!, vhost!) !== undefined;
    const result = await rabbit.setPermission(user!, vhost!, body as { configure: string; write: string; read: string });
    if (!result.ok) {
      if (result.error === 'invalid-regexp') throw badRequest('invalid regular expression');
      throw new MgmtHttpError(400, { error: 'bad_request', reason: result.error === 'user-not-found' ? 'user_not_found' : 'vhost_not_found' });
    }
    return reply.code(existed ? 204 : 201).send();
  });
  app.delete('/api/permissions/:vhost/:user', async (req, reply) => {
    requireAdministrator(userOf(req));
    const { vhost, user } = req.params as Params;
    if (!rabbit.permission(user!, vhost!)) throw notFound();
    await rabbit.clearPermission(user!, vhost!);
    return reply.code(204).send();
  });
}

export function accessRoutes(app: RouteTable, opts: ManagementOptions): void {
  userRoutes(app, opts);
  vhostRoutes(app, opts);
  permissionRoutes(app, opts);
}

