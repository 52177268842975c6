import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Err } from '../../../src/zk/codec/errors.js';
import { allSessions, ephemeralsOf, sessionOf } from '../../../src/zk/model/index.js';
import { req, S1, S2, Zk } from './harness.js';

test('createSession records the session and takes a zxid', () => {
  const zk = new Zk(undefined, []);
  assert.deepEqual(zk.session(S1, 12_000), { zxid: 1, err: 0, triggers: [] });
  assert.deepEqual(sessionOf(zk.state, S1), { id: S1, timeoutMs: 12_000, passwd: 'cGFzc3dk' });
  assert.deepEqual(allSessions(zk.state).map((s) => s.id), [S1]);
});

// The sequence a real 3.8.0 answered: /s/0000000000, /s/..., ephemeral /s/e, ephemeral
// sequential /s/es-0000000003; getEphemerals lists both; closeSession deletes them (NodeDeleted +
// parent NodeChildrenChanged each), leaving /s with cversion 6, 2 children, pzxid = close zxid.
test('ephemeral lifecycle ends with closeSession', () => {
  const zk = new Zk(undefined, [S1, S2]);
  zk.create('/s');
  zk.create('/s/', { flags: 2 });
  zk.create('/s/...');
  zk.create('/s/e', { flags: 1 });
  assert.equal(zk.create('/s/e/c').err, Err.NOCHILDRENFOREPHEMERALS);
  assert.deepEqual(zk.create('/s/es-', { flags: 3 }).response, { kind: 'path', path: '/s/es-0000000003' });
  zk.create('/other', { flags: 1, session: S2 });
  assert.deepEqual(ephemeralsOf(zk.state, S1), ['/s/e', '/s/es-0000000003']);
  assert.deepEqual(zk.stat('/s/e').ephemeralOwner, BigInt('0x' + S1));
  const close = zk.close(S1);
  const z = close.zxid;
  assert.deepEqual(close, {
    zxid: z, err: 0, closedSessions: [S1],
    triggers: [
      { type: 2, path: '/s/e', zxid: z }, { type: 4, path: '/s', zxid: z },
      { type: 2, path: '/s/es-0000000003', zxid: z }, { type: 4, path: '/s', zxid: z },
    ],
  });
  assert.deepEqual(zk.children('/s'), ['0000000000', '...']);
  const s = zk.stat('/s');
  assert.deepEqual([s.cversion, s.numChildren, s.pzxid], [6, 2, z]);
  assert.equal(sessionOf(zk.state, S1), undefined);
  assert.deepEqual(ephemeralsOf(zk.state, S1), []);
  assert.deepEqual(ephemeralsOf(zk.state, S2), ['/other']);
  assert.equal(zk.create('/late').err, Err.SESSIONEXPIRED);
});

// A deleted ephemeral leaves its session's list; closing an unknown session changes nothing.
test('ephemeral bookkeeping on delete and on unknown sessions', () => {
  const zk = new Zk();
  zk.create('/e1', { flags: 1 });
  zk.create('/e2', { flags: 1 });
  zk.delete('/e1');
  assert.deepEqual(ephemeralsOf(zk.state, S1), ['/e2']);
  zk.delete('/e2');
  assert.equal(zk.state.ephemerals.has(S1), false);
  const r = zk.close('0f00000000000000');
  assert.deepEqual(r, { zxid: r.zxid, err: 0, triggers: [], closedSessions: [] });
});

// FinalRequestProcessor getEphemerals: the caller's ephemerals; "" or "/" = all, else a plain
// startsWith (real 3.8.0: prefix "/s/e" also returned "/s/es-0000000003").
test('getEphemerals filters by prefix', () => {
  const zk = new Zk(undefined, [S1, S2]);
  zk.create('/s');
  zk.create('/s/e', { flags: 1 });
  zk.create('/s/es-', { flags: 3 });
  zk.create('/x', { flags: 1 });
  zk.create('/y', { flags: 1, session: S2 });
  const eph = (prefix: string, session = S1) => {
    const r = zk.read(req.ephemerals(prefix), [], session);
    return r.response?.kind === 'ephemerals' ? r.response.ephemerals : null;
  };
  assert.deepEqual(eph(''), ['/s/e', '/s/es-0000000001', '/x']);
  assert.deepEqual(eph(' / '), ['/s/e', '/s/es-0000000001', '/x']);
  assert.deepEqual(eph('/s/e'), ['/s/e', '/s/es-0000000001']);
  assert.deepEqual(eph('/zz'), []);
  assert.deepEqual(eph('/', S2), ['/y']);
  assert.deepEqual(eph('/', '0f00000000000000'), []);
});

// checkSession for every write: a closed session's writes answer SESSIONEXPIRED (after the
// request-level checks that come first in ZooKeeper, e.g. CreateMode.fromFlag).
test('writes of a closed session', () => {
  const zk = new Zk();
  zk.create('/n');
  zk.close(S1);
  assert.equal(zk.create('/a').err, Err.SESSIONEXPIRED);
  assert.equal(zk.create('/a', { flags: 9 }).err, Err.BADARGUMENTS);
  assert.equal(zk.delete('/n').err, Err.SESSIONEXPIRED);
  assert.equal(zk.setData('/n', 'x').err, Err.SESSIONEXPIRED);
  assert.equal(zk.setACL('/n', []).err, Err.SESSIONEXPIRED);
  assert.equal(zk.check('/n', 0).err, Err.SESSIONEXPIRED);
});
