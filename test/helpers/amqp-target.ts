// An AMQP 0-9-1 endpoint for the compat suite: Junction (default) or the real RabbitMQ 3.10.8
// (JUNCTION_AMQP_TARGET=reference), so the same client tests run differentially against both, as
// zk-target.ts does for ZooKeeper with JUNCTION_ZK_TARGET.
import type { RunningAmqp } from '../../src/amqp/personality.js';
import { startRabbitMq, type RestartMode } from './rabbitmq-server.js';

export { PYTHON } from './python.js';

export type AmqpTargetKind = 'junction' | 'reference';
export type { RestartMode };

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
  /**
   * Stop the server and start it again on the same data dir (mnesia on the reference), waiting
   * until it accepts again; resolves with the milliseconds that took. Open connections die; the
   * ports are kept. 'graceful' (default): a clean stop; 'kill': SIGKILL. On Junction it needs the
   * `childProcess` option (an in-process server cannot be SIGKILLed apart from the test).
   */
  restart(mode?: RestartMode): Promise<number>;
  /** Set a policy in vhost '/': through the broker's API on Junction, PUT /api/policies on the reference. */
  setPolicy(policy: TargetPolicy): Promise<void>;
  deletePolicy(name: string): Promise<void>;
}

export interface TargetPolicy {
  name: string;
  pattern: string;
  applyTo: 'queues' | 'exchanges' | 'all';
  priority?: number;
  definition: Record<string, string | number>;
}

const guestAuth = `Basic ${Buffer.from('guest:guest').toString('base64')}`;

async function managementRequest(base: string, method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${base}/api${path}`, {
    method, headers: { authorization: guestAuth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

/** setPolicy/deletePolicy as PUT/DELETE /api/policies/%2F/<name> on a management API. */
export function policiesOverHttp(managementUrl: string): Pick<AmqpTarget, 'setPolicy' | 'deletePolicy'> {
  return {
    setPolicy: (p) => managementRequest(managementUrl, 'PUT', `/policies/%2F/${encodeURIComponent(p.name)}`,
      { pattern: p.pattern, 'apply-to': p.applyTo, priority: p.priority ?? 0, definition: p.definition }),
    deletePolicy: (name) => managementRequest(managementUrl, 'DELETE', `/policies/%2F/${encodeURIComponent(name)}`),
  };
}

/** Settings a suite needs on both targets (Junction's setting, RabbitMQ's rabbitmq.conf key). */
export interface AmqpTargetOptions {
  /** consumer_timeout in ms; on the reference the channel tick is made 100 ms so it is seen soon. */
  consumerTimeoutMs?: number;
  /** Junction as a `junction start` child process (the reference always is one), so that
   *  restart('kill') is a real SIGKILL of the server process. */
  childProcess?: boolean;
  /** Junction only: --amqp-queue-window-messages, so a durable queue pages with few messages
   *  (RabbitMQ pages by its own rules; its behaviour seen by a client is the same). */
  queueWindowMessages?: number;
}

/** The target JUNCTION_AMQP_TARGET names. */
export function startAmqpTarget(options: AmqpTargetOptions = {}): Promise<AmqpTarget> {
  return IS_REFERENCE ? startReferenceAmqp(options) : startJunctionAmqp(options);
}

/** Always the real RabbitMQ (for tests that compare with it whatever the target is). */
export async function startReferenceAmqp(options: AmqpTargetOptions = {}): Promise<AmqpTarget> {
  const timeout = options.consumerTimeoutMs;
  const rabbit = await startRabbitMq(timeout === undefined ? {} : {
    extraConfig: [`consumer_timeout = ${timeout}`], advancedConfig: '[{rabbit, [{channel_tick_interval, 100}]}].\n',
  });
  return {
    kind: 'reference', host: '127.0.0.1', amqpPort: rabbit.amqpPort, managementPort: rabbit.managementPort,
    url: rabbit.url, managementUrl: rabbit.managementUrl, stop: () => rabbit.stop(), restart: (mode) => rabbit.restart(mode),
    ...policiesOverHttp(rabbit.managementUrl),
  };
}

/** An in-process Junction with only the AMQP personality, on fresh ports (AMQP and management). */
async function startJunctionAmqp(options: AmqpTargetOptions): Promise<AmqpTarget> {
  if (options.childProcess) return (await import('./amqp-target-child.js')).startJunctionAmqpChild(options);
  // Loaded lazily: reference runs must not depend on the Junction build being complete.
  const { startTestServer } = await import('./junction.js');
  const amqp = {
    ...(options.consumerTimeoutMs === undefined ? {} : { consumerTimeoutMs: options.consumerTimeoutMs }),
    ...(options.queueWindowMessages === undefined ? {} : { queueWindowMessages: options.queueWindowMessages }),
  };
  const server = await startTestServer({ enabled: ['amqp'], amqp });
  const amqpPort = server.ports.amqp!;
  const { broker } = server.junction.personality('amqp') as unknown as RunningAmqp;
  const managementPort = server.ports.amqpManagement!;
  return {
    kind: 'junction', host: '127.0.0.1', amqpPort, managementPort,
    url: `amqp://guest:guest@127.0.0.1:${amqpPort}`, managementUrl: `http://127.0.0.1:${managementPort}`,
    stop: () => server.destroy(),
    restart: () => Promise.reject(new Error('restart() of Junction needs startAmqpTarget({ childProcess: true })')),
    setPolicy: async (p) => {
      broker.setPolicy('/', { name: p.name, pattern: p.pattern, applyTo: p.applyTo, priority: p.priority ?? 0, definition: p.definition });
    },
    deletePolicy: async (name) => { broker.deletePolicy('/', name); },
  };
}
