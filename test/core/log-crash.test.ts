import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cleanup, openLog, payloadFor, readAll, tmp } from './fixtures/log-helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/log-crash-child.js', import.meta.url));

/** Run the child until it has acknowledged `target` more appends, then kill -9 it. */
async function crashRun(dir: string, fsync: string, target: number): Promise<number[]> {
  const child = spawn(process.execPath, [CHILD, dir, fsync], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  const acked: number[] = [];
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith('recovered')) return;
      acked.push(Number(line));
      if (acked.length === target) { child.kill('SIGKILL'); resolve(); }
    });
    child.on('exit', (code, signal) => { if (signal !== 'SIGKILL') reject(new Error(`child exited ${code}: ${stderr}`)); });
  });
  const [, signal] = await exited;
  assert.equal(signal, 'SIGKILL');
  return acked;
}

test('kill -9 during concurrent appends: every acknowledged record survives intact', async () => {
  const dir = tmp('junction-crash-');
  try {
    const allAcked = new Set<number>();
    const rounds: Array<[string, number]> = [['batch', 300], ['always', 150], ['never', 2000], ['batch', 1200], ['never', 50]];
    for (const [fsync, target] of rounds) {
      for (const o of await crashRun(dir, fsync, target)) allAcked.add(o);
      const log = await openLog(dir);
      try {
        const records = await readAll(log);
        // Offsets are dense from 0 and every payload is the one written for its offset.
        records.forEach((r, i) => {
          assert.equal(r.offset, i);
          assert.deepEqual(r.payload, payloadFor(i), `payload of offset ${i}`);
        });
        const present = new Set(records.map((r) => r.offset));
        const lost = [...allAcked].filter((o) => !present.has(o));
        assert.deepEqual(lost, [], `${fsync}: acknowledged offsets missing after kill -9`);
        assert.equal(log.nextOffset, records.length);
      } finally { await log.close(); }
    }
    assert.ok(allAcked.size >= 3000);
  } finally { cleanup(dir); }
});
