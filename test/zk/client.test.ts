// ZkClient against a REAL ZooKeeper 3.8 (the Debian jar), started here on a free port with a
// temp data dir: the client and the codec under it must work with the original server.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { Err, ZkCodecError, ZkError } from '../../src/zk/codec/errors.js';
import { NULL_BUFFER } from '../../src/zk/codec/jute.js';
import { AddWatchMode, CreateFlag, EventType, KeeperState, OpCode } from '../../src/zk/codec/types.js';
import { ZkClient, ZkMultiError, type ZkWatchEvent } from '../../src/zk/client/zk-client.js';
import { startReferenceZk, type ZkTarget } from '../helpers/zk-target.js';

let ref: ZkTarget;
let port: number;
const clients: ZkClient[] = [];

before(async () => {
  ref = await startReferenceZk();
  port = ref.port;
});

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await ref.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function client(timeoutMs = 10_000): Promise<ZkClient> {
  const c = await ZkClient.connect({ host: '127.0.0.1', port, timeoutMs });
  clients.push(c);
  return c;
}

const zkError = (code: number, message?: string) => (e: unknown) =>
  e instanceof ZkError && e.zkCode === code && (message === undefined || e.message === message);

test('connect: a new session with a 64-bit id, 16-byte password and negotiated timeout', async () => {
  const c = await client(6000);
  assert.equal(typeof c.sessionId, 'bigint');
  assert.notEqual(c.sessionId, 0n);
  assert.equal(c.passwd.length, 16);
  assert.equal(c.negotiatedTimeout, 6000);
  assert.equal(c.readOnly, false);
  // Below minSessionTimeout (2 * tickTime) the server raises it.
  assert.equal((await client(1000)).negotiatedTimeout, 4000);
});

test('create / getData / setData / exists / getChildren / delete, and their KeeperErrors', async () => {
  const c = await client();
  assert.equal(await c.create('/crud', 'v1'), '/crud');
  const { data, stat } = await c.getData('/crud');
  assert.equal(data.toString(), 'v1');
  assert.equal(stat.version, 0);
  assert.equal((await c.setData('/crud', 'v2', 0)).version, 1);
  await assert.rejects(c.setData('/crud', 'v3', 0), zkError(Err.BADVERSION, 'KeeperErrorCode = BadVersion for /crud'));
  await assert.rejects(c.create('/crud'), zkError(Err.NODEEXISTS));
  await assert.rejects(c.getData('/nope'), zkError(Err.NONODE, 'KeeperErrorCode = NoNode for /nope'));
  assert.equal(await c.exists('/nope'), null);
  assert.equal((await c.exists('/crud'))?.dataLength, 2);
  await c.create('/crud/k1');
  const seq = await c.create('/crud/s-', '', { flags: CreateFlag.PERSISTENT_SEQUENTIAL });
  assert.equal(seq, '/crud/s-0000000001');
  assert.deepEqual((await c.getChildren('/crud')).sort(), ['k1', 's-0000000001']);
  const two = await c.getChildren2('/crud');
  assert.equal(two.stat.numChildren, 2);
  await assert.rejects(c.delete('/crud'), zkError(Err.NOTEMPTY));
  await c.delete('/crud/k1');
  await c.delete(seq);
  await c.delete('/crud', 1);
  assert.equal(await c.exists('/crud'), null);
});

test('pipelining: 300 requests in flight resolve in order with their own replies', async () => {
  const c = await client();
  await c.create('/pipe');
  const created = await Promise.all(Array.from({ length: 300 }, (_, i) =>
    c.create('/pipe/n-', String(i), { flags: CreateFlag.PERSISTENT_SEQUENTIAL })));
  created.forEach((p, i) => assert.equal(p, `/pipe/n-${String(i).padStart(10, '0')}`));
  const datas = await Promise.all(created.map((p) => c.getData(p)));
  datas.forEach((d, i) => assert.equal(d.data.toString(), String(i)));
  assert.equal(await c.getAllChildrenNumber('/pipe'), 300);
  assert.ok(c.lastZxid > 300);
});

function nextWatch(c: ZkClient): Promise<ZkWatchEvent> {
  return new Promise((resolve) => c.once('watch', resolve));
}

test('watches: a one-shot data watch and a persistent recursive watch notify (zxid -1 in 3.8)', async () => {
  const [a, b] = [await client(), await client()];
  await a.create('/w', 'x');
  await a.getData('/w', true);
  const fired = nextWatch(a);
  await b.setData('/w', 'y');
  assert.deepEqual(await fired, { type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: '/w', zxid: -1 });
  await a.addWatch('/w', AddWatchMode.PERSISTENT_RECURSIVE);
  const child = nextWatch(a);
  await b.create('/w/c');
  assert.deepEqual(await child, { type: EventType.NodeCreated, state: KeeperState.SyncConnected, path: '/w/c', zxid: -1 });
  await a.removeWatches('/w', 3);
  await assert.rejects(a.removeWatches('/w', 3), zkError(Err.NOWATCHER));
});

test('multi: results by op; a failed multi rejects with ZkMultiError and every result', async () => {
  const c = await client();
  const ok = await c.multi([
    { op: 'create', type: 1, req: { path: '/m', data: Buffer.alloc(0), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 0 } },
    { op: 'create', type: 15, req: { path: '/m/two', data: Buffer.from('2'), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 0 } },
    { op: 'check', type: 13, req: { path: '/m', version: 0 } },
    { op: 'setData', type: 5, req: { path: '/m', data: Buffer.from('d'), version: 0 } },
  ]);
  // ZooKeeper's MultiOperationRecord rebuilds each create from its flags (Op.create), so a create2
  // op comes back as a plain CreateResult (type 1, no stat): verified here on the real server.
  assert.deepEqual(ok.map((r) => r.type), [1, 1, 13, 5]);
  assert.deepEqual(ok[1], { type: 1, path: '/m/two' });
  await assert.rejects(c.multi([
    { op: 'check', type: 13, req: { path: '/m', version: 1 } },
    { op: 'delete', type: 2, req: { path: '/missing', version: -1 } },
    { op: 'delete', type: 2, req: { path: '/m/two', version: -1 } },
  ]), (e: unknown) => e instanceof ZkMultiError && e.zkCode === Err.NONODE
    && JSON.stringify(e.results) === JSON.stringify([{ type: -1, err: 0 }, { type: -1, err: -101 }, { type: -1, err: -2 }]));
  const reads = await c.multiRead([
    { op: 'getData', type: 4, req: { path: '/m' } }, { op: 'getChildren', type: 8, req: { path: '/m' } },
    { op: 'getData', type: 4, req: { path: '/none' } },
  ]);
  assert.ok(reads[0].type === 4 && reads[0].data.toString() === 'd');
  assert.deepEqual(reads.slice(1), [{ type: 8, children: ['two'] }, { type: -1, err: Err.NONODE }]);
});

test('ACLs and digest auth; whoAmI; a failed auth closes the connection', async () => {
  const c = await client();
  await c.addAuth('digest', 'alice:secret');
  const who = await c.whoAmI();
  assert.deepEqual(who.map((i) => i.authScheme).sort(), ['digest', 'ip']);
  await c.create('/secret', 's', { acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }] });
  const { acl } = await c.getACL('/secret');
  assert.equal(acl[0].id.scheme, 'digest');
  assert.match(acl[0].id.id, /^alice:/);
  const other = await client();
  await assert.rejects(other.getData('/secret'), zkError(Err.NOAUTH));
  assert.equal((await c.setACL('/secret', [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }], 0)).aversion, 1);
  assert.equal((await other.getData('/secret')).data.toString(), 's');
  const closed = new Promise((resolve) => other.once('close', resolve));
  await assert.rejects(other.addAuth('nosuchscheme', 'x'), zkError(Err.AUTHFAILED));
  await closed;
  assert.equal(other.closed, true);
  await assert.rejects(other.getData('/secret'), zkError(Err.CONNECTIONLOSS));
});

test('ephemerals, containers, TTL nodes, sync, ping', async () => {
  const c = await client();
  const e = await c.create2('/eph', 'e', { flags: CreateFlag.EPHEMERAL });
  assert.equal(e.stat?.ephemeralOwner, c.sessionId);
  assert.deepEqual(await c.getEphemerals('/'), ['/eph']);
  const ctr = await c.create2('/ctr', '', { flags: CreateFlag.CONTAINER });
  assert.equal(ctr.path, '/ctr');
  assert.ok(ctr.stat !== undefined);
  // createTTL is answered with a Create2Response too; the client's create() returns the path.
  assert.equal(await c.create('/ttl', '', { flags: CreateFlag.PERSISTENT_WITH_TTL, ttl: 60_000 }), '/ttl');
  // Null data stays null on ZooKeeper (zkCli prints "null"): length -1 comes back as NULL_BUFFER.
  await c.create('/nulldata', NULL_BUFFER);
  assert.equal((await c.getData('/nulldata')).data, NULL_BUFFER);
  assert.notEqual((await c.getData('/ctr')).data, NULL_BUFFER);
  assert.equal(await c.sync('/'), '/');
  assert.ok(await c.ping() >= c.lastZxid - 1);
});

test('pings keep an idle session alive past its timeout', async () => {
  const c = await client(4000);
  await sleep(6000);
  assert.equal(c.closed, false);
  assert.equal((await c.exists('/'))?.czxid, 0);
});

test('close() sends closeSession: the session cannot be reattached; a live one can', async () => {
  const a = await client(8000);
  const b = await ZkClient.connect({ host: '127.0.0.1', port, timeoutMs: 8000, sessionId: a.sessionId, passwd: a.passwd });
  clients.push(b);
  assert.equal(b.sessionId, a.sessionId);
  await b.create('/reattached', '', { flags: CreateFlag.EPHEMERAL });
  const closed = new Promise((resolve) => b.once('close', resolve));
  await b.close();
  await closed;
  await assert.rejects(ZkClient.connect({ host: '127.0.0.1', port, timeoutMs: 8000, sessionId: a.sessionId, passwd: a.passwd }),
    zkError(Err.SESSIONEXPIRED));
  const c = await client();
  assert.equal(await c.exists('/reattached'), null);
});

test('request() with an opcode that has no request record fails locally', async () => {
  const c = await client();
  await assert.rejects(c.request(99, {}), (e: unknown) => e instanceof ZkCodecError && e.reason === 'unknown-op');
  assert.equal((await c.request(OpCode.exists, { path: '/', watch: false })).header.err, 0);
});

/** A scripted server speaking our codec, for replies a real ZooKeeper will not produce on demand. */
async function scriptedServer(answer: (xid: number, socket: import('node:net').Socket) => void) {
  const { decodeConnectRequest, encodeConnectResponse } = await import('../../src/zk/codec/connect.js');
  const { LengthPrefixedFramer } = await import('../../src/core/net/framer.js');
  const { DEFAULT_MAX_BUFFER } = await import('../../src/zk/codec/frames.js');
  const { decodeRequest } = await import('../../src/zk/codec/requests.js');
  const srv = createServer((socket) => {
    const frames = new LengthPrefixedFramer(DEFAULT_MAX_BUFFER);
    let connected = false;
    socket.on('data', (chunk) => {
      for (const body of frames.push(chunk)) {
        if (!connected) {
          connected = true;
          decodeConnectRequest(body);
          socket.write(encodeConnectResponse({ protocolVersion: 0, timeOut: 10_000, sessionId: 42n, passwd: Buffer.alloc(16), readOnly: false }));
        } else {
          answer(decodeRequest(body).xid, socket);
        }
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { srv, port: (srv.address() as { port: number }).port };
}

test("a SESSIONEXPIRED reply emits 'expired'; an out-of-order xid drops the connection", { timeout: 15_000 }, async () => {
  const { encodeReply } = await import('../../src/zk/codec/responses.js');
  const expiredSrv = await scriptedServer((xid, s) => s.write(encodeReply({ xid, zxid: 5, err: Err.SESSIONEXPIRED })));
  const c = await ZkClient.connect({ host: '127.0.0.1', port: expiredSrv.port, timeoutMs: 10_000 });
  assert.equal(c.sessionId, 42n);
  const expired = new Promise((resolve) => c.once('expired', resolve));
  await assert.rejects(c.getData('/x'), zkError(Err.SESSIONEXPIRED));
  await expired;
  c.destroy();
  expiredSrv.srv.close();

  const wrongSrv = await scriptedServer((xid, s) => s.write(encodeReply({ xid: xid + 1000, zxid: 5, err: 0 })));
  const d = await ZkClient.connect({ host: '127.0.0.1', port: wrongSrv.port, timeoutMs: 10_000 });
  const closed = new Promise<unknown>((resolve) => d.once('close', resolve));
  await assert.rejects(d.exists('/x'), zkError(Err.CONNECTIONLOSS));
  assert.ok((await closed) instanceof ZkError);
  assert.equal(d.closed, true);
  wrongSrv.srv.close();
});
