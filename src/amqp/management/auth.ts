import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthDenied } from '../../core/auth/auth-service.js';
import type { ManagementOptions, MgmtUser } from './context.js';
import { loginFailed, notAuthorised, sendError } from './errors.js';

/**
 * HTTP Basic against the shared user store, then rabbit_mgmt_util's tag rules: any of the
 * management tags lets a user in; monitoring and administrator see every vhost and connection;
 * administrator alone manages users, vhosts and permissions. With --auth off any credentials
 * (or none) are accepted and the user may do everything, as the AMQP port accepts any PLAIN login.
 */

const MANAGEMENT_TAGS = new Set(['management', 'policymaker', 'monitoring', 'administrator']);

function basicCredentials(req: FastifyRequest): { username: string; password: string } | null {
  const [scheme, value] = (req.headers.authorization ?? '').split(' ', 2);
  if (scheme?.toLowerCase() !== 'basic' || !value) return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function authHook(opts: ManagementOptions) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const credentials = basicCredentials(req);
    if (!opts.authRequired) {
      req.mgmtUser = { name: credentials?.username || 'guest', tags: ['administrator'], unrestricted: true };
      return;
    }
    if (!credentials) { await sendError(reply, loginFailed()); return; }
    try {
      await opts.users.authenticate(credentials.username, credentials.password);
    } catch (err) {
      if (!(err instanceof AuthDenied)) throw err;
      await sendError(reply, loginFailed());
      return;
    }
    const tags = opts.users.rabbit.tagsOf(credentials.username);
    if (!tags.some((t) => MANAGEMENT_TAGS.has(t))) { await sendError(reply, notAuthorised('Not management user')); return; }
    req.mgmtUser = { name: credentials.username, tags, unrestricted: false };
  };
}

export const isAdministrator = (u: MgmtUser) => u.unrestricted || u.tags.includes('administrator');
export const isMonitor = (u: MgmtUser) => isAdministrator(u) || u.tags.includes('monitoring');
export const isPolicymaker = (u: MgmtUser) => isAdministrator(u) || u.tags.includes('policymaker');

export function requireAdministrator(u: MgmtUser): void {
  if (!isAdministrator(u)) throw notAuthorised('Not administrator user');
}
export function requireMonitor(u: MgmtUser): void {
  if (!isMonitor(u)) throw notAuthorised('Not monitor user');
}
export function requirePolicymaker(u: MgmtUser): void {
  if (!isPolicymaker(u)) throw notAuthorised('Not policymaker user');
}

/** rabbit_mgmt_util:is_authorized_vhost: the user has a permission on the vhost (monitoring
 *  users may also see, not change, every vhost's objects). */
export function requireVhost(opts: ManagementOptions, u: MgmtUser, vhost: string, write: boolean): void {
  if (u.unrestricted || opts.users.rabbit.canAccessVhost(u.name, vhost)) return;
  if (!write && isMonitor(u)) return;
  throw notAuthorised('User not authorised to access virtual host');
}

/** The vhosts whose objects a user sees in lists. */
export function visibleVhosts(opts: ManagementOptions, u: MgmtUser): (vhost: string) => boolean {
  if (isMonitor(u)) return () => true;
  return (vhost) => opts.users.rabbit.canAccessVhost(u.name, vhost);
}
