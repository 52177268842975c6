// Four-letter words through nc (netcat-openbsd), with ZooKeeper's default whitelist and with '*'.
// Expected output was observed on the real ZooKeeper 3.8.0; structure is checked, not values,
// except where a value follows from the config or from the sessions this test holds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACL, CreateMode, createClient, type Client } from 'node-zookeeper-client';
import { run, startZkTarget, type ZkTarget } from '../../helpers/zk-target.js';

async function nc(target: ZkTarget, word: string): Promise<string> {
  // -N: shut down the sending side after the word; nc exits when the server closes.
  const r = await run('nc', ['-N', target.host, String(target.port)], word, { timeoutMs: 10_000 });
  return r.stdout;
}
const keysOf = (text: string, sep: RegExp) => text.split('\n').filter((l) => l !== '').map((l) => l.split(sep)[0]!);

describe(`four-letter words, default whitelist (${process.env.JUNCTION_ZK_TARGET ?? 'junction'})`, () => {
  let zk: ZkTarget;
  before(async () => { zk = await startZkTarget(); }); // 4lw.commands.whitelist default: srvr
  after(async () => { await zk?.stop(); });

  it('srvr answers on a fresh server', async () => {
    const out = await nc(zk, 'srvr');
    // ServerStats / StatCommand layout, one "Key: value" per line.
    assert.deepEqual(keysOf(out, /: /), ['Zookeeper version', 'Latency min/avg/max', 'Received', 'Sent',
      'Connections', 'Outstanding', 'Zxid', 'Mode', 'Node count']);
    assert.match(out, /^Zookeeper version: 3\.8\.\d+/);
    assert.match(out, /^Mode: standalone$/m);
    assert.match(out, /^Zxid: 0x0$/m); // nothing written yet (not even a session)
    // DataTree holds the root under both "" and "/": /, /zookeeper, /zookeeper/quota,
    // /zookeeper/config + the alias = 5 on a fresh server.
    assert.match(out, /^Node count: 5$/m);
    assert.match(out, /^Connections: 1$/m); // the nc connection itself
  });

  it('words outside the whitelist are refused with a fixed message', async () => {
    for (const word of ['ruok', 'stat', 'mntr', 'conf', 'cons', 'wchs', 'envi', 'dump', 'isro']) {
      // NIOServerCnxn.checkFourLetterWord (ZOOKEEPER-2693): NopCommand with this text.
      assert.equal(await nc(zk, word), `${word} is not executed because it is not in the whitelist.\n`);
    }
  });

  it('an unknown word is read as a request length and the connection is closed', async () => {
    assert.equal(await nc(zk, 'xyzw'), ''); // 0x78797a77 > jute.maxbuffer → closed, no answer
  });
});

describe(`four-letter words, whitelist '*' (${process.env.JUNCTION_ZK_TARGET ?? 'junction'})`, () => {
  let zk: ZkTarget;
  let holder: Client;
  let sid: string;
  before(async () => {
    zk = await startZkTarget({ fourLetterWords: '*', tickTime: 2000, maxClientCnxns: 60 });
    holder = createClient(zk.connectString, { sessionTimeout: 10_000 });
    await new Promise<void>((resolve) => { holder.once('connected', () => resolve()); holder.connect(); });
    sid = `0x${holder.getSessionId().readBigUInt64BE(0).toString(16)}`;
    const cb = <T>(resolve: (v: T) => void, reject: (e: Error) => void) => (err: Error | null, v: T) => (err ? reject(err) : resolve(v));
    const create = (path: string, mode: number) => new Promise((res, rej) =>
      holder.create(path, null, ACL.OPEN_ACL_UNSAFE, mode, cb(res, rej)));
    await create('/fw', CreateMode.PERSISTENT);
    await create('/fw/e', CreateMode.EPHEMERAL);
    // One data watch, one child watch (both on /fw) and one exists watch on a missing node.
    await new Promise((res, rej) => holder.getData('/fw', () => {}, cb(res, rej)));
    await new Promise((res, rej) => holder.getChildren('/fw', () => {}, cb(res, rej)));
    await new Promise((res, rej) => holder.exists('/fw/x', () => {}, cb(res, rej)));
  });
  after(async () => {
    holder?.close();
    await zk?.stop();
  });

  it('ruok, isro, gtmk, srst, crst: fixed answers', async () => {
    assert.equal(await nc(zk, 'ruok'), 'imok'); // no newline
    assert.equal(await nc(zk, 'isro'), 'rw'); // standalone is read-write
    assert.equal(await nc(zk, 'gtmk'), '306'); // default trace mask, no newline
    assert.equal(await nc(zk, 'srst'), 'Server stats reset.\n');
    assert.equal(await nc(zk, 'crst'), 'Connection stats reset.\n');
  });

  it('stat lists clients before the srvr block; cons lists every connection', async () => {
    const stat = await nc(zk, 'stat');
    const [head, clients, rest] = [stat.split('\n')[0], stat.split('\n')[1], stat.split('\n\n')[1]];
    assert.match(head!, /^Zookeeper version: 3\.8\./);
    assert.equal(clients, 'Clients:');
    assert.deepEqual(keysOf(rest!, /: /), ['Latency min/avg/max', 'Received', 'Sent', 'Connections', 'Outstanding',
      'Zxid', 'Mode', 'Node count']);
    const cons = await nc(zk, 'cons');
    // NIOServerCnxn.dumpConnectionInfo: " /ip:port[interestOps](queued=…,recved=…,sent=…[,sid=…,lop=…,…])"
    const lines = cons.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 2); // the holder session + this nc connection
    for (const l of lines) assert.match(l, /^ \/127\.0\.0\.1:\d+\[\d\]\(queued=\d+,recved=\d+,sent=\d+/);
    const held = lines.find((l) => l.includes(`sid=${sid},`));
    assert.ok(held, `no cons line for ${sid}:\n${cons}`);
    // After `crst` (earlier test) the holder shows lop=NA, no lcxid and lzxid=0xffffffffffffffff.
    assert.match(held, /,lop=\w+,est=\d+,to=10000(,lcxid=0x[0-9a-f]+)?,lzxid=0x[0-9a-f]+,lresp=\d+,llat=\d+,minlat=\d+,avglat=\d+,maxlat=\d+\)$/);
    assert.ok(cons.endsWith('\n\n'), 'cons ends with a blank line');
  });

  it('conf, dirs, envi: key sets', async () => {
    const conf = await nc(zk, 'conf');
    assert.deepEqual(keysOf(conf, /=/), ['clientPort', 'secureClientPort', 'dataDir', 'dataDirSize', 'dataLogDir',
      'dataLogSize', 'tickTime', 'maxClientCnxns', 'minSessionTimeout', 'maxSessionTimeout',
      'clientPortListenBacklog', 'serverId']);
    assert.match(conf, new RegExp(`^clientPort=${zk.port}$`, 'm'));
    // ZooKeeperServer defaults: min/max session timeout = 2 / 20 tickTime.
    for (const kv of ['tickTime=2000', 'maxClientCnxns=60', 'minSessionTimeout=4000', 'maxSessionTimeout=40000']) {
      assert.match(conf, new RegExp(`^${kv}$`, 'm'));
    }
    assert.deepEqual(keysOf(await nc(zk, 'dirs'), /: /), ['datadir_size', 'logdir_size']);
    const envi = await nc(zk, 'envi');
    assert.equal(envi.split('\n')[0], 'Environment:');
    // The JVM's java.* entries are the runtime's own (Junction reports node.version instead); the
    // rest are ZooKeeper's Environment.list keys in its order.
    const runtime = /^(java|node)\./;
    assert.deepEqual(keysOf(envi, /=/).slice(1).filter((k) => !runtime.test(k)), ['zookeeper.version', 'host.name',
      'os.name', 'os.arch', 'os.version', 'user.name', 'user.home', 'user.dir', 'os.memory.free', 'os.memory.max',
      'os.memory.total']);
    assert.ok(keysOf(envi, /=/).some((k) => runtime.test(k)), 'the runtime version is listed');
  });

  it('mntr: tab-separated metrics incl. the classic keys, values from this test', async () => {
    const mntr = await nc(zk, 'mntr');
    const lines = mntr.split('\n').filter((l) => l !== '');
    for (const l of lines) assert.match(l, /^zk_\w+\t\S/);
    const m = new Map(lines.map((l) => l.split('\t') as [string, string]));
    for (const key of ['zk_version', 'zk_avg_latency', 'zk_max_latency', 'zk_min_latency', 'zk_packets_received',
      'zk_packets_sent', 'zk_num_alive_connections', 'zk_outstanding_requests', 'zk_server_state', 'zk_znode_count',
      'zk_watch_count', 'zk_ephemerals_count', 'zk_approximate_data_size', 'zk_open_file_descriptor_count',
      'zk_max_file_descriptor_count', 'zk_global_sessions', 'zk_uptime']) {
      assert.ok(m.has(key), `mntr lacks ${key}`);
    }
    assert.equal(lines[0]!.split('\t')[0], 'zk_version');
    assert.equal(m.get('zk_server_state'), 'standalone');
    assert.equal(m.get('zk_ephemerals_count'), '1');
    assert.equal(m.get('zk_global_sessions'), '1');
    // DataTree.getWatchCount counts data AND child watches: 2 data (/fw, /fw/x) + 1 child (/fw).
    assert.equal(m.get('zk_watch_count'), '3');
    assert.equal(m.get('zk_num_alive_connections'), '2');
    // 5 on a fresh server (root counted twice) + /fw + /fw/e.
    assert.equal(m.get('zk_znode_count'), '7');
  });

  it('wchs, wchc, wchp report data watches only; dump lists sessions with ephemerals', async () => {
    // WatchCommand & co. read DataTree's data-watch table: the child watch on /fw is not shown.
    assert.equal(await nc(zk, 'wchs'), '1 connections watching 2 paths\nTotal watches:2\n');
    const wchc = (await nc(zk, 'wchc')).split('\n');
    assert.equal(wchc[0], sid);
    assert.deepEqual(wchc.slice(1, 3).sort(), ['\t/fw', '\t/fw/x']);
    assert.deepEqual(wchc.slice(3), ['', '']);
    const wchp = await nc(zk, 'wchp');
    const byPath = wchp.split('\n').filter((l) => l !== '').join('|');
    assert.ok([`/fw|\t${sid}|/fw/x|\t${sid}`, `/fw/x|\t${sid}|/fw|\t${sid}`].includes(byPath), wchp);
    const dump = await nc(zk, 'dump');
    assert.match(dump, /^SessionTracker dump:$/m);
    assert.match(dump, /^ephemeral nodes dump:$/m);
    assert.match(dump, new RegExp(`^Sessions with Ephemerals \\(1\\):\\n${sid}:\\n\\t/fw/e$`, 'm'));
    assert.match(dump, /^Connections dump:$/m);
  });
});
