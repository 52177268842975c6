import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import amqplib from 'amqplib';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { curl, eventually } from './curl.js';

type Json = Record<string, unknown>;
const rows = (x: unknown) => x as Json[];

/** The management API on its own port over the real broker, driven by curl while amqplib holds
 *  real connections, channels, consumers and messages (--auth off: any credentials). */
describe('management API over the running broker (curl + amqplib, auth off)', () => {
  let server: TestServer;
  let api: string;
  let conn: amqplib.ChannelModel;
  let ch: amqplib.Channel;
  before(async () => {
    server = await startTestServer({ enabled: ['amqp'] });
    api = `http://127.0.0.1:${server.ports.amqpManagement}/api`;
    conn = await amqplib.connect(`amqp://anyone:x@127.0.0.1:${server.ports.amqp}`, { clientProperties: { connection_name: 'live-test' } });
    ch = await conn.createChannel();
    await ch.assertExchange('live.x', 'direct', { durable: true });
    await ch.assertQueue('live.q', { durable: true });
    await ch.bindQueue('live.q', 'live.x', 'k1');
    for (let i = 0; i < 3; i++) ch.publish('live.x', 'k1', Buffer.from(`m${i}`));
    await ch.assertQueue('live.consumed', { durable: false });
    await ch.prefetch(1);
    ch.sendToQueue('live.consumed', Buffer.from('held'));
    await ch.consume('live.consumed', () => { /* keep it unacked */ }, { noAck: false, consumerTag: 'live-ctag' });
  });
  after(async () => {
    await conn?.close().catch(() => undefined);
    await server?.destroy();
  });

  it('lists the queues with ready, unacked and consumer counts', async () => {
    await eventually(async () => {
      const q = (await curl('GET', `${api}/queues/%2F/live.q`)).json as Json;
      assert.deepEqual([q.messages, q.messages_ready, q.messages_unacknowledged, q.consumers], [3, 3, 0, 0]);
      const c = (await curl('GET', `${api}/queues/%2F/live.consumed`)).json as Json;
      assert.deepEqual([c.messages, c.messages_ready, c.messages_unacknowledged, c.consumers], [1, 0, 1, 1]);
    });
    const all = rows((await curl('GET', `${api}/queues`)).json).map((q) => q.name);
    assert.deepEqual(all.sort(), ['live.consumed', 'live.q']);
  });

  it('shows overview totals, message_stats and the listener', async () => {
    const o = (await curl('GET', `${api}/overview`)).json as Json;
    assert.deepEqual(o.object_totals, { channels: 1, connections: 1, consumers: 1, exchanges: 8, queues: 2 });
    const totals = o.queue_totals as Json;
    assert.deepEqual([totals.messages, totals.messages_ready, totals.messages_unacknowledged], [4, 3, 1]);
    const stats = o.message_stats as Record<string, { count?: number } | number>;
    assert.equal(stats.publish, 4);
    assert.equal(stats.deliver, 1);
    const listeners = rows(o.listeners);
    assert.deepEqual(listeners.map((l) => [l.protocol, l.port]), [['amqp', server.ports.amqp]]);
  });

  it('lists the connection, its channel and its consumer', async () => {
    const conns = rows((await curl('GET', `${api}/connections`)).json);
    assert.equal(conns.length, 1);
    assert.equal(conns[0]!.user, 'anyone');
    assert.equal(conns[0]!.vhost, '/');
    assert.equal(conns[0]!.user_provided_name, 'live-test');
    assert.equal(conns[0]!.channels, 1);
    const name = String(conns[0]!.name);
    assert.match(name, /^127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+$/);
    const one = await curl('GET', `${api}/connections/${encodeURIComponent(name)}`);
    assert.equal(one.status, 200);
    const chans = rows((await curl('GET', `${api}/channels`)).json);
    assert.deepEqual(chans.map((c) => [c.number, c.consumer_count, c.messages_unacknowledged, c.prefetch_count]), [[1, 1, 1, 1]]);
    const consumers = rows((await curl('GET', `${api}/consumers/%2F`)).json);
    assert.deepEqual(consumers.map((c) => [c.consumer_tag, (c.queue as Json).name, c.ack_required]), [['live-ctag', 'live.consumed', true]]);
  });

  it('lists bindings with the default exchange\'s implicit ones and the declared one', async () => {
    const bs = rows((await curl('GET', `${api}/queues/%2F/live.q/bindings`)).json);
    assert.deepEqual(bs.map((b) => [b.source, b.routing_key]), [['', 'live.q'], ['live.x', 'k1']]);
    const between = await curl('GET', `${api}/bindings/%2F/e/live.x/q/live.q`);
    assert.deepEqual(rows(between.json).map((b) => b.routing_key), ['k1']);
  });

  it('publishes to an exchange and gets from a queue (what amqplib then sees)', async () => {
    const pub = await curl('POST', `${api}/exchanges/%2F/live.x/publish`, {
      data: JSON.stringify({ routing_key: 'k1', properties: { headers: { h: 1 }, delivery_mode: 2 }, payload: 'via http', payload_encoding: 'string' }),
    });
    assert.deepEqual([pub.status, pub.json], [200, { routed: true }]);
    const got = await curl('POST', `${api}/queues/%2F/live.q/get`, { data: JSON.stringify({ count: 10, ackmode: 'ack_requeue_false', encoding: 'auto' }) });
    assert.equal(got.status, 200);
    const msgs = rows(got.json);
    assert.deepEqual(msgs.map((m) => m.payload), ['m0', 'm1', 'm2', 'via http']);
    assert.deepEqual((msgs[3]!.properties as Json).headers, { h: 1 });
    assert.equal(msgs[3]!.message_count, 0);
    assert.equal(await ch.get('live.q'), false);
  });

  it('declares, purges and deletes through the API, and amqplib sees it', async () => {
    assert.equal((await curl('PUT', `${api}/queues/%2F/api.q`, { data: '{"durable":true,"arguments":{"x-max-length":5}}' })).status, 201);
    assert.equal((await curl('PUT', `${api}/queues/%2F/api.q`, { data: '{"durable":false}' })).status, 400);
    ch.sendToQueue('api.q', Buffer.from('a'));
    ch.sendToQueue('api.q', Buffer.from('b'));
    await eventually(async () => assert.equal(((await curl('GET', `${api}/queues/%2F/api.q`)).json as Json).messages, 2));
    assert.equal((await curl('DELETE', `${api}/queues/%2F/api.q/contents`)).status, 204);
    const check = await ch.checkQueue('api.q');
    assert.equal(check.messageCount, 0);
    assert.equal((await curl('DELETE', `${api}/queues/%2F/api.q`)).status, 204);
    assert.equal((await curl('GET', `${api}/queues/%2F/api.q`)).status, 404);
  });

  it('exports definitions and imports them into a new vhost; deleting the vhost drops its objects', async () => {
    const defs = (await curl('GET', `${api}/definitions`)).json as Json;
    assert.deepEqual(rows(defs.queues).map((q) => q.name).sort(), ['live.consumed', 'live.q']);
    assert.deepEqual(rows(defs.exchanges).map((x) => x.name), ['live.x']);
    assert.equal((await curl('PUT', `${api}/vhosts/v2`)).status, 201);
    assert.equal((await curl('POST', `${api}/definitions/v2`, { data: JSON.stringify({ queues: defs.queues, exchanges: defs.exchanges, bindings: defs.bindings }) })).status, 204);
    assert.deepEqual(rows((await curl('GET', `${api}/queues/v2`)).json).map((q) => q.name).sort(), ['live.consumed', 'live.q']);
    const v2 = await amqplib.connect(`amqp://anyone:x@127.0.0.1:${server.ports.amqp}/v2`);
    // amqplib reports a server's connection.close as 'close' with the error.
    const closed = new Promise<Error>((resolve) => v2.on('close', resolve));
    const v2ch = await v2.createChannel();
    await v2ch.checkQueue('live.q');
    assert.equal((await curl('DELETE', `${api}/vhosts/v2`)).status, 204);
    assert.match(String((await closed).message), /CONNECTION_FORCED/);
    assert.equal((await curl('GET', `${api}/queues/v2/live.q`)).status, 404);
    assert.equal(server.junction.personality('amqp') !== undefined, true);
  });

  it('keeps policies and shows the one that applies on the queue', async () => {
    const put = await curl('PUT', `${api}/policies/%2F/cap`, { data: '{"pattern":"^live\\\\.q$","definition":{"max-length":100},"apply-to":"queues","priority":1}' });
    assert.equal(put.status, 201);
    const q = (await curl('GET', `${api}/queues/%2F/live.q`)).json as Json;
    assert.equal(q.policy, 'cap');
    assert.deepEqual(q.effective_policy_definition, { 'max-length': 100 });
    assert.equal((await curl('DELETE', `${api}/policies/%2F/cap`)).status, 204);
    assert.equal((await curl('GET', `${api}/policies/%2F/cap`)).status, 404);
  });

  it('closes a connection with the given reason (DELETE /api/connections/name)', async () => {
    const other = await amqplib.connect(`amqp://closer:x@127.0.0.1:${server.ports.amqp}`);
    const closed = new Promise<Error>((resolve) => other.on('close', resolve));
    const conns = rows((await curl('GET', `${api}/connections`)).json).filter((c) => c.user === 'closer');
    const name = encodeURIComponent(String(conns[0]!.name));
    const del = await curl('DELETE', `${api}/connections/${name}`, { data: '' });
    assert.equal(del.status, 204);
    assert.match((await closed).message, /CONNECTION_FORCED - Closed via management plugin/);
    assert.equal((await curl('DELETE', `${api}/connections/${name}`)).status, 404);
  });

  it('answers 404 for missing objects and a clean 4xx for hostile requests, and keeps serving', async () => {
    for (const path of ['queues/%2F/nosuch', 'exchanges/%2F/nosuch', 'queues/nosuchvhost/q', 'vhosts/nosuch', 'connections/nosuch']) {
      assert.equal((await curl('GET', `${api}/${path}`)).status, 404, path);
    }
    const badJson = await curl('PUT', `${api}/queues/%2F/bad`, { data: '{"durable":' });
    assert.deepEqual([badJson.status, badJson.json], [400, { error: 'bad_request', reason: 'not_json' }]);
    assert.equal((await curl('PUT', `${api}/queues/%2F/bad`, { data: JSON.stringify({ pad: 'x'.repeat(40 * 1024 * 1024) }) }).catch(() => ({ status: 413 }))).status, 413);
    const pct = await curl('GET', `${api}/queues/%E0%A4%A/q`);
    assert.ok(pct.status >= 400 && pct.status < 500, String(pct.status));
    const traversal = await curl('GET', `${api}/queues/%2F/..%2F..%2Fetc%2Fpasswd`, { raw: true });
    assert.equal(traversal.status, 404);
    const dots = await curl('GET', `${api}/../../etc/passwd`, { raw: true });
    assert.ok(dots.status >= 400 && dots.status < 500, String(dots.status));
    assert.equal((await curl('PUT', `${api}/queues/nosuchvhost/q`, { data: '{}' })).status, 404);
    assert.equal((await curl('GET', `${api}/overview`)).status, 200);
    assert.equal((await ch.checkQueue('live.q')).queue, 'live.q');
  });

  it('reports counts in junction status and junction_amqp_ metrics', async () => {
    const status = (await (await fetch(`${server.admin}/api/status`)).json()) as { personalities: { name: string; counts: Json; ports: Json }[] };
    const amqp = status.personalities.find((p) => p.name === 'amqp')!;
    assert.equal(amqp.ports.amqpManagement, server.ports.amqpManagement);
    assert.equal(amqp.counts.queues, 2);
    assert.equal(amqp.counts.connections, 1);
    assert.equal(amqp.counts.consumers, 1);
    const text = await (await fetch(`${server.admin}/metrics`)).text();
    const value = (line: string) => Number(text.split('\n').find((l) => l.startsWith(`${line} `))?.split(' ')[1]);
    assert.equal(value('junction_amqp_queues'), 2);
    assert.equal(value('junction_amqp_connections'), 1);
    assert.equal(value('junction_amqp_channels'), 1);
    assert.equal(value('junction_amqp_consumers'), 1);
    assert.equal(value('junction_amqp_messages_unacked'), 1);
    assert.equal(value('junction_amqp_queue_messages_unacked{vhost="/",queue="live.consumed"}'), 1);
    assert.ok(value('junction_amqp_messages_published_total') >= 7);
    assert.ok(value('junction_amqp_messages_delivered_total') >= 5);
  });

  it('counts message_stats per vhost; the node\'s are their sum and keep a deleted vhost\'s', async () => {
    assert.equal((await curl('PUT', `${api}/vhosts/v3`)).status, 201);
    const v3 = await amqplib.connect(`amqp://anyone:x@127.0.0.1:${server.ports.amqp}/v3`);
    v3.on('error', () => undefined);
    const v3ch = await v3.createConfirmChannel();
    await v3ch.assertQueue('v3.q');
    for (let i = 0; i < 2; i++) v3ch.sendToQueue('v3.q', Buffer.from(`v3-${i}`));
    await v3ch.waitForConfirms();
    const got = await v3ch.get('v3.q', { noAck: false });
    assert.ok(got);
    v3ch.ack(got);
    const publishes = async () => Object.fromEntries(rows((await curl('GET', `${api}/vhosts`)).json)
      .map((v) => [v.name, ((v.message_stats as Json | undefined)?.publish as number | undefined) ?? 0]));
    await eventually(async () => {
      const stats = (await curl('GET', `${api}/vhosts/v3`)).json as { message_stats: Record<string, number> };
      assert.deepEqual([stats.message_stats.publish, stats.message_stats.confirm, stats.message_stats.get, stats.message_stats.ack], [2, 2, 1, 1]);
    });
    const perVhost = await publishes();
    const node = ((await curl('GET', `${api}/overview`)).json as { message_stats: { publish: number } }).message_stats.publish;
    assert.ok(perVhost['/']! >= 4, JSON.stringify(perVhost));
    assert.equal(node, perVhost['/']! + perVhost['v3']!, 'the node counts every vhost\'s publishes');
    await v3.close();
    assert.equal((await curl('DELETE', `${api}/vhosts/v3`)).status, 204);
    const after = ((await curl('GET', `${api}/overview`)).json as { message_stats: { publish: number } }).message_stats.publish;
    assert.equal(after, node, 'a deleted vhost\'s messages stay counted in the node\'s totals');
  });
});
