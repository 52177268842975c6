// Principle 9 end to end for data/nacos through `junction start` child processes: a torn tail
// left by kill -9 is cut and logged; a flipped bit in acknowledged data refuses the start and
// changes nothing; `junction data check|repair` report and cut only where told.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { appendFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeRecord } from '../../src/core/log/record.js';
import { runCli } from '../cli/run-cli.js';
import { killHard, startChildServer, type ChildServer } from '../helpers/child-server.js';
import { tempDir } from '../helpers/junction.js';
import { fingerprint, flipBit, segmentRecords } from '../helpers/log-files.js';

async function publish(server: ChildServer, dataId: string): Promise<void> {
  const res = await fetch(`${server.nacos}/nacos/v1/cs/configs`, { method: 'POST', body: new URLSearchParams({ dataId, group: 'REC', content: `content of ${dataId}` }) });
  assert.equal(await res.text(), 'true');
}

async function content(server: ChildServer, dataId: string): Promise<string | null> {
  const res = await fetch(`${server.nacos}/nacos/v1/cs/configs?dataId=${dataId}&group=REC`);
  return res.status === 200 ? res.text() : null;
}

async function stopCleanly(server: ChildServer): Promise<void> {
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  assert.deepEqual(await exited, [0, null]);
}

test('nacos: torn tail after kill -9 is cut and logged; a flipped bit after a clean stop refuses the start; repair, restart', { timeout: 90_000 }, async () => {
  const dataDir = tempDir('junction-nacos-recovery-');
  const args = ['--data-dir', dataDir, '--enable', 'nacos'];
  const segment = join(dataDir, 'nacos', 'log', '00000000000000000000.log');
  try {
    // 1. kill -9, then a write cut short at the end of the log: the start cuts it and says so.
    const first = await startChildServer(args);
    for (let i = 0; i < 100; i++) await publish(first, `c${i}`);
    await killHard(first);
    const size = statSync(segment).size;
    appendFileSync(segment, encodeRecord(segmentRecords(segment).length, 1, Buffer.from('{"type":"publish","torn":true}')).subarray(0, 25));
    const second = await startChildServer(args);
    const cut = second.output.map((l) => { try { return JSON.parse(l) as Record<string, unknown>; } catch { return {}; } })
      .find((e) => e.msg === 'cut a torn log tail');
    assert.deepEqual({ file: cut?.file, position: cut?.position, bytes: cut?.bytes, level: cut?.level }, { file: segment, position: size, bytes: 25, level: 40 });
    assert.equal(await content(second, 'c99'), 'content of c99');
    for (let i = 100; i < 200; i++) await publish(second, `c${i}`);
    await stopCleanly(second);

    // 2. One bit flipped in an acknowledged record: the start refuses and changes nothing.
    const records = segmentRecords(segment);
    const victim = records[150]!;
    flipBit(segment, victim.position + 30);
    const nacosDir = join(dataDir, 'nacos');
    const before = fingerprint(nacosDir);
    await assert.rejects(startChildServer(args), (e: Error) =>
      /server exited \(1\) before ready/.test(e.message) &&
      e.message.includes(`junction: refusing to open ${join(nacosDir, 'log')}: ${segment}: a record fails its CRC-32C at byte ${victim.position}`));
    assert.deepEqual(fingerprint(nacosDir), before, 'the refused start changed nothing in data/nacos');

    // 3. check reports it, repair cuts where told, the next start serves what was kept.
    const check = await runCli(['data', 'check'], { env: { JUNCTION_DATA_DIR: dataDir } });
    assert.equal(check.code, 1);
    assert.match(check.stdout, /^nacos \(command store\)  REFUSES TO START$/m);
    assert.match(check.stdout, /^auth \(command store\)  ok$/m);
    const repair = await runCli(['data', 'repair', '--truncate-at', `nacos/log/00000000000000000000.log:${victim.position}`], { env: { JUNCTION_DATA_DIR: dataDir } });
    assert.equal(repair.code, 0, repair.stderr);
    assert.match(repair.stdout, new RegExp(`^lost +offsets 150\\.\\.${records.length - 1}$`, 'm'));
    assert.equal((await runCli(['data', 'check', '--data-dir', dataDir])).code, 0);

    const third = await startChildServer(args);
    try {
      const kept = records.slice(0, 150).map((r) => (JSON.parse(r.payload.toString()) as { dataId?: string }).dataId).filter(Boolean);
      assert.equal(kept.length, 150, 'one logged command per publish');
      for (const dataId of kept) assert.equal(await content(third, dataId!), `content of ${dataId}`);
      assert.equal(await content(third, 'c199'), null, 'a config after the cut is gone, as the repair reported');
      await publish(third, 'after-repair');
      assert.equal(await content(third, 'after-repair'), 'content of after-repair');
    } finally {
      await killHard(third);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
