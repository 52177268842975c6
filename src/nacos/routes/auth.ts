import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { generatePassword } from '../../core/auth/password.js';
import { NacosAccessDenied } from '../auth/access-denied.js';
import { identify } from '../auth/identity.js';
import { failureError, illegalArgument, matches, pageParams, paginate, restFailed, restSuccess } from '../auth/rest.js';
import { registerRoleRoutes } from '../auth/role-routes.js';
import type { NacosContext } from '../context.js';
import { ErrorCode, NacosError } from '../errors.js';
import { Params } from '../params.js';

/** Nacos hides nothing here (it lists the bcrypt hash); Junction lists a placeholder instead. */
const PASSWORD_PLACEHOLDER = '******';

/**
 * Nacos's default auth plugin HTTP API (UserController, RoleController, PermissionController of
 * Nacos 2.4): login, users, roles, permissions. Management needs a global admin when auth is on;
 * a user may change their own password.
 */
export function registerAuthRoutes(app: FastifyInstance, ctx: NacosContext): void {
  // UserController is mapped at both /v1/auth and /v1/auth/users.
  app.post('/nacos/v1/auth/login', (req, reply) => login(ctx, req, reply));
  app.post('/nacos/v1/auth/users/login', (req, reply) => login(ctx, req, reply));
  app.post('/nacos/v1/auth/users/admin', (req) => createAdmin(ctx, req));
  app.post('/nacos/v1/auth/users', (req) => createUser(ctx, req));
  app.put('/nacos/v1/auth/users', (req) => updateUser(ctx, req));
  app.delete('/nacos/v1/auth/users', (req) => deleteUser(ctx, req));
  app.get('/nacos/v1/auth/users', (req) => listUsers(ctx, req));
  app.get('/nacos/v1/auth/users/search', (req) => searchUsers(ctx, req));
  registerRoleRoutes(app, ctx);
}

/** Nacos UserController.login: a token from the Authorization header or accessToken, else
 *  username+password; a refusal is 403 with the bare reason (ConsoleExceptionHandler). */
async function login(ctx: NacosContext, req: FastifyRequest, reply: FastifyReply) {
  const p = new Params(req);
  p.required('username');
  p.required('password');
  const username = await identify(ctx.auth, req, (reason) => new NacosError(403, reason, ErrorCode.ACCESS_DENIED));
  const { token, ttlSeconds } = await ctx.auth.issueToken(username);
  reply.header('Authorization', `Bearer ${token}`);
  return { accessToken: token, tokenTtl: ttlSeconds, globalAdmin: ctx.auth.isGlobalAdmin(username), username };
}

/** Nacos 2.4 first-login endpoint: sets the admin password only while no global admin exists. */
async function createAdmin(ctx: NacosContext, req: FastifyRequest) {
  if (ctx.auth.hasGlobalAdmin()) return restFailed(409, 'have admin user cannot use it');
  const password = new Params(req).optional('password') ?? generatePassword();
  const username = ctx.auth.adminUser;
  const result = await ctx.auth.initAdmin(username, password);
  if (!result.ok) {
    if (result.error === 'admin-exists') return restFailed(409, 'have admin user cannot use it');
    throw failureError(result.error, { username });
  }
  ctx.logger.info({ username }, 'initial admin set through /v1/auth/users/admin');
  return { username, password };
}

async function createUser(ctx: NacosContext, req: FastifyRequest) {
  await ctx.guard.requireAdmin(req);
  const p = new Params(req);
  const username = p.required('username');
  const password = p.required('password');
  if (username === ctx.auth.adminUser) {
    return restFailed(409, `User \`${username}\` is default admin user. Please use \`/nacos/v1/auth/users/admin\` API to init \`${username}\` users. ` +
      'Detail see `https://nacos.io/docs/latest/manual/admin/auth/#31-%E8%AE%BE%E7%BD%AE%E7%AE%A1%E7%90%86%E5%91%98%E5%AF%86%E7%A0%81`');
  }
  if (ctx.auth.hasUser(username)) throw failureError('user-exists', { username });
  const result = await ctx.auth.createUser(username, password);
  if (!result.ok) throw failureError(result.error, { username });
  return restSuccess('create user ok!');
}

/** PUT: a global admin may set anyone's password, other users only their own (Nacos hasPermission). */
async function updateUser(ctx: NacosContext, req: FastifyRequest) {
  const p = new Params(req);
  let caller: string | undefined;
  if (ctx.authEnabled) caller = await identify(ctx.auth, req);
  const username = p.required('username');
  const newPassword = p.required('newPassword');
  if (caller !== undefined && caller !== username && !ctx.auth.isGlobalAdmin(caller)) {
    throw new NacosAccessDenied('authorization failed!');
  }
  if (!ctx.auth.hasUser(username)) throw illegalArgument(`user ${username} not exist!`);
  const result = await ctx.auth.setPassword(username, newPassword);
  if (!result.ok) throw illegalArgument(`user ${username} not exist!`);
  return restSuccess('update user ok!');
}

async function deleteUser(ctx: NacosContext, req: FastifyRequest) {
  await ctx.guard.requireAdmin(req);
  const username = new Params(req).required('username');
  const result = await ctx.auth.deleteUser(username);
  if (!result.ok) throw failureError(result.error, { username });
  return restSuccess('delete user ok!');
}

async function listUsers(ctx: NacosContext, req: FastifyRequest) {
  await ctx.guard.requireAdmin(req);
  const p = new Params(req);
  const { pageNo, pageSize, blur } = pageParams(p);
  const filter = p.optional('username');
  const rows = ctx.auth.users()
    .filter((u) => matches(u.username, filter, blur))
    .map((u) => ({ username: u.username, password: PASSWORD_PLACEHOLDER }));
  return paginate(rows, pageNo, pageSize);
}

/** GET /v1/auth/users/search?username=x → names containing x (Nacos findUserLikeUsername). */
async function searchUsers(ctx: NacosContext, req: FastifyRequest) {
  await ctx.guard.requireAdmin(req);
  const fragment = new Params(req).required('username');
  return ctx.auth.users().map((u) => u.username).filter((name) => name.includes(fragment));
}
