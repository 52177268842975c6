import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatcherType } from '../../../src/zk/codec/types.js';
import { isKnownWatcherType } from '../../../src/zk/watches/watch-table.js';
import { apply, dataTree, NodeChildrenChanged, setup } from './fake-watcher.js';

const { Children, Data, Any } = WatcherType;
const REMOVE = true;
const CHECK = false;

// DataTree.removeWatch(Data) → dataWatches.removeWatcher: exist watches live there too (real
// 3.8.0: exists(/k/missing), checkWatches Data → OK, Children → NOWATCHER, Any → OK).
test('Data covers exist and data watches; Children covers child watches only', () => {
  const { table, w: [a] } = setup(1);
  table.add('/missing', 'exist', a);
  table.add('/c', 'child', a);
  assert.equal(table.removeWatches('/missing', Data, a, CHECK), true);
  assert.equal(table.removeWatches('/missing', Children, a, CHECK), false);
  assert.equal(table.removeWatches('/missing', Any, a, CHECK), true);
  assert.equal(table.removeWatches('/c', Data, a, CHECK), false);
  assert.equal(table.removeWatches('/c', Data, a, REMOVE), false);
  assert.equal(table.removeWatches('/c', Children, a, REMOVE), true);
  assert.equal(table.removeWatches('/missing', Data, a, REMOVE), true);
  assert.equal(table.removeWatches('/missing', Data, a, REMOVE), false, 'nothing left: NOWATCHER');
  assert.equal(table.count, 0);
});

// A check (remove=false) must not remove.
test('checkWatches leaves the watch in place', () => {
  const { table, w: [a] } = setup(1);
  table.add('/n', 'data', a);
  assert.equal(table.removeWatches('/n', Any, a, CHECK), true);
  assert.equal(table.count, 1);
});

// DataTree.removeWatch(Any) removes from both tables, persistent watches included; Data alone on a
// persistent watch removes its data-table half only (real 3.8.0: after removeWatches(/k, Data),
// setData sends nothing but a child create still sends NodeChildrenChanged; then Any → OK, and
// Any again → NOWATCHER).
test('Data removes half a persistent watch, Any removes the rest', () => {
  const { table, w: [a] } = setup(1);
  table.addPersistent('/k', false, a);
  assert.equal(table.removeWatches('/k', Data, a, CHECK), true);
  assert.equal(table.removeWatches('/k', Children, a, CHECK), true);
  assert.equal(table.removeWatches('/k', Data, a, REMOVE), true);
  apply(table, dataTree.setData('/k'));
  apply(table, dataTree.create('/k/d'));
  assert.deepEqual(a.take(), [[NodeChildrenChanged, '/k']]);
  assert.equal(table.removeWatches('/k', Any, a, REMOVE), true);
  assert.equal(table.removeWatches('/k', Any, a, REMOVE), false);
  apply(table, dataTree.create('/k/e'));
  assert.deepEqual(a.take(), []);
});

// Any is true when either table had one; both are removed in one call.
test('Any removes data and child watches together', () => {
  const { table, w: [a] } = setup(1);
  table.add('/b', 'data', a);
  table.add('/b', 'child', a);
  assert.equal(table.removeWatches('/b', Any, a, REMOVE), true);
  assert.equal(table.count, 0);
});

// removeWatches only touches the caller's own watch on exactly that path (WatchManager
// .removeWatcher(path, watcher)); a recursive watch on an ancestor is not a watch on the
// descendant (real 3.8.0: recursive /k, checkWatches(/k/c, Data) → NOWATCHER).
test('remove is per connection and per exact path', () => {
  const { table, w: [a, b] } = setup();
  table.add('/o', 'data', a);
  table.addPersistent('/k', true, b);
  assert.equal(table.removeWatches('/o', Data, b, REMOVE), false);
  assert.equal(table.removeWatches('/k/c', Data, b, CHECK), false);
  assert.equal(table.removeWatches('/k/c', Data, b, REMOVE), false);
  assert.equal(table.removeWatches('/k', Data, b, CHECK), true);
  assert.equal(table.count, 3);
});

// WatchManager.containsWatcher in 3.8.0 answers true at the leaf when any connection watches the
// path (real 3.8.0: connection b's checkWatches(/k/missing, Data) → OK although only a watched
// it; b's removeWatches → NOWATCHER; a's watch still fires).
test('checkWatches matches another connection\'s watch on the path, as 3.8.0 does', () => {
  const { table, w: [a, b] } = setup();
  table.add('/m', 'exist', a);
  assert.equal(table.removeWatches('/m', Data, b, CHECK), true);
  assert.equal(table.removeWatches('/m', Data, b, REMOVE), false);
  assert.equal(table.removeWatches('/m', Children, b, CHECK), false);
  assert.equal(table.removeWatches('/zz', Any, b, CHECK), false);
  assert.equal(table.count, 1);
});

// Watcher.WatcherType.fromInt (3.8.0) knows 1..3 only; real 3.8.0 answers MARSHALLINGERROR for
// types 0, 4 and 5, so the table matches nothing for them.
test('types beyond Any are unknown to 3.8', () => {
  const { table, w: [a] } = setup(1);
  table.addPersistent('/p', false, a);
  table.addPersistent('/r', true, a);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(isKnownWatcherType), [false, true, true, true, false, false]);
  assert.equal(table.removeWatches('/p', WatcherType.Persistent, a, REMOVE), false);
  assert.equal(table.removeWatches('/r', WatcherType.PersistentRecursive, a, CHECK), false);
  assert.equal(table.count, 4);
});
