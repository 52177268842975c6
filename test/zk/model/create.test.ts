import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Err } from '../../../src/zk/codec/errors.js';
import { MAX_TTL, nodeCount, approximateDataSize, nodeView } from '../../../src/zk/model/index.js';
import { b64, OPEN, S1, T0, Zk } from './harness.js';

// A fresh real 3.8.0 standalone: `srvr` says Node count 5; stats all zero; root cversion -1 and
// /zookeeper cversion -2 (2*0 - numChildren); /zookeeper/config READ-only with aversion -1.
test('initial tree matches a fresh ZooKeeper 3.8 server', () => {
  const zk = new Zk(undefined, []);
  assert.equal(nodeCount(zk.state), 5);
  assert.equal(approximateDataSize(zk.state), 44);
  assert.deepEqual(zk.children('/'), ['zookeeper']);
  assert.deepEqual(zk.children('/zookeeper'), ['config', 'quota']);
  const zero = { czxid: 0, mzxid: 0, ctime: 0, mtime: 0, version: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 0, pzxid: 0 };
  assert.deepEqual(zk.stat('/'), { ...zero, cversion: -1, numChildren: 1 });
  assert.deepEqual(zk.stat('/zookeeper'), { ...zero, cversion: -2, numChildren: 2 });
  assert.deepEqual(zk.stat('/zookeeper/quota'), { ...zero, cversion: 0, numChildren: 0 });
  assert.deepEqual(zk.stat('/zookeeper/config'), { ...zero, cversion: 0, numChildren: 0, aversion: -1 });
  assert.deepEqual(nodeView(zk.state, '/zookeeper/config')!.acl, [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }]);
});

// Every txn takes a zxid: createSession is zxid 1 on a fresh server, failed writes consume one.
test('every command consumes a zxid, failures included', () => {
  const zk = new Zk(undefined, []);
  assert.equal(zk.session(S1).zxid, 1);
  assert.deepEqual([zk.create('/a').zxid, zk.create('/a').zxid, zk.create('/a').err], [2, 3, Err.NODEEXISTS]);
  assert.equal(zk.state.lastZxid, 4);
});

// DataTree.createStat + DataNode.copyStat
test('stat of a new znode and of its parent', () => {
  const zk = new Zk();
  const r = zk.create('/n', { data: b64('hello'), opcode: 15 });
  assert.equal(r.err, 0);
  const stat = { czxid: 2, mzxid: 2, pzxid: 2, ctime: T0, mtime: T0, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 5, numChildren: 0 };
  assert.deepEqual(r.response, { kind: 'create2', path: '/n', stat });
  assert.deepEqual(zk.stat('/'), { ...zk.stat('/'), pzxid: 2, cversion: 0, numChildren: 2 });
  assert.deepEqual(r.triggers, [{ type: 1, path: '/n', zxid: 2 }, { type: 4, path: '/', zxid: 2 }]);
});

// The example verified on a real 3.8.0: the suffix counts child creations; exposed cversion is
// 2*creations - numChildren, so a delete appears to bump it.
test('cversion and sequential suffix: create a, x, delete x, create c', () => {
  const zk = new Zk();
  zk.create('/p');
  const seq = (name: string) => zk.create(`/p/${name}-`, { flags: 2 }).response;
  assert.deepEqual(seq('a'), { kind: 'path', path: '/p/a-0000000000' });
  assert.equal(zk.stat('/p').cversion, 1);
  assert.deepEqual(seq('x'), { kind: 'path', path: '/p/x-0000000001' });
  assert.equal(zk.stat('/p').cversion, 2);
  const del = zk.delete('/p/x-0000000001');
  assert.equal(zk.stat('/p').cversion, 3);
  assert.equal(zk.stat('/p').pzxid, del.zxid);
  assert.deepEqual(seq('c'), { kind: 'path', path: '/p/c-0000000002' });
  assert.equal(zk.stat('/p').cversion, 4);
});

// Real 3.8.0: create "/s/" with PERSISTENT_SEQUENTIAL → "/s/0000000000"; without → BADARGUMENTS;
// a failed create does not advance the counter.
test('sequential create of "parent/" names the child by the counter alone', () => {
  const zk = new Zk();
  zk.create('/s');
  assert.deepEqual(zk.create('/s/', { flags: 2 }).response, { kind: 'path', path: '/s/0000000000' });
  assert.equal(zk.create('/s/', { flags: 0 }).err, Err.BADARGUMENTS);
  assert.equal(zk.create('/s/.').err, Err.BADARGUMENTS);
  assert.deepEqual(zk.create('/s/x-', { flags: 2 }).response, { kind: 'path', path: '/s/x-0000000001' });
});

// pRequest2TxnCreate check order, each verified on a real 3.8.0.
test('create error codes and their precedence', () => {
  const zk = new Zk({ extendedTypesEnabled: false });
  zk.create('/e', { flags: 1 });
  assert.equal(zk.create('/x', { flags: 7 }).err, Err.BADARGUMENTS, 'CreateMode.fromFlag');
  assert.equal(zk.create('/x', { opcode: 21, flags: 5, ttl: 1000 }).err, Err.UNIMPLEMENTED, 'TTL disabled');
  assert.equal(zk.create('/x', { opcode: 21, flags: 0, ttl: 1000 }).err, Err.BADARGUMENTS, 'ttl for a non-TTL mode');
  assert.equal(zk.create('abc').err, Err.BADARGUMENTS, 'no slash');
  assert.equal(zk.create('/nonode/x', { acl: [] }).err, Err.INVALIDACL, 'ACL checked before the parent');
  assert.equal(zk.create('/nonode/a//b').err, Err.NONODE, 'parent looked up before the path is validated');
  assert.equal(zk.create('/e/').err, Err.BADARGUMENTS, 'path validated before the ephemeral parent check');
  assert.equal(zk.create('/e').err, Err.NODEEXISTS);
  assert.equal(zk.create('/e/c').err, Err.NOCHILDRENFOREPHEMERALS);
  assert.equal(zk.create('/').err, Err.NODEEXISTS);
  assert.equal(zk.create('/x', { session: '0200000000000009' }).err, Err.SESSIONEXPIRED);
});

// EphemeralType.TTL.toEphemeralOwner: 0 < ttl <= 2^40 - 1; validateTTL (real server: -8 each).
test('TTL range and modes', () => {
  const zk = new Zk();
  assert.equal(zk.create('/t0', { opcode: 21, flags: 5, ttl: 0 }).err, Err.BADARGUMENTS);
  assert.equal(zk.create('/t1', { opcode: 21, flags: 5, ttl: MAX_TTL + 1 }).err, Err.BADARGUMENTS);
  assert.equal(zk.create('/t2', { opcode: 21, flags: 1, ttl: 100 }).err, Err.BADARGUMENTS);
  assert.equal(zk.create('/t3', { opcode: 1, flags: 5 }).err, Err.BADARGUMENTS, 'TTL mode without a ttl');
  assert.equal(zk.create('/t4', { opcode: 21, flags: 0, ttl: -1 }).err, Err.BADARGUMENTS, 'createTTL of a non-TTL mode');
  const big = zk.create('/t5', { opcode: 21, flags: 5, ttl: MAX_TTL });
  assert.equal(big.err, 0);
  assert.equal(big.response?.kind, 'create2');
  const seq = zk.create('/t6-', { opcode: 21, flags: 6, ttl: 1000 });
  assert.deepEqual(seq.response?.kind === 'create2' && seq.response.path, '/t6-0000000001');
  assert.deepEqual([...zk.state.ttls], ['/t5', '/t6-0000000001']);
});

// FinalRequestProcessor: createContainer/createTTL reply Create2Response; DataTree.processTxn
// picks the owner from the txn type: opcode 19 makes a container whatever the flags, create and
// create2 with CONTAINER flags make a plain node (the real server's ContainerManager removed
// the former and kept the latter). Clients see ephemeralOwner 0 for both kinds.
test('containers come from the createContainer opcode, not the flags', () => {
  const zk = new Zk();
  const c = zk.create('/c', { opcode: 19, flags: 4 });
  assert.equal(c.response?.kind, 'create2');
  assert.equal(zk.create('/c0', { opcode: 19, flags: 0 }).err, 0);
  assert.deepEqual(zk.create('/f4', { opcode: 1, flags: 4 }).response, { kind: 'path', path: '/f4' });
  assert.equal(zk.create('/f42', { opcode: 15, flags: 4 }).err, 0);
  assert.deepEqual([...zk.state.containers], ['/c', '/c0']);
  assert.equal(zk.stat('/c').ephemeralOwner, 0n);
});

test('ephemeral owner is the session id as a signed long', () => {
  const zk = new Zk(undefined, ['ff00000000000001']);
  zk.create('/e', { flags: 1, session: 'ff00000000000001' });
  assert.equal(zk.stat('/e').ephemeralOwner, -0xffffffffffffffn);
  const zk2 = new Zk();
  zk2.create('/e', { flags: 3 });
  assert.equal(zk2.stat('/e0000000000').ephemeralOwner, 0x0100000000000001n);
});

// ZooKeeper keeps no special guard on creating under /zookeeper (real server: create
// /zookeeper/x and /zookeeper/quota/x succeed).
test('children of /zookeeper may be created', () => {
  const zk = new Zk();
  assert.equal(zk.create('/zookeeper/x').err, 0);
  assert.equal(zk.create('/zookeeper/quota/x').err, 0);
  assert.equal(zk.create('/zookeeper/config/x', { acl: OPEN }).err, Err.NOAUTH);
});
