import type { PersonalityContext, RunningPersonality } from '../core/personality.js';
import { Broker } from './broker/broker.js';
import { DurableBroker } from './durable/durable-broker.js';
import { AmqpServer } from './server.js';
import type { AmqpConfig } from './settings.js';

/** The running AMQP personality; tests reach the broker and server through this type. */
export interface RunningAmqp extends RunningPersonality {
  readonly broker: Broker;
  readonly server: AmqpServer;
  readonly durable: DurableBroker;
}

/** Build the broker from its durable definitions (data/amqp/) and listen on the AMQP port (see
 *  plugin.ts). The management port is declared but not served in this phase. */
export async function openAmqp(ctx: PersonalityContext<AmqpConfig>): Promise<RunningAmqp> {
  const settings = ctx.settings;
  const broker = new Broker(settings.defaultVhost);
  // Durable definitions and queue stores are recovered before the port opens.
  const durable = await DurableBroker.open(ctx.storage, broker, ctx.logger);
  const server = new AmqpServer(settings, broker, ctx.logger, { users: ctx.users, authRequired: ctx.authRequired });
  let port: number;
  try {
    port = await server.listen(ctx.bind, settings.port);
  } catch (err) {
    await durable.close();
    throw err;
  }
  return {
    broker,
    server,
    durable,
    ports: () => ({ amqp: port }),
    url: (host) => `amqp://${host}:${port}`,
    status: () => ({ ...broker.stats(), connections: server.listener.connections.size }),
    close: async () => {
      await server.close();
      await durable.close();
    },
  };
}
