import type { Permission } from '../../core/auth/auth-service.js';
import type { NacosAction, NacosResource } from '../context.js';

/** Nacos Constants.Resource.SPLITTER */
const SPLITTER = ':';
const PUBLIC_NAMESPACE = 'public';

/**
 * The strings a permission resource is matched against, as Nacos's NacosRoleServiceImpl
 * joins them: `namespaceId:group:kind/name`, a blank group as `*`, a blank name as `kind/*`.
 * The public namespace is written `` by Nacos 2.x (issue #10347) and `public` by Nacos 3.x;
 * both spellings are accepted so permissions written for either version keep working.
 */
export function resourceNames(resource: NacosResource): string[] {
  const group = resource.group === '' ? '*' : resource.group;
  const name = resource.name === '' ? `${resource.kind}/*` : `${resource.kind}/${resource.name}`;
  const tail = `${SPLITTER}${group}${SPLITTER}${name}`;
  const ns = resource.namespaceId;
  if (ns === '' || ns === PUBLIC_NAMESPACE) return [`${tail}`, `${PUBLIC_NAMESPACE}${tail}`];
  return [`${ns}${tail}`];
}

/** A permission resource pattern: `*` matches any run of characters (Nacos turns it into `.*`);
 *  every other character is literal, and the whole string must match. */
export function resourcePattern(pattern: string): RegExp {
  const body = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 's');
}

/** Nacos: `permissionAction.contains(action)` — 'rw' grants r and w. */
export function grants(permission: Permission, names: readonly string[], action: NacosAction): boolean {
  if (!permission.action.includes(action)) return false;
  const pattern = resourcePattern(permission.resource);
  return names.some((n) => pattern.test(n));
}
