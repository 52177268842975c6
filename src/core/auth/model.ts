import type { StateMachine } from '../state/state-machine.js';
import type { ScramCredentials } from './scram.js';
import {
  applyVhostCommand, defaultVhosts, grantInitialAdmin,
  type VhostCommand, type VhostResult, type Vhost, type VhostPermission,
} from './vhosts.js';

/**
 * The one user store every personality shares: users (scrypt hashes, never plain passwords),
 * role bindings and permissions. Resources are opaque strings here; each personality gives them
 * meaning (Nacos: `namespaceId:group:naming/serviceName`, see src/nacos/auth/resource.ts).
 *
 * apply is pure: hashing happens before submit, so the command already carries the hash (and the
 * SCRAM credentials derived from the same password, see scram.ts; commands written before they
 * existed carry none, and SCRAM then fails for that user until the password is set again).
 * Invariants are checked here (not only in the caller) so concurrent requests cannot break them.
 */

/** Nacos AuthConstants.GLOBAL_ADMIN_ROLE: a holder may do anything, in every personality. */
export const GLOBAL_ADMIN_ROLE = 'ROLE_ADMIN';

export interface AuthUser { username: string; passwordHash: string; scram?: ScramCredentials }
export interface RoleBinding { role: string; username: string }
/** action: 'r', 'w' or 'rw' (Nacos ActionTypes); a permission grants an action it contains. */
export interface Permission { role: string; resource: string; action: string }

export interface AuthState {
  users: Map<string, AuthUser>;
  /** In insertion order, as Nacos lists them. */
  roles: RoleBinding[];
  permissions: Permission[];
  /** RabbitMQ's virtual hosts and per-vhost permissions (vhosts.ts); "/" always exists. */
  vhosts: Map<string, Vhost>;
  vhostPermissions: VhostPermission[];
}

export type AuthCommand =
  | { type: 'auth.user.create'; username: string; passwordHash: string; scram?: ScramCredentials }
  | { type: 'auth.user.password'; username: string; passwordHash: string; scram?: ScramCredentials }
  | { type: 'auth.user.delete'; username: string }
  | { type: 'auth.role.add'; role: string; username: string }
  | { type: 'auth.role.delete'; role: string; username?: string }
  | { type: 'auth.permission.add'; role: string; resource: string; action: string }
  | { type: 'auth.permission.delete'; role: string; resource: string; action: string }
  /** Make `username` the global admin while none exists; creates the user when a hash is given. */
  | { type: 'auth.admin.init'; username: string; passwordHash?: string; scram?: ScramCredentials }
  | VhostCommand;

export type AuthFailure =
  | 'user-exists' | 'user-not-found' | 'admin-exists' | 'admin-protected'
  | 'role-not-permitted' | 'role-bound' | 'role-not-found';

export type AuthResult = { ok: true } | { ok: false; error: AuthFailure };

const OK: AuthResult = { ok: true };
const fail = (error: AuthFailure): AuthResult => ({ ok: false, error });

export function isGlobalAdmin(state: AuthState, username: string): boolean {
  return state.roles.some((b) => b.username === username && b.role === GLOBAL_ADMIN_ROLE);
}

export function hasGlobalAdmin(state: AuthState): boolean {
  return state.roles.some((b) => b.role === GLOBAL_ADMIN_ROLE);
}

function newUser(username: string, passwordHash: string, scram: ScramCredentials | undefined): AuthUser {
  return scram ? { username, passwordHash, scram } : { username, passwordHash };
}

function applyUser(state: AuthState, c: Extract<AuthCommand, { type: `auth.user.${string}` }>): AuthResult {
  switch (c.type) {
    case 'auth.user.create':
      if (state.users.has(c.username)) return fail('user-exists');
      state.users.set(c.username, newUser(c.username, c.passwordHash, c.scram));
      return OK;
    case 'auth.user.password': {
      const user = state.users.get(c.username);
      if (!user) return fail('user-not-found');
      user.passwordHash = c.passwordHash;
      // A command without credentials (written before SCRAM existed) leaves none: the old ones
      // would still accept the old password.
      if (c.scram) user.scram = c.scram;
      else delete user.scram;
      return OK;
    }
    case 'auth.user.delete':
      // Nacos UserController.deleteUser: "cannot delete admin"; a missing user is no error.
      if (isGlobalAdmin(state, c.username)) return fail('admin-protected');
      state.users.delete(c.username);
      // Unlike Nacos, drop the user's role bindings too, so a later user of the same name does
      // not silently inherit them.
      state.roles = state.roles.filter((b) => b.username !== c.username);
      state.vhostPermissions = state.vhostPermissions.filter((p) => p.username !== c.username);
      return OK;
  }
}

function applyRole(state: AuthState, c: Extract<AuthCommand, { type: `auth.role.${string}` }>): AuthResult {
  if (c.type === 'auth.role.add') {
    // Nacos NacosRoleService.addRole: the user must exist, ROLE_ADMIN cannot be granted this way,
    // and a binding exists once.
    if (!state.users.has(c.username)) return fail('user-not-found');
    if (c.role === GLOBAL_ADMIN_ROLE) return fail('role-not-permitted');
    if (state.roles.some((b) => b.role === c.role && b.username === c.username)) return fail('role-bound');
    state.roles.push({ role: c.role, username: c.username });
    return OK;
  }
  if (c.role === GLOBAL_ADMIN_ROLE) return fail('admin-protected');
  const all = c.username === undefined || c.username === '';
  state.roles = state.roles.filter((b) => !(b.role === c.role && (all || b.username === c.username)));
  return OK;
}

function applyPermission(state: AuthState, c: Extract<AuthCommand, { type: `auth.permission.${string}` }>): AuthResult {
  const same = (p: Permission) => p.role === c.role && p.resource === c.resource && p.action === c.action;
  if (c.type === 'auth.permission.add') {
    // Nacos: "role x not found!" unless some user holds the role.
    if (!state.roles.some((b) => b.role === c.role)) return fail('role-not-found');
    if (!state.permissions.some(same)) state.permissions.push({ role: c.role, resource: c.resource, action: c.action });
    return OK;
  }
  state.permissions = state.permissions.filter((p) => !same(p));
  return OK;
}

function applyAdminInit(state: AuthState, c: Extract<AuthCommand, { type: 'auth.admin.init' }>): AuthResult {
  if (hasGlobalAdmin(state)) return fail('admin-exists');
  if (!state.users.has(c.username)) {
    if (c.passwordHash === undefined) return fail('user-not-found');
    state.users.set(c.username, newUser(c.username, c.passwordHash, c.scram));
  }
  state.roles.push({ role: GLOBAL_ADMIN_ROLE, username: c.username });
  grantInitialAdmin(state, c.username);
  return OK;
}

interface AuthImage {
  users: AuthUser[]; roles: RoleBinding[]; permissions: Permission[];
  /** Absent in images written before RabbitMQ's records existed. */
  vhosts?: Vhost[]; vhostPermissions?: VhostPermission[];
}

export const authMachine: StateMachine<AuthState, AuthCommand> = {
  initial: () => ({ users: new Map(), roles: [], permissions: [], vhosts: defaultVhosts(), vhostPermissions: [] }),
  apply(state, command): AuthResult | VhostResult {
    switch (command.type) {
      case 'auth.user.create': case 'auth.user.password': case 'auth.user.delete':
        return applyUser(state, command);
      case 'auth.role.add': case 'auth.role.delete':
        return applyRole(state, command);
      case 'auth.permission.add': case 'auth.permission.delete':
        return applyPermission(state, command);
      case 'auth.admin.init':
        return applyAdminInit(state, command);
      case 'auth.vhost.put': case 'auth.vhost.delete': case 'auth.tags.set':
      case 'auth.vhost.permission.set': case 'auth.vhost.permission.clear':
        return applyVhostCommand(state, command);
      default:
        return { ok: false, error: 'user-not-found' };
    }
  },
  snapshot: (state): AuthImage => ({
    users: [...state.users.values()].map((u) => ({ ...u })),
    roles: state.roles.map((b) => ({ ...b })),
    permissions: state.permissions.map((p) => ({ ...p })),
    vhosts: [...state.vhosts.values()].map((v) => ({ ...v, tags: [...v.tags] })),
    vhostPermissions: state.vhostPermissions.map((p) => ({ ...p })),
  }),
  restore(image) {
    const { users, roles, permissions, vhosts, vhostPermissions } = image as AuthImage;
    return {
      users: new Map(users.map((u) => [u.username, { ...u }])), roles: [...roles], permissions: [...permissions],
      vhosts: vhosts ? new Map(vhosts.map((v) => [v.name, { ...v, tags: [...v.tags] }])) : defaultVhosts(),
      vhostPermissions: [...(vhostPermissions ?? [])],
    };
  },
};
