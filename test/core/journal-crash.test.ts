// kill -9 with many logs behind the journal (docs/storage.md, "Journal"): every acknowledged append
// of every log is back after a restart, byte for byte — also when, on top of the kill, each log
// loses the records its own file had not fdatasynced yet (what a power loss may take), which
// only the journal still holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { silentLogger } from '../../src/core/logger.js';
import { inspectJournal } from '../../src/core/storage/journal/inspect.js';
import { Storage } from '../../src/core/storage/storage.js';
import { captureLogger } from './fixtures/counter-machine.js';
import { cleanup, prng, tmp } from './fixtures/log-helpers.js';
import { appendUntilKilled, rawPayload } from './fixtures/storage-helpers.js';
import { segmentRecords } from '../helpers/log-files.js';

const LOGS = 300;


/**
 * Take from each log what it had not fdatasynced: records of its last segment from the first
 * offset the journal holds for it on (earlier ones were covered by a checkpoint or a roll). Some
 * logs are cut at a record boundary, some mid-record, some zero-filled (blocks never written).
 */
function losePages(dir: string, seed: number): number {
  const rand = prng(seed);
  let lost = 0;
  for (const plan of inspectJournal(dir).logs) {
    const records = segmentRecords(plan.lastSegment).filter((r) => r.offset >= plan.fromOffset);
    if (records.length === 0) continue;
    const from = records[Math.floor(rand() * records.length)]!;
    const buf = readFileSync(plan.lastSegment);
    const kind = rand();
    if (kind < 0.4) truncateSync(plan.lastSegment, from.position);
    else if (kind < 0.7) truncateSync(plan.lastSegment, Math.min(buf.length, from.position + 1 + Math.floor(rand() * 30)));
    else writeFileSync(plan.lastSegment, buf.fill(0, from.position));
    lost += records.length - records.indexOf(from);
  }
  return lost;
}

async function assertEveryAckBack(dir: string, acked: Map<number, Set<number>>, round: string): Promise<void> {
  const s = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
  for (let i = 0; i < LOGS; i++) {
    const log = await s.rawLog(`raw/log-${i}`, { log: { segmentBytes: 64 * 1024 } });
    const present = new Set<number>();
    for await (const r of log.replay(0)) {
      assert.ok(r.payload.equals(rawPayload(i, r.offset)), `${round}: log ${i} offset ${r.offset} intact`);
      present.add(r.offset);
    }
    const lost = [...(acked.get(i) ?? [])].filter((o) => !present.has(o));
    assert.deepEqual(lost, [], `${round}: log ${i} lost acknowledged offsets`);
    assert.equal(log.nextOffset, present.size, `${round}: log ${i}: offsets dense from 0`);
  }
  await s.close();
}

test(`kill -9 mid-load over ${LOGS} logs with the journal, then lost unsynced pages: every acknowledged append is back`, async () => {
  const dir = tmp('junction-journal-crash-');
  try {
    const acked = new Map<number, Set<number>>();
    const rounds: Array<[string, number, boolean]> = [['batch', 3000, false], ['batch', 4000, true], ['always', 1500, true], ['batch', 2500, false]];
    let restoredTotal = 0;
    for (const [r, [fsync, target, dropPages]] of rounds.entries()) {
      // 256 in flight over 300 logs; a 256 KiB journal segment rolls every ~300 appends; checkpoints every 200 ms and 1 MiB.
      await appendUntilKilled([dir, fsync, String(LOGS), '256', String(256 * 1024), '200', String(1 << 20)], target, acked);
      if (dropPages) {
        const lost = losePages(dir, 100 + r);
        assert.ok(lost > 0, 'the kill left records after the last checkpoint to take away');
        const { logger, lines } = captureLogger();
        const s = new Storage({ dataDir: dir, fsync: 'batch', logger });
        await s.open();
        await s.close();
        const restored = lines.filter((l) => l.msg === 'restored log records from the journal');
        assert.ok(restored.length > 0, 'the journal restored what the logs lost');
        restoredTotal += restored.length;
      }
      await assertEveryAckBack(dir, acked, `round ${r} (${fsync}${dropPages ? ', pages lost' : ''})`);
    }
    assert.ok(restoredTotal > 0);
    assert.ok([...acked.values()].reduce((n, s) => n + s.size, 0) >= 11_000);
  } finally { cleanup(dir); }
});
