import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ACL } from '../../../src/zk/codec/types.js';
import { Err } from '../../../src/zk/codec/errors.js';
import { approximateDataSize, generateDigest, nodeView } from '../../../src/zk/model/index.js';
import { b64, createOp, OPEN, T0, Zk } from './harness.js';
import type { WriteOp } from '../../../src/zk/model/types.js';

const world = (perms: number): ACL[] => [{ perms, id: { scheme: 'world', id: 'anyone' } }];

// PrepRequestProcessor delete: BADARGUMENTS (special path / no slash), parent NONODE, DELETE on
// the parent, node NONODE, BADVERSION, NOTEMPTY — each answered so by a real 3.8.0.
test('delete: checks, order and effects', () => {
  const zk = new Zk();
  zk.create('/s');
  zk.create('/s/a');
  for (const p of ['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config', 'zz']) assert.equal(zk.delete(p).err, Err.BADARGUMENTS, p);
  assert.equal(zk.delete('/zz/zz').err, Err.NONODE);
  assert.equal(zk.delete('/s/zz').err, Err.NONODE);
  assert.equal(zk.delete('/s/').err, Err.NONODE);
  assert.equal(zk.delete('/s/a', 3).err, Err.BADVERSION);
  assert.equal(zk.delete('/s').err, Err.NOTEMPTY);
  const r = zk.delete('/s/a', 0);
  assert.deepEqual(r, { zxid: r.zxid, err: 0, triggers: [{ type: 2, path: '/s/a', zxid: r.zxid }, { type: 4, path: '/s', zxid: r.zxid }] });
  assert.deepEqual({ pzxid: zk.stat('/s').pzxid, cversion: zk.stat('/s').cversion, numChildren: zk.stat('/s').numChildren }, { pzxid: r.zxid, cversion: 2, numChildren: 0 });
  assert.equal(zk.create('/zookeeper/x').err, 0);
  assert.equal(zk.delete('/zookeeper/x').err, 0);
});

// DataTree.setData: version, mzxid, mtime; NodeDataChanged. -1 matches any version.
test('setData: versions, stat and trigger', () => {
  const zk = new Zk();
  const c = zk.create('/d', { data: b64('ab') });
  assert.equal(zk.setData('/d', 'x', 1).err, Err.BADVERSION);
  const r = zk.setData('/d', 'hello', 0, { time: T0 + 5 });
  assert.equal(r.err, 0);
  const stat = r.response?.kind === 'stat' ? r.response.stat : null;
  assert.deepEqual(stat && [stat.version, stat.mzxid, stat.czxid, stat.mtime, stat.ctime, stat.dataLength], [1, r.zxid, c.zxid, T0 + 5, T0, 5]);
  assert.deepEqual(r.triggers, [{ type: 3, path: '/d', zxid: r.zxid }]);
  assert.equal(zk.setData('/d', 'y', -1).err, 0);
  assert.equal(zk.stat('/d').version, 2);
  assert.deepEqual(nodeView(zk.state, '/d')!.data, Buffer.from('y'));
  assert.equal(zk.setData('/d/', 'y').err, Err.BADARGUMENTS);
  assert.equal(zk.setData('/nope', 'y').err, Err.NONODE);
  assert.equal(zk.setData('/zookeeper/config', 'y').err, Err.NOAUTH);
  assert.equal(zk.setData('/zookeeper', '').err, 0);
  assert.equal(zk.stat('/zookeeper').cversion, -2);
});

// DataTree.nodeDataSize: + path length + data length on create, adjusted by setData and delete.
test('approximate data size follows every change', () => {
  const zk = new Zk();
  const base = approximateDataSize(zk.state);
  zk.create('/abc', { data: b64('12345') });
  assert.equal(approximateDataSize(zk.state), base + 4 + 5);
  zk.setData('/abc', '1');
  assert.equal(approximateDataSize(zk.state), base + 4 + 1);
  zk.delete('/abc');
  assert.equal(approximateDataSize(zk.state), base);
});

// PrepRequestProcessor setACL: path, fixupACL (before NONODE), ADMIN, aversion.
test('setACL: aversion, INVALIDACL precedence, no trigger', () => {
  const zk = new Zk();
  zk.create('/s');
  const r = zk.setACL('/s', OPEN, 0);
  assert.equal(r.err, 0);
  assert.equal(r.response?.kind === 'stat' && r.response.stat.aversion, 1);
  assert.deepEqual(r.triggers, []);
  assert.equal(zk.setACL('/s', OPEN, 0).err, Err.BADVERSION);
  assert.equal(zk.setACL('/nonode', [], 0).err, Err.INVALIDACL);
  assert.equal(zk.setACL('/nonode', OPEN).err, Err.NONODE);
  assert.equal(zk.setACL('/s/', OPEN).err, Err.BADARGUMENTS);
  assert.equal(zk.setACL('/s', world(1)).err, 0);
  assert.deepEqual(nodeView(zk.state, '/s')!.acl, world(1));
  assert.equal(zk.setACL('/s', OPEN).err, Err.NOAUTH);
});

// ReferenceCountedACLCache: one stored list per distinct ACL, dropped with its last user.
test('ACL lists are shared and released', () => {
  const zk = new Zk();
  const acl = [{ perms: 31, id: { scheme: 'digest', id: generateDigest('u:p') } }];
  const auth = [{ scheme: 'digest', id: generateDigest('u:p') }];
  const before = zk.state.acls.lists.size; // /zookeeper/config's READ_ACL_UNSAFE is one
  for (const p of ['/a', '/b', '/c']) zk.create(p, { acl });
  const id = zk.state.nodes.get('/a')!.acl;
  assert.equal(zk.state.nodes.get('/c')!.acl, id);
  assert.equal(zk.state.acls.lists.size, before + 1);
  assert.equal(zk.state.acls.refs.get(id), 3);
  zk.delete('/a');
  zk.setACL('/b', OPEN, -1, { auth });
  assert.equal(zk.state.acls.refs.get(id), 1);
  zk.delete('/c');
  assert.equal(zk.state.acls.lists.size, before);
  assert.equal(zk.state.acls.byKey.size, before);
  assert.equal(zk.state.acls.refs.has(id), false);
});

// A lone check: READ + version; consumes a zxid; changes nothing.
test('check', () => {
  const zk = new Zk();
  zk.create('/c');
  assert.equal(zk.check('/c', 5).err, Err.BADVERSION);
  assert.equal(zk.check('/c/zz', 5).err, Err.NONODE);
  const ok = zk.check('/c', 0);
  assert.equal(ok.err, 0);
  assert.deepEqual(ok.triggers, []);
  assert.equal(zk.stat('/c').mzxid, zk.stat('/c').czxid);
});

// The permission each write needs (PrepRequestProcessor: create → CREATE on the parent, delete →
// DELETE on the parent, setData → WRITE, setACL → ADMIN, check → READ): the bit alone is enough,
// every other bit is not.
test('NOAUTH per permission per write op', () => {
  const cases: [string, number, (target: string) => WriteOp][] = [
    ['create', 4, (t) => createOp(`${t}/child`)],
    ['delete', 8, (t) => ({ op: 'delete', path: `${t}/leaf`, version: -1 })],
    ['setData', 2, (t) => ({ op: 'setData', path: t, data: '', version: -1 })],
    ['setACL', 16, (t) => ({ op: 'setACL', path: t, acl: OPEN, version: -1 })],
    ['check', 1, (t) => ({ op: 'check', path: t, version: -1 })],
  ];
  for (const [name, bit, op] of cases) {
    const zk = new Zk();
    zk.create('/deny', { acl: world(31 & ~bit) });
    zk.create('/allow', { acl: world(bit) });
    // the leaves for delete are created by a super user
    zk.create('/deny/leaf', { auth: [{ scheme: 'super', id: '' }] });
    zk.create('/allow/leaf', { auth: [{ scheme: 'super', id: '' }] });
    assert.equal(zk.write(op('/deny')).err, Err.NOAUTH, `${name} without its bit`);
    assert.equal(zk.write(op('/deny'), { auth: [{ scheme: 'super', id: '' }] }).err, 0, `${name} as super`);
    assert.equal(zk.write(op('/allow')).err, 0, `${name} with only its bit`);
  }
});

// Real 3.8.0: a node whose own ACL denies everything can still be deleted (delete checks the
// parent), and an INVALIDACL create is reported before the parent's NOAUTH.
test('delete checks the parent ACL; create checks the new ACL first', () => {
  const zk = new Zk();
  zk.create('/locked', { acl: [{ perms: 31, id: { scheme: 'digest', id: generateDigest('u9:p9') } }] });
  assert.equal(zk.create('/locked/x').err, Err.NOAUTH);
  assert.equal(zk.create('/locked/x', { acl: [] }).err, Err.INVALIDACL);
  assert.equal(zk.setData('/locked', 'x', 7).err, Err.NOAUTH, 'NOAUTH before BADVERSION');
  assert.equal(zk.delete('/locked').err, 0);
});

// digest and ip ACLs through the model, and "auth" expanded at create time.
test('digest, ip and auth ACLs on writes', () => {
  const zk = new Zk();
  const u1 = { scheme: 'digest', id: generateDigest('u1:p1') };
  assert.equal(zk.create('/a', { acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }] }).err, Err.INVALIDACL);
  assert.equal(zk.create('/a', { acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }], auth: [{ scheme: 'ip', id: '127.0.0.1' }, u1] }).err, 0);
  assert.deepEqual(nodeView(zk.state, '/a')!.acl, [{ perms: 31, id: u1 }]);
  assert.equal(zk.setData('/a', 'x').err, Err.NOAUTH);
  assert.equal(zk.setData('/a', 'x', -1, { auth: [u1] }).err, 0);
  zk.create('/net', { acl: [{ perms: 31, id: { scheme: 'ip', id: '10.0.0.0/8' } }] });
  assert.equal(zk.setData('/net', 'x').err, Err.NOAUTH);
  assert.equal(zk.setData('/net', 'x', -1, { auth: [{ scheme: 'ip', id: '10.20.30.40' }] }).err, 0);
});
