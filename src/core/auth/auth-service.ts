import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { DurableStore } from '../state/durable-store.js';
import type { Storage } from '../storage/storage.js';
import { ensureInitialAdmin, type GeneratedAdmin } from './bootstrap.js';
import {
  authMachine, hasGlobalAdmin, isGlobalAdmin,
  type AuthCommand, type AuthResult, type AuthState, type AuthUser, type Permission, type RoleBinding,
} from './model.js';
import { hashPassword, verifyPassword } from './password.js';
import { deriveScramCredentials, type ScramCredential, type ScramCredentials, type ScramMechanism } from './scram.js';
import { AuthDenied, loadOrCreateSigningKey, TokenIssuer } from './tokens.js';
import { RabbitAccess } from './vhost-access.js';

export interface AuthServiceOptions {
  /** Opens the store in <dataDir>/auth (with the JWT key beside it), on the shared commit cycles. */
  storage: Storage;
  /** --auth: clients must authenticate; the first start then creates the initial admin. */
  authRequired: boolean;
  tokenTtlSeconds: number;
  adminInit: 'generate' | 'api';
  /** Name of the initial global admin. */
  adminUser: string;
  logger: Logger;
  clock: Clock;
  /** Where JUNCTION_ADMIN_PASSWORD is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The store's name: <dataDir>/auth. */
export const AUTH_STORE = 'auth';

/** Bounded memo of verified username+password pairs: clients such as the nacos npm client send
 *  credentials on every request, and scrypt is deliberately slow. */
const CREDENTIAL_CACHE_LIMIT = 1024;

/**
 * Users, roles and permissions for every personality, kept in <dataDir>/auth as a command log
 * (DurableStore), plus the JWT signing key. Passwords are hashed before the command is
 * submitted, so the log holds hashes only.
 */
export class AuthService {
  private readonly verified = new Set<string>();
  /** Set when this start generated the initial admin's password (the banner says where it went). */
  generatedAdmin: GeneratedAdmin | null = null;
  private readonly cacheKey = randomBytes(32);

  /** RabbitMQ's view of the same users: vhosts, tags, per-vhost permissions (vhost-access.ts). */
  readonly rabbit: RabbitAccess;

  private constructor(
    private readonly store: DurableStore<AuthState, AuthCommand>,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
    readonly tokenTtlSeconds: number,
    /** The initial global admin's name (Nacos's `nacos`). */
    readonly adminUser: string,
  ) {
    this.rabbit = new RabbitAccess(() => this.store.state, (command) => this.store.submit(command));
  }

  static async open(opts: AuthServiceOptions): Promise<AuthService> {
    const key = loadOrCreateSigningKey(opts.storage.dirOf(AUTH_STORE));
    const store = await opts.storage.commandStore(AUTH_STORE, authMachine, { snapshotEvery: 10_000 });
    const service = new AuthService(store, new TokenIssuer(key, opts.tokenTtlSeconds), opts.clock, opts.tokenTtlSeconds, opts.adminUser);
    try {
      service.generatedAdmin = await ensureInitialAdmin(service, opts);
    } catch (err) {
      await store.close();
      throw err;
    }
    return service;
  }

  async close(): Promise<void> { await this.store.close(); }

  // ---- reads -------------------------------------------------------------------------------
  users(): AuthUser[] { return [...this.store.state.users.values()]; }
  hasUser(username: string): boolean { return this.store.state.users.has(username); }
  roleBindings(): readonly RoleBinding[] { return this.store.state.roles; }
  permissions(): readonly Permission[] { return this.store.state.permissions; }
  hasGlobalAdmin(): boolean { return hasGlobalAdmin(this.store.state); }
  isGlobalAdmin(username: string): boolean { return isGlobalAdmin(this.store.state, username); }
  rolesOf(username: string): string[] {
    return this.store.state.roles.filter((b) => b.username === username).map((b) => b.role);
  }
  /** Every permission granted to any role the user holds. */
  permissionsOf(username: string): Permission[] {
    const roles = new Set(this.rolesOf(username));
    return this.store.state.permissions.filter((p) => roles.has(p.role));
  }

  // ---- writes (each resolves after the command is durable) ----------------------------------
  async createUser(username: string, password: string): Promise<AuthResult> {
    return this.submit({ type: 'auth.user.create', username, ...await secretsOf(password) });
  }
  async setPassword(username: string, password: string): Promise<AuthResult> {
    return this.submit({ type: 'auth.user.password', username, ...await secretsOf(password) });
  }
  deleteUser(username: string): Promise<AuthResult> { return this.submit({ type: 'auth.user.delete', username }); }
  addRole(role: string, username: string): Promise<AuthResult> { return this.submit({ type: 'auth.role.add', role, username }); }
  deleteRole(role: string, username?: string): Promise<AuthResult> {
    return this.submit({ type: 'auth.role.delete', role, username });
  }
  addPermission(role: string, resource: string, action: string): Promise<AuthResult> {
    return this.submit({ type: 'auth.permission.add', role, resource, action });
  }
  deletePermission(role: string, resource: string, action: string): Promise<AuthResult> {
    return this.submit({ type: 'auth.permission.delete', role, resource, action });
  }
  /** Make `username` the global admin with `password`, only while no global admin exists. */
  async initAdmin(username: string, password: string): Promise<AuthResult> {
    if (this.hasGlobalAdmin()) return { ok: false, error: 'admin-exists' };
    return this.submit({ type: 'auth.admin.init', username, ...await secretsOf(password) });
  }
  /** Grant ROLE_ADMIN to an existing user while no global admin exists (bootstrap only). */
  promoteToAdmin(username: string): Promise<AuthResult> { return this.submit({ type: 'auth.admin.init', username }); }

  // ---- authentication -----------------------------------------------------------------------
  /** Check a username and password; throws AuthDenied("user not found!") like Nacos for any mismatch. */
  async authenticate(username: string | undefined, password: string | undefined): Promise<string> {
    if (!username || !password) throw new AuthDenied('user not found!');
    const user = this.store.state.users.get(username);
    if (!user) throw new AuthDenied('user not found!');
    const memo = createHmac('sha256', this.cacheKey).update(`${username}\0${password}\0${user.passwordHash}`).digest('base64');
    if (this.verified.has(memo)) return username;
    if (!(await verifyPassword(password, user.passwordHash))) throw new AuthDenied('user not found!');
    if (this.verified.size >= CREDENTIAL_CACHE_LIMIT) this.verified.clear();
    this.verified.add(memo);
    return username;
  }

  /** A signed token for `username`; ttlSeconds as Nacos's login answers it (tokenTtl). */
  async issueToken(username: string): Promise<{ token: string; ttlSeconds: number }> {
    const now = this.clock.now();
    const { token, expiresAt } = await this.tokens.issue(username, now);
    return { token, ttlSeconds: expiresAt - Math.floor(now / 1000) };
  }

  /** The user's SCRAM credential for `mechanism`; null for an unknown user or one whose password
   *  was last set before SCRAM credentials were kept (setting it again derives them). */
  scramCredential(username: string, mechanism: ScramMechanism): ScramCredential | null {
    return this.store.state.users.get(username)?.scram?.[mechanism] ?? null;
  }

  /** The username a valid token names. Unlike Nacos, a deleted user's tokens stop working at once. */
  async verifyToken(token: string): Promise<string> {
    const { username } = await this.tokens.verify(token, this.clock.now());
    if (!this.hasUser(username)) throw new AuthDenied('user not found!');
    return username;
  }

  private submit(command: AuthCommand): Promise<AuthResult> { return this.store.submit<AuthResult>(command); }
}

/** What a command stores for a password: its scrypt hash and its SCRAM credentials, derived
 *  before submit so that apply stays pure and the log never holds the password. */
async function secretsOf(password: string): Promise<{ passwordHash: string; scram: ScramCredentials }> {
  const [passwordHash, scram] = await Promise.all([hashPassword(password), deriveScramCredentials(password)]);
  return { passwordHash, scram };
}

export { AuthDenied } from './tokens.js';
export { GLOBAL_ADMIN_ROLE, type AuthResult, type AuthFailure, type Permission, type RoleBinding, type AuthUser } from './model.js';
