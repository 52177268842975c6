import type { NacosResource } from '../context.js';

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

// Matching lives in core, shared with the Kafka personality's authorizer.
export { grants, resourcePattern } from '../../core/auth/permissions.js';
