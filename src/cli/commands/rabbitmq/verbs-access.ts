import { seg } from './client.js';
import { VHOST_COLUMNS, rowsOf, selectColumns } from './columns.js';
import type { Verb, VerbContext } from './context.js';
import { argumentCount, ctlError, CtlFailure, EX_DATAERR, EX_NOUSER, EX_SOFTWARE, EX_UNAVAILABLE } from './failure.js';
import { banner, printRows, type Cell } from './output.js';

/** rabbitmqctl's user, vhost and permission verbs, over /api/users, /api/vhosts, /api/permissions. */

type Json = Record<string, unknown>;
type UserJson = { name: string; tags: string[]; password_hash: string; hashing_algorithm?: string };

function arity(ctx: VerbContext, n: number): string[] {
  if (ctx.args.length !== n) throw argumentCount(ctx.args.length < n);
  return ctx.args;
}

async function userOrFail(ctx: VerbContext, name: string): Promise<UserJson> {
  const user = await ctx.client.get<UserJson>(`/api/users/${seg(name)}`);
  if (!user) throw ctlError(EX_NOUSER, `User "${name}" does not exist`);
  return user;
}

/** PUT /api/users/{name} keeping the user's password: the stored hash goes back unchanged. */
const putTags = (ctx: VerbContext, user: UserJson, tags: string[]) => ctx.client.request('PUT', `/api/users/${seg(user.name)}`,
  { password_hash: user.password_hash, hashing_algorithm: user.hashing_algorithm, tags });

const listUsers: Verb = async (ctx) => {
  if (ctx.args.length > 0) throw argumentCount(false);
  banner(ctx.mode, 'Listing users ...');
  const users = (await ctx.client.get<UserJson[]>('/api/users')) ?? [];
  printRows(ctx.mode, ['user', 'tags'], users.map((u) => [u.name, { tags: u.tags }]));
};

const addUser: Verb = async (ctx) => {
  const [name, password] = arity(ctx, 2);
  banner(ctx.mode, `Adding user "${name}" ...`);
  if (await ctx.client.get(`/api/users/${seg(name!)}`)) throw ctlError(EX_SOFTWARE, `User "${name}" already exists`);
  await ctx.client.request('PUT', `/api/users/${seg(name!)}`, { password, tags: '' });
  banner(ctx.mode, "Done. Don't forget to grant the user permissions to some virtual hosts! See 'rabbitmqctl help set_permissions' to learn more.");
};

const changePassword: Verb = async (ctx) => {
  const [name, password] = arity(ctx, 2);
  banner(ctx.mode, `Changing password for user "${name}" ...`);
  const user = await userOrFail(ctx, name!);
  await ctx.client.request('PUT', `/api/users/${seg(name!)}`, { password, tags: user.tags });
};

const deleteUser: Verb = async (ctx) => {
  const [name] = arity(ctx, 1);
  banner(ctx.mode, `Deleting user "${name}" ...`);
  const { status, json } = await ctx.client.request('DELETE', `/api/users/${seg(name!)}`, undefined, [404, 400]);
  if (status === 404) throw ctlError(EX_NOUSER, `User "${name}" does not exist`);
  if (status === 400) throw ctlError(EX_SOFTWARE, String((json as Json | undefined)?.reason ?? 'refused'));
};

const setUserTags: Verb = async (ctx) => {
  if (ctx.args.length < 1) throw argumentCount(true);
  const [name, ...tags] = ctx.args;
  banner(ctx.mode, `Setting tags for user "${name}" to [${tags.join(', ')}] ...`);
  await putTags(ctx, await userOrFail(ctx, name!), tags);
};

async function vhostMustExist(ctx: VerbContext, vhost: string, failure: () => CtlFailure): Promise<void> {
  if (!(await ctx.client.get(`/api/vhosts/${seg(vhost)}`))) throw failure();
}

const setPermissions: Verb = async (ctx) => {
  const [name, configure, write, read] = arity(ctx, 4);
  banner(ctx.mode, `Setting permissions for user "${name}" in vhost "${ctx.vhost}" ...`);
  await vhostMustExist(ctx, ctx.vhost, () => ctlError(EX_UNAVAILABLE, `Virtual host ${ctx.vhost} does not exist`));
  if (!(await ctx.client.get(`/api/users/${seg(name!)}`))) throw ctlError(EX_NOUSER, `User ${name} does not exist`);
  await ctx.client.request('PUT', `/api/permissions/${seg(ctx.vhost)}/${seg(name!)}`, { configure, write, read });
};

const clearPermissions: Verb = async (ctx) => {
  const [name] = arity(ctx, 1);
  banner(ctx.mode, `Clearing permissions for user "${name}" in vhost "${ctx.vhost}" ...`);
  await ctx.client.request('DELETE', `/api/permissions/${seg(ctx.vhost)}/${seg(name!)}`);
};

type PermissionJson = { user: string; vhost: string; configure: string; write: string; read: string };

const listUserPermissions: Verb = async (ctx) => {
  const [name] = arity(ctx, 1);
  banner(ctx.mode, `Listing permissions for user "${name}" ...`);
  const perms = await ctx.client.get<PermissionJson[]>(`/api/users/${seg(name!)}/permissions`);
  if (!perms) throw ctlError(EX_UNAVAILABLE, `{:no_such_user, "${name}"}`);
  printRows(ctx.mode, ['vhost', 'configure', 'write', 'read'], perms.map((p) => [p.vhost, p.configure, p.write, p.read]));
};

const listPermissions: Verb = async (ctx) => {
  if (ctx.args.length > 0) throw argumentCount(false);
  banner(ctx.mode, `Listing permissions for vhost "${ctx.vhost}" ...`);
  const perms = await ctx.client.get<PermissionJson[]>(`/api/vhosts/${seg(ctx.vhost)}/permissions`);
  if (!perms) throw new CtlFailure(EX_DATAERR, `Virtual host '${ctx.vhost}' does not exist`);
  printRows(ctx.mode, ['user', 'configure', 'write', 'read'], perms.map((p) => [p.user, p.configure, p.write, p.read]));
};

const addVhost: Verb = async (ctx) => {
  const [name] = arity(ctx, 1);
  banner(ctx.mode, `Adding vhost "${name}" ...`);
  const { description, tags } = ctx.options;
  const body: Json = {};
  if (description !== undefined) body.description = description;
  if (tags !== undefined) body.tags = tags;
  if (ctx.options['default-queue-type'] !== undefined) body.default_queue_type = ctx.options['default-queue-type'];
  const { status } = await ctx.client.request('PUT', `/api/vhosts/${seg(name!)}`, body);
  // The API grants its caller .* on a vhost it creates (rabbit_mgmt_wm_vhost); rabbitmqctl
  // add_vhost grants nothing, so take that grant back.
  if (status === 201) {
    const me = (await ctx.client.get<{ name: string }>('/api/whoami'))?.name;
    if (me !== undefined) await ctx.client.request('DELETE', `/api/permissions/${seg(name!)}/${seg(me)}`);
  }
};

const deleteVhost: Verb = async (ctx) => {
  const [name] = arity(ctx, 1);
  banner(ctx.mode, `Deleting vhost "${name}" ...`);
  const { status, json } = await ctx.client.request('DELETE', `/api/vhosts/${seg(name!)}`, undefined, [404, 400]);
  if (status === 404) throw new CtlFailure(EX_DATAERR, `Virtual host '${name}' does not exist`);
  if (status === 400) throw ctlError(EX_SOFTWARE, String((json as Json | undefined)?.reason ?? 'refused'));
};

const listVhosts: Verb = async (ctx) => {
  const columns = selectColumns(VHOST_COLUMNS, ctx.args);
  banner(ctx.mode, 'Listing vhosts ...');
  const vhosts = (await ctx.client.get<Json[]>('/api/vhosts')) ?? [];
  printRows(ctx.mode, columns, rowsOf(VHOST_COLUMNS, columns, vhosts) as Cell[][]);
};

export const ACCESS_VERBS: Record<string, Verb> = {
  list_users: listUsers, add_user: addUser, change_password: changePassword, delete_user: deleteUser,
  set_user_tags: setUserTags, set_permissions: setPermissions, clear_permissions: clearPermissions,
  list_user_permissions: listUserPermissions, list_permissions: listPermissions,
  add_vhost: addVhost, delete_vhost: deleteVhost, list_vhosts: listVhosts,
};

