import { JunctionError } from '../core/errors.js';
import { HelpShown, UsageError } from './args.js';

const USAGE = `usage: junction <command> [options]

commands:
  start                                    run the server
  status                                   show the running server (admin API)
  nacos config get|set|delete|history|listen   Nacos configs
  nacos service list                       Nacos services
  nacos instance list|register|deregister  Nacos instances
  user add|passwd|list|delete              users (Nacos auth API)
  zk ls|get|set|create|delete|stat|getAcl|setAcl|4lw   ZooKeeper tree (zkCli-like)
  kafka topics|console-producer|console-consumer|consumer-groups   the Kafka tools
  rabbitmqctl <verb>                       RabbitMQ's rabbitmqctl (management API client)
  rabbitmq-plugins list                    RabbitMQ's plugins (what is built in)
  data check|repair                        offline check / explicit repair of a stopped server's data dir
  help [command]                           this text, or a command's options

Client commands talk to the servers' own protocols, never to the data directory (only
\`data\` reads it, offline):
  --server URL   Nacos API   (env JUNCTION_SERVER, default http://127.0.0.1:8848)
                 zk: host:port of the ZooKeeper port (env JUNCTION_ZK, default 127.0.0.1:2181)
  --admin URL    admin API   (env JUNCTION_ADMIN,  default http://127.0.0.1:9464)
  -u/--username, -p/--password  (env JUNCTION_USERNAME, JUNCTION_PASSWORD)
  --json         machine-readable output
Exit codes: 0 ok, 1 failed (server error, unreachable), 2 bad usage.
`;

/** A command: how to run it and its usage text. */
interface Command { run(argv: string[]): Promise<void>; usage(): string }

/**
 * Each command's module is loaded only when that command runs or its help is shown: `junction
 * start` does not evaluate the client commands, nor a client command the server.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  async start() {
    const [{ startCommand }, { startUsage }, { PERSONALITIES }] = await Promise.all([
      import('./commands/start.js'), import('./commands/start-usage.js'), import('../personalities.js')]);
    return { run: startCommand, usage: () => startUsage(PERSONALITIES) };
  },
  async status() {
    const m = await import('./commands/status.js');
    return { run: m.statusCommand, usage: () => m.STATUS_USAGE };
  },
  async nacos() {
    const [config, naming] = await Promise.all([import('./commands/config.js'), import('./commands/naming.js')]);
    const usage = () => `usage: junction nacos <config|service|instance> …\n\n${config.CONFIG_USAGE}\n${naming.SERVICE_USAGE}\n${naming.INSTANCE_USAGE}`;
    return {
      usage,
      run([area, ...rest]: string[]) {
        switch (area) {
          case 'config': return config.configCommand(rest);
          case 'service': return naming.serviceCommand(rest);
          case 'instance': return naming.instanceCommand(rest);
          default: throw new UsageError(area ? `unknown nacos command ${JSON.stringify(area)}` : 'missing nacos command', usage());
        }
      },
    };
  },
  async config() {
    const m = await import('./commands/config.js');
    return { run: m.configCommand, usage: () => m.CONFIG_USAGE };
  },
  async service() {
    const m = await import('./commands/naming.js');
    return { run: m.serviceCommand, usage: () => m.SERVICE_USAGE };
  },
  async instance() {
    const m = await import('./commands/naming.js');
    return { run: m.instanceCommand, usage: () => m.INSTANCE_USAGE };
  },
  async user() {
    const m = await import('./commands/user.js');
    return { run: m.userCommand, usage: () => m.USER_USAGE };
  },
  async zk() {
    const m = await import('./commands/zk.js');
    return { run: m.zkCommand, usage: () => m.ZK_USAGE };
  },
  async kafka() {
    const m = await import('./commands/kafka/index.js');
    return { run: m.kafkaCommand, usage: () => m.KAFKA_USAGE };
  },
  async rabbitmqctl() {
    const m = await import('./commands/rabbitmq/index.js');
    return { run: (argv) => m.rabbitmqctlCommand(argv), usage: () => m.RABBITMQCTL_USAGE };
  },
  async 'rabbitmq-plugins'() {
    const m = await import('./commands/rabbitmq/index.js');
    return { run: m.rabbitmqPluginsCommand, usage: () => m.PLUGINS_USAGE };
  },
  async data() {
    const [{ dataCommand }, { DATA_USAGE }] = await Promise.all([import('./commands/data.js'), import('./commands/data-usage.js')]);
    return { run: dataCommand, usage: () => DATA_USAGE };
  },
};

/** Commands `junction <name>` runs; config, service and instance are help topics only (under nacos). */
const RUNNABLE = new Set(['start', 'status', 'nacos', 'user', 'zk', 'kafka', 'data', 'rabbitmqctl', 'rabbitmq-plugins']);

async function help(topic: string | undefined): Promise<void> {
  if (topic === undefined) { process.stdout.write(USAGE); return; }
  const load = Object.hasOwn(COMMANDS, topic) ? COMMANDS[topic] : undefined;
  if (!load) throw new UsageError(`no help for ${JSON.stringify(topic)}`, USAGE);
  process.stdout.write((await load()).usage());
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return help(rest[0]);
  if (!RUNNABLE.has(command)) throw new UsageError(`unknown command ${JSON.stringify(command)}`, USAGE);
  return (await COMMANDS[command]!()).run(rest);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof HelpShown) return;
  if (err instanceof UsageError) {
    process.stderr.write(`junction: ${err.message}\n\n${err.usage}`);
    process.exit(2);
  }
  process.stderr.write(`junction: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof JunctionError && err.code === 'USAGE' ? 2 : 1);
});
