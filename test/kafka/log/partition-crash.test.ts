import assert from 'node:assert/strict';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { PartitionLog } from '../../../src/kafka/log/partition-log.js';
import { RecordBatch } from '../../../src/kafka/log/record-batch.js';
import { cleanup, tmp } from '../../core/fixtures/log-helpers.js';
import { appendUntilKilled } from '../../core/fixtures/storage-helpers.js';
import { assertStoredAs, crashBatch, kafkaStorage } from './fixtures/partition-helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/partition-crash-child.js', import.meta.url));
const PARTITIONS = 8;

test('kill -9 while producing to 8 partitions: every acknowledged batch survives byte for byte, offsets contiguous', async () => {
  const dir = tmp('junction-kafka-crash-');
  try {
    const acked = new Map<number, Set<number>>();
    for (const [fsync, target] of [['batch', 1200], ['always', 400], ['never', 1200]] as const) {
      await appendUntilKilled([dir, fsync, String(PARTITIONS), '64'], target, acked, CHILD);
      const storage = kafkaStorage(dir);
      for (let p = 0; p < PARTITIONS; p++) {
        const log = await PartitionLog.open(storage, 'crash', p, { segmentBytes: 16 * 1024 });
        const present = new Set<number>();
        let expected = 0;
        for (let from = 0; from < log.highWatermark;) {
          for (const stored of (await log.read(from, 256 * 1024)).batches) {
            const batch = new RecordBatch(stored);
            assert.equal(batch.baseOffset, expected, `${fsync}: partition ${p} contiguous, no duplicate`);
            assertStoredAs(stored, crashBatch(p, expected), expected, `${fsync}: partition ${p} offset ${expected}`);
            present.add(expected);
            expected = batch.nextOffset;
          }
          from = expected;
        }
        assert.equal(expected, log.logEndOffset, `partition ${p}: the log ends after its last batch`);
        const lost = [...(acked.get(p) ?? [])].filter((o) => !present.has(o));
        assert.deepEqual(lost, [], `${fsync}: partition ${p} lost acknowledged batches`);
      }
      await storage.close();
    }
    assert.ok([...acked.values()].every((s) => s.size > 0), 'every partition had acknowledged batches');
  } finally { cleanup(dir); }
});
