import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NacosContext } from '../../context.js';
import type { NamingRuntime } from '../../health/naming-runtime.js';
import { ErrorCode } from '../../errors.js';
import { DEFAULT_CLUSTER, DEFAULT_GROUP } from '../../model/naming/keys.js';
import { beat, deregister, detail, list, type QueryNames, register, update } from './instance-v1.js';
import { checkWeight, guard, patchInstance, type PatchFields } from './instance-ops.js';
import { NamingParams, parseMetadata } from './params.js';
import {
  createService, deleteService, pageServiceNames, requireService, serviceDetailV2, serviceFields, updateService,
} from './service-ops.js';

/** Result.success(data) with data already rendered as JSON. */
const SUCCESS_PREFIX = `{"code":${ErrorCode.SUCCESS.code},"message":${JSON.stringify(ErrorCode.SUCCESS.message)},"data":`;
function success(reply: FastifyReply, dataJson: string) {
  return reply.type('application/json').send(`${SUCCESS_PREFIX}${dataJson}}`);
}
const OK = '"ok"';

/**
 * /nacos/v2/ns/… (InstanceControllerV2, ServiceControllerV2). The forms take serviceName and
 * groupName apart; the operations are the v1 ones (NamingParams knows which API it serves).
 */
export function registerNamingV2Routes(app: FastifyInstance, ctx: NacosContext, naming: NamingRuntime): void {
  const inst = '/nacos/v2/ns/instance';
  app.post(inst, async (req, reply) => { await register(ctx, req); return success(reply, OK); });
  app.delete(inst, async (req, reply) => { await deregister(ctx, req); return success(reply, OK); });
  app.put(inst, async (req, reply) => { await update(ctx, req); return success(reply, OK); });
  app.patch(inst, async (req, reply) => { await patchV2(ctx, req); return reply.type('text/plain;charset=UTF-8').send('ok'); });
  app.get(inst, async (req, reply) => success(reply, await detail(ctx, req, V2_NAMES)));
  app.get(`${inst}/list`, async (req, reply) => success(reply, await list(ctx, naming, req, V2_NAMES, (view, q, now) => view.render(q, now))));
  // The beat answer is not wrapped in Result, in v2 either.
  app.put(`${inst}/beat`, async (req, reply) => reply.type('application/json').send(await beat(ctx, req)));
  registerServiceV2Routes(app, ctx);
}

async function patchV2(ctx: NacosContext, req: FastifyRequest): Promise<void> {
  const p = new NamingParams(req);
  const serviceName = p.groupedServiceName();
  const ip = p.required('ip');
  const port = p.int('port');
  const clusterName = p.optional('cluster', DEFAULT_CLUSTER);
  const fields: PatchFields = {};
  if (p.optional('metadata')) fields.metadata = parseMetadata(p.optional('metadata'));
  if (p.optional('weight')) { fields.weight = p.double('weight'); checkWeight(fields.weight); }
  if (p.optional('enabled')) fields.enabled = p.bool('enabled', true);
  const namespaceId = p.namespaceId();
  await guard(ctx, req, namespaceId, serviceName, 'w');
  await patchInstance(ctx, { namespaceId, serviceName, ip, port, clusterName }, fields);
}

/** InstanceControllerV2 names the service field and the list inputs differently from v1. */
const V2_NAMES: QueryNames = { serviceField: 'serviceName', clusters: 'clusterName', udpPort: 'port', clientIp: 'ip' };

function registerServiceV2Routes(app: FastifyInstance, ctx: NacosContext): void {
  const base = '/nacos/v2/ns/service';
  app.post(base, async (req, reply) => {
    const p = new NamingParams(req);
    const serviceName = p.groupedServiceName();
    const fields = serviceFields(p, p.double('protectThreshold', 0));
    await createService(ctx, req, p.namespaceId(), serviceName, p.bool('ephemeral', false), fields);
    return success(reply, OK);
  });
  app.delete(base, async (req, reply) => {
    const p = new NamingParams(req);
    await deleteService(ctx, req, p.namespaceId(), p.groupedServiceName());
    return success(reply, OK);
  });
  app.put(base, async (req, reply) => {
    const p = new NamingParams(req);
    const serviceName = p.groupedServiceName();
    await updateService(ctx, req, p.namespaceId(), serviceName, serviceFields(p, p.double('protectThreshold', 0)));
    return success(reply, OK);
  });
  app.get(base, async (req, reply) => {
    const p = new NamingParams(req);
    const namespaceId = p.namespaceId();
    const serviceName = p.groupedServiceName();
    await guard(ctx, req, namespaceId, serviceName, 'r');
    return success(reply, serviceDetailV2(requireService(ctx, namespaceId, serviceName)));
  });
  app.get(`${base}/list`, async (req, reply) => {
    const p = new NamingParams(req);
    const namespaceId = p.namespaceId();
    const groupName = p.optional('groupName', DEFAULT_GROUP);
    const pageNo = p.int('pageNo', 1);
    const pageSize = Math.min(500, p.int('pageSize', 20));
    await ctx.guard.check(req, { namespaceId, group: groupName, kind: 'naming', name: '*' }, 'r');
    const { count, page } = pageServiceNames(ctx, namespaceId, groupName, pageNo, pageSize);
    return success(reply, JSON.stringify({ count, services: page }));
  });
}
