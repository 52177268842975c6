import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { PersonalityContext, RunningPersonality } from '../core/personality.js';
import { Broker } from './broker/broker.js';
import { BrokerAdapter } from './management/broker-adapter.js';
import { managementApi } from './management/plugin.js';
import { registerAmqpMetrics } from './metrics.js';
import { DurableBroker } from './durable/durable-broker.js';
import { AmqpServer } from './server.js';
import type { AmqpConfig } from './settings.js';

/** The running AMQP personality; tests reach the broker and server through this type. */
export interface RunningAmqp extends RunningPersonality {
  readonly broker: Broker;
  readonly server: AmqpServer;
  readonly management: FastifyInstance;
  readonly durable: DurableBroker;
}

/** Bodies larger than this are refused by the management API (definitions files, publishes). */
const MANAGEMENT_BODY_LIMIT = 32 * 1024 * 1024;

/** A store whose initial admin predates RabbitMQ tags gets them now: administrator with full
 *  permissions on the default vhost, as auth.admin.init gives a new one. */
async function migrateAdmin(ctx: PersonalityContext<AmqpConfig>): Promise<void> {
  const { users } = ctx;
  const admin = users.adminUser;
  if (!users.hasUser(admin)) return;
  if (users.rabbit.tagsOf(admin).length === 0) await users.rabbit.setTags(admin, ['administrator']);
  if (users.rabbit.permissions({ username: admin }).length === 0) {
    await users.rabbit.setPermission(admin, '/', { configure: '.*', write: '.*', read: '.*' });
  }
}

/** Build the broker from its durable definitions (data/amqp/), listen on the AMQP port and serve
 *  the management API on its port (rabbitmq_management's listener, management.tcp.port). */
export async function openAmqp(ctx: PersonalityContext<AmqpConfig>): Promise<RunningAmqp> {
  const settings = ctx.settings;
  const broker = new Broker(settings.defaultVhost);
  // Durable definitions and queue stores are recovered before the ports open.
  const durable = await DurableBroker.open(ctx.storage, broker, ctx.logger, { messages: settings.queueWindowMessages, bytes: settings.queueWindowBytes });
  const server = new AmqpServer(settings, broker, ctx.logger, { users: ctx.users, authRequired: ctx.authRequired }, ctx.storage.dir);
  durable.memoryPressure = () => server.alarms.paging;
  let port: number;
  try {
    await migrateAdmin(ctx);
    port = await server.listen(ctx.bind, settings.port);
  } catch (err) {
    await durable.close();
    throw err;
  }
  const open = () => [...server.listener.connections].filter((c) => c.isOpen);
  const adapter = new BrokerAdapter(broker, { connections: open, listener: { ip: ctx.bind, port } }, ctx.users.rabbit);
  const management = ctx.httpApp({ bodyLimit: MANAGEMENT_BODY_LIMIT, routerOptions: { maxParamLength: 1024 } });
  await management.register(managementApi, {
    broker: adapter, users: ctx.users, authRequired: ctx.authRequired, nodeName: `junction@${hostname()}`, startedAt: Date.now(), logger: ctx.logger,
  });
  try {
    await management.listen({ host: ctx.bind, port: settings.managementPort });
  } catch (err) {
    await server.close();
    await durable.close();
    throw err;
  }
  const managementPort = (management.server.address() as { port: number }).port;
  const live = () => { const c = open(); return { connections: c.length, channels: c.reduce((n, x) => n + x.channelCount, 0) }; };
  registerAmqpMetrics(ctx.metrics, broker, live);
  return {
    broker,
    server,
    management,
    durable,
    ports: () => ({ amqp: port, amqpManagement: managementPort }),
    url: (host) => `amqp://${host}:${port}   management http://${host}:${managementPort}`,
    status: () => ({ ...broker.counts(), ...live(), consumers: adapter.consumers().length }),
    close: async () => {
      await management.close();
      await server.close();
      await durable.close();
    },
  };
}
