// Idempotent-producer state (Kafka's ProducerStateManager / ProducerAppendInfo rules): duplicates
// of the last five batches, sequence gaps, epochs, wrap-around; and in a PartitionLog: a retried
// batch is answered with its first offset and not stored again, before and after a restart, from a
// snapshot or from the last segments.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { KafkaLogError } from '../../../src/kafka/log/errors.js';
import { PartitionLog } from '../../../src/kafka/log/partition-log.js';
import { lastSequenceOf, ProducerStateTable, type ProducerBatchHeader } from '../../../src/kafka/log/producer-state.js';
import { RecordBatch } from '../../../src/kafka/log/record-batch.js';
import { encodeBatch, valueRecords } from '../../helpers/kafka-batch.js';
import { cleanup, tmp } from '../../core/fixtures/log-helpers.js';
import { kafkaStorage } from './fixtures/partition-helpers.js';

const header = (producerId: number, producerEpoch: number, baseSequence: number, records = 1): ProducerBatchHeader =>
  ({ producerId, producerEpoch, baseSequence, lastOffsetDelta: records - 1 });

function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof KafkaLogError && err.code === code);
}

test('a new producer may start at any sequence; then each batch must follow the last', () => {
  const t = new ProducerStateTable('t-0');
  assert.deepEqual(t.check(header(7, 0, 42, 3), 0), { kind: 'append' }, 'unknown producer: Kafka 3.x accepts any sequence');
  t.record(header(7, 0, 42, 3), 0, 1);
  assert.equal(t.entry(7)!.batches[0]!.lastSeq, 44);
  assert.deepEqual(t.check(header(7, 0, 45), 3), { kind: 'append' });
  throwsCode(() => t.check(header(7, 0, 46), 3), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
  throwsCode(() => t.check(header(7, 0, 43), 3), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
});

test('a retry of any of the last five batches is a duplicate with its first offsets; the sixth-oldest is out of order', () => {
  const t = new ProducerStateTable('t-0');
  for (let i = 0; i < 6; i++) {
    assert.equal(t.check(header(1, 0, i * 2, 2), i * 2).kind, 'append');
    t.record(header(1, 0, i * 2, 2), 100 + i * 2, 1000 + i);
  }
  for (let i = 1; i < 6; i++) {
    const r = t.check(header(1, 0, i * 2, 2), 999);
    assert.equal(r.kind, 'duplicate');
    assert.deepEqual(r.kind === 'duplicate' && [r.batch.firstOffset, r.batch.lastOffset, r.batch.timestamp], [100 + i * 2, 101 + i * 2, 1000 + i]);
  }
  throwsCode(() => t.check(header(1, 0, 0, 2), 999), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
  // Same first sequence, different length: not the same batch.
  throwsCode(() => t.check(header(1, 0, 10, 1), 999), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
});

test('epochs: an older one is INVALID_PRODUCER_EPOCH; a newer one must start at 0 and forgets the old batches', () => {
  const t = new ProducerStateTable('t-0');
  t.record(header(3, 2, 0, 5), 0, 1);
  throwsCode(() => t.check(header(3, 1, 5), 5), 'INVALID_PRODUCER_EPOCH');
  throwsCode(() => t.check(header(3, 1, 0, 5), 5), 'INVALID_PRODUCER_EPOCH');
  throwsCode(() => t.check(header(3, 3, 5), 5), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
  assert.equal(t.check(header(3, 3, 0), 5).kind, 'append');
  t.record(header(3, 3, 0), 5, 2);
  assert.deepEqual(t.entry(3), { epoch: 3, batches: [{ firstSeq: 0, lastSeq: 0, firstOffset: 5, lastOffset: 5, timestamp: 2 }] });
  // The old epoch's batch is no longer a duplicate: its epoch is stale.
  throwsCode(() => t.check(header(3, 2, 0, 5), 6), 'INVALID_PRODUCER_EPOCH');
});

test('sequences wrap from Integer.MAX_VALUE to 0', () => {
  const t = new ProducerStateTable('t-0');
  const max = 0x7fff_ffff;
  assert.equal(lastSequenceOf(header(1, 0, max - 1, 3)), 0);
  t.record(header(1, 0, max - 1, 2), 0, 1);
  assert.equal(t.check(header(1, 0, 0), 2).kind, 'append');
  throwsCode(() => t.check(header(1, 0, 1), 2), 'OUT_OF_ORDER_SEQUENCE_NUMBER');
});

test('producers whose batches all lie below a new log start are forgotten (then any sequence is accepted)', () => {
  const t = new ProducerStateTable('t-0');
  t.record(header(1, 0, 0, 10), 0, 1);
  t.record(header(2, 0, 0, 10), 10, 1);
  t.dropBefore(10);
  assert.deepEqual([t.entry(1), t.entry(2)?.epoch], [undefined, 0]);
  assert.equal(t.check(header(1, 0, 500), 20).kind, 'append');
  assert.deepEqual(t.toJSON().map(([id]) => id), [2]);
});

function idempotentBatch(producerId: number, epoch: number, seq: number, count: number, tag: string): RecordBatch {
  return new RecordBatch(encodeBatch(valueRecords(count, 50, tag), { producerId, producerEpoch: epoch, baseSequence: seq }));
}

test('PartitionLog: a retried idempotent batch gets its original offset and is not stored again, also after restarts', async () => {
  const dir = tmp('junction-kafka-producers-');
  try {
    let storage = kafkaStorage(dir);
    let log = await PartitionLog.open(storage, 'idem', 0, { segmentBytes: 2048 });
    let seq = 0;
    for (let i = 0; i < 30; i++) {
      assert.equal((await log.append(idempotentBatch(9, 0, seq, 3, `b${i}`))).baseOffset, i * 3);
      seq += 3;
    }
    const retry = await log.append(idempotentBatch(9, 0, 84, 3, 'b28'));
    assert.deepEqual([retry.baseOffset, retry.duplicate, log.logEndOffset], [84, true, 90]);
    await assert.rejects(log.append(idempotentBatch(9, 0, 93, 1, 'gap')), (e: unknown) => e instanceof KafkaLogError && e.code === 'OUT_OF_ORDER_SEQUENCE_NUMBER');
    // Storage closed under the log (as a crash would leave it): no snapshot, the last two segments are replayed.
    await storage.close();

    storage = kafkaStorage(dir);
    log = await PartitionLog.open(storage, 'idem', 0, { segmentBytes: 2048 });
    assert.equal(log.producerRebuild.from, 'segments');
    assert.ok(log.producerRebuild.replayFrom > 0, `replayed from ${log.producerRebuild.replayFrom}, not the whole log`);
    assert.deepEqual((await log.append(idempotentBatch(9, 0, 87, 3, 'b29'))).baseOffset, 87);
    assert.equal((await log.append(idempotentBatch(9, 0, 90, 2, 'b30'))).baseOffset, 90);
    await log.close();
    await storage.close();

    assert.ok(readdirSync(join(dir, 'kafka', 'idem-0')).some((f) => f.endsWith('.producer-snapshot')), 'snapshot at clean close');
    storage = kafkaStorage(dir);
    log = await PartitionLog.open(storage, 'idem', 0, { segmentBytes: 2048 });
    assert.deepEqual([log.producerRebuild.from, log.producerRebuild.batches], ['snapshot', 0]);
    const again = await log.append(idempotentBatch(9, 0, 90, 2, 'b30'));
    assert.deepEqual([again.baseOffset, again.duplicate, log.logEndOffset], [90, true, 92]);
    await log.close();
    await storage.close();
  } finally {
    cleanup(dir);
  }
});

test('PartitionLog: snapshots every interval bound the replay; a snapshot past the log end or damaged is not used', async () => {
  const dir = tmp('junction-kafka-producers-');
  try {
    let storage = kafkaStorage(dir);
    let log = await PartitionLog.open(storage, 'snap', 0, { producerSnapshotIntervalBytes: 1000 });
    for (let i = 0; i < 40; i++) await log.append(idempotentBatch(4, 0, i, 1, `s${i}`));
    await storage.close();
    const partitionDir = join(dir, 'kafka', 'snap-0');
    const snaps = readdirSync(partitionDir).filter((f) => f.endsWith('.producer-snapshot')).sort();
    assert.equal(snaps.length, 2, `the newest two are kept: ${snaps.join(', ')}`);
    // A snapshot claiming offsets the log does not have is removed; a damaged one skipped.
    writeFileSync(join(partitionDir, `${'999'.padStart(20, '0')}.producer-snapshot`), 'x');
    writeFileSync(join(partitionDir, snaps[1]!), 'damaged');

    storage = kafkaStorage(dir);
    log = await PartitionLog.open(storage, 'snap', 0, { producerSnapshotIntervalBytes: 1000 });
    const { from, replayFrom, batches } = log.producerRebuild;
    assert.equal(from, 'snapshot');
    assert.equal(replayFrom, Number(snaps[0]!.slice(0, 20)));
    assert.equal(batches, 40 - replayFrom);
    assert.ok(!readdirSync(partitionDir).some((f) => f.startsWith('00000000000000000999')));
    assert.equal((await log.append(idempotentBatch(4, 0, 39, 1, 's39'))).duplicate, true);
    assert.equal((await log.append(idempotentBatch(4, 0, 40, 1, 's40'))).baseOffset, 40);
    await log.close();
    await storage.close();
  } finally {
    cleanup(dir);
  }
});

test('producers whose newest batch is older than the cutoff expire (producer.id.expiration.ms)', () => {
  const t = new ProducerStateTable('t-0');
  t.record(header(1, 0, 0), 0, 1_000);
  t.record(header(2, 0, 0), 1, 1_000);
  t.record(header(2, 0, 1), 2, 5_000);
  assert.equal(t.expireBefore(2_000), 1);
  assert.deepEqual(t.toJSON().map(([id]) => id), [2]);
  assert.equal(t.check(header(1, 0, 77), 3).kind, 'append', 'an expired producer is unknown again');
});

test('PartitionLog: an unreadable record in the replayed range stops the rebuild there, the partition still opens', async () => {
  const dir = tmp('junction-kafka-producers-');
  try {
    let storage = kafkaStorage(dir);
    let log = await PartitionLog.open(storage, 'torn', 0, { segmentBytes: 1024 });
    for (let i = 0; i < 20; i++) await log.append(idempotentBatch(5, 0, i * 2, 2, `x${i}`));
    await storage.close();
    const logDir = join(dir, 'kafka', 'torn-0', 'log');
    const segments = readdirSync(logDir).filter((f) => f.endsWith('.log')).sort();
    assert.ok(segments.length >= 3, segments.join(', '));
    // Damage a byte in the middle of the second-to-last (sealed) segment's records.
    const victim = join(logDir, segments[segments.length - 2]!);
    const bytes = readFileSync(victim);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(victim, bytes);

    storage = kafkaStorage(dir);
    log = await PartitionLog.open(storage, 'torn', 0, { segmentBytes: 1024 });
    assert.equal(log.producerRebuild.from, 'segments');
    assert.match(String(log.producerRebuild.stoppedBy), /unreadable/);
    assert.equal(log.logEndOffset, 40);
    await storage.close();
  } finally {
    cleanup(dir);
  }
});

test('PartitionLog: closing a partition with no append since its newest snapshot writes none', async () => {
  const dir = tmp('junction-kafka-producers-');
  try {
    let storage = kafkaStorage(dir);
    let log = await PartitionLog.open(storage, 'idle', 0);
    await log.append(idempotentBatch(1, 0, 0, 1, 'one'));
    await log.close();
    await storage.close();
    const partitionDir = join(dir, 'kafka', 'idle-0');
    const snapshotFile = readdirSync(partitionDir).find((f) => f.endsWith('.producer-snapshot'))!;
    const before = statSync(join(partitionDir, snapshotFile)).mtimeMs;
    storage = kafkaStorage(dir);
    log = await PartitionLog.open(storage, 'idle', 0);
    await new Promise((r) => setTimeout(r, 20));
    await log.close();
    await storage.close();
    assert.deepEqual(readdirSync(partitionDir).filter((f) => f.endsWith('.producer-snapshot')), [snapshotFile]);
    assert.equal(statSync(join(partitionDir, snapshotFile)).mtimeMs, before, 'not rewritten');
  } finally {
    cleanup(dir);
  }
});
