import { DEFAULT_CLUSTER, DEFAULT_GROUP, DEFAULT_NAMESPACE, groupedName, simpleInstanceId } from '../model/naming/keys.js';
import type { InstanceRef, InstanceSpec } from '../model/naming/types.js';
import { checkInstanceIsLegal, checkWeight, deregisterInstance, registerInstance } from '../routes/naming/instance-ops.js';
import { RpcErrorCode } from './catalogue.js';
import { bool, type HandlerContext, num, RpcFailure, type RpcHandler, str } from './handler.js';

/** NamingRemoteConstants.REGISTER_INSTANCE / DE_REGISTER_INSTANCE / BATCH_REGISTER_INSTANCE. */
const REGISTER = 'registerInstance';
const DEREGISTER = 'deregisterInstance';
const BATCH_REGISTER = 'batchRegisterInstance';

/** AbstractNamingRequest: namespace, serviceName, groupName → Junction's (namespaceId, group@@name). */
function target(body: Record<string, unknown>): { namespaceId: string; grouped: string; group: string; name: string } {
  const namespaceId = str(body, 'namespace') || DEFAULT_NAMESPACE;
  const group = str(body, 'groupName') || DEFAULT_GROUP;
  const name = str(body, 'serviceName');
  if (name === '') throw new RpcFailure(RpcErrorCode.INVALID_PARAM, 'Param \'serviceName\' is illegal, serviceName is blank');
  return { namespaceId, grouped: groupedName(name, group), group, name };
}

function namingSecured(action: 'r' | 'w') {
  return (body: Record<string, unknown>) => ({
    action,
    resource: { namespaceId: str(body, 'namespace') || DEFAULT_NAMESPACE, group: str(body, 'groupName') || DEFAULT_GROUP,
      kind: 'naming' as const, name: str(body, 'serviceName') },
  });
}

/** api/naming/pojo/Instance's JSON → an InstanceSpec, checked like the HTTP API's (checkInstanceIsLegal). */
function instanceSpec(raw: unknown, grouped: string, ephemeral: boolean): InstanceSpec {
  if (raw === null || typeof raw !== 'object') throw new RpcFailure(RpcErrorCode.INVALID_PARAM, 'instance is required');
  const i = raw as Record<string, unknown>;
  const ip = str(i, 'ip');
  const port = num(i, 'port', 0);
  if (ip === '' || !Number.isInteger(port) || port < 0) throw new RpcFailure(RpcErrorCode.INVALID_PARAM, 'Instance ip or port is illegal');
  const clusterName = str(i, 'clusterName') || DEFAULT_CLUSTER;
  const meta = i.metadata && typeof i.metadata === 'object' ? i.metadata as Record<string, unknown> : {};
  const spec: InstanceSpec = {
    ip, port, clusterName, weight: num(i, 'weight', 1), healthy: bool(i, 'healthy', true), enabled: bool(i, 'enabled', true),
    ephemeral, metadata: Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, String(v)])),
    instanceId: str(i, 'instanceId') || simpleInstanceId(ip, port, clusterName, grouped),
  };
  checkWeight(spec.weight);
  checkInstanceIsLegal(spec);
  return spec;
}

function refOf(namespaceId: string, grouped: string, spec: InstanceSpec): InstanceRef {
  return { namespaceId, serviceName: grouped, ip: spec.ip, port: spec.port, clusterName: spec.clusterName };
}

/** InstanceRequestHandler (ephemeral, owned by the connection) and PersistentInstanceRequestHandler. */
function instanceHandler(ephemeral: boolean): RpcHandler {
  return {
    secured: namingSecured('w'),
    async handle({ services, subscriptions, conn, req }: HandlerContext) {
      const { namespaceId, grouped } = target(req.body);
      const type = str(req.body, 'type');
      const spec = instanceSpec(req.body.instance, grouped, ephemeral);
      const ref = refOf(namespaceId, grouped, spec);
      if (type === REGISTER) {
        await registerInstance(services.ctx, namespaceId, grouped, spec);
        if (ephemeral) subscriptions.own(conn, ref);
      } else if (type === DEREGISTER) {
        await deregisterInstance(services.ctx, ref, ephemeral);
        if (ephemeral) subscriptions.disown(conn, ref);
      } else {
        throw new RpcFailure(RpcErrorCode.INVALID_PARAM, `Unsupported request type ${type}`);
      }
      return { type };
    },
  };
}

/** BatchInstanceRequestHandler: the connection's instances of the service become exactly the list. */
const batchInstance: RpcHandler = {
  secured: namingSecured('w'),
  async handle({ services, subscriptions, conn, req }: HandlerContext) {
    const { namespaceId, grouped } = target(req.body);
    const type = str(req.body, 'type');
    if (type !== BATCH_REGISTER) throw new RpcFailure(RpcErrorCode.INVALID_PARAM, `Unsupported request type ${type}`);
    const list = Array.isArray(req.body.instances) ? req.body.instances : [];
    const specs = list.map((raw) => instanceSpec(raw, grouped, true));
    const keep = new Set(specs.map((s) => `${s.ip}:${s.port}`));
    for (const ref of subscriptions.ownedBy(conn)) {
      if (ref.namespaceId !== namespaceId || ref.serviceName !== grouped || keep.has(`${ref.ip}:${ref.port}`)) continue;
      await deregisterInstance(services.ctx, ref, true);
      subscriptions.disown(conn, ref);
    }
    for (const spec of specs) {
      await registerInstance(services.ctx, namespaceId, grouped, spec);
      subscriptions.own(conn, refOf(namespaceId, grouped, spec));
    }
    return { type };
  },
};

/** ServiceQueryRequestHandler → QueryServiceResponse{serviceInfo}. */
const serviceQuery: RpcHandler = {
  secured: namingSecured('r'),
  async handle({ subscriptions, req }: HandlerContext) {
    const { namespaceId, grouped } = target(req.body);
    return { serviceInfo: subscriptions.serviceInfo(namespaceId, grouped, str(req.body, 'cluster'), bool(req.body, 'healthyOnly', false)) };
  },
};

/** SubscribeServiceRequestHandler: (un)subscribe the connection; answer the current ServiceInfo. */
const subscribeService: RpcHandler = {
  secured: namingSecured('r'),
  async handle({ subscriptions, conn, req }: HandlerContext) {
    const { namespaceId, grouped } = target(req.body);
    const clusters = str(req.body, 'clusters');
    if (bool(req.body, 'subscribe', true)) subscriptions.subscribe(conn, { namespaceId, serviceName: grouped, clusters });
    else subscriptions.unsubscribe(conn, namespaceId, grouped);
    return { serviceInfo: subscriptions.serviceInfo(namespaceId, grouped, clusters, false) };
  },
};

/** ServiceListRequestHandler: bare service names of a group, paged (ServiceUtil.pageServiceName). */
const serviceList: RpcHandler = {
  secured: (body) => ({ action: 'r', resource: { namespaceId: str(body, 'namespace') || DEFAULT_NAMESPACE,
    group: str(body, 'groupName') || DEFAULT_GROUP, kind: 'naming', name: '' } }),
  async handle({ services, req }: HandlerContext) {
    const namespaceId = str(req.body, 'namespace') || DEFAULT_NAMESPACE;
    const group = str(req.body, 'groupName') || DEFAULT_GROUP;
    const names: string[] = [];
    for (const s of services.ctx.store.state.naming.services.values()) {
      if (s.namespaceId === namespaceId && s.groupName === group) names.push(s.name);
    }
    const pageNo = Math.max(1, num(req.body, 'pageNo', 1));
    const pageSize = Math.max(1, num(req.body, 'pageSize', 10));
    return { count: names.length, serviceNames: names.slice((pageNo - 1) * pageSize, pageNo * pageSize) };
  },
};

export const NAMING_HANDLERS: Readonly<Record<string, RpcHandler>> = {
  InstanceRequest: instanceHandler(true),
  PersistentInstanceRequest: instanceHandler(false),
  BatchInstanceRequest: batchInstance,
  ServiceQueryRequest: serviceQuery,
  SubscribeServiceRequest: subscribeService,
  ServiceListRequest: serviceList,
};

