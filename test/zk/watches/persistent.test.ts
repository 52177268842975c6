import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, dataTree, NodeChildrenChanged, NodeCreated, NodeDataChanged, NodeDeleted, setup } from './fake-watcher.js';

// DataTree.addWatch puts a PERSISTENT watch in dataWatches and childWatches; WatchManager keeps
// persistent watches when they fire. Exact path only: NodeCreated/NodeDataChanged/NodeDeleted of
// the path (data table) and NodeChildrenChanged of the path (child table).
test('a persistent watch gets every event of its own path and stays', () => {
  const { table, w: [a] } = setup(1);
  table.addPersistent('/p', false, a);
  apply(table, dataTree.create('/p'));
  apply(table, dataTree.setData('/p'));
  apply(table, dataTree.setData('/p'));
  apply(table, dataTree.create('/p/c'));
  apply(table, dataTree.delete('/p/c'));
  apply(table, dataTree.delete('/p'));
  apply(table, dataTree.create('/p'));
  assert.deepEqual(a.take(), [
    [NodeCreated, '/p'], [NodeDataChanged, '/p'], [NodeDataChanged, '/p'], [NodeChildrenChanged, '/p'],
    [NodeChildrenChanged, '/p'], [NodeDeleted, '/p'], [NodeCreated, '/p'],
  ]);
  assert.equal(table.count, 2, 'one entry per table (DataTree.getWatchCount)');
});

// Not recursive: a grandchild's events and a child's NodeCreated are not for /p (real 3.8.0:
// addWatch("/", PERSISTENT), create /rr2 → only NodeChildrenChanged "/").
test('a persistent watch ignores descendants except as its own NodeChildrenChanged', () => {
  const { table, w: [a] } = setup(1);
  table.addPersistent('/', false, a);
  apply(table, dataTree.create('/rr2'));
  apply(table, dataTree.create('/rr2/x'));
  apply(table, dataTree.setData('/rr2'));
  assert.deepEqual(a.take(), [[NodeChildrenChanged, '/']]);
});

// WatchManager.triggerWatch: a recursive mode matches on the path and every ancestor walk step,
// except for NodeChildrenChanged (real 3.8.0: addWatch(/r, RECURSIVE), create /r/x → only
// NodeCreated /r/x; delete /r/x/z → only NodeDeleted /r/x/z).
test('a recursive watch gets created/deleted/dataChanged for the subtree but no NodeChildrenChanged', () => {
  const { table, w: [a] } = setup(1);
  table.addPersistent('/r', true, a);
  apply(table, dataTree.create('/r'));
  apply(table, dataTree.create('/r/x'));
  apply(table, dataTree.create('/r/x/y'));
  apply(table, dataTree.setData('/r/x/y'));
  apply(table, dataTree.setData('/r'));
  apply(table, dataTree.delete('/r/x/y'));
  apply(table, dataTree.setData('/rx'));
  apply(table, dataTree.create('/other'));
  assert.deepEqual(a.take(), [
    [NodeCreated, '/r'], [NodeCreated, '/r/x'], [NodeCreated, '/r/x/y'], [NodeDataChanged, '/r/x/y'],
    [NodeDataChanged, '/r'], [NodeDeleted, '/r/x/y'],
  ]);
});

test('a recursive watch on / sees the whole tree', () => {
  const { table, w: [a] } = setup(1);
  table.addPersistent('/', true, a);
  apply(table, dataTree.create('/rr'));
  apply(table, dataTree.create('/rr/a/b'));
  assert.deepEqual(a.take(), [[NodeCreated, '/rr'], [NodeCreated, '/rr/a/b']]);
});

// The matched watchers are a set: a recursive watch on an ancestor plus a one-shot on the path
// send one event, and the one-shot is consumed (real 3.8.0: set /r/x/y → one NodeDataChanged).
test('recursive ancestor plus one-shot on the path: one event, one-shot consumed', () => {
  const { table, w: [a] } = setup(1);
  table.addPersistent('/r', true, a);
  table.add('/r/x/y', 'data', a);
  assert.equal(table.count, 3);
  apply(table, dataTree.setData('/r/x/y'));
  assert.deepEqual(a.take(), [[NodeDataChanged, '/r/x/y']]);
  assert.equal(table.count, 2);
});

// Different tables fire separately: recursive /r + getChildren(/r/x), create /r/x/z →
// NodeCreated(/r/x/z) from dataWatches, then NodeChildrenChanged(/r/x) from childWatches.
test('recursive watch plus a child watch on the parent: both events, in DataTree order', () => {
  const { table, w: [a] } = setup(1);
  table.addPersistent('/r', true, a);
  table.add('/r/x', 'child', a);
  apply(table, dataTree.create('/r/x/z'));
  assert.deepEqual(a.take(), [[NodeCreated, '/r/x/z'], [NodeChildrenChanged, '/r/x']]);
});

// One WatcherMode per (watcher, path) per table: getData after addWatch on the same path makes
// the data-table entry STANDARD (WatcherModeManager.setWatcherMode removes the persistent mode);
// the child-table half stays persistent. Real 3.8.0, addWatch(/e1/p) then getData(/e1/p): set →
// event, set → nothing, create/delete child → NodeChildrenChanged, delete → NodeDeleted (child
// table), re-create → nothing.
test('a one-shot watch after a persistent one on the same path downgrades its data half', () => {
  const { table, w: [a] } = setup(1);
  table.addPersistent('/p', false, a);
  table.add('/p', 'data', a);
  apply(table, dataTree.setData('/p'));
  assert.deepEqual(a.take(), [[NodeDataChanged, '/p']]);
  apply(table, dataTree.setData('/p'));
  assert.deepEqual(a.take(), []);
  apply(table, dataTree.create('/p/c'));
  apply(table, dataTree.delete('/p/c'));
  assert.deepEqual(a.take(), [[NodeChildrenChanged, '/p'], [NodeChildrenChanged, '/p']]);
  apply(table, dataTree.delete('/p'));
  assert.deepEqual(a.take(), [[NodeDeleted, '/p']]);
  apply(table, dataTree.create('/p'));
  assert.deepEqual(a.take(), []);
});

// The other order upgrades: getData then addWatch leaves one PERSISTENT entry, one event per
// change forever (real 3.8.0: two setData → two NodeDataChanged).
test('a persistent watch after a one-shot on the same path replaces it: one event per change', () => {
  const { table, w: [a] } = setup(1);
  table.add('/q', 'data', a);
  table.addPersistent('/q', false, a);
  apply(table, dataTree.setData('/q'));
  apply(table, dataTree.setData('/q'));
  assert.deepEqual(a.take(), [[NodeDataChanged, '/q'], [NodeDataChanged, '/q']]);
  assert.equal(table.count, 2);
});

// Real 3.8.0: addWatch(/r, RECURSIVE) then getChildren(/r): create /r/w → NodeCreated(/r/w) and
// NodeChildrenChanged(/r); /r/w2 → NodeCreated only. Then getData(/r): set /r → one event, again
// → none, create /r/w3 → none (both recursive halves are gone).
test('one-shot watches on a recursive watch path turn each table half into a one-shot', () => {
  const { table, w: [a] } = setup(1);
  table.addPersistent('/r', true, a);
  table.add('/r', 'child', a);
  assert.deepEqual(table.recursiveWatchQty, { data: 1, child: 0 });
  apply(table, dataTree.create('/r/w'));
  assert.deepEqual(a.take(), [[NodeCreated, '/r/w'], [NodeChildrenChanged, '/r']]);
  apply(table, dataTree.create('/r/w2'));
  assert.deepEqual(a.take(), [[NodeCreated, '/r/w2']]);
  table.add('/r', 'data', a);
  assert.deepEqual(table.recursiveWatchQty, { data: 0, child: 0 });
  apply(table, dataTree.setData('/r'));
  apply(table, dataTree.setData('/r'));
  apply(table, dataTree.create('/r/w3'));
  assert.deepEqual(a.take(), [[NodeDataChanged, '/r']]);
  assert.equal(table.count, 0);
});

// addWatch twice with a different mode: the last mode wins (real 3.8.0: addWatch("/", RECURSIVE)
// then addWatch("/", PERSISTENT), create /rr2 → only NodeChildrenChanged "/").
test('addWatch again on the same path switches the mode', () => {
  const { table, w: [a] } = setup(1);
  table.addPersistent('/', true, a);
  table.addPersistent('/', false, a);
  assert.deepEqual(table.recursiveWatchQty, { data: 0, child: 0 });
  apply(table, dataTree.create('/rr2'));
  assert.deepEqual(a.take(), [[NodeChildrenChanged, '/']]);
});

// NodeDeleted of a watched path: the persistent watch answers from dataWatches, and its
// child-table half is suppressed (DataTree.deleteNode), so one event.
test('several watchers: each persistent or recursive one is told once per trigger', () => {
  const { table, w: [a, b, c] } = setup(3);
  table.addPersistent('/s', false, a);
  table.addPersistent('/s', true, b);
  table.addPersistent('/', true, c);
  table.add('/s', 'child', c);
  apply(table, dataTree.delete('/s'));
  assert.deepEqual(a.take(), [[NodeDeleted, '/s']]);
  assert.deepEqual(b.take(), [[NodeDeleted, '/s']]);
  assert.deepEqual(c.take(), [[NodeDeleted, '/s']]);
});

// WatcherModeManager keeps recursiveQty so triggerWatch walks ancestors only when needed.
test('recursiveWatchQty follows adds, removes and disconnects', () => {
  const { table, w: [a, b] } = setup();
  table.addPersistent('/a', true, a);
  table.addPersistent('/b', true, b);
  table.addPersistent('/a', true, a);
  assert.deepEqual(table.recursiveWatchQty, { data: 2, child: 2 });
  assert.equal(table.removeWatches('/a', 2, a, true), true);
  assert.deepEqual(table.recursiveWatchQty, { data: 1, child: 2 });
  table.removeWatcher(b);
  assert.deepEqual(table.recursiveWatchQty, { data: 0, child: 1 });
  table.removeWatcher(a);
  assert.deepEqual(table.recursiveWatchQty, { data: 0, child: 0 });
});
