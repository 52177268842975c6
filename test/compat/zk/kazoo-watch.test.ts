// Watches and sessions with kazoo 2.8 and the raw-socket client (py/zkraw.py) for what kazoo
// cannot express: notification-before-reply order and addWatch (persistent / recursive).
// Expected values were observed on the real ZooKeeper 3.8.0.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startZkTarget, type ZkTarget } from '../../helpers/zk-target.js';
import { startPy } from './common.js';

type Ev = [string, string, string]; // [which watch, kazoo event type, path]
type WireEv = [number, number, string]; // [Watcher.Event.EventType, KeeperState, path]
const NodeCreated = 1, NodeDeleted = 2, NodeDataChanged = 3, NodeChildrenChanged = 4, SyncConnected = 3;

describe(`watches and sessions (${process.env.JUNCTION_ZK_TARGET ?? 'junction'})`, () => {
  let zk: ZkTarget;
  // The scripts use disjoint paths, so they run side by side (session.py waits for an expiry).
  let watches: Promise<Record<string, unknown>>;
  let raw: Promise<Record<string, WireEv[] | number | number[]>>;
  let sessions: Promise<Record<string, unknown>>;
  before(async () => {
    // tickTime 2000 → session timeouts are clamped to [4000, 40000] ms.
    zk = await startZkTarget({ tickTime: 2000 });
    watches = startPy('watches.py', zk);
    raw = startPy('raw_watches.py', zk);
    sessions = startPy('session.py', zk);
  });
  after(async () => { await zk?.stop(); });

  it('kazoo one-shot watches: data, exists, children, delete, ephemeral owner gone', async () => {
    const w = await watches;
    // DataTree.setData fires NodeDataChanged on data watches; createNode fires NodeCreated on
    // exists watches and NodeChildrenChanged on the parent's child watches.
    assert.deepEqual(w.first, [['children', 'CHILD', '/w'], ['data', 'CHANGED', '/w/node'], ['exists', 'CREATED', '/w/missing']] satisfies Ev[]);
    // WatchManager.triggerWatch removes one-shot watches: the second round of changes fires nothing.
    assert.deepEqual(w.second, []);
    // A child's data change does not fire the parent's child watch; the later child delete does (once).
    assert.deepEqual(w.child_watch, [['children', 'CHILD', '/w']]);
    // Delete fires NodeDeleted for data, exists and child watches on the node (kazoo fans the
    // single wire event out to all three local watchers; see the raw test for the wire count).
    assert.deepEqual(w.delete, [['children', 'DELETED', '/w/node'], ['data', 'DELETED', '/w/node'], ['exists', 'DELETED', '/w/node']]);
    // getData on a missing node fails with NoNode and leaves no watch (DataTree.getData throws first).
    assert.equal(w.get_missing_error, 'NoNodeError');
    assert.deepEqual(w.get_missing_created, []);
    // Closing b's session deletes its ephemeral: a's exists watch and the parent child watch fire.
    assert.deepEqual(w.ephemeral_gone, [['children', 'CHILD', '/w'], ['exists', 'DELETED', '/w/eph']]);
    assert.equal(w.ephemeral_exists_after, false);
  });

  it('raw wire: notifications precede the reply, one notification per watcher per change', async () => {
    const r = await raw;
    // ZooKeeper guarantees a client sees the watch event before the result of the write that
    // triggered it: the xid -1 notification is on the wire before the setData reply.
    assert.deepEqual(r.own_write_event_before_reply, [[NodeDataChanged, SyncConnected, '/rw1']]);
    assert.equal(r.other_write_reply, 0);
    assert.deepEqual(r.other_write_event, [[NodeCreated, SyncConnected, '/rw1/c']]);
    // DataTree.deleteNode passes the data watchers already notified to the child-watch trigger:
    // a session with both a data and a child watch gets ONE NodeDeleted.
    assert.deepEqual(r.delete_with_data_and_child_watch, [[NodeDeleted, SyncConnected, '/rw1/c']]);
  });

  it('raw wire: addWatch PERSISTENT and PERSISTENT_RECURSIVE', async () => {
    const r = await raw;
    assert.deepEqual(r.add_watch, [0, 0]);
    const p = '/rwt/pw';
    // PERSISTENT: the node's created/data/deleted events and its own child-list changes, never
    // removed by firing; grandchildren and children's data changes are not reported.
    assert.deepEqual(r.persistent, [[NodeCreated, SyncConnected, p], [NodeChildrenChanged, SyncConnected, p],
      [NodeDataChanged, SyncConnected, p], [NodeChildrenChanged, SyncConnected, p], [NodeDeleted, SyncConnected, p],
      [NodeCreated, SyncConnected, p]]);
    // PERSISTENT_RECURSIVE: created/changed/deleted for the node and every descendant, and no
    // NodeChildrenChanged at all (WatchManager skips child events for recursive watches).
    const q = '/rwt/rw';
    assert.deepEqual(r.recursive, [[NodeCreated, SyncConnected, q], [NodeCreated, SyncConnected, `${q}/a`],
      [NodeCreated, SyncConnected, `${q}/a/b`], [NodeDataChanged, SyncConnected, `${q}/a/b`],
      [NodeDeleted, SyncConnected, `${q}/a/b`], [NodeDataChanged, SyncConnected, q]]);
    // A persistent watch plus a one-shot data watch of the same session: one notification.
    assert.deepEqual(r.persistent_plus_oneshot, [[NodeDataChanged, SyncConnected, p]]);
    // addWatch validates nothing: missing node, relative path and '//' are all accepted (err 0).
    assert.deepEqual(r.add_watch_odd_paths, [0, 0, 0]);
  });

  it('sessions: resume keeps ephemerals, wrong password and expiry refuse, timeouts clamp', async () => {
    const s = await sessions;
    // Reconnecting with (session id, password) resumes the session: same id, its ephemeral is kept.
    assert.deepEqual(s.resume, { states: ['CONNECTED'], error: '', same_session: true, owner_matches: true });
    // Closing the session removes its ephemerals at once.
    assert.equal(s.kept_gone_after_close, true);
    // ZooKeeperServer.finishSessionInit(valid=false): ConnectResponse timeOut 0, sessionId 0,
    // 16 zero password bytes, then the connection is closed.
    assert.deepEqual(s.wrong_password_raw, { timeout: 0, session_id: 0, passwd_len: 16, closed: true });
    // kazoo treats that as expiry and silently opens a new session.
    assert.deepEqual(s.wrong_password_kazoo, { error: '', new_session: true });
    // A 4000 ms session whose client died expires between timeout and timeout + tickTime
    // (SessionTrackerImpl rounds expiry up to the next tick), taking its ephemeral with it.
    assert.equal(s.short_expired, true);
    const secs = s.short_expiry_seconds as number;
    assert.ok(secs >= 2 && secs <= 10, `expiry after ${secs} s`);
    assert.deepEqual(s.resume_expired_raw, { timeout: 0, session_id: 0 });
    // ZooKeeperServer.processConnectRequest clamps to [minSessionTimeout, maxSessionTimeout] =
    // [2, 20] * tickTime: asked 1000 → 4000, 5000 → 5000, 100000 → 40000.
    assert.deepEqual(s.negotiated_timeouts, [4000, 5000, 40000]);
  });
});
