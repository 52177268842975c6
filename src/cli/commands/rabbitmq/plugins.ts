import { parseArgs } from 'node:util';
import { UsageError } from '../../args.js';

/**
 * `junction rabbitmq-plugins list`: what is built in. rabbitmq_management and the two plugins it
 * pulls in are enabled (the management API is part of the AMQP personality); every other plugin
 * of RabbitMQ 3.10.8 is listed as not enabled, because Junction has none of them — enabling one is
 * refused rather than pretended.
 */

export const PLUGINS_USAGE = `usage: junction rabbitmq-plugins list [-v] [-m] [-E] [-e] [pattern]

Lists RabbitMQ 3.10.8's plugins as rabbitmq-plugins does: rabbitmq_management (with
rabbitmq_management_agent and rabbitmq_web_dispatch) is built in and enabled; Junction has
none of the others. enable/disable are refused.
`;

const VERSION = '3.10.8';
const ENABLED: Record<string, 'E' | 'e'> = { rabbitmq_management: 'E', rabbitmq_management_agent: 'e', rabbitmq_web_dispatch: 'e' };
const PLUGINS = [
  'rabbitmq_amqp1_0', 'rabbitmq_auth_backend_cache', 'rabbitmq_auth_backend_http', 'rabbitmq_auth_backend_ldap',
  'rabbitmq_auth_backend_oauth2', 'rabbitmq_auth_mechanism_ssl', 'rabbitmq_consistent_hash_exchange', 'rabbitmq_event_exchange',
  'rabbitmq_federation', 'rabbitmq_federation_management', 'rabbitmq_jms_topic_exchange', 'rabbitmq_management',
  'rabbitmq_management_agent', 'rabbitmq_mqtt', 'rabbitmq_peer_discovery_aws', 'rabbitmq_peer_discovery_common',
  'rabbitmq_peer_discovery_consul', 'rabbitmq_peer_discovery_etcd', 'rabbitmq_peer_discovery_k8s', 'rabbitmq_prometheus',
  'rabbitmq_random_exchange', 'rabbitmq_recent_history_exchange', 'rabbitmq_sharding', 'rabbitmq_shovel',
  'rabbitmq_shovel_management', 'rabbitmq_stomp', 'rabbitmq_stream', 'rabbitmq_stream_management', 'rabbitmq_top',
  'rabbitmq_tracing', 'rabbitmq_trust_store', 'rabbitmq_web_dispatch', 'rabbitmq_web_mqtt', 'rabbitmq_web_mqtt_examples',
  'rabbitmq_web_stomp', 'rabbitmq_web_stomp_examples',
];

export async function rabbitmqPluginsCommand(argv: string[]): Promise<void> {
  const { values, positionals } = (() => {
    try {
      return parseArgs({ args: argv, allowPositionals: true, options: {
        node: { type: 'string', short: 'n' }, quiet: { type: 'boolean', short: 'q' }, silent: { type: 'boolean', short: 's' },
        verbose: { type: 'boolean', short: 'v' }, minimal: { type: 'boolean', short: 'm' },
        enabled: { type: 'boolean', short: 'E' }, 'implicitly-enabled': { type: 'boolean', short: 'e' },
        formatter: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      } });
    } catch (err) { throw new UsageError((err as Error).message, PLUGINS_USAGE); }
  })();
  if (values.help) { process.stdout.write(PLUGINS_USAGE); return; }
  const [verb, pattern] = positionals;
  if (verb !== 'list') throw new UsageError(verb ? `${verb}: Junction's plugins are built in; only list is supported` : 'missing verb', PLUGINS_USAGE);
  const re = new RegExp(pattern ?? '.*');
  const shown = PLUGINS.filter((p) => re.test(p))
    .filter((p) => (!values.enabled || ENABLED[p] === 'E') && (!values['implicitly-enabled'] || ENABLED[p] !== undefined));
  if (values.formatter === 'json') {
    process.stdout.write(`${JSON.stringify({ plugins: shown.map((name) => ({ name, version: VERSION, enabled: ENABLED[name] === 'E' ? 'enabled' : ENABLED[name] ? 'implicit' : 'not_enabled', running: ENABLED[name] !== undefined })), status: 'running' })}\n`);
    return;
  }
  const quiet = values.quiet || values.silent;
  if (!quiet) process.stdout.write(`Listing plugins with pattern "${pattern ?? '.*'}" ...\n`);
  if (values.minimal) { process.stdout.write(shown.map((p) => `${p}\n`).join('')); return; }
  if (!quiet) {
    process.stdout.write(' Configured: E = explicitly enabled; e = implicitly enabled\n');
    process.stdout.write(` | Status: * = running on ${values.node ?? 'junction@localhost'}\n |/\n`);
  }
  // The name column is as wide as the longest name shown (rabbitmq-plugins 3.10.8).
  const width = Math.max(0, ...shown.map((p) => p.length));
  for (const p of shown) {
    const mark = ENABLED[p] ? `${ENABLED[p]}*` : '  ';
    process.stdout.write(`[${mark}] ${p.padEnd(width)} ${VERSION}\n`);
  }
}
