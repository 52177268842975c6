// node-zookeeper-client 1.1 (npm) against the target. Observed on the real ZooKeeper 3.8.0.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  ACL, CreateMode, Event, Exception, Id, Permission, createClient,
  type Client, type Event as ZkEvent, type OpResult, type Stat,
} from 'node-zookeeper-client';
import { startZkTarget, type ZkTarget } from '../../helpers/zk-target.js';

/** Promise of a node-zookeeper-client callback call: resolves with the callback's results. */
function call<T extends unknown[]>(fn: (cb: (err: Exception | Error | null, ...res: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, ...res) => (err ? reject(err) : resolve(res))));
}
/** The KeeperException code a call fails with (0 when it succeeds). */
async function code(p: Promise<unknown>): Promise<number> {
  try { await p; return 0; } catch (e) { return e instanceof Exception ? e.getCode() : Number.NaN; }
}
const long = (b: Buffer): bigint => b.readBigInt64BE(0);

function connect(target: ZkTarget): Promise<Client> {
  const c = createClient(target.connectString, { sessionTimeout: 10_000, retries: 0 });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('node-zookeeper-client did not connect')), 10_000);
    c.once('connected', () => { clearTimeout(t); resolve(c); });
    c.connect();
  });
}

/** Resolves with the first event the returned watcher receives (rejects after 5 s). */
function nextEvent(): { watcher: (e: ZkEvent) => void; event: Promise<[number, string]> } {
  let deliver!: (e: ZkEvent) => void;
  const event = new Promise<[number, string]>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no watch event')), 5000);
    deliver = (e) => { clearTimeout(t); resolve([e.getType(), e.getPath()]); };
  });
  return { watcher: (e) => deliver(e), event };
}

describe(`node-zookeeper-client (${process.env.JUNCTION_ZK_TARGET ?? 'junction'})`, () => {
  let zk: ZkTarget;
  let a: Client;
  let b: Client;
  before(async () => {
    zk = await startZkTarget();
    [a, b] = await Promise.all([connect(zk), connect(zk)]);
  });
  after(async () => {
    a?.close();
    b?.close();
    await zk?.stop();
  });

  it('create, getData, setData, exists, remove with versions', async () => {
    const [path] = await call<[string]>((cb) => a.create('/nzc', Buffer.from('a'), ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, cb));
    assert.equal(path, '/nzc');
    const [data, stat] = await call<[Buffer | undefined, Stat]>((cb) => a.getData('/nzc', undefined, cb));
    assert.equal(data?.toString(), 'a');
    assert.deepEqual([stat.version, stat.dataLength, stat.numChildren], [0, 1, 0]);
    assert.equal(long(stat.czxid), long(stat.mzxid));
    const [set] = await call<[Stat]>((cb) => a.setData('/nzc', Buffer.from('bb'), 0, cb));
    assert.equal(set.version, 1);
    assert.equal(long(set.mzxid), long(stat.czxid) + 1n); // setData is the next txn
    assert.equal(await code(call((cb) => a.setData('/nzc', Buffer.from('c'), 0, cb))), Exception.BAD_VERSION);
    assert.equal(await code(call((cb) => a.create('/nzc', null, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, cb))), Exception.NODE_EXISTS);
    await call((cb) => a.create('/nzc/k', null, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, cb));
    assert.equal(await code(call((cb) => a.remove('/nzc', -1, cb))), Exception.NOT_EMPTY);
    assert.equal(await code(call((cb) => a.remove('/nzc/k', 4, cb))), Exception.BAD_VERSION);
    await call((cb) => a.remove('/nzc/k', 0, cb));
    // exists of a missing node is not an error: the client maps NoNode to a null stat.
    const [missing] = await call<[Stat | null]>((cb) => a.exists('/nzc/k', undefined, cb));
    assert.equal(missing, null);
    assert.equal(await code(call((cb) => a.getData('/nzc/k', undefined, cb))), Exception.NO_NODE);
  });

  it('sequential and ephemeral modes', async () => {
    await call((cb) => a.create('/nseq', null, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, cb));
    const [p1] = await call<[string]>((cb) => a.create('/nseq/p-', null, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL, cb));
    const [p2] = await call<[string]>((cb) => a.create('/nseq/e-', null, ACL.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL, cb));
    assert.deepEqual([p1, p2], ['/nseq/p-0000000000', '/nseq/e-0000000001']); // %010d of the parent's counter
    const [st] = await call<[Stat | null]>((cb) => b.exists(p2, undefined, cb));
    // ephemeralOwner = the creating session's id, as seen from another session.
    assert.equal(long(st!.ephemeralOwner), long(a.getSessionId()));
    assert.equal(await code(call((cb) => a.create(`${p2}/x`, null, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, cb))), -108);
  });

  it('watchers: data, children, exists, deletion', async () => {
    await call((cb) => a.create('/nw', Buffer.from('0'), ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, cb));
    const data = nextEvent();
    const children = nextEvent();
    const created = nextEvent();
    await call((cb) => a.getData('/nw', data.watcher, cb));
    await call((cb) => a.getChildren('/nw', children.watcher, cb));
    await call((cb) => a.exists('/nw/c', created.watcher, cb)); // watch on a missing node
    await call((cb) => b.setData('/nw', Buffer.from('1'), -1, cb));
    await call((cb) => b.create('/nw/c', null, ACL.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, cb));
    assert.deepEqual(await data.event, [Event.NODE_DATA_CHANGED, '/nw']);
    assert.deepEqual(await children.event, [Event.NODE_CHILDREN_CHANGED, '/nw']);
    assert.deepEqual(await created.event, [Event.NODE_CREATED, '/nw/c']);
    const deleted = nextEvent();
    await call((cb) => a.getData('/nw/c', deleted.watcher, cb));
    await call((cb) => b.remove('/nw/c', -1, cb));
    assert.deepEqual(await deleted.event, [Event.NODE_DELETED, '/nw/c']);
  });

  it('transaction: committed and failed multi', async () => {
    const ok = await call<[OpResult[]]>((cb) => a.transaction().create('/ntx', Buffer.from('x'))
      .setData('/ntx', Buffer.from('y'), 0).check('/ntx', 1).create('/ntx/k').remove('/ntx/k').commit(cb));
    // OpCode per result: create 1, setData 5, check 13, create 1, delete 2.
    assert.deepEqual(ok[0].map((r) => r.type), [1, 5, 13, 1, 2]);
    assert.equal(ok[0][0]!.path, '/ntx');
    assert.equal(ok[0][1]!.stat!.version, 1);
    const failed = await new Promise<[number, OpResult[]]>((resolve) => a.transaction().create('/ntx/a')
      .check('/ntx', 9).setData('/ntx', Buffer.from('z')).commit((err, results) => resolve([(err as Exception).getCode(), results])));
    assert.equal(failed[0], Exception.BAD_VERSION);
    // Every result of a failed multi is an ErrorResult (type -1): 0 before the failing op,
    // its own error, then RuntimeInconsistency (-2) after it.
    assert.deepEqual(failed[1].map((r) => [r.type, r.err]), [[-1, 0], [-1, Exception.BAD_VERSION], [-1, -2]]);
    const [kids] = await call<[string[], Stat]>((cb) => a.getChildren('/ntx', undefined, cb));
    assert.deepEqual(kids, []);
  });

  it('ACL: digest, addAuthInfo, getACL/setACL with aversion', async () => {
    const hash = createHash('sha1').update('nzc:pw').digest('base64');
    const acl = [new ACL(Permission.ALL, new Id('digest', `nzc:${hash}`)), new ACL(Permission.READ, new Id('world', 'anyone'))];
    await call((cb) => a.create('/nacl', Buffer.from('s'), acl, CreateMode.PERSISTENT, cb));
    assert.equal(await code(call((cb) => b.setData('/nacl', Buffer.from('t'), -1, cb))), Exception.NO_AUTH);
    // getACL without ADMIN masks digest ids (FinalRequestProcessor: "user:x").
    const [seen] = await call<[ACL[], Stat]>((cb) => b.getACL('/nacl', cb));
    assert.deepEqual(seen.map((x) => [x.permission, x.id.scheme, x.id.id]), [[31, 'digest', 'nzc:x'], [1, 'world', 'anyone']]);
    b.addAuthInfo('digest', Buffer.from('nzc:pw'));
    await call((cb) => b.setData('/nacl', Buffer.from('t'), -1, cb));
    const [acls, st] = await call<[ACL[], Stat]>((cb) => b.getACL('/nacl', cb));
    assert.deepEqual(acls.map((x) => [x.permission, x.id.scheme, x.id.id]), [[31, 'digest', `nzc:${hash}`], [1, 'world', 'anyone']]);
    assert.equal(st.aversion, 0);
    const [after] = await call<[Stat]>((cb) => b.setACL('/nacl', ACL.OPEN_ACL_UNSAFE, 0, cb));
    assert.equal(after.aversion, 1);
    assert.equal(await code(call((cb) => b.setACL('/nacl', ACL.OPEN_ACL_UNSAFE, 0, cb))), Exception.BAD_VERSION);
    assert.equal(await code(call((cb) => a.create('/nbad', null, [new ACL(Permission.ALL, new Id('nosuch', 'x'))], CreateMode.PERSISTENT, cb))),
      Exception.INVALID_ACL);
  });
});
