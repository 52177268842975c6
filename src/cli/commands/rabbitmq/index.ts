/**
 * `junction rabbitmqctl <verb>`: rabbitmqctl 3.10.8's verbs, flags, output and exit codes, as
 * a client of the management HTTP API only (never the data directory). `-p` is rabbitmqctl's
 * vhost flag here, so the password is --password (or JUNCTION_PASSWORD).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../../args.js';
import { RemoteError } from '../../http.js';
import { MgmtClient } from './client.js';
import type { Verb } from './context.js';
import { CtlFailure, EX_UNAVAILABLE } from './failure.js';
import type { Formatter } from './output.js';
import { ACCESS_VERBS } from './verbs-access.js';
import { OBJECT_VERBS } from './verbs-objects.js';

export { PLUGINS_USAGE, rabbitmqPluginsCommand } from './plugins.js';

const VERBS: Record<string, Verb> = { ...ACCESS_VERBS, ...OBJECT_VERBS };

export const RABBITMQCTL_USAGE = `usage: junction rabbitmqctl [options] <verb> [arguments]

verbs (rabbitmqctl 3.10.8's):
  list_users | add_user <user> <password> | change_password <user> <password> | delete_user <user>
  set_user_tags <user> <tag> …
  set_permissions [-p vhost] <user> <conf> <write> <read> | clear_permissions [-p vhost] <user>
  list_permissions [-p vhost] | list_user_permissions <user>
  add_vhost <vhost> [--description D] [--tags a,b] [--default-queue-type T] | delete_vhost <vhost> | list_vhosts [column …]
  list_queues [-p vhost] [column …]   (name messages consumers messages_ready messages_unacknowledged
                                       durable auto_delete arguments exclusive policy message_bytes … )
  list_exchanges | list_bindings | list_consumers [-p vhost] [column …]
  list_connections | list_channels [column …]
  delete_queue [-p vhost] <queue> | purge_queue [-p vhost] <queue> | status

options:
  -p, --vhost VHOST        virtual host (default /)
  -q, --quiet              no banner lines;  -s, --silent  no banner and no table header
  --no-table-headers       rows only
  --formatter table|json   output form (default table)
  -n, --node NAME          accepted and ignored (the node is the one behind --mgmt)
  --mgmt URL               management API (env JUNCTION_MGMT, default http://127.0.0.1:15672)
  --username U --password P  HTTP Basic credentials (env JUNCTION_USERNAME, JUNCTION_PASSWORD);
                           with the server's --auth off any or none are accepted
Exit codes as rabbitmqctl's: 0 ok, 64 usage, 65 no such vhost, 67 no such user, 69 unavailable,
70 already exists.
`;

const OPTIONS = {
  vhost: { type: 'string', short: 'p' }, quiet: { type: 'boolean', short: 'q' }, silent: { type: 'boolean', short: 's' },
  'no-table-headers': { type: 'boolean' }, formatter: { type: 'string' }, node: { type: 'string', short: 'n' },
  longnames: { type: 'boolean', short: 'l' }, timeout: { type: 'string', short: 't' }, online: { type: 'boolean' },
  offline: { type: 'boolean' }, local: { type: 'boolean' }, mgmt: { type: 'string' }, username: { type: 'string' },
  password: { type: 'string' }, description: { type: 'string' }, tags: { type: 'string' },
  'default-queue-type': { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: string[], env: NodeJS.ProcessEnv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) { throw new UsageError((err as Error).message, RABBITMQCTL_USAGE); }
  const { values, positionals } = parsed;
  const formatter = values.formatter ?? 'table';
  if (formatter !== 'table' && formatter !== 'json') throw new UsageError(`--formatter: table or json, got ${JSON.stringify(formatter)}`, RABBITMQCTL_USAGE);
  const base = (values.mgmt ?? env.JUNCTION_MGMT ?? 'http://127.0.0.1:15672').replace(/\/+$/, '');
  const client = new MgmtClient(/^[a-z]+:\/\//i.test(base) ? base : `http://${base}`,
    values.username ?? (env.JUNCTION_USERNAME || undefined), values.password ?? (env.JUNCTION_PASSWORD || undefined));
  return {
    help: values.help === true, verb: positionals[0], args: positionals.slice(1),
    ctx: {
      client, vhost: values.vhost ?? '/',
      mode: { formatter: formatter as Formatter, quiet: values.quiet === true, silent: values.silent === true, noHeaders: values['no-table-headers'] === true },
      options: { description: values.description, tags: values.tags, 'default-queue-type': values['default-queue-type'] },
    },
  };
}

export async function rabbitmqctlCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { help, verb, args, ctx } = parse(argv, env);
  if (help || verb === 'help') { process.stdout.write(RABBITMQCTL_USAGE); return; }
  if (verb === undefined) throw new UsageError('missing verb', RABBITMQCTL_USAGE);
  const run = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!run) throw new UsageError(`unknown verb ${JSON.stringify(verb)}`, RABBITMQCTL_USAGE);
  try {
    await run({ ...ctx, args });
  } catch (err) {
    if (err instanceof CtlFailure) { process.stderr.write(`${err.text}\n`); process.exitCode = err.exitCode; return; }
    // rabbitmqctl: "unable to perform an operation on node" exits 69 (EX_UNAVAILABLE).
    if (err instanceof RemoteError) { process.stderr.write(`Error:\n${err.message}\n`); process.exitCode = EX_UNAVAILABLE; return; }
    throw err;
  }
}
