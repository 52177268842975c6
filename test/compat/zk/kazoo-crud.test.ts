// kazoo 2.8 (python3-kazoo) CRUD, errors and multi against the target (Junction or the real
// ZooKeeper 3.8 with JUNCTION_ZK_TARGET=reference). Expected values were observed on 3.8.0.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startZkTarget, type ZkTarget } from '../../helpers/zk-target.js';
import { runPy, type Stat } from './common.js';

interface Crud {
  session_id: string;
  create: { path: string; stat: Stat }; exists: Stat; set: Stat; get: { data: string; stat: Stat };
  seq_a: string; plain_x: string; seq_c: string; parent_after_seq: Stat;
  ephemeral: { path: string; stat: Stat }; ephemeral_child_error: string; ephemeral_seq: string;
  parent_after_eph: Stat; children_with_data: { children: string[]; stat: Stat };
  failed_write_error: string; zxid_gap_over_failed_write: number;
  sync: string; empty_data: string; exists_missing: null; gone: null;
}

describe(`kazoo CRUD (${process.env.JUNCTION_ZK_TARGET ?? 'junction'})`, () => {
  let zk: ZkTarget;
  let r: Crud; // one crud.py run, asserted piece by piece below
  before(async () => {
    zk = await startZkTarget();
    r = await runPy<Crud>('crud.py', zk);
  });
  after(async () => { await zk?.stop(); });

  it('create / exists / set / get report consistent Stat fields', () => {
    const c = r.create.stat;
    assert.equal(r.create.path, '/crud');
    // ZooKeeper DataTree.createNode: a new node has czxid = mzxid = pzxid, ctime = mtime,
    // versions 0, no children, dataLength = bytes of data, ephemeralOwner 0 for persistent nodes.
    assert.equal(c.mzxid, c.czxid);
    assert.equal(c.pzxid, c.czxid);
    assert.equal(c.mtime, c.ctime);
    assert.deepEqual([c.version, c.cversion, c.aversion, c.numChildren, c.dataLength], [0, 0, 0, 0, 3]);
    assert.equal(c.ephemeralOwner, '0x0');
    assert.ok(c.czxid > 0);
    assert.ok(Math.abs(c.ctime - Date.now()) < 60_000, 'ctime is wall-clock ms');
    assert.deepEqual(r.exists, c); // exists returns the same Stat as create2
    // setData: version+1, new mzxid (the next zxid), mtime moves, czxid/ctime/pzxid stay.
    assert.equal(r.set.version, 1);
    assert.equal(r.set.mzxid, c.czxid + 1);
    assert.equal(r.set.czxid, c.czxid);
    assert.equal(r.set.ctime, c.ctime);
    assert.equal(r.set.pzxid, c.pzxid);
    assert.ok(r.set.mtime >= c.mtime);
    assert.equal(r.set.dataLength, 5);
    assert.deepEqual(r.get, { data: 'defgh', stat: r.set });
  });

  it('sequential suffix counts child creations, exposed cversion also counts deletes', () => {
    // ZooKeeper PrepRequestProcessor: suffix = parent's internal cversion, %010d.
    // create n- (0), create x (1), delete x, create n- (2): the delete does not reuse 1.
    assert.equal(r.seq_a, '/crud/n-0000000000');
    assert.equal(r.plain_x, '/crud/x');
    assert.equal(r.seq_c, '/crud/n-0000000002');
    // DataNode.copyStat exposes cversion = 2*internal - numChildren: 2*3 - 2 = 4.
    assert.equal(r.parent_after_seq.cversion, 4);
    assert.equal(r.parent_after_seq.numChildren, 2);
    // pzxid = zxid of the last child create/delete (the second n- create).
    assert.equal(r.parent_after_seq.pzxid, r.set.mzxid + 4);
    // Children changes leave the parent's data version and mzxid alone.
    assert.equal(r.parent_after_seq.version, 1);
    assert.equal(r.parent_after_seq.mzxid, r.set.mzxid);
  });

  it('ephemerals: owner is the session id, no children, sequential ephemerals', () => {
    assert.equal(r.ephemeral.path, '/crud/eph');
    // DataTree.createNode: ephemeralOwner = the creating session's id.
    assert.equal(r.ephemeral.stat.ephemeralOwner, r.session_id);
    // PrepRequestProcessor: a NORMAL ephemeral parent → NoChildrenForEphemerals (-108).
    assert.equal(r.ephemeral_child_error, 'NoChildrenForEphemeralsError');
    // Counter after n-(0), x(1), n-(2), eph(3) → 4; the failed child create did not bump it.
    assert.equal(r.ephemeral_seq, '/crud/es-0000000004');
    // The failed NoChildrenForEphemerals create still consumed a zxid (ErrorTxn): eph, error, es-.
    assert.equal(r.parent_after_eph.pzxid, r.ephemeral.stat.czxid + 2);
    // 2*5 - 4 = 6
    assert.equal(r.parent_after_eph.cversion, 6);
    assert.deepEqual(r.children_with_data.children, ['eph', 'es-0000000004', 'n-0000000000', 'n-0000000002']);
    assert.deepEqual(r.children_with_data.stat, r.parent_after_eph); // getChildren2 Stat
  });

  it('failed writes consume a zxid; sync, empty data, missing nodes', () => {
    assert.equal(r.failed_write_error, 'NodeExistsError');
    // ZooKeeper: the failed create is an ErrorTxn with its own zxid → z2.czxid = z1.czxid + 2.
    assert.equal(r.zxid_gap_over_failed_write, 2);
    assert.equal(r.sync, '/crud'); // SyncResponse echoes the path
    assert.equal(r.empty_data, '');
    assert.equal(r.exists_missing, null); // exists of a missing node: NoNode → kazoo None
    assert.equal(r.gone, null);
  });

  it('errors map to the right KeeperException (kazoo class names)', async () => {
    const e = await runPy<Record<string, string>>('errors.py', zk);
    assert.deepEqual(e, {
      set_bad_version: 'BadVersionError', // -103
      delete_bad_version: 'BadVersionError',
      delete_not_empty: 'NotEmptyError', // -111
      create_exists: 'NodeExistsError', // -110
      create_no_parent: 'NoNodeError', // -101
      get_no_node: 'NoNodeError',
      set_no_node: 'NoNodeError',
      delete_no_node: 'NoNodeError',
      children_no_node: 'NoNodeError',
      acls_no_node: 'NoNodeError',
      // PathUtils.validatePath rejects \u0001-\u001f → BadArguments (-8)
      create_control_char: 'BadArgumentsError',
      // kazoo refuses '.' segments itself (never reaches the server)
      create_dot_segment: 'ValueError',
      // '/' always exists
      create_root: 'NodeExistsError',
      // PrepRequestProcessor.getParentPathAndValidate: ZKDatabase.isSpecialPath → BadArguments for
      // '/', '/zookeeper', '/zookeeper/quota' (and '/zookeeper/config')
      delete_root: 'BadArgumentsError',
      delete_zookeeper: 'BadArgumentsError',
      delete_zookeeper_quota: 'BadArgumentsError',
      // …but setData on them is allowed (real server: succeeds)
      set_zookeeper: '',
      sequential_no_parent: 'NoNodeError',
      still_there: 'v',
    });
  });

  it('multi: committed results, failure results in order, nothing applied on failure', async () => {
    const m = await runPy<{ ok: unknown[]; ok_data: string; bad_version: string[]; no_node: string[];
      after_failures: Record<string, unknown>; zxids: number[] }>('multi.py', zk);
    // MultiResponse: CreateResult(path), SetDataResult(stat), CheckResult, CreateResult, DeleteResult
    assert.equal(m.ok[0], '/multi/a');
    const setStat = m.ok[1] as Stat;
    assert.equal(setStat.version, 1);
    // All ops of one multi share one zxid: the set's mzxid is the create's czxid.
    assert.equal(setStat.mzxid, setStat.czxid);
    assert.deepEqual(m.ok.slice(2), [true, '/multi/b', true]);
    assert.equal(m.ok_data, '2');
    // ZooKeeper multi failure: ops before the failing one → ErrorResult(0) (kazoo RolledBackError),
    // the failing op → its error, ops after → ErrorResult(-2) (RuntimeInconsistency).
    assert.deepEqual(m.bad_version, ['RolledBackError', 'BadVersionError', 'RuntimeInconsistency']);
    assert.deepEqual(m.no_node, ['RolledBackError', 'RolledBackError', 'NoNodeError', 'RuntimeInconsistency']);
    assert.deepEqual(m.after_failures, { c: false, d: false, data: '2', children: ['a'] });
    // z1, z2 in one multi share a zxid; the failed multi took one zxid; z4 = z0 + 3.
    assert.deepEqual(m.zxids, [1, 1, 3]);
  });
});
