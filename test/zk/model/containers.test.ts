import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Err } from '../../../src/zk/codec/errors.js';
import { containerCandidates } from '../../../src/zk/model/index.js';
import { T0, Zk } from './harness.js';

const deleteContainer = (zk: Zk, path: string, time: number) => zk.apply({ type: 'deleteContainer', path, time });

// ContainerManager.getCandidates: an empty container qualifies once it has had a child
// (cversion > 0); a never-used one only past znode.container.maxNeverUsedIntervalMs (default 0 =
// never). The real 3.8.0 removed /p1/cc (child created and deleted) and kept /p1/nu (never used).
test('container candidates', () => {
  const zk = new Zk();
  zk.create('/used', { opcode: 19, flags: 4 });
  zk.create('/used/k');
  zk.delete('/used/k');
  zk.create('/never', { opcode: 19, flags: 4 });
  zk.create('/busy', { opcode: 19, flags: 4 });
  zk.create('/busy/k');
  zk.create('/plain');
  zk.create('/plain/k');
  zk.delete('/plain/k');
  assert.deepEqual(containerCandidates(zk.state, T0 + 1), ['/used']);
  assert.deepEqual(containerCandidates(zk.state, T0 + 1000, 500), ['/used', '/never']);
  assert.deepEqual(containerCandidates(zk.state, T0 + 400, 500), ['/used']);
});

// ContainerManager: a TTL node with no children goes once now - mtime > ttl; setData moves mtime.
test('TTL candidates', () => {
  const zk = new Zk();
  zk.create('/t', { opcode: 21, flags: 5, ttl: 1000 });
  zk.create('/tc', { opcode: 21, flags: 5, ttl: 1000 });
  zk.create('/tc/child');
  assert.deepEqual(containerCandidates(zk.state, T0 + 1000), []);
  assert.deepEqual(containerCandidates(zk.state, T0 + 1001), ['/t']);
  zk.setData('/t', 'x', -1, { time: T0 + 900 });
  assert.deepEqual(containerCandidates(zk.state, T0 + 1001), []);
  assert.deepEqual(containerCandidates(zk.state, T0 + 1901), ['/t']);
});

// PrepRequestProcessor deleteContainer: BADARGUMENTS, NONODE, NOTEMPTY, BADVERSION for an
// ephemeral; no session or ACL check. Junction also refuses (BADVERSION) a plain node and a TTL
// node that is not expired at the command's time, so a stale candidate is never removed.
test('deleteContainer', () => {
  const zk = new Zk();
  zk.create('/c', { opcode: 19, flags: 4, acl: [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }] });
  zk.create('/c2', { opcode: 19, flags: 4 });
  zk.create('/c2/k');
  zk.create('/e', { flags: 1 });
  zk.create('/p');
  zk.create('/t', { opcode: 21, flags: 5, ttl: 1000 });
  assert.equal(deleteContainer(zk, '/zookeeper', T0).err, Err.BADARGUMENTS);
  assert.equal(deleteContainer(zk, '/none', T0).err, Err.NONODE);
  assert.equal(deleteContainer(zk, '/c2', T0).err, Err.NOTEMPTY);
  assert.equal(deleteContainer(zk, '/e', T0).err, Err.BADVERSION);
  assert.equal(deleteContainer(zk, '/p', T0).err, Err.BADVERSION);
  assert.equal(deleteContainer(zk, '/t', T0 + 1000).err, Err.BADVERSION);
  const r = deleteContainer(zk, '/c', T0);
  assert.deepEqual(r, { zxid: r.zxid, err: 0, triggers: [{ type: 2, path: '/c', zxid: r.zxid }, { type: 4, path: '/', zxid: r.zxid }] });
  assert.equal(deleteContainer(zk, '/t', T0 + 1001).err, 0);
  assert.deepEqual([zk.exists('/c'), zk.exists('/t')], [false, false]);
  assert.deepEqual([...zk.state.containers, ...zk.state.ttls], ['/c2']);
});
