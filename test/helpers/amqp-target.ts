// An AMQP 0-9-1 endpoint for the compat suite: Junction (default) or the real RabbitMQ 3.10.8
// (JUNCTION_AMQP_TARGET=reference), so the same client tests run differentially against both, as
// zk-target.ts does for ZooKeeper with JUNCTION_ZK_TARGET.
import { startRabbitMq } from './rabbitmq-server.js';

export { PYTHON } from './python.js';

export type AmqpTargetKind = 'junction' | 'reference';

function targetFromEnv(value: string | undefined): AmqpTargetKind {
  if (value === undefined || value === '' || value === 'junction') return 'junction';
  if (value === 'reference') return 'reference';
  throw new Error(`JUNCTION_AMQP_TARGET must be 'junction' or 'reference', not '${value}'`);
}

export const AMQP_TARGET: AmqpTargetKind = targetFromEnv(process.env.JUNCTION_AMQP_TARGET);
export const IS_REFERENCE = AMQP_TARGET === 'reference';

export interface AmqpTarget {
  kind: AmqpTargetKind;
  host: '127.0.0.1';
  amqpPort: number;
  /** The management HTTP API (RabbitMQ's port 15672), answering under /api. */
  managementPort: number;
  /** amqp://guest:guest@127.0.0.1:<amqpPort> */
  url: string;
  /** http://127.0.0.1:<managementPort> */
  managementUrl: string;
  stop(): Promise<void>;
}

/** The target JUNCTION_AMQP_TARGET names. */
export function startAmqpTarget(): Promise<AmqpTarget> {
  return IS_REFERENCE ? startReferenceAmqp() : startJunctionAmqp();
}

/** Always the real RabbitMQ (for tests that compare with it whatever the target is). */
export async function startReferenceAmqp(): Promise<AmqpTarget> {
  const rabbit = await startRabbitMq();
  return {
    kind: 'reference', host: '127.0.0.1', amqpPort: rabbit.amqpPort, managementPort: rabbit.managementPort,
    url: rabbit.url, managementUrl: rabbit.managementUrl, stop: () => rabbit.stop(),
  };
}

/** An in-process Junction with only the AMQP personality, on fresh ports (AMQP and management). */
async function startJunctionAmqp(): Promise<AmqpTarget> {
  // Loaded lazily: reference runs must not depend on the Junction build being complete.
  const { startTestServer } = await import('./junction.js');
  const server = await startTestServer({ enabled: ['amqp'] });
  const amqpPort = server.ports.amqp!;
  const managementPort = server.ports.amqpManagement!;
  return {
    kind: 'junction', host: '127.0.0.1', amqpPort, managementPort,
    url: `amqp://guest:guest@127.0.0.1:${amqpPort}`, managementUrl: `http://127.0.0.1:${managementPort}`,
    stop: () => server.destroy(),
  };
}
