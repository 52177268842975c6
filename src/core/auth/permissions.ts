import type { Permission } from './model.js';

/**
 * How a permission of the shared store matches a request, for every personality (Nacos's
 * NacosRoleServiceImpl.hasPermission): the resource is a pattern where `*` matches any run of
 * characters and everything else is literal, and the action ('r', 'w', 'rw') must contain the
 * requested one. What the resource strings mean is each personality's business.
 */

/** Compiled patterns, since a Kafka produce checks its topics on every request; bounded. */
const compiled = new Map<string, RegExp>();
const COMPILED_LIMIT = 4096;

/** A permission resource pattern: `*` matches any run of characters (Nacos turns it into `.*`);
 *  every other character is literal, and the whole string must match. */
export function resourcePattern(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (regex) return regex;
  const body = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  regex = new RegExp(`^${body}$`, 's');
  if (compiled.size >= COMPILED_LIMIT) compiled.clear();
  compiled.set(pattern, regex);
  return regex;
}

/** Nacos: `permissionAction.contains(action)` — 'rw' grants r and w — on any of the names a
 *  resource is known by. */
export function grants(permission: Permission, names: readonly string[], action: string): boolean {
  if (!permission.action.includes(action)) return false;
  const pattern = resourcePattern(permission.resource);
  return names.some((n) => pattern.test(n));
}
