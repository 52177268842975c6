import { seg } from './client.js';
import {
  BINDING_COLUMNS, CHANNEL_COLUMNS, CONNECTION_COLUMNS, CONSUMER_COLUMNS, EXCHANGE_COLUMNS, QUEUE_COLUMNS,
  rowsOf, selectColumns, type ColumnSet,
} from './columns.js';
import type { Verb, VerbContext } from './context.js';
import { argumentCount, ctlError, EX_UNAVAILABLE, EX_USAGE } from './failure.js';
import { banner, printRows } from './output.js';

/** rabbitmqctl's queue, exchange, binding, connection, channel and consumer verbs, and status. */

type Json = Record<string, unknown>;

/** A list verb: banner lines, the API list (a missing vhost lists nothing, as rabbitmqctl), rows. */
function listVerb(set: ColumnSet, path: (ctx: VerbContext) => string, bannerOf: (ctx: VerbContext) => string[]): Verb {
  return async (ctx) => {
    const columns = selectColumns(set, ctx.args);
    banner(ctx.mode, ...bannerOf(ctx));
    const items = (await ctx.client.get<Json[]>(path(ctx))) ?? [];
    printRows(ctx.mode, columns, rowsOf(set, columns, items));
  };
}

const deleteQueue: Verb = async (ctx) => {
  if (ctx.args.length !== 1) throw argumentCount(ctx.args.length < 1);
  const name = ctx.args[0]!;
  banner(ctx.mode, `Deleting queue '${name}' on vhost '${ctx.vhost}' ...`);
  const path = `/api/queues/${seg(ctx.vhost)}/${seg(name)}`;
  const queue = await ctx.client.get<Json>(path);
  const { status } = queue ? await ctx.client.request('DELETE', path) : { status: 404 };
  // rabbitmqctl 3.10.8 answers a missing queue with exit code 64.
  if (status === 404) throw ctlError(EX_USAGE, 'Queue not found');
  process.stdout.write(`Queue was successfully deleted with ${Number(queue!.messages_ready ?? 0)} ready messages\n`);
};

const purgeQueue: Verb = async (ctx) => {
  if (ctx.args.length !== 1) throw argumentCount(ctx.args.length < 1);
  const name = ctx.args[0]!;
  banner(ctx.mode, `Purging queue '${name}' in vhost '${ctx.vhost}' ...`);
  const { status } = await ctx.client.request('DELETE', `/api/queues/${seg(ctx.vhost)}/${seg(name)}/contents`);
  if (status === 404) throw ctlError(EX_UNAVAILABLE, 'not_found');
};

/** A short `status` from /api/overview and /api/nodes: the real one reads the Erlang VM. */
const status: Verb = async (ctx) => {
  if (ctx.args.length > 0) throw argumentCount(false);
  const overview = (await ctx.client.get<Json>('/api/overview')) ?? {};
  const node = ((await ctx.client.get<Json[]>('/api/nodes')) ?? [])[0] ?? {};
  const listeners = (overview.listeners ?? []) as Json[];
  if (ctx.mode.formatter === 'json') {
    process.stdout.write(`${JSON.stringify({
      pid: Number(node.os_pid ?? 0), rabbitmq_version: overview.rabbitmq_version, product_name: overview.product_name,
      product_version: overview.product_version, uptime: Math.floor(Number(node.uptime ?? 0) / 1000),
      listeners: listeners.map((l) => ({ node: l.node, protocol: l.protocol, interface: l.ip_address, port: l.port })),
      alarms: [], memory: { total: { rss: node.mem_used } },
    })}\n`);
    return;
  }
  banner(ctx.mode, `Status of node ${String(overview.node ?? node.name ?? '')} ...`);
  process.stdout.write([
    'Runtime', '', `OS PID: ${String(node.os_pid ?? '')}`, `Uptime (seconds): ${Math.floor(Number(node.uptime ?? 0) / 1000)}`,
    `Is under maintenance?: false`, `RabbitMQ version: ${String(overview.rabbitmq_version ?? '')}`,
    `Product name: ${String(overview.product_name ?? '')}`, `Product version: ${String(overview.product_version ?? '')}`,
    '', 'Alarms', '', '(none)', '', 'Listeners', '',
    ...listeners.map((l) => `Interface: ${String(l.ip_address)}, port: ${String(l.port)}, protocol: ${String(l.protocol)}`), '',
  ].join('\n'));
};

const vhostPath = (base: string) => (ctx: VerbContext) => `${base}/${seg(ctx.vhost)}`;

export const OBJECT_VERBS: Record<string, Verb> = {
  list_queues: listVerb(QUEUE_COLUMNS, vhostPath('/api/queues'),
    (ctx) => ['Timeout: 60.0 seconds ...', `Listing queues for vhost ${ctx.vhost} ...`]),
  list_exchanges: listVerb(EXCHANGE_COLUMNS, vhostPath('/api/exchanges'), (ctx) => [`Listing exchanges for vhost ${ctx.vhost} ...`]),
  list_bindings: listVerb(BINDING_COLUMNS, vhostPath('/api/bindings'), (ctx) => [`Listing bindings for vhost ${ctx.vhost}...`]),
  list_connections: listVerb(CONNECTION_COLUMNS, () => '/api/connections', () => ['Listing connections ...']),
  list_channels: listVerb(CHANNEL_COLUMNS, () => '/api/channels', () => ['Listing channels ...']),
  list_consumers: listVerb(CONSUMER_COLUMNS, vhostPath('/api/consumers'), (ctx) => [`Listing consumers in vhost ${ctx.vhost} ...`]),
  delete_queue: deleteQueue,
  purge_queue: purgeQueue,
  status,
};
