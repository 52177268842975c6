import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NacosContext } from '../../context.js';
import { findInstance } from '../../model/naming/instance-commands.js';
import { DEFAULT_CLUSTER } from '../../model/naming/keys.js';
import type { NamingRuntime } from '../../health/naming-runtime.js';
import { throwIfFailed } from './errors.js';
import {
  beatInterval, deregisterInstance, guard, handleBeat, instanceFromParams, parseBeat, patchInstance,
  type PatchFields, registerInstance, updateInstance,
} from './instance-ops.js';
import { NamingParams, parseMetadata } from './params.js';
import { TIMED_BY_HANDLER } from '../../../core/http/route-metrics.js';
import { sendPrepared } from '../prepared-reply.js';
import { javaDouble, type ServiceInfoQuery, type ServiceInfoView } from './service-info.js';

const TEXT = 'text/plain;charset=UTF-8';
const JSON_TYPE = 'application/json';

/** /nacos/v1/ns/instance… (naming InstanceController). */
export function registerInstanceV1Routes(app: FastifyInstance, ctx: NacosContext, naming: NamingRuntime): void {
  const base = '/nacos/v1/ns/instance';
  app.post(base, async (req, reply) => { await register(ctx, req); return ok(reply); });
  app.delete(base, async (req, reply) => { await deregister(ctx, req); return ok(reply); });
  app.put(base, async (req, reply) => { await update(ctx, req); return ok(reply); });
  app.patch(base, async (req, reply) => { await patch(ctx, req); return ok(reply); });
  app.get(base, async (req, reply) => reply.type(JSON_TYPE).send(await detail(ctx, req, V1_NAMES)));
  app.get(`${base}/list`, { config: TIMED_BY_HANDLER }, (req, reply) => {
    const answer = list(ctx, naming, req, V1_NAMES, (view, q, now) => view.renderAnswer(q, now));
    return answer instanceof Promise ? answer.then((a) => sendPrepared(reply, 200, a)) : sendPrepared(reply, 200, answer);
  });
  app.put(`${base}/beat`, async (req, reply) => reply.type(JSON_TYPE).send(await beat(ctx, req)));
}

export function ok(reply: FastifyReply) { return reply.type(TEXT).send('ok'); }

export async function register(ctx: NacosContext, req: FastifyRequest): Promise<void> {
  const p = new NamingParams(req);
  const namespaceId = p.namespaceId();
  const serviceName = p.groupedServiceName();
  const spec = instanceFromParams(p, serviceName);
  await guard(ctx, req, namespaceId, serviceName, 'w');
  await registerInstance(ctx, namespaceId, serviceName, spec);
}

export async function deregister(ctx: NacosContext, req: FastifyRequest): Promise<void> {
  const p = new NamingParams(req);
  const namespaceId = p.namespaceId();
  const serviceName = p.groupedServiceName();
  const spec = instanceFromParams(p, serviceName);
  await guard(ctx, req, namespaceId, serviceName, 'w');
  await deregisterInstance(ctx, { namespaceId, serviceName, ip: spec.ip, port: spec.port, clusterName: spec.clusterName }, spec.ephemeral);
}

export async function update(ctx: NacosContext, req: FastifyRequest): Promise<void> {
  const p = new NamingParams(req);
  const namespaceId = p.namespaceId();
  const serviceName = p.groupedServiceName();
  const spec = instanceFromParams(p, serviceName);
  await guard(ctx, req, namespaceId, serviceName, 'w');
  await updateInstance(ctx, { namespaceId, serviceName, ip: spec.ip, port: spec.port, clusterName: spec.clusterName }, spec);
}

/** PATCH: only the fields given change (InstanceController.patch). */
async function patch(ctx: NacosContext, req: FastifyRequest): Promise<void> {
  const p = new NamingParams(req);
  const serviceName = p.groupedServiceName();
  const ip = p.required('ip');
  const port = p.int('port');
  const clusterName = p.optional('clusterName') || p.optional('cluster', DEFAULT_CLUSTER);
  const fields: PatchFields = {};
  if (p.optional('metadata')) fields.metadata = parseMetadata(p.optional('metadata'));
  if (p.optional('weight')) fields.weight = p.double('weight');
  if (p.optional('healthy')) fields.healthy = p.bool('healthy', true);
  if (p.optional('enabled')) fields.enabled = p.bool('enabled', true);
  const namespaceId = p.namespaceId();
  await guard(ctx, req, namespaceId, serviceName, 'w');
  await patchInstance(ctx, { namespaceId, serviceName, ip, port, clusterName }, fields);
}

/** The parameter and field names v1 and v2 give the same instance queries. */
export interface QueryNames { serviceField: 'service' | 'serviceName'; clusters: string; udpPort: string; clientIp: string }
export const V1_NAMES: QueryNames = { serviceField: 'service', clusters: 'clusters', udpPort: 'udpPort', clientIp: 'clientIP' };

export async function detail(ctx: NacosContext, req: FastifyRequest, names: QueryNames): Promise<string> {
  const p = new NamingParams(req);
  const namespaceId = p.namespaceId();
  const serviceName = p.groupedServiceName();
  const clusterName = p.optional('clusterName', DEFAULT_CLUSTER);
  const ip = p.required('ip');
  const port = p.int('port');
  await guard(ctx, req, namespaceId, serviceName, 'r');
  const found = findInstance(ctx.store.state.naming, { namespaceId, serviceName, ip, port, clusterName });
  if ('ok' in found) { throwIfFailed(found); throw new Error('unreachable'); }
  return `{"${names.serviceField}":${JSON.stringify(serviceName)},"ip":${JSON.stringify(ip)},"port":${port},`
    + `"clusterName":${JSON.stringify(clusterName)},"weight":${javaDouble(found.weight)},"healthy":${found.healthy},`
    + `"instanceId":${JSON.stringify(found.instanceId)},"metadata":${JSON.stringify(found.metadata)}}`;
}

/** instance/list; a udpPort makes the caller a push subscriber (1.x clients). Answered at once
 *  when the guard would pass anyway (auth off), after the check otherwise. */
export function list<T>(ctx: NacosContext, rt: NamingRuntime, req: FastifyRequest, names: QueryNames,
  render: (view: ServiceInfoView, q: ServiceInfoQuery, now: number) => T): T | Promise<T> {
  const p = new NamingParams(req);
  const namespaceId = p.namespaceId();
  const serviceName = p.groupedServiceName();
  const clusters = p.optional(names.clusters);
  const udpPort = p.int(names.udpPort, 0);
  const healthyOnly = p.optional('healthyOnly').toLowerCase() === 'true';
  const answer = () => {
    if (udpPort > 0) rt.subscribe({ namespaceId, serviceName, clusters, ip: p.optional(names.clientIp, req.ip), udpPort });
    return render(rt.view, { namespaceId, serviceName, clusters, healthyOnly, enabledOnly: true }, ctx.clock.now());
  };
  if (!ctx.guard.enforcing) return answer();
  return guard(ctx, req, namespaceId, serviceName, 'r').then(answer);
}

export async function beat(ctx: NacosContext, req: FastifyRequest): Promise<string> {
  const p = new NamingParams(req);
  let clusterName = p.optional('clusterName', DEFAULT_CLUSTER);
  let ip = p.optional('ip');
  let port = p.int('port', 0);
  const info = parseBeat(p.optional('beat'), clusterName);
  if (info) ({ cluster: clusterName, ip, port } = info);
  const namespaceId = p.namespaceId();
  const serviceName = p.groupedServiceName();
  await guard(ctx, req, namespaceId, serviceName, 'w');
  const ref = { namespaceId, serviceName, ip, port, clusterName };
  const code = await handleBeat(ctx, ref, info);
  return `{"clientBeatInterval":${beatInterval(ctx, ref)},"code":${code},"lightBeatEnabled":true}`;
}
