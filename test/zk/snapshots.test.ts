// Durability (issue §3): snapshots every snapCount txns, autopurge.snapRetainCount images kept,
// and a restart from snapshot + log tail rebuilds the tree with the zxid continuing.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import zookeeper from 'node-zookeeper-client';
import { startTestServer, tempDir } from '../helpers/junction.js';

function client(port: number): Promise<zookeeper.Client> {
  const c = zookeeper.createClient(`127.0.0.1:${port}`, { sessionTimeout: 30_000 });
  return new Promise((resolve) => { c.once('connected', () => resolve(c)); c.connect(); });
}

const call = <T>(fn: (cb: (err: Error | null, v: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

test('zk: snapshots every snapCount txns keep snapRetainCount images; restart rebuilds the tree', { timeout: 60_000 }, async () => {
  const dataDir = tempDir('junction-zk-snap-');
  const zk = { snapCount: 100, snapRetainCount: 3 };
  const first = await startTestServer({ dataDir, enabled: ['zk'], zk });
  const c1 = await client(first.zkPort);
  await call<string>((cb) => c1.create('/snap', null, zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, cb));
  for (let batch = 0; batch < 10; batch++) {
    await Promise.all(Array.from({ length: 60 }, (_, i) => call<string>((cb) => c1.create(`/snap/n${batch * 60 + i}`,
      Buffer.from(`v${batch * 60 + i}`), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, cb))));
  }
  const before = await call<zookeeper.Stat>((cb) => c1.setData('/snap', Buffer.from('last'), -1, cb));
  c1.close();
  await first.stop();

  const snaps = readdirSync(join(dataDir, 'zk', 'snapshot')).filter((f) => f.endsWith('.snap'));
  assert.ok(snaps.length >= 1 && snaps.length <= 3, `1..3 snapshots kept, found ${snaps.length}`);

  const second = await startTestServer({ dataDir, enabled: ['zk'], zk });
  try {
    const c2 = await client(second.zkPort);
    const children = await call<string[]>((cb) => c2.getChildren('/snap', undefined, (e, ch) => cb(e, ch)));
    assert.equal(children.length, 600);
    assert.equal(String(await call<Buffer | undefined>((cb) => c2.getData('/snap/n599', undefined, (e, d) => cb(e, d)))), 'v599');
    const stat = await call<zookeeper.Stat | null>((cb) => c2.exists('/snap', undefined, cb));
    assert.equal(stat!.mzxid.toString('hex'), before.mzxid.toString('hex'), 'the same mzxid after the restart');
    await call<string>((cb) => c2.create('/after', null, zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, cb));
    const after = await call<zookeeper.Stat | null>((cb) => c2.exists('/after', undefined, cb));
    assert.ok(after!.czxid.readBigInt64BE(0) > before.mzxid.readBigInt64BE(0), 'the zxid continues after the restart');
    c2.close();
  } finally {
    await second.destroy();
  }
});
