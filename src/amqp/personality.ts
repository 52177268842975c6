import type { PersonalityContext, RunningPersonality } from '../core/personality.js';
import { Broker } from './broker/broker.js';
import { AmqpServer } from './server.js';
import type { AmqpConfig } from './settings.js';

/** The running AMQP personality; tests reach the broker and server through this type. */
export interface RunningAmqp extends RunningPersonality {
  readonly broker: Broker;
  readonly server: AmqpServer;
}

/** Build the in-memory broker and listen on the AMQP port (see plugin.ts). The management port
 *  is declared but not served in this phase. */
export async function openAmqp(ctx: PersonalityContext<AmqpConfig>): Promise<RunningAmqp> {
  const settings = ctx.settings;
  const broker = new Broker(settings.defaultVhost);
  const server = new AmqpServer(settings, broker, ctx.logger, { users: ctx.users, authRequired: ctx.authRequired }, ctx.storage.dir);
  const port = await server.listen(ctx.bind, settings.port);
  return {
    broker,
    server,
    ports: () => ({ amqp: port }),
    url: (host) => `amqp://${host}:${port}`,
    status: () => ({ ...broker.stats(), connections: server.listener.connections.size }),
    close: () => server.close(),
  };
}
