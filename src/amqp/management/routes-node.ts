import type { FastifyRequest } from 'fastify';
import type { RouteTable } from './route-table.js';
import { hostname } from 'node:os';
import { isMonitor, requireMonitor, requireVhost } from './auth.js';
import { userOf, type ManagementOptions } from './context.js';
import { badRequest, notFound } from './errors.js';
import { details, formatChannel, formatConnection, formatConsumer, messageStats } from './format.js';
import { listAnswer, type Query } from './list-query.js';
import { bodyOf } from './routes-access.js';

/** Overview, nodes, cluster name, connections, channels, consumers, health checks
 *  (rabbit_mgmt_wm_overview, _nodes, _cluster_name, _connection(s), _channels, _consumers,
 *  _healthchecks, _aliveness_test). */

type Params = Record<string, string>;
export const RABBITMQ_VERSION = '3.10.8';

const EXCHANGE_TYPES = ['direct', 'fanout', 'headers', 'topic'].map((name) =>
  ({ name, description: `AMQP ${name} exchange, as per the AMQP specification`, enabled: true }));

function overview(opts: ManagementOptions, clusterName: string, monitor: boolean): Record<string, unknown> {
  const t = opts.broker.overview();
  const base: Record<string, unknown> = {
    management_version: RABBITMQ_VERSION, rates_mode: 'basic',
    sample_retention_policies: { global: [600, 3600, 28800, 86400], basic: [600, 3600], detailed: [600] },
    exchange_types: EXCHANGE_TYPES, product_version: RABBITMQ_VERSION, product_name: 'RabbitMQ',
    rabbitmq_version: RABBITMQ_VERSION, cluster_name: clusterName,
    erlang_version: `Node.js ${process.versions.node}`, erlang_full_version: `Junction on Node.js ${process.version}`,
    release_series_support_status: 'supported', disable_stats: false, enable_queue_totals: false,
  };
  if (!monitor) return base; // rabbit_mgmt_wm_overview: non-monitoring users get the reduced view
  return {
    ...base, message_stats: messageStats(t.messageStats), churn_rates: messageStats(t.churn),
    queue_totals: {
      messages: t.messagesReady + t.messagesUnacknowledged, messages_details: details(0),
      messages_ready: t.messagesReady, messages_ready_details: details(0),
      messages_unacknowledged: t.messagesUnacknowledged, messages_unacknowledged_details: details(0),
    },
    object_totals: { channels: t.channels, connections: t.connections, consumers: t.consumers, exchanges: t.exchanges, queues: t.queues },
    statistics_db_event_queue: 0, node: opts.nodeName,
    listeners: t.listeners.map((l) => ({ node: opts.nodeName, protocol: l.protocol, ip_address: l.ip, port: l.port, socket_opts: {} })),
    contexts: [],
  };
}

/** Node metrics RabbitMQ reads from the Erlang VM and its stores; Junction has no such counters
 *  and answers 0 so that the UI's node page renders (docs/compat/amqp.md). */
const ZERO_NODE_COUNTERS = [
  'context_switches', 'gc_bytes_reclaimed', 'gc_num', 'io_read_avg_time', 'io_read_bytes', 'io_read_count', 'io_reopen_count',
  'io_seek_avg_time', 'io_seek_count', 'io_sync_avg_time', 'io_sync_count', 'io_write_avg_time', 'io_write_bytes', 'io_write_count',
  'mnesia_disk_tx_count', 'mnesia_ram_tx_count', 'msg_store_read_count', 'msg_store_write_count', 'queue_index_read_count',
  'queue_index_write_count',
];

function node(opts: ManagementOptions): Record<string, unknown> {
  const mem = process.memoryUsage();
  const totals = opts.broker.overview();
  const counters: Record<string, unknown> = { ...messageStats(totals.churn) };
  for (const name of ZERO_NODE_COUNTERS) { counters[name] = 0; counters[`${name}_details`] = details(0); }
  for (const name of ['disk_free', 'fd_used', 'mem_used', 'proc_used', 'sockets_used']) counters[`${name}_details`] = details(0);
  return {
    name: opts.nodeName, type: 'disc', running: true, os_pid: String(process.pid), uptime: Date.now() - opts.startedAt,
    mem_used: mem.rss, mem_limit: 0, mem_alarm: false, mem_calculation_strategy: 'rss',
    disk_free: 0, disk_free_limit: 0, disk_free_alarm: false,
    fd_used: 0, fd_total: 0, sockets_used: totals.connections, sockets_total: 0, proc_used: 0, proc_total: 0,
    processors: 1, run_queue: 0, partitions: [], cluster_links: [], rates_mode: 'basic', net_ticktime: 60,
    exchange_types: EXCHANGE_TYPES, enabled_plugins: ['rabbitmq_management'], applications: [], contexts: [],
    auth_mechanisms: [
      { name: 'PLAIN', description: 'SASL PLAIN authentication mechanism', enabled: true },
      { name: 'AMQPLAIN', description: 'QPid AMQPLAIN mechanism', enabled: true },
    ],
    log_files: [], config_files: [], db_dir: '', metrics_gc_queue_length: {}, ra_open_file_metrics: {},
    ...counters,
  };
}

function connectionRoutes(app: RouteTable, opts: ManagementOptions): void {
  const { broker, nodeName } = opts;
  /** Non-monitoring users see only their own connections and channels (rabbit_mgmt_util:filter_user). */
  const own = (req: FastifyRequest) => { const u = userOf(req); return (user: string) => isMonitor(u) || user === u.name; };
  app.get('/api/connections', async (req) =>
    listAnswer(broker.connections().filter((c) => own(req)(c.user)).map((c) => formatConnection(c, nodeName)), req.query as Query, ['name']));
  app.get('/api/connections/:name', async (req) => {
    const c = broker.connections().find((x) => x.name === (req.params as Params).name && own(req)(x.user));
    if (!c) throw notFound();
    return formatConnection(c, nodeName);
  });
  app.delete('/api/connections/:name', async (req, reply) => {
    const c = broker.connections().find((x) => x.name === (req.params as Params).name && own(req)(x.user));
    if (!c) throw notFound();
    // rabbit_mgmt_wm_connection: the X-Reason header becomes the close reason.
    const reason = req.headers['x-reason'];
    await broker.closeConnection(c.name, typeof reason === 'string' ? reason : 'Closed via management plugin');
    return reply.code(204).send();
  });
  app.get('/api/connections/:name/channels', async (req) =>
    listAnswer(broker.channels().filter((c) => c.connectionName === (req.params as Params).name && own(req)(c.user))
      .map((c) => formatChannel(c, nodeName)), req.query as Query, ['name']));
  app.get('/api/channels', async (req) =>
    listAnswer(broker.channels().filter((c) => own(req)(c.user)).map((c) => formatChannel(c, nodeName)), req.query as Query, ['name']));
  const consumers = async (req: FastifyRequest) => {
    const vhost = (req.params as Params).vhost;
    if (vhost !== undefined) {
      if (!opts.users.rabbit.vhostExists(vhost)) throw notFound();
      requireVhost(opts, userOf(req), vhost, false);
    }
    return listAnswer(broker.consumers(vhost).filter((c) => own(req)(c.channel.user)).map((c) => formatConsumer(c, nodeName)),
      req.query as Query, ['queue.vhost', 'queue.name']);
  };
  app.get('/api/consumers/:vhost?', consumers); // /api/consumers and /api/consumers/{vhost}
}

function healthRoutes(app: RouteTable, opts: ManagementOptions): void {
  app.get('/api/healthchecks/node', async () => ({ status: 'ok' }));
  // rabbit_mgmt_wm_aliveness_test: declare "aliveness-test", publish "test_message" through the
  // default exchange, get it back without ack; the queue stays.
  app.get('/api/aliveness-test/:vhost', async (req, reply) => {
    const vhost = (req.params as Params).vhost!;
    if (!opts.users.rabbit.vhostExists(vhost)) throw notFound();
    requireVhost(opts, userOf(req), vhost, true);
    const queue = 'aliveness-test';
    await opts.broker.declareQueue(vhost, queue, { durable: false, autoDelete: false, arguments: {} });
    await opts.broker.publish(vhost, '', { routingKey: queue, properties: {}, payload: Buffer.from('test_message') });
    const got = await opts.broker.get(vhost, queue, { count: 1, ack: 'ack', requeue: false });
    if (got[0]?.payload.toString() === 'test_message') return { status: 'ok' };
    return reply.code(503).send({ status: 'failed', reason: 'aliveness-test queue is empty' });
  });
}

export function nodeRoutes(app: RouteTable, opts: ManagementOptions): void {
  let clusterName = `${opts.nodeName.split('@')[0]}@${hostname()}`;
  app.get('/api/overview', async (req) => overview(opts, clusterName, isMonitor(userOf(req))));
  app.get('/api/cluster-name', async () => ({ name: clusterName }));
  app.put('/api/cluster-name', async (req, reply) => {
    requireMonitor(userOf(req));
    const name = bodyOf(req).name;
    if (typeof name !== 'string' || name === '') throw badRequest('name mandatory');
    clusterName = name; // not durable in this phase (docs/compat/amqp.md)
    return reply.code(204).send();
  });
  app.get('/api/nodes', async (req) => { requireMonitor(userOf(req)); return [node(opts)]; });
  app.get('/api/nodes/:node', async (req) => {
    requireMonitor(userOf(req));
    if ((req.params as Params).node !== opts.nodeName) throw notFound();
    return node(opts);
  });
  app.get('/api/extensions', async () => []);
  connectionRoutes(app, opts);
  healthRoutes(app, opts);
}
