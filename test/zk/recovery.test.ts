// Principle 9 end to end for data/zk (the bug found on main: a 1-bit flip after the newest
// snapshot made the server cut 40 KB of acknowledged txns and reuse zxids clients had seen).
// A real server start refuses and changes nothing; `junction data check` names the damage;
// `junction data repair` cuts only where told; the next start serves what the report says.
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import zookeeper from 'node-zookeeper-client';
import { RecoveryRefused } from '../../src/core/errors.js';
import { runCli } from '../cli/run-cli.js';
import { startTestServer, tempDir } from '../helpers/junction.js';
import { fingerprint, flipBit, segmentRecords } from '../helpers/log-files.js';

function client(port: number): Promise<zookeeper.Client> {
  const c = zookeeper.createClient(`127.0.0.1:${port}`, { sessionTimeout: 30_000 });
  return new Promise((resolve) => { c.once('connected', () => resolve(c)); c.connect(); });
}

const call = <T>(fn: (cb: (err: Error | null, v: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

const create = (c: zookeeper.Client, path: string) =>
  call<string>((cb) => c.create(path, Buffer.from(path), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, cb));

test('zk: a flipped bit after the newest snapshot refuses the start; check and repair; the next start serves the kept znodes', { timeout: 90_000 }, async () => {
  const dataDir = tempDir('junction-zk-recovery-');
  try {
    const zk = { snapCount: 500 };
    const first = await startTestServer({ dataDir, enabled: ['zk'], zk });
    const c1 = await client(first.zkPort);
    await create(c1, '/r');
    for (let batch = 0; batch < 14; batch++) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => create(c1, `/r/n${batch * 100 + i}`)));
    }
    c1.close();
    await first.stop(); // a clean stop: every txn in the log was acknowledged

    const zkDir = join(dataDir, 'zk');
    const snaps = readdirSync(join(zkDir, 'snapshot')).filter((f) => f.endsWith('.snap')).sort();
    const newest = Number(snaps.at(-1)!.slice(0, 20));
    const segment = join(zkDir, 'log', '00000000000000000000.log');
    const records = segmentRecords(segment);
    const victim = records.find((r) => r.offset === newest + 100)!;
    assert.ok(victim, `a txn after the newest snapshot (${newest}) exists`);
    flipBit(segment, victim.position + 40);

    // A real start refuses, names file and byte, and leaves data/zk byte-identical.
    const before = fingerprint(zkDir);
    await assert.rejects(startTestServer({ dataDir, enabled: ['zk'], zk }), (e: unknown) => e instanceof RecoveryRefused &&
      e.message.includes(`${segment}: a record fails its CRC-32C at byte ${victim.position} (expected offset ${victim.offset}) and valid records follow it`));
    assert.deepEqual(fingerprint(zkDir), before, 'the refused start changed nothing in data/zk');

    const check = await runCli(['data', 'check', '--data-dir', dataDir]);
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout, /^zk \(command store\)  REFUSES TO START$/m);
    assert.ok(check.stdout.includes(`repair      junction data repair --truncate-at ${segment}:${victim.position}`), check.stdout);
    assert.equal((await runCli(['data', 'repair', '--data-dir', dataDir])).code, 2, 'no target, no repair');
    assert.deepEqual(fingerprint(zkDir), before);

    const repair = await runCli(['data', 'repair', '--truncate-at', `zk/log/00000000000000000000.log:${victim.position}`, '--data-dir', dataDir]);
    assert.equal(repair.code, 0, repair.stderr);
    assert.match(repair.stdout, new RegExp(`^lost +offsets ${victim.offset}\\.\\.${records.at(-1)!.offset}$`, 'm'));
    assert.match(repair.stdout, /^start +would open this store$/m);

    // The znodes whose create txn lies before the cut are back; the ones after it are reported lost.
    const kept = new Set(records.filter((r) => r.offset < victim.offset).map((r) => JSON.parse(r.payload.toString()) as { op?: { op: string; path: string } })
      .filter((c) => c.op?.op === 'create' && c.op.path.startsWith('/r/')).map((c) => c.op!.path.slice(3)));
    assert.ok(kept.size > 900 && kept.size < 1400, `${kept.size} creates kept`);
    const second = await startTestServer({ dataDir, enabled: ['zk'], zk });
    try {
      const c2 = await client(second.zkPort);
      const children = await call<string[]>((cb) => c2.getChildren('/r', undefined, (e, ch) => cb(e, ch)));
      assert.deepEqual(new Set(children), kept);
      const last = await call<zookeeper.Stat | null>((cb) => c2.exists(`/r/${[...kept].at(-1)}`, undefined, cb));
      await create(c2, '/after-repair');
      const after = await call<zookeeper.Stat | null>((cb) => c2.exists('/after-repair', undefined, cb));
      assert.ok(after!.czxid.readBigInt64BE(0) > last!.czxid.readBigInt64BE(0), 'zxids continue after the kept txns');
      c2.close();
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
