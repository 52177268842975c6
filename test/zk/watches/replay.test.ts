import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Stat } from '../../../src/zk/codec/types.js';
import { apply, dataTree, NodeChildrenChanged, NodeCreated, NodeDataChanged, NodeDeleted, setup } from './fake-watcher.js';

function stat(mzxid: number, pzxid: number): Stat {
  return {
    czxid: 1, mzxid, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n,
    dataLength: 0, numChildren: 0, pzxid,
  };
}

/** A tree: path → [mzxid, pzxid]. */
function lookup(nodes: Record<string, [number, number]>): (path: string) => Stat | null {
  return (path) => (nodes[path] ? stat(...nodes[path]!) : null);
}

const empty = { dataWatches: [], existWatches: [], childWatches: [] };

// DataTree.setWatches, data watches: missing → NodeDeleted; mzxid > relativeZxid →
// NodeDataChanged; else registered. The event replaces the registration.
test('replay data watches', () => {
  const { table, w: [a] } = setup(1);
  const tree = lookup({ '/old': [5, 5], '/same': [7, 7], '/changed': [8, 1] });
  table.replay({ ...empty, relativeZxid: 7, dataWatches: ['/gone', '/old', '/same', '/changed'] }, a, tree, 99);
  assert.deepEqual(a.events, [
    { type: NodeDeleted, path: '/gone', zxid: 99 }, { type: NodeDataChanged, path: '/changed', zxid: 99 }]);
  a.take();
  assert.deepEqual([...table.byPath().keys()].sort(), ['/old', '/same']);
  apply(table, dataTree.setData('/same'));
  apply(table, dataTree.setData('/changed'));
  assert.deepEqual(a.take(), [[NodeDataChanged, '/same']]);
});

// Exist watches: the node exists now → NodeCreated (whatever its zxids); missing → registered.
test('replay exist watches', () => {
  const { table, w: [a] } = setup(1);
  table.replay({ ...empty, relativeZxid: 1000, existWatches: ['/here', '/none'] }, a, lookup({ '/here': [1, 1] }), 5);
  assert.deepEqual(a.take(), [[NodeCreated, '/here']]);
  apply(table, dataTree.create('/none'));
  assert.deepEqual(a.take(), [[NodeCreated, '/none']]);
});

// Child watches: missing → NodeDeleted; pzxid > relativeZxid → NodeChildrenChanged (a childless
// node's pzxid is its czxid: real 3.8.0 with relativeZxid 0 fires it); else registered.
test('replay child watches', () => {
  const { table, w: [a] } = setup(1);
  const tree = lookup({ '/kids': [1, 9], '/quiet': [9, 3] });
  table.replay({ ...empty, relativeZxid: 5, childWatches: ['/gone', '/kids', '/quiet'] }, a, tree, 5);
  assert.deepEqual(a.take(), [[NodeDeleted, '/gone'], [NodeChildrenChanged, '/kids']]);
  assert.equal(table.count, 1);
  assert.equal(table.byPath().size, 0, 'child watches are not in wchp');
  apply(table, dataTree.create('/quiet/c'));
  assert.deepEqual(a.take(), [[NodeChildrenChanged, '/quiet']]);
});

// Order of DataTree.setWatches' loops: data, exist, child (real 3.8.0: NodeDeleted /s/x1,
// NodeCreated /s/old, NodeDeleted /s/x2).
test('replay delivers data, then exist, then child events', () => {
  const { table, w: [a] } = setup(1);
  table.replay({ relativeZxid: 0, dataWatches: ['/x1'], existWatches: ['/old'], childWatches: ['/x2'] }, a,
    lookup({ '/old': [1, 1] }), 3);
  assert.deepEqual(a.take(), [[NodeDeleted, '/x1'], [NodeCreated, '/old'], [NodeDeleted, '/x2']]);
});

// Persistent lists are registered in both tables with no event, even for a missing node or a
// node changed after relativeZxid (real 3.8.0: SetWatches2 with /s/gone3 and /s/chg → none).
test('replay registers persistent and recursive watches without events', () => {
  const { table, w: [a] } = setup(1);
  table.replay({ ...empty, relativeZxid: 0, persistentWatches: ['/chg', '/missing'], persistentRecursiveWatches: ['/s'] },
    a, lookup({ '/chg': [50, 50], '/s': [50, 50] }), 60);
  assert.deepEqual(a.take(), []);
  assert.equal(table.count, 6);
  apply(table, dataTree.setData('/chg'));
  apply(table, dataTree.setData('/chg'));
  apply(table, dataTree.create('/s/t/u'));
  apply(table, dataTree.create('/missing'));
  assert.deepEqual(a.take(), [
    [NodeDataChanged, '/chg'], [NodeDataChanged, '/chg'], [NodeCreated, '/s/t/u'], [NodeCreated, '/missing']]);
});

// A data watch that fires during replay is not registered, but a persistent watch on the same
// path in the same request still is.
test('replay: fired one-shot plus persistent on the same path leaves the persistent watch', () => {
  const { table, w: [a] } = setup(1);
  table.replay({ ...empty, relativeZxid: 0, dataWatches: ['/chg'], persistentWatches: ['/chg'] }, a, lookup({ '/chg': [4, 4] }), 4);
  assert.deepEqual(a.take(), [[NodeDataChanged, '/chg']]);
  apply(table, dataTree.setData('/chg'));
  apply(table, dataTree.setData('/chg'));
  assert.equal(a.take().length, 2);
});

// Old SetWatches (opcode 101) carries no persistent lists.
test('replay without persistent lists', () => {
  const { table, w: [a] } = setup(1);
  table.replay({ ...empty, relativeZxid: 0 }, a, lookup({}), 1);
  assert.equal(table.count, 0);
  assert.deepEqual(a.take(), []);
});
