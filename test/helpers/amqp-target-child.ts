// Junction as a `junction start` child process for the AMQP compat suites that restart their
// target (startAmqpTarget({ childProcess: true })): its own data dir, and restarts on that dir
// and the same ports — 'graceful' by SIGTERM (the CLI's clean shutdown), 'kill' by SIGKILL, as
// test/compat/amqp/kill9-confirms.test.ts kills it. The reference is always such a process.
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { policiesOverHttp, type AmqpTarget, type AmqpTargetOptions, type RestartMode } from './amqp-target.js';
import { startChildServer, type ChildServer } from './child-server.js';
import { tempDir } from './junction.js';

export async function startJunctionAmqpChild(options: AmqpTargetOptions): Promise<AmqpTarget> {
  if (options.consumerTimeoutMs !== undefined) throw new Error('consumerTimeoutMs is not passed to a child Junction');
  const dataDir = tempDir('junction-amqp-');
  const args = ['--enable', 'amqp', '--data-dir', dataDir, '--log-format', 'json'];
  let server = await startChildServer(args);
  const amqpPort = server.ports.amqp!;
  const managementPort = server.ports.amqpManagement!;
  // Later flags win over startChildServer's fresh-port ones: a restart keeps the ports.
  const samePorts = ['--amqp-port', String(amqpPort), '--amqp-management-port', String(managementPort)];
  const managementUrl = `http://127.0.0.1:${managementPort}`;
  return {
    kind: 'junction', host: '127.0.0.1', amqpPort, managementPort,
    url: `amqp://guest:guest@127.0.0.1:${amqpPort}`, managementUrl,
    stop: async () => {
      await stopChild(server, 'kill');
      rmSync(dataDir, { recursive: true, force: true });
    },
    restart: async (mode = 'graceful') => {
      const t0 = performance.now();
      await stopChild(server, mode);
      server = await startChildServer([...args, ...samePorts]);
      return Math.round(performance.now() - t0);
    },
    ...policiesOverHttp(managementUrl),
  };
}

/** Stop the child and wait for its exit; a graceful stop that does not exit 0 within 30 s fails. */
async function stopChild(server: ChildServer, mode: RestartMode): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.kill(mode === 'kill' ? 'SIGKILL' : 'SIGTERM');
  if (mode === 'kill') { await exited; return; }
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code, signal] = await exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`junction did not stop cleanly on SIGTERM (${code ?? signal}):\n${server.output.slice(-20).join('\n')}`);
}
