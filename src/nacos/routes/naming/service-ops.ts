import type { FastifyRequest } from 'fastify';
import type { NacosContext } from '../../context.js';
import { ErrorCode as E } from '../../errors.js';
import { findService } from '../../model/naming/instance-commands.js';
import { groupedName } from '../../model/naming/keys.js';
import type { NamingService } from '../../model/naming/types.js';
import { NamingError } from './errors.js';
import { guard, run } from './instance-ops.js';
import { type NamingParams, parseMetadata } from './params.js';
import { javaDouble } from './service-info.js';

export interface ServiceFields { protectThreshold: number; metadata: Record<string, string>; selector: { type: string } }

/** parseSelector: a JSON selector with a type; blank or unknown means the `none` selector. */
export function parseSelector(raw: string): { type: string } {
  if (!raw) return { type: 'none' };
  try {
    const json = JSON.parse(raw) as { type?: unknown };
    if (typeof json.type === 'string' && json.type !== '') return { type: json.type };
  } catch { /* Nacos rejects malformed selectors */ }
  throw new NamingError(400, `Selector ${raw} is invalid`, E.PARAMETER_VALIDATE_ERROR);
}

export function serviceFields(p: NamingParams, protectThreshold: number): ServiceFields {
  return { protectThreshold, metadata: parseMetadata(p.optional('metadata')), selector: parseSelector(p.optional('selector')) };
}

/** Explicit services are durable; one that exists only through ephemeral instances is volatile. */
function isDurable(service: NamingService | undefined): boolean {
  return !service || service.explicit || !service.ephemeral || [...service.instances.values()].some((i) => !i.ephemeral);
}

export async function createService(ctx: NacosContext, req: FastifyRequest, namespaceId: string, serviceName: string,
  ephemeral: boolean, fields: ServiceFields): Promise<void> {
  await guard(ctx, req, namespaceId, serviceName, 'w');
  const cmd = { type: 'naming.service.create' as const, namespaceId, serviceName, ephemeral, ...fields };
  // Refuse before logging (the service may exist only in volatile state).
  if (findService(ctx.store.state.naming, cmd)) { await run(ctx, cmd, false); return; }
  await run(ctx, cmd, true);
}

export async function updateService(ctx: NacosContext, req: FastifyRequest, namespaceId: string, serviceName: string,
  fields: ServiceFields): Promise<void> {
  await guard(ctx, req, namespaceId, serviceName, 'w');
  const service = findService(ctx.store.state.naming, { namespaceId, serviceName });
  await run(ctx, { type: 'naming.service.update', namespaceId, serviceName, ...fields }, !!service && isDurable(service));
}

export async function deleteService(ctx: NacosContext, req: FastifyRequest, namespaceId: string, serviceName: string): Promise<void> {
  await guard(ctx, req, namespaceId, serviceName, 'w');
  const service = findService(ctx.store.state.naming, { namespaceId, serviceName });
  // Failing deletes (missing, not empty) are answered without logging.
  const durable = !!service && service.instances.size === 0 && service.explicit;
  await run(ctx, { type: 'naming.service.delete', namespaceId, serviceName }, durable);
}

export function requireService(ctx: NacosContext, namespaceId: string, serviceName: string): NamingService {
  const service = findService(ctx.store.state.naming, { namespaceId, serviceName });
  if (!service) {
    throw new NamingError(400, `service not found, namespace: ${namespaceId}, serviceName: ${serviceName}`, E.SERVICE_NOT_EXIST);
  }
  return service;
}

export function clusterNames(service: NamingService): string[] {
  const names = new Set<string>();
  for (const i of service.instances.values()) names.add(i.clusterName);
  return [...names].sort();
}

const SELECTOR_JSON = (s: { type: string }) => JSON.stringify({ ...s, contextType: s.type === 'none' ? 'NONE' : 'CMDB' });

/** v1 service detail (ServiceOperatorV2Impl.queryService, ObjectNode form). */
export function serviceDetailV1(service: NamingService): string {
  const clusters = clusterNames(service).map((c) => `{"name":${JSON.stringify(c)},"healthChecker":{"type":"TCP"},"metadata":{}}`);
  return `{"namespaceId":${JSON.stringify(service.namespaceId)},"groupName":${JSON.stringify(service.groupName)},`
    + `"name":${JSON.stringify(service.name)},"protectThreshold":${javaDouble(service.protectThreshold)},`
    + `"metadata":${JSON.stringify(service.metadata)},"selector":${SELECTOR_JSON(service.selector)},"clusters":[${clusters.join(',')}]}`;
}

/** v2 service detail (ServiceDetailInfo). */
export function serviceDetailV2(service: NamingService): string {
  const clusterMap = clusterNames(service).map((c) => `${JSON.stringify(c)}:{"clusterName":${JSON.stringify(c)},`
    + `"healthChecker":{"type":"TCP"},"metadata":{},"healthyCheckPort":80,"useInstancePortForCheck":true}`);
  return `{"namespace":${JSON.stringify(service.namespaceId)},"groupName":${JSON.stringify(service.groupName)},`
    + `"serviceName":${JSON.stringify(service.name)},"clusterMap":{${clusterMap.join(',')}},`
    + `"metadata":${JSON.stringify(service.metadata)},"protectThreshold":${javaDouble(service.protectThreshold)},`
    + `"selector":${SELECTOR_JSON(service.selector)},"ephemeral":${service.ephemeral}}`;
}

/** Service names of one namespace and group, paged like ServiceUtil.pageServiceName (sorted here). */
export function pageServiceNames(ctx: NacosContext, namespaceId: string, groupName: string, pageNo: number, pageSize: number) {
  const names: string[] = [];
  for (const s of ctx.store.state.naming.services.values()) {
    if (s.namespaceId === namespaceId && s.groupName === groupName) names.push(s.name);
  }
  names.sort();
  const start = Math.max((pageNo - 1) * pageSize, 0);
  return { count: names.length, page: start >= names.length ? [] : names.slice(start, start + pageSize) };
}

export { groupedName };
