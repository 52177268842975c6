import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MultiOp, ZkRequest } from '../../../src/zk/codec/types.js';
import { Err } from '../../../src/zk/codec/errors.js';
import { generateDigest } from '../../../src/zk/model/index.js';
import { b64, OPEN, req, Zk } from './harness.js';

const world = (perms: number) => [{ perms, id: { scheme: 'world', id: 'anyone' } }];

// FinalRequestProcessor exists: no permission check ("TODO … security requirement"); a path
// with NUL is BADARGUMENTS, everything else is looked up as is (real 3.8.0).
test('exists needs no permission', () => {
  const zk = new Zk();
  zk.create('/locked', { acl: world(0) });
  assert.deepEqual(zk.read(req.exists('/locked')), { err: 0, response: { kind: 'stat', stat: zk.stat('/locked') } });
  assert.deepEqual(zk.read(req.exists('/none')), { err: Err.NONODE });
  assert.deepEqual(zk.read(req.exists('/a\u0000')), { err: Err.BADARGUMENTS });
});

// Real 3.8.0: getData("") answers with the root (DataTree aliases it); "abc" and "/a\0" NONODE.
test('getData', () => {
  const zk = new Zk();
  zk.create('/d', { data: b64('hi') });
  assert.deepEqual(zk.read(req.getData('/d')), { err: 0, response: { kind: 'data', data: Buffer.from('hi'), stat: zk.stat('/d') } });
  assert.equal(zk.read(req.getData('')).response?.kind, 'data');
  assert.equal(zk.read(req.getData('abc')).err, Err.NONODE);
  assert.equal(zk.read(req.getData('/a\u0000')).err, Err.NONODE);
  assert.equal(zk.read(req.getData('/d/')).err, Err.NONODE);
});

test('getChildren and getChildren2 list children in creation order', () => {
  const zk = new Zk();
  zk.create('/p');
  for (const n of ['b', 'a', 'c']) zk.create(`/p/${n}`);
  zk.delete('/p/a');
  zk.create('/p/a');
  assert.deepEqual(zk.read(req.getChildren('/p')), { err: 0, response: { kind: 'children', children: ['b', 'c', 'a'] } });
  assert.deepEqual(zk.read(req.getChildren2('/p')), { err: 0, response: { kind: 'children2', children: ['b', 'c', 'a'], stat: zk.stat('/p') } });
  assert.deepEqual(zk.read(req.getChildren('/p/a')).response, { kind: 'children', children: [] });
  assert.deepEqual(zk.read(req.getChildren('/zookeeper')).response, { kind: 'children', children: ['config', 'quota'] });
});

// getACL needs READ or ADMIN; without ADMIN digest ids read "user:x" (real 3.8.0 for all three).
test('getACL masking and permissions', () => {
  const zk = new Zk();
  const u9 = { scheme: 'digest', id: generateDigest('u9:p9') };
  zk.create('/r', { acl: [...world(1), { perms: 31, id: u9 }] });
  zk.create('/a', { acl: [...world(16), { perms: 1, id: u9 }] });
  zk.create('/n', { acl: [{ perms: 31, id: u9 }] });
  const acl = (path: string, auth = [{ scheme: 'ip', id: '127.0.0.1' }]) => zk.read(req.getACL(path), auth);
  assert.deepEqual(acl('/r').response, { kind: 'acl', acl: [...world(1), { perms: 31, id: { scheme: 'digest', id: 'u9:x' } }], stat: zk.stat('/r') });
  assert.deepEqual(acl('/r', [u9]).response, { kind: 'acl', acl: [...world(1), { perms: 31, id: u9 }], stat: zk.stat('/r') });
  assert.deepEqual(acl('/a').response, { kind: 'acl', acl: [...world(16), { perms: 1, id: u9 }], stat: zk.stat('/a') });
  assert.deepEqual(acl('/n'), { err: Err.NOAUTH });
  assert.deepEqual(acl('/zookeeper/config').response, { kind: 'acl', acl: world(1), stat: zk.stat('/zookeeper/config') });
  assert.deepEqual(acl('/none'), { err: Err.NONODE });
});

// DataTree.getAllChildrenNumber: "/" = node map size - 2 (real 3.8.0: 18 with 19 znodes);
// elsewhere every descendant.
test('getAllChildrenNumber counts descendants', () => {
  const zk = new Zk();
  zk.create('/p');
  zk.create('/p/a');
  zk.create('/p/a/b');
  zk.create('/p/c');
  const n = (path: string) => zk.read(req.allChildren(path));
  assert.deepEqual(n('/p'), { err: 0, response: { kind: 'number', totalNumber: 3 } });
  assert.deepEqual(n('/p/c').response, { kind: 'number', totalNumber: 0 });
  assert.deepEqual(n('/').response, { kind: 'number', totalNumber: 7 }); // zookeeper, quota, config + 4
  assert.deepEqual(n('/none'), { err: Err.NONODE });
});

// The READ-guarded reads (FinalRequestProcessor): READ alone is enough, anything else is not.
test('NOAUTH per permission per read op', () => {
  const zk = new Zk();
  zk.create('/deny', { acl: world(31 & ~1) });
  zk.create('/allow', { acl: world(1) });
  for (const make of [req.getData, req.getChildren, req.getChildren2, req.allChildren]) {
    assert.deepEqual(zk.read(make('/deny')), { err: Err.NOAUTH });
    assert.equal(zk.read(make('/deny'), [{ scheme: 'super', id: '' }]).err, 0);
    assert.equal(zk.read(make('/allow')).err, 0);
  }
  assert.equal(zk.read(req.getACL('/deny')).err, 0, 'getACL: ADMIN is enough');
});

// multiRead: per-op results, an error only fails its own op (real 3.8.0: [GetDataResult,
// ErrorResult(-101), GetChildrenResult]); a write op in it → MARSHALLINGERROR, empty results.
test('multiRead', () => {
  const zk = new Zk();
  zk.create('/p1', { data: b64('v') });
  zk.create('/p1/a');
  zk.create('/secret', { acl: world(0) });
  const multiRead = (ops: MultiOp[]): ZkRequest => ({ xid: 1, type: 22, op: 'multi', req: { ops } });
  const r = zk.read(multiRead([
    { op: 'getData', type: 4, req: { path: '/p1' } }, { op: 'getChildren', type: 8, req: { path: '/nonexist' } },
    { op: 'getChildren', type: 8, req: { path: '/p1' } }, { op: 'getData', type: 4, req: { path: '/secret' } },
  ]));
  assert.deepEqual(r, { err: 0, response: { kind: 'multi', results: [
    { type: 4, data: Buffer.from('v'), stat: zk.stat('/p1') }, { type: -1, err: Err.NONODE },
    { type: 8, children: ['a'] }, { type: -1, err: Err.NOAUTH },
  ] } });
  const bad = zk.read(multiRead([{ op: 'create', type: 1, req: { path: '/x', data: Buffer.alloc(0), acl: OPEN, flags: 0 } }]));
  assert.deepEqual(bad, { err: Err.MARSHALLINGERROR, response: { kind: 'multi', results: [] } });
});

test('sync echoes the path; other opcodes are not reads', () => {
  const zk = new Zk();
  assert.deepEqual(zk.read(req.sync('/x')), { err: 0, response: { kind: 'path', path: '/x' } });
  assert.deepEqual(zk.read({ xid: 1, type: 107, op: 'empty', req: {} }), { err: Err.UNIMPLEMENTED });
});
