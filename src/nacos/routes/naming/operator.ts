import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { NacosContext } from '../../context.js';
import type { NamingRuntime } from '../../health/naming-runtime.js';
import { v2Success } from '../../errors.js';
import { NamingParams } from './params.js';

/** OperatorController.metrics: `{status}` unless onlyStatus=false, then the counts. */
export function registerOperatorRoutes(app: FastifyInstance, ctx: NacosContext, naming: NamingRuntime): void {
  const metrics = (onlyStatus: boolean) => {
    if (onlyStatus) return { status: 'UP' };
    let instanceCount = 0;
    const ephemeralClients = new Set<string>();
    const persistentClients = new Set<string>();
    for (const s of ctx.store.state.naming.services.values()) {
      instanceCount += s.instances.size;
      for (const i of s.instances.values()) (i.ephemeral ? ephemeralClients : persistentClients).add(`${i.ip}:${i.port}`);
    }
    const clients = ephemeralClients.size + persistentClients.size;
    return {
      status: 'UP', serviceCount: ctx.store.state.naming.services.size, instanceCount,
      subscribeCount: naming.subscriberCount(), responsibleInstanceCount: instanceCount, clientCount: clients,
      connectionBasedClientCount: 0, ephemeralIpPortClientCount: ephemeralClients.size,
      persistentIpPortClientCount: persistentClients.size, responsibleClientCount: clients,
      cpu: loadavg()[0]! / Math.max(cpus().length, 1), load: loadavg()[0]!, mem: 1 - freemem() / totalmem(),
    };
  };
  app.get('/nacos/v1/ns/operator/metrics', async (req) => {
    const p = new NamingParams(req);
    return metrics(p.optional('onlyStatus', 'true').toLowerCase() === 'true');
  });
  app.get('/nacos/v2/ns/operator/metrics', async (req, reply) => {
    const p = new NamingParams(req);
    const data = metrics(p.optional('onlyStatus', 'true').toLowerCase() === 'true');
    return reply.send(v2Success(data));
  });
}
