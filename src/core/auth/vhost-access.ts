import type { AuthCommand, AuthState } from './model.js';
import {
  DEFAULT_VHOST, permissionRegex, tagsFromRoles,
  type PermissionKind, type Vhost, type VhostPermission, type VhostResult,
} from './vhosts.js';

/** A resource as rabbit_access_control checks it: its kind matters only for the default exchange. */
export interface RabbitResource { kind: 'exchange' | 'queue'; name: string }

/** Compiled permission regexes; bounded, since every publish checks one. */
const compiled = new Map<string, RegExp>();
const COMPILED_LIMIT = 4096;

function regexOf(source: string): RegExp {
  let regex = compiled.get(source);
  if (regex) return regex;
  regex = permissionRegex(source);
  if (compiled.size >= COMPILED_LIMIT) compiled.clear();
  compiled.set(source, regex);
  return regex;
}

/**
 * What the AMQP broker and the management API ask of the shared user store, and the writes
 * rabbitmqctl's verbs make. Reads see the store's current state; writes resolve once durable.
 */
export class RabbitAccess {
  constructor(
    private readonly state: () => AuthState,
    private readonly submit: (command: AuthCommand) => Promise<VhostResult>,
  ) {}

  // ---- reads --------------------------------------------------------------------------------
  vhosts(): Vhost[] { return [...this.state().vhosts.values()]; }
  vhost(name: string): Vhost | undefined { return this.state().vhosts.get(name); }
  vhostExists(name: string): boolean { return this.state().vhosts.has(name); }
  /** The user's RabbitMQ tags in the order they were set ([] for a user without any). */
  tagsOf(username: string): string[] { return tagsFromRoles(this.state(), username); }
  /** Every permission record, optionally of one user and/or one vhost, in the order set. */
  permissions(filter: { username?: string; vhost?: string } = {}): VhostPermission[] {
    return this.state().vhostPermissions.filter((p) =>
      (filter.username === undefined || p.username === filter.username) && (filter.vhost === undefined || p.vhost === filter.vhost));
  }
  permission(username: string, vhost: string): VhostPermission | undefined {
    return this.state().vhostPermissions.find((p) => p.username === username && p.vhost === vhost);
  }
  /** rabbit_auth_backend_internal:check_vhost_access: the vhost exists and the user has a
   *  permission record on it (whatever its regexes; connection.open needs nothing more). */
  canAccessVhost(username: string, vhost: string): boolean {
    return this.vhostExists(vhost) && this.permission(username, vhost) !== undefined;
  }
  /** rabbit_access_control:check_resource_access: the permission's regex for `kind` matches the
   *  resource's name, unanchored; '' matches only ''. The default exchange is checked under the
   *  name "amq.default", as RabbitMQ does. */
  permitted(username: string, vhost: string, kind: PermissionKind, resource: RabbitResource): boolean {
    const permission = this.permission(username, vhost);
    if (!permission) return false;
    const name = resource.kind === 'exchange' && resource.name === '' ? 'amq.default' : resource.name;
    return regexOf(permission[kind]).test(name);
  }

  // ---- writes -------------------------------------------------------------------------------
  putVhost(name: string, meta: { description?: string; tags?: string[]; defaultQueueType?: string } = {}): Promise<VhostResult> {
    const { defaultQueueType } = meta;
    return this.submit({ type: 'auth.vhost.put', name, description: meta.description ?? '', tags: meta.tags ?? [],
      ...(defaultQueueType === undefined ? {} : { defaultQueueType }) });
  }
  deleteVhost(name: string): Promise<VhostResult> { return this.submit({ type: 'auth.vhost.delete', name }); }
  setTags(username: string, tags: string[]): Promise<VhostResult> { return this.submit({ type: 'auth.tags.set', username, tags }); }
  setPermission(username: string, vhost: string, p: { configure: string; write: string; read: string }): Promise<VhostResult> {
    return this.submit({ type: 'auth.vhost.permission.set', username, vhost, configure: p.configure, write: p.write, read: p.read });
  }
  clearPermission(username: string, vhost: string): Promise<VhostResult> {
    return this.submit({ type: 'auth.vhost.permission.clear', username, vhost });
  }
}

export { DEFAULT_VHOST };
