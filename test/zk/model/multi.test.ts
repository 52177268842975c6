import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MultiOp, ZkRequest } from '../../../src/zk/codec/types.js';
import { Err } from '../../../src/zk/codec/errors.js';
import { generateDigest, toWriteOp } from '../../../src/zk/model/index.js';
import { b64, createOp, dump, OPEN, S1, Zk } from './harness.js';

const multiReq = (ops: MultiOp[]): ZkRequest => ({ xid: 1, type: 14, op: 'multi', req: { ops } });
const createReq = (path: string, flags = 0) => ({ path, data: Buffer.alloc(0), acl: OPEN, flags });

// Real 3.8.0: ops before the failing one → ErrorResult(0), the failing op → its code, the rest →
// ErrorResult(-2); the reply header err is 0; the multi's zxid is consumed; nothing applied.
test('failed multi: results, header err 0, nothing applied', () => {
  const zk = new Zk();
  zk.create('/p1');
  const before = dump(zk.state);
  const r = zk.multi([createOp('/p1/a'), createOp('/p1/a'), { op: 'setData', path: '/p1', data: b64('x'), version: -1 }]);
  assert.deepEqual(r, {
    zxid: 3, err: 0, triggers: [],
    response: { kind: 'multi', results: [{ type: -1, err: 0 }, { type: -1, err: Err.NODEEXISTS }, { type: -1, err: Err.RUNTIMEINCONSISTENCY }] },
  });
  assert.equal(zk.state.lastZxid, 3);
  zk.state.lastZxid = 2;
  assert.deepEqual(dump(zk.state), before);
});

// Later ops see earlier ones (PrepRequestProcessor's ChangeRecords); every op has the multi's zxid.
test('successful multi: chained ops, one zxid, triggers in DataTree order', () => {
  const zk = new Zk();
  zk.create('/p');
  const r = zk.multi([
    createOp('/p/a', { data: b64('1') }), createOp('/p/a/b'), { op: 'setData', path: '/p/a', data: b64('22'), version: 0 },
    { op: 'check', path: '/p/a', version: 1 }, { op: 'delete', path: '/p/a/b', version: 0 }, createOp('/p/c', { opcode: 19, flags: 4 }),
  ]);
  const z = r.zxid;
  assert.equal(r.err, 0);
  const results = r.response?.kind === 'multi' ? r.response.results : [];
  assert.deepEqual(results.map((x) => x.type), [1, 1, 5, 13, 2, 15]);
  assert.deepEqual(results[0], { type: 1, path: '/p/a' });
  // setData's stat is taken when it ran: /p/a had one child then.
  assert.deepEqual(results[2], { type: 5, stat: { ...zk.stat('/p/a'), numChildren: 1, cversion: 1 } });
  assert.deepEqual(zk.stat('/p/a'), { ...zk.stat('/p/a'), czxid: z, mzxid: z, pzxid: z, version: 1, dataLength: 2, numChildren: 0, cversion: 2 });
  assert.deepEqual(r.triggers, [
    { type: 1, path: '/p/a', zxid: z }, { type: 4, path: '/p', zxid: z },
    { type: 1, path: '/p/a/b', zxid: z }, { type: 4, path: '/p/a', zxid: z },
    { type: 3, path: '/p/a', zxid: z },
    { type: 2, path: '/p/a/b', zxid: z }, { type: 4, path: '/p/a', zxid: z },
    { type: 1, path: '/p/c', zxid: z }, { type: 4, path: '/p', zxid: z },
  ]);
});

// Rollback restores stats, counters, child order, owners, data size and ACL references, and the
// sequential counter is as if the multi never ran (ZOOKEEPER-1624 keeps it so in ZooKeeper).
test('rollback restores every side effect', () => {
  const zk = new Zk();
  const acl = [{ perms: 31, id: { scheme: 'digest', id: generateDigest('u:p') } }];
  zk.create('/p');
  for (const n of ['x', 'y', 'z']) zk.create(`/p/${n}`, { acl });
  zk.create('/p/e', { flags: 1 });
  zk.create('/t', { opcode: 21, flags: 5, ttl: 5000 });
  const before = dump(zk.state, true);
  const super_ = [{ scheme: 'super', id: '' }];
  const r = zk.multi([
    { op: 'delete', path: '/p/y', version: -1 }, { op: 'delete', path: '/p/e', version: -1 }, { op: 'delete', path: '/t', version: -1 },
    createOp('/p/s-', { flags: 3 }), createOp('/p/q', { acl, data: b64('data') }), { op: 'setData', path: '/p/x', data: b64('zz'), version: -1 },
    createOp('/p/c', { opcode: 19, flags: 4 }), { op: 'check', path: '/p/x', version: 99 },
  ], { auth: super_ });
  assert.deepEqual(r.response?.kind === 'multi' && r.response.results[7], { type: -1, err: Err.BADVERSION });
  zk.state.lastZxid--;
  assert.deepEqual(dump(zk.state, true), before);
  // The rolled-back delete puts y back at the end of the child order (and of the path map).
  assert.deepEqual(zk.children('/p'), ['x', 'z', 'e', 'y']);
  assert.deepEqual(zk.create('/p/s-', { flags: 2 }).response, { kind: 'path', path: '/p/s-0000000004' });
});

// MultiOperationRecord/Op.create: in a multi the create's type follows its flags. A create2
// header gives a plain CreateResult; CONTAINER flags give createContainer with a stat
// (real 3.8.0: [create2 '/p1/c1' with stat, create '/p1/c2', create '/p1/c3']).
test('toWriteOp: multi create opcodes follow the flags', () => {
  const op = toWriteOp(multiReq([
    { op: 'create', type: 1, req: createReq('/c1', 4) }, { op: 'create', type: 15, req: createReq('/c2') },
    { op: 'create', type: 19, req: createReq('/c3') }, { op: 'create', type: 21, req: { ...createReq('/c4', 5), ttl: 10 } },
    { op: 'create', type: 21, req: { ...createReq('/c5', 0), ttl: 10 } },
  ]));
  assert.ok(op?.op === 'multi');
  assert.deepEqual(op.ops.map((o) => o.op === 'create' && [o.opcode, o.ttl]), [[19, undefined], [1, undefined], [1, undefined], [21, 10], [1, undefined]]);
  assert.equal('marshallingError' in op, false);
  const zk = new Zk();
  const r = zk.multi(op.ops);
  assert.deepEqual(r.response?.kind === 'multi' && r.response.results.map((x) => x.type), [15, 1, 1, 15, 1]);
  assert.deepEqual([...zk.state.containers], ['/c1']);
});

// Real 3.8.0: a read op inside multi, or a TTL create sent with a plain CreateRequest, fails the
// whole request with MARSHALLINGERROR (-5), consuming a zxid and applying nothing.
test('malformed multi: MARSHALLINGERROR', () => {
  const zk = new Zk();
  zk.create('/p1');
  const withRead = toWriteOp(multiReq([{ op: 'create', type: 1, req: createReq('/p1/q') }, { op: 'getData', type: 4, req: { path: '/p1' } }]))!;
  const ttlNoTtl = toWriteOp(multiReq([{ op: 'create', type: 1, req: createReq('/p1/t', 5) }]))!;
  for (const op of [withRead, ttlNoTtl]) {
    const before = zk.state.lastZxid;
    const r = zk.write(op);
    assert.deepEqual(r, { zxid: before + 1, err: Err.MARSHALLINGERROR, triggers: [] });
  }
  assert.deepEqual(zk.children('/p1'), []);
  assert.equal(zk.multi([{ op: 'setACL', path: '/p1', acl: OPEN, version: -1 }]).err, Err.MARSHALLINGERROR);
  assert.equal(zk.multi([{ op: 'multi', ops: [] }]).err, Err.MARSHALLINGERROR);
});

// Real 3.8.0: an empty multi succeeds with no results and takes a zxid.
test('empty multi', () => {
  const zk = new Zk();
  assert.deepEqual(zk.multi([]), { zxid: 2, err: 0, response: { kind: 'multi', results: [] }, triggers: [] });
});

// PrepRequestProcessor multi: each op checks the session; the first failure decides.
test('multi from an unknown session', () => {
  const zk = new Zk();
  const r = zk.multi([createOp('/a'), createOp('/b')], { session: '0300000000000000' });
  assert.deepEqual(r.response, { kind: 'multi', results: [{ type: -1, err: Err.SESSIONEXPIRED }, { type: -1, err: Err.RUNTIMEINCONSISTENCY }] });
  assert.equal(zk.exists('/a'), false);
  assert.equal(S1.length, 16);
});
