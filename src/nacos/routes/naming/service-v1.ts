import type { FastifyInstance } from 'fastify';
import type { NacosContext } from '../../context.js';
import { DEFAULT_GROUP } from '../../model/naming/keys.js';
import { guard } from './instance-ops.js';
import { ok } from './instance-v1.js';
import { NamingParams } from './params.js';
import {
  createService, deleteService, pageServiceNames, requireService, serviceDetailV1, serviceFields, updateService,
} from './service-ops.js';

/** NumberUtils.toInt: anything unparsable is 0. */
const toInt = (v: string) => (/^[+-]?\d+$/.test(v) ? Number(v) : 0);

/** /nacos/v1/ns/service… (naming ServiceController). */
export function registerServiceV1Routes(app: FastifyInstance, ctx: NacosContext): void {
  const base = '/nacos/v1/ns/service';
  app.post(base, async (req, reply) => {
    const p = new NamingParams(req);
    const serviceName = p.groupedServiceName(p.requestParam.bind(p));
    await createService(ctx, req, p.namespaceId(), serviceName, false, serviceFields(p, p.double('protectThreshold', 0)));
    return ok(reply);
  });
  app.delete(base, async (req, reply) => {
    const p = new NamingParams(req);
    await deleteService(ctx, req, p.namespaceId(), p.groupedServiceName(p.requestParam.bind(p)));
    return ok(reply);
  });
  app.put(base, async (req, reply) => {
    const p = new NamingParams(req);
    const serviceName = p.groupedServiceName();
    const threshold = p.required('protectThreshold');
    await updateService(ctx, req, p.namespaceId(), serviceName, serviceFields(p, Number(threshold) || 0));
    return ok(reply);
  });
  app.get(base, async (req, reply) => {
    const p = new NamingParams(req);
    const namespaceId = p.namespaceId();
    const serviceName = p.groupedServiceName(p.requestParam.bind(p));
    await guard(ctx, req, namespaceId, serviceName, 'r');
    return reply.type('application/json').send(serviceDetailV1(requireService(ctx, namespaceId, serviceName)));
  });
  app.get(`${base}/list`, async (req, reply) => {
    const p = new NamingParams(req);
    const pageNo = toInt(p.required('pageNo'));
    const pageSize = toInt(p.required('pageSize'));
    const namespaceId = p.namespaceId();
    const groupName = p.optional('groupName', DEFAULT_GROUP);
    await ctx.guard.check(req, { namespaceId, group: groupName, kind: 'naming', name: '*' }, 'r');
    const { count, page } = pageServiceNames(ctx, namespaceId, groupName, pageNo, pageSize);
    return reply.type('application/json').send({ count, doms: page });
  });
}
