// zkCli.sh (ZooKeeper 3.8's own Java client) against the target: 6 JVM runs in all, each batching
// many commands. Expected output was observed with the real ZooKeeper 3.8.0.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startZkTarget, type ZkTarget } from '../../helpers/zk-target.js';
import { parseStat, zkCli, zkCliSession } from './zkcli.js';

const superDigest = `super:${createHash('sha1').update('super:secret').digest('base64')}`;
const uDigest = `u:${createHash('sha1').update('u:p').digest('base64')}`;

describe(`zkCli.sh (${process.env.JUNCTION_ZK_TARGET ?? 'junction'})`, () => {
  let zk: ZkTarget;
  before(async () => { zk = await startZkTarget({ superDigest, containerCheckMs: 1000 }); });
  after(async () => { await zk?.stop(); });

  it('non-interactive mode: "Created" goes to stderr, a failed command exits 1', async () => {
    const created = await zkCli(zk, ['create', '/single', 'v']);
    assert.equal(created.code, 0);
    assert.match(created.stderr, /^Created \/single$/m); // zkCli CreateCommand prints to err
    assert.doesNotMatch(created.stdout, /Created/);
    const missing = await zkCli(zk, ['get', '/nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Node does not exist: \/nope$/m);
  });

  it('create, ls, get, set, stat, delete, deleteall and their error messages', async () => {
    const s = await zkCliSession(zk, [
      'get -s /zookeeper', 'create /cli v1', 'create -s /cli/s-', 'create -s /cli/s- d', 'create -e /cli/e',
      'create -e -s /cli/es-', 'ls /cli', 'ls -s /cli', 'get -s /cli', 'set -s /cli v3', 'set -v 7 /cli v4',
      'getEphemerals /cli', 'getAllChildrenNumber /cli', 'create /cli', 'delete /cli', 'get /missing',
      'create /m/x', 'create /cli/e/x', 'delete -v 5 /cli/s-0000000000', 'delete /cli/s-0000000000',
      'ls -R /cli', 'deleteall /cli', 'ls /', 'sync /', 'whoami', 'getAcl /',
    ]);
    const o = s.outputs;
    // A fresh server's /zookeeper has 2 internal children and internal cversion 0:
    // DataNode.copyStat exposes 2*0 - 2 = -2.
    const zkStat = parseStat(o[0]!);
    assert.deepEqual([zkStat.cversion, zkStat.numChildren, zkStat.cZxid, zkStat.pZxid], ['-2', '2', '0x0', '0x0']);
    assert.deepEqual(o.slice(1, 6), [['Created /cli'], ['Created /cli/s-0000000000'], ['Created /cli/s-0000000001'],
      ['Created /cli/e'], ['Created /cli/es-0000000003']]);
    assert.deepEqual(o[6], ['[e, es-0000000003, s-0000000000, s-0000000001]']); // sorted by zkCli
    assert.equal(o[7]![0], '[e, es-0000000003, s-0000000000, s-0000000001]');
    const ls = parseStat(o[7]!);
    assert.deepEqual([ls.cversion, ls.numChildren, ls.dataLength, ls.ephemeralOwner], ['4', '4', '2', '0x0']);
    assert.equal(o[8]![0], 'v1');
    assert.deepEqual(parseStat(o[8]!), ls);
    const set = parseStat(o[9]!);
    assert.equal(set.dataVersion, '1');
    assert.notEqual(set.mZxid, ls.mZxid);
    assert.deepEqual(o[10], ['version No is not valid : /cli']); // BadVersion
    assert.deepEqual(o[11]!.map((l) => l.replace(/^\[|\]$/g, '').split(', ').sort()), [['/cli/e', '/cli/es-0000000003']]);
    assert.deepEqual(o[12], ['4']);
    assert.deepEqual(o.slice(13, 18), [['Node already exists: /cli'], ['Node not empty: /cli'],
      ['Node does not exist: /missing'], ['Node does not exist: /m/x'], ['Ephemerals cannot have children: /cli/e/x']]);
    assert.deepEqual(o[18], ['version No is not valid : /cli/s-0000000000']);
    assert.deepEqual(o[19], []);
    assert.deepEqual(o[20], ['/cli', '/cli/e', '/cli/es-0000000003', '/cli/s-0000000001']);
    assert.deepEqual(o[21], []);
    assert.ok(!o[22]![0]!.includes('cli'), 'deleteall removed /cli');
    assert.deepEqual(o[23], ['Sync is OK']);
    // WhoAmI (3.8): the connection's ids; an unauthenticated client only has its ip.
    assert.deepEqual(o[24], ['Auth scheme: User', 'ip: 127.0.0.1']);
    assert.deepEqual(o[25], ["'world,'anyone", ': cdrwa']);
  });

  it('containers, TTL nodes, ACLs, addauth, super digest', async () => {
    const s = await zkCliSession(zk, [
      'create -c /cc', 'create /cc/a', 'delete /cc/a', 'create -c /cc-unused', 'create -t 500 /tt v',
      'create -t 500 -s /tts- v', 'stat /tt', 'addauth digest u:p', 'create /acl d', 'setAcl /acl auth::cdrwa',
      'getAcl /acl', 'setAcl -s /acl auth::cdrwa', 'setAcl -v 0 /acl auth::cdrwa', 'whoami', 'create /open x',
      'setAcl /open world:anyone:r', 'getAcl /open', 'set /open y', 'setAcl /open nosuch:x:cdrwa',
      'create /ipn x', 'setAcl /ipn ip:10.0.0.1:cdrwa', 'get /ipn',
    ]);
    const o = s.outputs;
    assert.deepEqual(o.slice(0, 6), [['Created /cc'], ['Created /cc/a'], [], ['Created /cc-unused'], ['Created /tt'],
      [o[5]![0]!]]);
    assert.match(o[5]![0]!, /^Created \/tts-\d{10}$/);
    assert.equal(parseStat(o[6]!).ephemeralOwner, '0x0'); // TTL owner bits hidden (DataNode.copyStat)
    assert.deepEqual(o[7], []);
    // 'auth' expands to the session's digest id (PrepRequestProcessor.fixupACL).
    assert.deepEqual(o[10], [`'digest,'${uDigest}`, ': cdrwa']);
    assert.equal(parseStat(o[11]!).aclVersion, '2');
    assert.deepEqual(o[12], ['version No is not valid : /acl']);
    assert.deepEqual(o[13], ['Auth scheme: User', 'ip: 127.0.0.1', 'digest: u']);
    assert.deepEqual(o[16], ["'world,'anyone", ': r']);
    assert.deepEqual(o[17], ['Insufficient permission : /open']); // NoAuth
    assert.deepEqual(o[18], ['Acl is not valid : /open']); // InvalidACL
    assert.deepEqual(o[21], ['Insufficient permission : /ipn']);

    // ContainerManager (every 1000 ms here) removes /cc (emptied) and the expired TTL nodes.
    await new Promise((r) => setTimeout(r, 3000));
    const later = await zkCliSession(zk, ['ls /', 'get /acl', 'getAcl /acl', 'addauth digest super:secret',
      'get /acl', 'whoami']);
    const root = later.outputs[0]![0]!.replace(/^\[|\]$/g, '').split(', ');
    assert.deepEqual(root.filter((n) => /^(cc|tt|tts-\d+|cc-unused|acl)$/.test(n)), ['acl', 'cc-unused']);
    assert.deepEqual(later.outputs[1], ['Insufficient permission : /acl']);
    assert.deepEqual(later.outputs[2], ['Insufficient permission : /acl']); // getACL needs READ|ADMIN
    assert.deepEqual(later.outputs[4], ['d']); // the super digest user passes every ACL
    // DigestAuthenticationProvider adds a "super" id next to digest:super (whoami order varies).
    assert.deepEqual([...later.outputs[5]!].sort(), ['Auth scheme: User', 'digest: super', 'ip: 127.0.0.1', 'super: ']);
  });

  it('watches: get -w, ls -w, stat -w and addWatch (default PERSISTENT_RECURSIVE)', async () => {
    // addWatch first: zkCli's AddWatchCommand keeps the last -m mode for later calls without -m.
    const s = await zkCliSession(zk, [
      'addWatch /dflt', 'create /dflt', 'create /dflt/k', 'create /wd a', 'get -w /wd', 'set /wd b', 'ls -w /wd', 'create /wd/c', 'stat -w /wd/c', 'delete /wd/c',
      'set /wd c', 'addWatch -m PERSISTENT_RECURSIVE /pr', 'create /pr', 'create /pr/a', 'set /pr/a x',
      'delete /pr/a', 'addWatch -m PERSISTENT /pw', 'create /pw', 'create /pw/k', 'set /pw/k 1', 'set /pw z',
      'addWatch /dflt', 'create /dflt', 'create /dflt/k',
    ]);
    const ev = (type: string, path: string) => `WatchedEvent state:SyncConnected type:${type} path:${path}`;
    assert.deepEqual(s.events, [
      'WatchedEvent state:SyncConnected type:None path:null',
      // AddWatchCommand's default mode is PERSISTENT_RECURSIVE: the child create is NodeCreated.
      ev('NodeCreated', '/dflt'), ev('NodeCreated', '/dflt/k'),
      ev('NodeDataChanged', '/wd'), // one-shot: the second `set /wd` fires nothing
      ev('NodeChildrenChanged', '/wd'),
      ev('NodeDeleted', '/wd/c'),
      ev('NodeCreated', '/pr'), ev('NodeCreated', '/pr/a'), ev('NodeDataChanged', '/pr/a'), ev('NodeDeleted', '/pr/a'),
      // PERSISTENT: own events + child-list changes, not the child's data change.
      ev('NodeCreated', '/pw'), ev('NodeChildrenChanged', '/pw'), ev('NodeDataChanged', '/pw'),
      'WatchedEvent state:Closed type:None path:null',
    ]);
  });

  it('removewatches (NoWatcher the second time) and reconfig (disabled on a standalone server)', async () => {
    const s = await zkCliSession(zk, ['create /rw x', 'get -w /rw', 'removewatches /rw -d', 'removewatches /rw -d',
      'reconfig -remove 3']);
    // The client itself announces the removed watch; the server answered OK.
    assert.ok(s.events.includes('WatchedEvent state:SyncConnected type:DataWatchRemoved path:/rw'), JSON.stringify(s.events));
    assert.deepEqual(s.outputs[2], []);
    assert.deepEqual(s.outputs[3], ['KeeperErrorCode = No such watcher for /rw']); // NOWATCHER (-121)
    assert.deepEqual(s.outputs[4], ['KeeperErrorCode = Reconfig is disabled']); // RECONFIGDISABLED (-123)
  });
});
