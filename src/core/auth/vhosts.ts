import type { AuthState } from './model.js';

/**
 * RabbitMQ's part of the shared user store: virtual hosts, user tags and per-vhost
 * configure/write/read permissions (rabbit_auth_backend_internal's #internal_user.tags and
 * #user_permission, rabbit_vhost's #vhost). Tags are role bindings named `rabbitmq:<tag>`, so
 * they are the same users' roles every personality lists; permissions and vhosts are records of
 * their own because a regex triple per vhost is not a Nacos (role, resource, action) grant.
 */

/** rabbit's default_vhost: always present (Junction refuses to delete it). */
export const DEFAULT_VHOST = '/';
/** The role a RabbitMQ tag is stored as: `rabbitmq:administrator`. */
export const TAG_ROLE_PREFIX = 'rabbitmq:';
/** The tags the management plugin knows (rabbit_mgmt_util); others are kept and listed as given. */
export const KNOWN_TAGS = ['administrator', 'monitoring', 'policymaker', 'management'] as const;

export interface Vhost { name: string; description: string; tags: string[]; defaultQueueType?: string }
export type PermissionKind = 'configure' | 'write' | 'read';
export interface VhostPermission { username: string; vhost: string; configure: string; write: string; read: string }

export type VhostCommand =
  /** Create the vhost, or update its metadata (PUT /api/vhosts/{name} on an existing one). */
  | { type: 'auth.vhost.put'; name: string; description: string; tags: string[]; defaultQueueType?: string }
  | { type: 'auth.vhost.delete'; name: string }
  /** Replace the user's tags (rabbitmqctl set_user_tags replaces, it does not add). */
  | { type: 'auth.tags.set'; username: string; tags: string[] }
  | { type: 'auth.vhost.permission.set'; username: string; vhost: string; configure: string; write: string; read: string }
  | { type: 'auth.vhost.permission.clear'; username: string; vhost: string };

export type VhostFailure = 'user-not-found' | 'vhost-not-found' | 'vhost-protected' | 'invalid-regexp';
export type VhostResult = { ok: true } | { ok: false; error: VhostFailure };

const OK: VhostResult = { ok: true };

export function defaultVhosts(): Map<string, Vhost> {
  return new Map([[DEFAULT_VHOST, { name: DEFAULT_VHOST, description: 'Default virtual host', tags: [] }]]);
}

/** A permission regex as RabbitMQ reads it: '' means '^$' (rabbit_auth_backend_internal), and the
 *  match is unanchored (re:run), so '.*' matches everything and 'q' any name containing q. */
export function permissionRegex(source: string): RegExp {
  return new RegExp(source === '' ? '^$' : source, 'su');
}

function validRegex(source: string): boolean {
  try { permissionRegex(source); return true; } catch { return false; }
}

export function tagsFromRoles(state: AuthState, username: string): string[] {
  return state.roles.filter((b) => b.username === username && b.role.startsWith(TAG_ROLE_PREFIX))
    .map((b) => b.role.slice(TAG_ROLE_PREFIX.length));
}

function setTags(state: AuthState, username: string, tags: readonly string[]): void {
  state.roles = state.roles.filter((b) => !(b.username === username && b.role.startsWith(TAG_ROLE_PREFIX)));
  for (const tag of new Set(tags)) state.roles.push({ role: TAG_ROLE_PREFIX + tag, username });
}

function setPermission(state: AuthState, p: VhostPermission): void {
  const i = state.vhostPermissions.findIndex((q) => q.username === p.username && q.vhost === p.vhost);
  if (i >= 0) state.vhostPermissions[i] = p;
  else state.vhostPermissions.push(p);
}

export function applyVhostCommand(state: AuthState, c: VhostCommand): VhostResult {
  switch (c.type) {
    case 'auth.vhost.put': {
      const vhost: Vhost = { name: c.name, description: c.description, tags: [...c.tags] };
      if (c.defaultQueueType !== undefined) vhost.defaultQueueType = c.defaultQueueType;
      state.vhosts.set(c.name, vhost);
      return OK;
    }
    case 'auth.vhost.delete':
      if (c.name === DEFAULT_VHOST) return { ok: false, error: 'vhost-protected' };
      if (!state.vhosts.delete(c.name)) return { ok: false, error: 'vhost-not-found' };
      // rabbit_vhost:delete removes the vhost's permissions with it.
      state.vhostPermissions = state.vhostPermissions.filter((p) => p.vhost !== c.name);
      return OK;
    case 'auth.tags.set':
      if (!state.users.has(c.username)) return { ok: false, error: 'user-not-found' };
      setTags(state, c.username, c.tags);
      return OK;
    case 'auth.vhost.permission.set': {
      if (!state.users.has(c.username)) return { ok: false, error: 'user-not-found' };
      if (!state.vhosts.has(c.vhost)) return { ok: false, error: 'vhost-not-found' };
      // rabbit_auth_backend_internal:validate_regexp refuses a regex that does not compile.
      if (![c.configure, c.write, c.read].every(validRegex)) return { ok: false, error: 'invalid-regexp' };
      const { username, vhost, configure, write, read } = c;
      setPermission(state, { username, vhost, configure, write, read });
      return OK;
    }
    case 'auth.vhost.permission.clear':
      if (!state.users.has(c.username)) return { ok: false, error: 'user-not-found' };
      if (!state.vhosts.has(c.vhost)) return { ok: false, error: 'vhost-not-found' };
      state.vhostPermissions = state.vhostPermissions.filter((p) => !(p.username === c.username && p.vhost === c.vhost));
      return OK;
  }
}

/** What the initial admin gets besides ROLE_ADMIN (RabbitMQ's default_user: tag administrator,
 *  `.* .* .*` on the default vhost), so amqp://ADMIN:PASSWORD@host/%2F works after the first start. */
export function grantInitialAdmin(state: AuthState, username: string): void {
  if (!tagsFromRoles(state, username).includes('administrator')) {
    setTags(state, username, [...tagsFromRoles(state, username), 'administrator']);
  }
  if (!state.vhostPermissions.some((p) => p.username === username && p.vhost === DEFAULT_VHOST)) {
    state.vhostPermissions.push({ username, vhost: DEFAULT_VHOST, configure: '.*', write: '.*', read: '.*' });
  }
}
