import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asAdmin, openMgmt, type Mgmt } from './harness.js';

describe('management API: queues, exchanges, bindings, messages, definitions', () => {
  let m: Mgmt;
  before(async () => { m = await openMgmt(true); });
  after(() => m.close());
  const req = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
    m.app.inject({ method, url, headers: { ...asAdmin, ...headers }, ...(payload ? { payload } : {}) });

  it('declares queues: 201 new, 204 equivalent, 400 with the broker reason, 404 body for a missing one', async () => {
    assert.equal((await req('PUT', '/api/queues/%2F/q1', { durable: true })).statusCode, 201);
    assert.equal((await req('PUT', '/api/queues/%2F/q1', { durable: true })).statusCode, 204);
    const bad = await req('PUT', '/api/queues/%2F/q1', { durable: false });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json(), { error: 'bad_request', reason: "inequivalent arg 'durable' for queue 'q1' in vhost '/': received 'false' but current is 'true'" });
    const missing = await req('GET', '/api/queues/%2F/nosuch');
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { error: 'Object Not Found', reason: 'Not Found' });
    assert.equal((await req('PUT', '/api/queues/nosuch-vhost/q1', {})).statusCode, 404);
  });

  it('publishes through amq.default and gets the message back with RabbitMQ\'s fields', async () => {
    const pub = await req('POST', '/api/exchanges/%2F/amq.default/publish',
      { properties: { delivery_mode: 2, headers: { a: 1 } }, routing_key: 'q1', payload: 'hello', payload_encoding: 'string' });
    assert.deepEqual(pub.json(), { routed: true });
    const unroutable = await req('POST', '/api/exchanges/%2F/amq.default/publish', { properties: {}, routing_key: 'nope', payload: '', payload_encoding: 'string' });
    assert.deepEqual(unroutable.json(), { routed: false });
    const q = (await req('GET', '/api/queues/%2F/q1')).json();
    assert.equal(q.messages, 1);
    assert.deepEqual(q.consumer_details, []);
    const got = await req('POST', '/api/queues/%2F/q1/get', { count: 1, ackmode: 'ack_requeue_true', encoding: 'auto', truncate: 50000 });
    assert.deepEqual(got.json(), [{ payload_bytes: 5, redelivered: false, exchange: '', routing_key: 'q1', message_count: 0,
      properties: { delivery_mode: 2, headers: { a: 1 } }, payload: 'hello', payload_encoding: 'string' }]);
    assert.equal((await req('POST', '/api/queues/%2F/q1/get', { count: 1, ackmode: 'bogus' })).statusCode, 400);
    assert.equal((await req('DELETE', '/api/queues/%2F/q1/contents')).statusCode, 204);
    assert.equal((await req('GET', '/api/queues/%2F/q1')).json().messages, 0);
  });

  it('paginates, filters, sorts and prunes columns as the UI asks', async () => {
    for (const name of ['b-2', 'a-1', 'c-3']) await req('PUT', `/api/queues/%2F/${name}`, {});
    const all = (await req('GET', '/api/queues?columns=name,vhost')).json();
    assert.deepEqual(all, ['a-1', 'b-2', 'c-3', 'q1'].map((name) => ({ name, vhost: '/' })));
    const page = (await req('GET', '/api/queues/%2F?page=2&page_size=2&sort=name&sort_reverse=true&columns=name')).json();
    assert.deepEqual(page, { filtered_count: 4, item_count: 2, items: [{ name: 'b-2' }, { name: 'a-1' }], page: 2, page_count: 2, page_size: 2, total_count: 4 });
    const filtered = (await req('GET', '/api/queues?page=1&name=%5E%5Bab%5D&use_regex=true&columns=name')).json();
    assert.deepEqual(filtered.items, [{ name: 'a-1' }, { name: 'b-2' }]);
    assert.equal(filtered.filtered_count, 2);
    assert.equal((await req('GET', '/api/queues?page=9')).statusCode, 400);
    assert.equal((await req('GET', '/api/queues?page=1&page_size=501')).statusCode, 400);
  });

  it('binds and unbinds by properties_key, lists the default exchange as ""', async () => {
    assert.equal((await req('PUT', '/api/exchanges/%2F/ex1', { durable: true })).statusCode, 400, 'type mandatory');
    assert.equal((await req('PUT', '/api/exchanges/%2F/ex1', { type: 'direct' })).statusCode, 201);
    const created = await req('POST', '/api/bindings/%2F/e/ex1/q/q1', { routing_key: 'k 1' });
    assert.equal(created.statusCode, 201);
    assert.equal(created.headers.location, 'q1/k%25201');
    const listed = (await req('GET', '/api/bindings/%2F/e/ex1/q/q1')).json();
    assert.deepEqual(listed, [{ source: 'ex1', vhost: '/', destination: 'q1', destination_type: 'queue', routing_key: 'k 1', arguments: {}, properties_key: 'k%201' }]);
    const names = (await req('GET', '/api/exchanges/%2F?columns=name')).json().map((x: { name: string }) => x.name);
    assert.ok(names.includes('') && names.includes('amq.direct') && names.includes('ex1'));
    assert.equal((await req('GET', '/api/exchanges/%2F/amq.default')).json().name, '');
    assert.equal((await req('DELETE', '/api/bindings/%2F/e/ex1/q/q1/k%25201')).statusCode, 204);
    assert.equal((await req('DELETE', '/api/bindings/%2F/e/ex1/q/q1/k%25201')).statusCode, 404);
  });

  it('exports definitions and imports them back', async () => {
    await req('PUT', '/api/policies/%2F/ttl', { pattern: '^q', definition: { 'message-ttl': 1000 }, 'apply-to': 'queues' });
    const defs = (await req('GET', '/api/definitions')).json();
    assert.deepEqual(Object.keys(defs).sort(), ['bindings', 'exchanges', 'global_parameters', 'parameters', 'permissions', 'policies',
      'product_name', 'product_version', 'queues', 'rabbit_version', 'rabbitmq_version', 'topic_permissions', 'users', 'vhosts']);
    assert.deepEqual(defs.exchanges.map((x: { name: string }) => x.name), ['ex1']);
    assert.ok(defs.bindings.every((b: { source: string }) => b.source !== ''));
    const imported = {
      users: [{ name: 'carol', password: 'c-pw', tags: 'management' }], vhosts: [{ name: 'v9' }],
      permissions: [{ user: 'carol', vhost: 'v9', configure: '.*', write: '.*', read: '.*' }],
      queues: [{ name: 'iq', vhost: 'v9', durable: true, auto_delete: false, arguments: {} }],
    };
    assert.equal((await req('POST', '/api/definitions', imported)).statusCode, 204);
    assert.deepEqual(m.users.rabbit.tagsOf('carol'), ['management']);
    assert.ok(m.users.rabbit.canAccessVhost('carol', 'v9'));
    assert.ok(m.broker.queue('v9', 'iq'));
  });

  it('closes a connection with the X-Reason header, answers health checks and the aliveness test', async () => {
    m.broker.connectionList.push({ name: '127.0.0.1:5000 -> 127.0.0.1:5672', user: 'admin', vhost: '/', state: 'running',
      peerHost: '127.0.0.1', peerPort: 5000, host: '127.0.0.1', port: 5672, authMechanism: 'PLAIN', channels: 0, channelMax: 2047,
      frameMax: 131072, heartbeatSeconds: 60, connectedAt: 1, clientProperties: {}, userProvidedName: null,
      recvOct: 0, sendOct: 0, recvCnt: 0, sendCnt: 0 });
    const res = await req('DELETE', `/api/connections/${encodeURIComponent('127.0.0.1:5000 -> 127.0.0.1:5672')}`, undefined, { 'x-reason': 'bye' });
    assert.equal(res.statusCode, 204);
    assert.deepEqual(m.broker.closed, [{ name: '127.0.0.1:5000 -> 127.0.0.1:5672', reason: 'bye' }]);
    assert.deepEqual((await req('GET', '/api/healthchecks/node')).json(), { status: 'ok' });
    assert.deepEqual((await req('GET', '/api/aliveness-test/%2F')).json(), { status: 'ok' });
    assert.ok(m.broker.queue('/', 'aliveness-test'), 'the aliveness-test queue stays, as in RabbitMQ');
    const overview = (await req('GET', '/api/overview')).json();
    assert.equal(overview.rabbitmq_version, '3.10.8');
    assert.equal(overview.object_totals.queues, m.broker.queues().length);
  });
});
