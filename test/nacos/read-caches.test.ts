import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { ManualClock } from '../../src/core/clock.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';

// The read paths keep derived answers (config headers per stored version, rendered instance
// lists per service revision); every apply that changes what they describe must show at once.
const clock = new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5));
let server: TestServer;
before(async () => { server = await startTestServer({ clock }); });
after(async () => { await server.destroy(); });

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const url = (path: string) => `${server.nacos}/nacos${path}`;

async function publish(content: string, type: string): Promise<void> {
  const body = new URLSearchParams({ dataId: 'cached', group: 'G', content, type });
  const res = await fetch(url('/v1/cs/configs'), { method: 'POST', body });
  assert.equal(await res.text(), 'true');
}

test('config get: a publish or remove changes the next answer, headers included', async () => {
  await publish('a=1', 'properties');
  const first = await fetch(url('/v1/cs/configs?dataId=cached&group=G'));
  assert.equal(await first.text(), 'a=1');
  assert.equal(first.headers.get('content-md5'), md5('a=1'));
  assert.equal(first.headers.get('last-modified'), 'Fri, 02 Jan 2026 03:04:05 GMT');
  assert.equal(first.headers.get('config-type'), 'properties');
  assert.equal((await fetch(url('/v1/cs/configs?dataId=cached&group=G'))).headers.get('content-md5'), md5('a=1'));

  clock.advance(61_000);
  await publish('{"a":2}', 'json');
  const second = await fetch(url('/v1/cs/configs?dataId=cached&group=G'));
  assert.equal(await second.text(), '{"a":2}');
  assert.equal(second.headers.get('content-md5'), md5('{"a":2}'));
  assert.equal(second.headers.get('last-modified'), 'Fri, 02 Jan 2026 03:05:06 GMT');
  assert.equal(second.headers.get('config-type'), 'json');
  assert.equal(second.headers.get('content-type'), 'application/json;charset=UTF-8');
  const v2 = await fetch(url('/v2/cs/config?dataId=cached&group=G'));
  assert.equal((await v2.json() as { data: string }).data, '{"a":2}');
  assert.equal(v2.headers.get('content-md5'), md5('{"a":2}'));

  await fetch(url('/v1/cs/configs?dataId=cached&group=G'), { method: 'DELETE' });
  const gone = await fetch(url('/v1/cs/configs?dataId=cached&group=G'));
  assert.equal(gone.status, 404);
  assert.equal(gone.headers.get('content-md5'), null);
});

/** The raw answer to one request on a fresh connection (Connection: close). */
function rawExchange(method: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.nacosPort, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => { data += chunk; });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.write(`${method} /nacos${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  });
}

test('config get and instance list write the header block reply.send() writes, in its order', async () => {
  await publish('k=v', 'properties');
  const names = (raw: string) => raw.split('\r\n\r\n')[0]!.split('\r\n').slice(1).map((l) => l.slice(0, l.indexOf(':')));
  const get = await rawExchange('GET', '/v1/cs/configs?dataId=cached&group=G');
  assert.deepEqual(names(get), ['config-type', 'content-md5', 'pragma', 'expires', 'cache-control', 'last-modified',
    'content-type', 'content-length', 'Date', 'Connection']);
  assert.match(get, /\r\ncontent-type: text\/plain;charset=UTF-8\r\ncontent-length: 3\r\n[^]*\r\n\r\nk=v$/);
  const head = await rawExchange('HEAD', '/v1/cs/configs?dataId=cached&group=G');
  assert.deepEqual(names(head), names(get));
  assert.ok(head.endsWith('\r\n\r\n'), 'HEAD has no body');
  const list = await rawExchange('GET', '/v1/ns/instance/list?serviceName=cached.none');
  assert.deepEqual(names(list), ['content-type', 'content-length', 'Date', 'Connection']);
  assert.match(list, /\r\ncontent-type: application\/json\r\n/);
  // What reply.send() writes, for comparison: a config that does not exist (404) goes through it.
  assert.deepEqual(names(await rawExchange('GET', '/v1/cs/configs?dataId=none&group=G')), ['content-type', 'content-length', 'Date', 'Connection']);
});

test('instance list: register, update and deregister change the next answer; lastRefTime is each answer\'s', async () => {
  const list = async () => JSON.parse(await (await fetch(url('/v1/ns/instance/list?serviceName=cached.svc'))).text()) as
    { hosts: { ip: string; weight: number }[]; lastRefTime: number };
  const empty = await list();
  assert.deepEqual(empty.hosts, []);
  assert.equal(empty.lastRefTime, clock.now());

  await fetch(url('/v1/ns/instance?serviceName=cached.svc&ip=10.9.0.1&port=80'), { method: 'POST' });
  assert.deepEqual((await list()).hosts.map((h) => h.ip), ['10.9.0.1']);
  clock.advance(5);
  const again = await list();
  assert.equal(again.lastRefTime, clock.now(), 'the cached list still answers the current time');

  await fetch(url('/v1/ns/instance?serviceName=cached.svc&ip=10.9.0.1&port=80&weight=3'), { method: 'PUT' });
  assert.equal((await list()).hosts[0]!.weight, 3);
  await fetch(url('/v1/ns/instance?serviceName=cached.svc&ip=10.9.0.2&port=80'), { method: 'POST' });
  assert.deepEqual((await list()).hosts.map((h) => h.ip).sort(), ['10.9.0.1', '10.9.0.2']);
  await fetch(url('/v1/ns/instance?serviceName=cached.svc&ip=10.9.0.1&port=80'), { method: 'DELETE' });
  assert.deepEqual((await list()).hosts.map((h) => h.ip), ['10.9.0.2']);
});
