import { JunctionError } from '../core/errors.js';
import { HelpShown, UsageError } from './args.js';
import { CONFIG_USAGE, configCommand } from './commands/config.js';
import { DATA_USAGE } from './commands/data-usage.js';
import { INSTANCE_USAGE, instanceCommand, SERVICE_USAGE, serviceCommand } from './commands/naming.js';
import { startUsage } from './commands/start-usage.js';
import { PERSONALITIES } from '../personalities.js';
import { STATUS_USAGE, statusCommand } from './commands/status.js';
import { USER_USAGE, userCommand } from './commands/user.js';
import { ZK_USAGE, zkCommand } from './commands/zk.js';

const USAGE = `usage: junction <command> [options]

commands:
  start                                    run the server
  status                                   show the running server (admin API)
  nacos config get|set|delete|history|listen   Nacos configs
  nacos service list                       Nacos services
  nacos instance list|register|deregister  Nacos instances
  user add|passwd|list|delete              users (Nacos auth API)
  zk ls|get|set|create|delete|stat|getAcl|setAcl|4lw   ZooKeeper tree (zkCli-like)
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

const NACOS_USAGE = `usage: junction nacos <config|service|instance> …\n\n${CONFIG_USAGE}\n${SERVICE_USAGE}\n${INSTANCE_USAGE}`;

const HELP: Record<string, string> = {
  start: startUsage(PERSONALITIES), status: STATUS_USAGE, nacos: NACOS_USAGE, config: CONFIG_USAGE,
  service: SERVICE_USAGE, instance: INSTANCE_USAGE, user: USER_USAGE, zk: ZK_USAGE, data: DATA_USAGE,
};

function nacos(argv: string[]): Promise<void> {
  const [area, ...rest] = argv;
  switch (area) {
    case 'config': return configCommand(rest);
    case 'service': return serviceCommand(rest);
    case 'instance': return instanceCommand(rest);
    default: throw new UsageError(area ? `unknown nacos command ${JSON.stringify(area)}` : 'missing nacos command', NACOS_USAGE);
  }
}

function help(topic: string | undefined): void {
  const text = topic === undefined ? USAGE : HELP[topic];
  if (text === undefined) throw new UsageError(`no help for ${JSON.stringify(topic)}`, USAGE);
  process.stdout.write(text);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    // Loaded on demand: the server code is most of the CLI's start-up time.
    case 'start': return (await import('./commands/start.js')).startCommand(rest);
    case 'status': return statusCommand(rest);
    case 'nacos': return nacos(rest);
    case 'user': return userCommand(rest);
    case 'zk': return zkCommand(rest);
    case 'data': return (await import('./commands/data.js')).dataCommand(rest);
    case undefined: case 'help': case '--help': case '-h': return help(rest[0]);
    default: throw new UsageError(`unknown command ${JSON.stringify(command)}`, USAGE);
  }
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
