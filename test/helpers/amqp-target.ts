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

/** Thrown for the junction target until the AMQP personality (issue 10) is registered. */
export class AmqpTargetUnavailable extends Error {
  constructor() {
    super('the AMQP personality is not built yet (issue 10): Junction cannot be an AMQP target; '
      + 'run with JUNCTION_AMQP_TARGET=reference, or use startReferenceAmqp()');
    this.name = 'AmqpTargetUnavailable';
  }
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

/** The AMQP personality fills this in: start a test server with `enabled: ['amqp']` and map its
 *  AMQP and management ports, as startZkTarget does for 'zk'. Nothing stands in for it until then. */
function startJunctionAmqp(): Promise<AmqpTarget> {
  return Promise.reject(new AmqpTargetUnavailable());
}
