import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, dataTree, setup } from './fake-watcher.js';

// DataTree.getWatchCount = dataWatches.size() + childWatches.size() (mntr zk_watch_count), while
// wchc/wchp/wchs read dataWatches only. Real 3.8.0: getChildren(/w) + getData(/w) +
// getChildren(/w2) → zk_watch_count 3, wchs "1 connections watching 1 paths, Total watches:1",
// wchp lists /w only.
test('count includes child watches; byWatcher/byPath list the data table only', () => {
  const { table, w: [a] } = setup(1);
  table.add('/w', 'child', a);
  table.add('/w', 'data', a);
  table.add('/w2', 'child', a);
  assert.equal(table.count, 3);
  assert.deepEqual(table.byWatcher(), new Map([[1, ['/w']]]));
  assert.deepEqual(table.byPath(), new Map([['/w', [1]]]));
});

// A persistent watch is in both tables (DataTree.addWatch): counts 2, listed once
// (real 3.8.0: SetWatches2 with 2 persistent + 1 recursive + 1 data/child pair + 1 exist → mntr 7, wchs 4).
test('persistent watches count twice and are listed once', () => {
  const { table, w: [a] } = setup(1);
  table.addPersistent('/p', false, a);
  table.addPersistent('/r', true, a);
  table.add('/q', 'data', a);
  table.add('/q', 'child', a);
  table.add('/none', 'exist', a);
  assert.equal(table.count, 7);
  assert.deepEqual(table.byWatcher().get(1)?.sort(), ['/none', '/p', '/q', '/r']);
});

test('byPath gathers the watchers of each path', () => {
  const { table, w: [a, b, c] } = setup(3);
  table.add('/app', 'data', a);
  table.add('/app', 'exist', b);
  table.add('/missing', 'exist', a);
  table.add('/kids', 'child', c);
  assert.deepEqual(table.byPath(), new Map([['/app', [1, 2]], ['/missing', [1]]]));
  assert.deepEqual(table.byWatcher(), new Map([[1, ['/app', '/missing']], [2, ['/app']]]));
});

// WatchManager keeps a watcher's watch2Paths entry (possibly empty) after its watches fire or
// are removed; only removeWatcher(Watcher) drops it. Real 3.8.0: two connections' watches fired →
// wchs "2 connections watching 0 paths", wchc lists both sessions with no paths.
test('a connection whose watches fired stays listed, with no paths, until it goes', () => {
  const { table, w: [a, b] } = setup();
  table.add('/v', 'data', a);
  table.add('/v', 'child', a);
  table.add('/v', 'data', b);
  apply(table, dataTree.setData('/v'));
  assert.equal(table.count, 1);
  assert.deepEqual(table.byWatcher(), new Map([[1, []], [2, []]]));
  assert.equal(table.byPath().size, 0);
  table.add('/v', 'data', a);
  assert.equal(table.removeWatches('/v', 2, a, true), true);
  assert.deepEqual(table.byWatcher(), new Map([[1, []], [2, []]]));
  table.removeWatcher(b);
  assert.deepEqual(table.byWatcher(), new Map([[1, []]]));
});

// DataTree.removeCnxn: both tables (real 3.8.0: after close, wchs 0 connections, mntr 0).
test('removeWatcher drops every watch of the connection and nothing else', () => {
  const { table, w: [a, b] } = setup();
  table.add('/x', 'data', a);
  table.add('/x', 'child', a);
  table.addPersistent('/', true, a);
  table.add('/x', 'data', b);
  table.removeWatcher(a);
  assert.equal(table.count, 1);
  assert.deepEqual(table.byWatcher(), new Map([[2, ['/x']]]));
  apply(table, dataTree.create('/x/y'));
  apply(table, dataTree.setData('/x'));
  assert.deepEqual(a.take(), []);
  assert.equal(b.take().length, 1);
  table.removeWatcher(a);
  table.removeWatcher(b);
  assert.equal(table.count, 0);
  assert.equal(table.byWatcher().size, 0);
});
