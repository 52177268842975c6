import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { NacosContext } from '../context.js';
import { NacosError } from '../errors.js';
import { Params } from '../params.js';
import { failureError, matches, pageParams, paginate, restSuccess } from './rest.js';

/** Nacos ActionTypes as permission actions: read, write, or both. */
const ACTIONS = ['r', 'w', 'rw'];

/** Nacos RoleController and PermissionController (/v1/auth/roles, /v1/auth/permissions); global admin only. */
export function registerRoleRoutes(app: FastifyInstance, ctx: NacosContext): void {
  app.get('/nacos/v1/auth/roles', (req) => listRoles(ctx, req));
  app.get('/nacos/v1/auth/roles/search', (req) => searchRoles(ctx, req));
  app.post('/nacos/v1/auth/roles', (req) => addRole(ctx, req));
  app.delete('/nacos/v1/auth/roles', (req) => deleteRole(ctx, req));
  app.get('/nacos/v1/auth/permissions', (req) => listPermissions(ctx, req));
  app.post('/nacos/v1/auth/permissions', (req) => addPermission(ctx, req));
  app.delete('/nacos/v1/auth/permissions', (req) => deletePermission(ctx, req));
}

async function listRoles(ctx: NacosContext, req: FastifyRequest) {
  await ctx.guard.requireAdmin(req);
  const p = new Params(req);
  const { pageNo, pageSize, blur } = pageParams(p);
  const username = p.optional('username');
  const role = p.optional('role');
  const rows = ctx.auth.roleBindings()
    .filter((b) => matches(b.username, username, blur) && matches(b.role, role, blur))
    .map((b) => ({ role: b.role, username: b.username }));
  return paginate(rows, pageNo, pageSize);
}

/** GET /v1/auth/roles/search?role=x → distinct role names containing x. */
async function searchRoles(ctx: NacosContext, req: FastifyRequest) {
  await ctx.guard.requireAdmin(req);
  const fragment = new Params(req).required('role');
  return [...new Set(ctx.auth.roleBindings().map((b) => b.role))].filter((r) => r.includes(fragment));
}

async function addRole(ctx: NacosContext, req: FastifyRequest) {
  await ctx.guard.requireAdmin(req);
  const p = new Params(req);
  const role = p.required('role');
  const username = p.required('username');
  const result = await ctx.auth.addRole(role, username);
  if (!result.ok) throw failureError(result.error, { role, username });
  return restSuccess('add role ok!');
}

/** DELETE without username removes the role from every user (Nacos RoleController.deleteRole). */
async function deleteRole(ctx: NacosContext, req: FastifyRequest) {
  await ctx.guard.requireAdmin(req);
  const p = new Params(req);
  const role = p.required('role');
  const username = p.optional('username') ?? '';
  const result = await ctx.auth.deleteRole(role, username);
  if (!result.ok) throw failureError(result.error, { role, username });
  return restSuccess(`delete role of user ${username} ok!`);
}

async function listPermissions(ctx: NacosContext, req: FastifyRequest) {
  await ctx.guard.requireAdmin(req);
  const p = new Params(req);
  const { pageNo, pageSize, blur } = pageParams(p);
  const role = p.optional('role');
  const rows = ctx.auth.permissions()
    .filter((perm) => matches(perm.role, role, blur))
    .map((perm) => ({ role: perm.role, resource: perm.resource, action: perm.action }));
  return paginate(rows, pageNo, pageSize);
}

function permissionParams(req: FastifyRequest): { role: string; resource: string; action: string } {
  const p = new Params(req);
  const role = p.required('role');
  const resource = p.required('resource');
  const action = p.required('action');
  // Nacos stores any action text and matches with String.contains, so "read" would grant r;
  // Junction accepts only the three actions Nacos's console offers.
  if (!ACTIONS.includes(action)) throw new NacosError(400, `caused: action must be one of r, w, rw, got ${action};`);
  return { role, resource, action };
}

async function addPermission(ctx: NacosContext, req: FastifyRequest) {
  await ctx.guard.requireAdmin(req);
  const { role, resource, action } = permissionParams(req);
  const result = await ctx.auth.addPermission(role, resource, action);
  if (!result.ok) throw failureError(result.error, { role });
  return restSuccess('add permission ok!');
}

async function deletePermission(ctx: NacosContext, req: FastifyRequest) {
  await ctx.guard.requireAdmin(req);
  const { role, resource, action } = permissionParams(req);
  await ctx.auth.deletePermission(role, resource, action);
  return restSuccess('delete permission ok!');
}
