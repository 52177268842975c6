import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { PYTHON } from '../../helpers/python.js';
import { startRabbitMq, type RabbitMqServer } from '../../helpers/rabbitmq-server.js';
import type { MessageStatKey } from '../../../src/amqp/management/broker-view.js';
import { asAdmin, openMgmt, type Mgmt } from './harness.js';
import { DELIBERATE_KEY_DIFFERENCES } from './shape-differences.js';
import { keysOf, SHAPE_ROUTES, SHAPE_WRITES } from './shapes.js';

/**
 * Differential on the management API's JSON shapes: for each route the set of keys (recursively,
 * the first element of lists) that the real RabbitMQ 3.10.8 answers equals Junction's, except the
 * deliberate differences listed in shape-differences.ts (and docs/compat/amqp.md). Junction's side
 * runs over the FakeBroker test double with the same objects declared; values are not compared.
 */
describe('management API JSON shapes vs RabbitMQ 3.10.8', { timeout: 180_000 }, () => {
  let server: RabbitMqServer;
  let ours: Mgmt;
  let consumer: ChildProcess | undefined;
  const guest = `Basic ${Buffer.from('guest:guest').toString('base64')}`;

  before(async () => {
    [server, ours] = await Promise.all([startRabbitMq(), openMgmt(true)]);
    for (const [method, url, body] of SHAPE_WRITES) {
      const res = await fetch(`${server.managementUrl}${url}`, { method, body: JSON.stringify(body), headers: { authorization: guest, 'content-type': 'application/json' } });
      assert.ok(res.status < 300, `${method} ${url} on RabbitMQ: ${res.status}`);
      const mine = await ours.app.inject({ method: method as 'PUT', url, headers: asAdmin, payload: body as object });
      assert.equal(mine.statusCode, res.status, `${method} ${url} on Junction: ${mine.statusCode} ${mine.body}`);
      assert.equal(mine.headers.location, res.headers.get('location') ?? undefined, `${method} ${url}: Location`);
    }
    consumer = spawn(PYTHON, ['-c', [
      'import pika',
      `c = pika.BlockingConnection(pika.ConnectionParameters('127.0.0.1', ${server.amqpPort}))`,
      "ch = c.channel(); ch.basic_qos(prefetch_count=5); ch.confirm_delivery(); ch.basic_publish('', 'q1', b'x')",
      "ch.basic_consume('q1', lambda *a: None, consumer_tag='ctag-1')", "print('ready', flush=True)", 'ch.start_consuming()',
    ].join('\n')], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => consumer!.stdout!.once('data', () => resolve()));
    // The same live objects in the test double, as the broker will report them.
    const conn = '127.0.0.1:40000 -> 127.0.0.1:5672';
    ours.broker.connectionList.push({ name: conn, user: 'admin', vhost: '/', state: 'running', peerHost: '127.0.0.1', peerPort: 40000,
      host: '127.0.0.1', port: 5672, authMechanism: 'PLAIN', channels: 1, channelMax: 2047, frameMax: 131072, heartbeatSeconds: 60,
      connectedAt: Date.now(), clientProperties: {}, userProvidedName: null, recvOct: 1, sendOct: 1, recvCnt: 1, sendCnt: 1 });
    ours.broker.channelList.push({ connectionName: conn, peerHost: '127.0.0.1', peerPort: 40000, number: 1, user: 'admin', vhost: '/',
      state: 'running', prefetchCount: 5, globalPrefetchCount: 0, consumerCount: 1, messagesUnacknowledged: 1, messagesUnconfirmed: 0,
      messagesUncommitted: 0, acksUncommitted: 0, confirm: true, transactional: false, idleSince: Date.now(),
      messageStats: {} });
    ours.broker.consumerList.push({ vhost: '/', queue: 'q1', consumerTag: 'ctag-1', ackRequired: true, exclusive: false,
      prefetchCount: 5, active: true, arguments: {},
      channel: { connectionName: conn, number: 1, peerHost: '127.0.0.1', peerPort: 40000, user: 'admin' } });
    // The counters the broker keeps, named as RabbitMQ names them (values do not matter here).
    const stats = (...keys: MessageStatKey[]) => Object.fromEntries(keys.map((k) => [k, { count: 1, rate: 0 }]));
    const delivery: MessageStatKey[] = ['ack', 'deliver', 'deliver_get', 'deliver_no_ack', 'get', 'get_empty', 'get_no_ack', 'publish', 'redeliver'];
    const channelKeys: MessageStatKey[] = [...delivery, 'confirm', 'drop_unroutable', 'return_unroutable'];
    ours.broker.messageStats = stats(...channelKeys, 'disk_reads', 'disk_writes');
    ours.broker.churn = Object.fromEntries((['channel_closed', 'channel_created', 'connection_closed', 'connection_created',
      'queue_created', 'queue_declared', 'queue_deleted'] as const).map((k) => [k, { count: 1, rate: 0 }]));
    ours.broker.queue('/', 'q1')!.messageStats = stats(...delivery);
    ours.broker.exchange('/', '')!.messageStats = stats('publish_in', 'publish_out');
    ours.broker.channelList[0]!.messageStats = stats(...channelKeys);
    await new Promise((r) => setTimeout(r, 6000)); // RabbitMQ's stats DB samples every 5 s
    await referenceCollected(server.managementUrl, guest, ours);
  });
  after(async () => { consumer?.kill('SIGKILL'); await Promise.all([server?.stop(), ours?.close()]); });

  it('answers the same keys on every route, except the listed deliberate differences', async () => {
    const problems: string[] = [];
    for (const route of SHAPE_ROUTES) {
      const real = await fetch(`${server.managementUrl}${route}`, { headers: { authorization: guest } });
      const mine = await ours.app.inject({ method: 'GET', url: route, headers: asAdmin });
      if (real.status !== mine.statusCode) problems.push(`${route}: status ${mine.statusCode}, RabbitMQ ${real.status}`);
      const realKeys = new Set(keysOf(await real.json()));
      const myKeys = new Set(keysOf(mine.json()));
      const allowed = DELIBERATE_KEY_DIFFERENCES[route] ?? { missing: [], extra: [] };
      const missing = [...realKeys].filter((k) => !myKeys.has(k)).sort();
      const extra = [...myKeys].filter((k) => !realKeys.has(k)).sort();
      if (JSON.stringify(missing) !== JSON.stringify([...allowed.missing].sort())) problems.push(`${route}: missing ${JSON.stringify(missing)}`);
      if (JSON.stringify(extra) !== JSON.stringify([...allowed.extra].sort())) problems.push(`${route}: extra ${JSON.stringify(extra)}`);
    }
    assert.deepEqual(problems, []);
  });
});


/** Routes whose answer RabbitMQ fills in over its management agent's first collections (node
 *  metrics and churn rates at the first 5 s sample, `contexts` and the node's
 *  metrics_gc_queue_length later): read too early they lack keys their steady state has. */
const COLLECTED_ROUTES = ['/api/overview', '/api/nodes'];
const COLLECTED_WITHIN_MS = 60_000;

/**
 * Wait until the reference's collected routes answer every key their steady state has — the keys
 * the comparison expects of RabbitMQ: Junction's minus the deliberate extras, plus the deliberate
 * missing ones — or fail naming the keys that never came. Nothing is loosened: the comparison
 * afterwards is the same, it only no longer reads an answer the agent has not filled yet.
 */
async function referenceCollected(managementUrl: string, authorization: string, ours: Mgmt): Promise<void> {
  const deadline = Date.now() + COLLECTED_WITHIN_MS;
  for (const route of COLLECTED_ROUTES) {
    const allowed = DELIBERATE_KEY_DIFFERENCES[route] ?? { missing: [], extra: [] };
    const mine = keysOf((await ours.app.inject({ method: 'GET', url: route, headers: asAdmin })).json());
    const steady = [...new Set([...mine.filter((k) => !allowed.extra.includes(k)), ...allowed.missing])];
    for (;;) {
      const real = new Set(keysOf(await (await fetch(`${managementUrl}${route}`, { headers: { authorization } })).json()));
      const lacking = steady.filter((k) => !real.has(k));
      if (lacking.length === 0) break;
      if (Date.now() > deadline) {
        assert.fail(`RabbitMQ's ${route} still lacks ${JSON.stringify(lacking)} ${COLLECTED_WITHIN_MS / 1000} s after start: its management agent never collected them (or Junction answers keys RabbitMQ does not)`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
