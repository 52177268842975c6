import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apply, dataTree, FakeWatcher, NodeChildrenChanged, NodeCreated, NodeDataChanged, NodeDeleted, setup,
} from './fake-watcher.js';

// DataTree.setData → dataWatches.triggerWatch(path, NodeDataChanged); a STANDARD watch is removed
// when it fires (WatchManager.triggerWatch), so the second setData is silent (real 3.8.0).
test('a data watch fires NodeDataChanged once, with the trigger zxid', () => {
  const { table, w: [a, b] } = setup();
  table.add('/n', 'data', a);
  apply(table, dataTree.setData('/n', 42));
  assert.deepEqual(a.events, [{ type: NodeDataChanged, path: '/n', zxid: 42 }]);
  a.take();
  apply(table, dataTree.setData('/n', 43));
  assert.deepEqual(a.take(), []);
  assert.deepEqual(b.take(), []);
});

// DataTree.statNode registers in dataWatches before it throws NoNode; createNode triggers
// NodeCreated on dataWatches only.
test('an exist watch fires NodeCreated once', () => {
  const { table, w: [a] } = setup(1);
  table.add('/m', 'exist', a);
  apply(table, dataTree.create('/m'));
  assert.deepEqual(a.take(), [[NodeCreated, '/m']]);
  apply(table, dataTree.delete('/m'));
  apply(table, dataTree.create('/m'));
  assert.deepEqual(a.take(), []);
});

// exists on a present node is a data watch too (same table), so it also hears NodeDeleted.
test('data and exist watches share the data table: NodeCreated, NodeDataChanged and NodeDeleted', () => {
  const { table, w: [a, b, c] } = setup(3);
  table.add('/x', 'exist', a);
  table.add('/x', 'data', b);
  table.add('/x', 'data', c);
  apply(table, dataTree.create('/x'));
  assert.deepEqual([a.take(), b.take(), c.take()], [[[NodeCreated, '/x']], [[NodeCreated, '/x']], [[NodeCreated, '/x']]]);
  table.add('/x', 'exist', a);
  table.add('/x', 'data', b);
  apply(table, dataTree.delete('/x'));
  assert.deepEqual([a.take(), b.take(), c.take()], [[[NodeDeleted, '/x']], [[NodeDeleted, '/x']], []]);
});

// DataTree.createNode: childWatches.triggerWatch(parent, NodeChildrenChanged); deleteNode the same.
test('a child watch fires NodeChildrenChanged on the parent for a child create or delete', () => {
  const { table, w: [a] } = setup(1);
  table.add('/p', 'child', a);
  apply(table, dataTree.create('/p/c'));
  assert.deepEqual(a.take(), [[NodeChildrenChanged, '/p']]);
  apply(table, dataTree.create('/p/d'));
  assert.deepEqual(a.take(), [], 'consumed by the first event');
  table.add('/p', 'child', a);
  apply(table, dataTree.delete('/p/d'));
  assert.deepEqual(a.take(), [[NodeChildrenChanged, '/p']]);
});

// The root's children: DataTree passes "/" for a parentName of "".
test('a child watch on / fires for a top-level create', () => {
  const { table, w: [a] } = setup(1);
  table.add('/', 'child', a);
  apply(table, dataTree.create('/top'));
  assert.deepEqual(a.take(), [[NodeChildrenChanged, '/']]);
});

// A child watch does not hear its own node's data change, nor its creation.
test('a child watch ignores NodeDataChanged and NodeCreated of its path', () => {
  const { table, w: [a] } = setup(1);
  table.add('/q', 'child', a);
  apply(table, dataTree.setData('/q'));
  apply(table, dataTree.create('/q'));
  assert.deepEqual(a.take(), []);
  apply(table, dataTree.create('/q/k'));
  assert.deepEqual(a.take(), [[NodeChildrenChanged, '/q']], 'still registered');
});

// DataTree.deleteNode: dataWatches.triggerWatch(path, NodeDeleted) returns the watchers it told;
// childWatches.triggerWatch(path, NodeDeleted, processed) skips them but still consumes their
// one-shot child watch (real 3.8.0: getData+getChildren on /e1/m, delete → one NodeDeleted).
test('NodeDeleted reaches a connection with data and child watches once, and clears both', () => {
  const { table, w: [a, b] } = setup();
  table.add('/d', 'data', a);
  table.add('/d', 'child', a);
  table.add('/d', 'child', b);
  apply(table, dataTree.delete('/d'));
  assert.deepEqual(a.take(), [[NodeDeleted, '/d']]);
  assert.deepEqual(b.take(), [[NodeDeleted, '/d']]);
  assert.equal(table.count, 0);
});

// One watcher per path per table (a Set in WatchManager): registering twice still fires once.
test('the same one-shot watch registered twice fires once', () => {
  const { table, w: [a] } = setup(1);
  table.add('/t', 'data', a);
  table.add('/t', 'exist', a);
  assert.equal(table.count, 1);
  apply(table, dataTree.setData('/t'));
  assert.deepEqual(a.take(), [[NodeDataChanged, '/t']]);
});

// Events go out in trigger order: create /e/m with exists(/e/m) and getChildren(/e) on one
// connection → NodeCreated(/e/m) then NodeChildrenChanged(/e) (real 3.8.0).
test('one create: NodeCreated before the parent NodeChildrenChanged', () => {
  const { table, w: [a] } = setup(1);
  table.add('/e/m', 'exist', a);
  table.add('/e', 'child', a);
  apply(table, dataTree.create('/e/m'));
  assert.deepEqual(a.take(), [[NodeCreated, '/e/m'], [NodeChildrenChanged, '/e']]);
  table.add('/e/m', 'data', a);
  table.add('/e', 'child', a);
  apply(table, dataTree.delete('/e/m'));
  assert.deepEqual(a.take(), [[NodeDeleted, '/e/m'], [NodeChildrenChanged, '/e']]);
});

// Watches are per path: a data watch on /a/b is not an ancestor match for /a/b/c, nor is /a/bc.
test('one-shot watches match their exact path only', () => {
  const { table, w: [a] } = setup(1);
  table.add('/a/b', 'data', a);
  table.add('/a/b', 'child', a);
  apply(table, dataTree.create('/a/b/c/d'));
  apply(table, dataTree.setData('/a/bc'));
  apply(table, dataTree.setData('/a'));
  assert.deepEqual(a.take(), []);
  assert.equal(table.count, 2);
});

// WatchManager.addWatch ignores a closed connection (isDeadWatcher), so a read answered after
// the disconnect cannot leave watches behind.
test('a closed watcher is not registered', () => {
  const { table } = setup(0);
  const gone = new FakeWatcher(9);
  gone.closed = true;
  table.add('/z', 'data', gone);
  table.addPersistent('/z', true, gone);
  assert.equal(table.count, 0);
  assert.equal(table.byWatcher().size, 0);
});
