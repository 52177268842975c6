import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { KafkaLogError } from '../../../src/kafka/log/errors.js';
import { PartitionLog, partitionStoreName } from '../../../src/kafka/log/partition-log.js';
import { splitBatches, validateClientBatch } from '../../../src/kafka/log/produce-validation.js';
import { RecordBatch } from '../../../src/kafka/log/record-batch.js';
import { encodeBatch, valueRecords } from '../../helpers/kafka-batch.js';
import { runPython } from '../../helpers/python.js';
import { cleanup, tmp } from '../../core/fixtures/log-helpers.js';
import { assertStoredAs, crashBatch, kafkaStorage } from './fixtures/partition-helpers.js';

async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof KafkaLogError, String(err));
    assert.equal(err.code, code);
    if (message) assert.match(err.message, message);
    return true;
  });
}

/** Append `count` batches built by crashBatch; returns what was sent, by base offset. */
async function fill(log: PartitionLog, partition: number, count: number): Promise<Map<number, Buffer>> {
  const sent = new Map<number, Buffer>();
  for (let i = 0; i < count; i++) {
    const base = log.logEndOffset;
    const bytes = crashBatch(partition, base);
    sent.set(base, Buffer.from(bytes));
    const result = await log.append(new RecordBatch(bytes));
    assert.equal(result.baseOffset, base);
  }
  return sent;
}

test('appends get contiguous Kafka offsets and come back byte for byte, across segment rolls and a restart', async () => {
  const dir = tmp('junction-kafka-log-');
  try {
    let storage = kafkaStorage(dir);
    let log = await PartitionLog.open(storage, 'orders', 3, { segmentBytes: 4096 });
    const sent = await fill(log, 3, 60);
    let expected = 0;
    for (const [base, bytes] of sent) {
      assert.equal(base, expected);
      expected += new RecordBatch(bytes).recordCount;
    }
    assert.deepEqual([log.logEndOffset, log.highWatermark, log.logStartOffset], [expected, expected, 0]);
    assert.ok(readdirSync(join(dir, 'kafka', 'orders-3', 'log')).filter((f) => f.endsWith('.log')).length > 3, 'rolled segments');
    await storage.close();

    storage = kafkaStorage(dir);
    log = await PartitionLog.open(storage, 'orders', 3, { segmentBytes: 4096 });
    assert.equal(log.highWatermark, expected);
    const bases = [...sent.keys()];
    for (let offset = 0; offset < expected; offset++) {
      const containing = bases.filter((b) => b <= offset).at(-1)!;
      const { batches, highWatermark } = await log.read(offset, 1);
      assert.equal(batches.length, 1, 'maxBytes 1 still returns one whole batch (KIP-74)');
      assert.equal(highWatermark, expected);
      assertStoredAs(batches[0]!, sent.get(containing)!, containing, `offset ${offset}`);
    }
    const all = await log.read(0, 1 << 30);
    assert.equal(all.batches.length, sent.size, 'one read crosses every segment');
    const capped = await log.read(0, 2000);
    assert.ok(capped.batches.length > 1 && capped.bytes <= 2000, `${capped.batches.length} batches in ${capped.bytes} bytes`);
    assert.deepEqual((await log.read(expected, 1000)).batches, [], 'at the log end: empty, not an error');
    await rejectsWith(log.read(expected + 1, 1000), 'OFFSET_OUT_OF_RANGE', /out of range/);
    await storage.close();
  } finally { cleanup(dir); }
});

test('the high watermark covers only durable batches; a parked fetch wakes on append, times out or is aborted', async () => {
  const dir = tmp('junction-kafka-log-');
  try {
    const storage = kafkaStorage(dir, 'always');
    const log = await PartitionLog.open(storage, 't', 0);
    assert.equal(await log.waitForData(0, 20), false, 'nothing came: timed out');
    const woken = log.waitForData(0, 10_000);
    const appended = log.append(new RecordBatch(encodeBatch(valueRecords(4, 10, 'a'))));
    assert.deepEqual([log.logEndOffset, log.highWatermark], [4, 0], 'written, not yet durable');
    assert.deepEqual((await log.read(0, 1000)).batches, [], 'not served before it is durable');
    assert.equal(await woken, true);
    assert.equal(log.highWatermark, 4);
    await appended;
    assert.equal(await log.waitForData(3, 10_000), true, 'data already there: at once');
    const controller = new AbortController();
    const aborted = log.waitForData(4, 10_000, controller.signal);
    controller.abort();
    assert.equal(await aborted, false);
    const parked = log.waitForData(4, 10_000);
    await log.close();
    assert.equal(await parked, false, 'close answers parked fetches');
    await storage.close();
  } finally { cleanup(dir); }
});

test('ListOffsets by timestamp: first record with timestamp ≥ ts, through the sparse index, after restart and log-start moves', async () => {
  const dir = tmp('junction-kafka-log-');
  try {
    // Timestamps go up and down between batches, as producers' clocks do.
    const stamps = Array.from({ length: 80 }, (_, i) => 10_000 + i * 100 + (i % 3 === 0 ? 250 : 0));
    const brute = (entries: Array<{ offset: number; ts: number }>, ts: number) => entries.find((e) => e.ts >= ts) ?? null;
    let storage = kafkaStorage(dir);
    let log = await PartitionLog.open(storage, 'times', 0, { segmentBytes: 2048, timeIndexIntervalBytes: 300 });
    const entries: Array<{ offset: number; ts: number }> = [];
    for (const stamp of stamps) {
      const records = [0, 40, 20].map((d, i) => ({ value: Buffer.alloc(30, i), timestampDelta: d }));
      const { baseOffset } = await log.append(new RecordBatch(encodeBatch(records, { baseTimestamp: stamp })));
      [0, 40, 20].forEach((d, i) => entries.push({ offset: baseOffset + i, ts: stamp + d }));
    }
    const check = async (from: number) => {
      const live = entries.filter((e) => e.offset >= from);
      for (const ts of [0, 10_000, 10_030, 10_041, 12_345, 15_000, 17_990, 18_190, 18_191, 99_999]) {
        const want = brute(live, ts);
        assert.deepEqual(await log.offsetForTimestamp(ts), want && { offset: want.offset, timestamp: want.ts }, `ts ${ts} from ${from}`);
      }
    };
    await check(0);
    await storage.close();
    storage = kafkaStorage(dir);
    log = await PartitionLog.open(storage, 'times', 0, { segmentBytes: 2048, timeIndexIntervalBytes: 300 });
    await check(0);
    assert.equal(await log.deleteRecordsBefore(100), 100);
    await check(100);
    await storage.close();
  } finally { cleanup(dir); }
});

test('DeleteRecords moves the log start durably (kept across restart), deletes whole segments below it, refuses past the HWM', async () => {
  const dir = tmp('junction-kafka-log-');
  try {
    let storage = kafkaStorage(dir);
    let log = await PartitionLog.open(storage, 'del', 1, { segmentBytes: 2048 });
    const sent = await fill(log, 1, 40);
    const end = log.highWatermark;
    const segments = () => readdirSync(join(dir, 'kafka', 'del-1', 'log')).filter((f) => f.endsWith('.log')).length;
    const before = segments();
    await rejectsWith(log.deleteRecordsBefore(end + 1), 'OFFSET_OUT_OF_RANGE', /larger than the high watermark/);
    const middle = [...sent.keys()][20]! + 1; // inside a batch of ≥ 2 records or at the next one
    assert.equal(await log.deleteRecordsBefore(middle), middle);
    assert.equal(await log.deleteRecordsBefore(5), middle, 'never moves back');
    assert.ok(segments() < before, 'segments below the new start are gone');
    await rejectsWith(log.read(middle - 1, 100), 'OFFSET_OUT_OF_RANGE');
    const first = await log.read(middle, 1);
    assert.ok(new RecordBatch(first.batches[0]!).nextOffset > middle, 'the read starts at the batch containing the start');
    await storage.close();

    storage = kafkaStorage(dir);
    log = await PartitionLog.open(storage, 'del', 1, { segmentBytes: 2048 });
    assert.equal(log.logStartOffset, middle, 'log start offset survives restart');
    assert.equal((await log.append(new RecordBatch(crashBatch(1, end)))).logStartOffset, middle);
    assert.equal(await log.deleteRecordsBefore(-1), log.highWatermark, '-1 means the high watermark');
    assert.deepEqual((await log.read(log.highWatermark, 100)).batches, []);
    await storage.close();

    writeFileSync(join(dir, 'kafka', 'del-1', 'log-start-offset'), 'garbage');
    await rejectsWith(PartitionLog.open(kafkaStorage(dir), 'del', 1), 'KAFKA_STORAGE_ERROR', /log-start-offset is damaged/);
  } finally { cleanup(dir); }
});

test('retention by bytes and by age moves the log start to the first kept segment', async () => {
  const dir = tmp('junction-kafka-log-');
  try {
    const storage = kafkaStorage(dir, 'never');
    const log = await PartitionLog.open(storage, 'ret', 0, { segmentBytes: 2048 });
    await fill(log, 0, 50);
    const total = log.sizeBytes;
    assert.equal(await log.retain({ maxBytes: total }), 0);
    assert.equal(log.logStartOffset, 0);
    assert.ok(await log.retain({ maxBytes: 5000 }) > 0);
    assert.ok(log.sizeBytes <= 5000 + 2048 && log.logStartOffset > 0, `kept ${log.sizeBytes} bytes from ${log.logStartOffset}`);
    const { batches } = await log.read(log.logStartOffset, 1);
    assert.equal(new RecordBatch(batches[0]!).baseOffset, log.logStartOffset, 'the start is a batch boundary');
    await rejectsWith(log.read(log.logStartOffset - 1, 1), 'OFFSET_OUT_OF_RANGE');
    assert.ok(await log.retain({ maxAgeMs: 0, now: Date.now() + 1000 }) > 0);
    assert.equal((await log.read(log.logStartOffset, 1)).batches.length, 1, 'the active segment stays');
    await storage.close();
  } finally { cleanup(dir); }
});

test('segment.ms: an append to a segment that old starts a new one, so retention can delete a quiet partition', async () => {
  const dir = tmp('junction-kafka-log-');
  try {
    const storage = kafkaStorage(dir);
    let now = Date.now();
    const log = await PartitionLog.open(storage, 'quiet', 0, { segmentMs: 60_000, now: () => now });
    const segments = (): string[] => readdirSync(join(dir, 'kafka', 'quiet-0', 'log')).filter((f) => f.endsWith('.log'));
    await log.append(new RecordBatch(encodeBatch(valueRecords(2, 10, 'a'))));
    now += 59_000;
    await log.append(new RecordBatch(encodeBatch(valueRecords(2, 10, 'b'))));
    assert.equal(segments().length, 1, 'younger than segment.ms: same segment');
    now += 2_000;
    await log.append(new RecordBatch(encodeBatch(valueRecords(2, 10, 'c'))));
    assert.equal(segments().length, 2, 'rolled at the append after segment.ms');
    assert.equal(await log.retain({ maxAgeMs: 0, now: Date.now() + 1000 }), 1, 'the first segment can now be deleted');
    assert.equal(log.logStartOffset, 4);
    await storage.close();
  } finally { cleanup(dir); }
});

test('LogAppendTime topics stamp each batch with the broker clock and a recomputed CRC', async () => {
  const dir = tmp('junction-kafka-log-');
  try {
    const storage = kafkaStorage(dir);
    const log = await PartitionLog.open(storage, 'stamped', 0, { timestampType: 'LogAppendTime', now: () => 1_800_000_000_000 });
    const result = await log.append(new RecordBatch(encodeBatch(valueRecords(3, 5, 's'))));
    assert.deepEqual(result, { baseOffset: 0, logAppendTime: 1_800_000_000_000, logStartOffset: 0 });
    const stored = new RecordBatch((await log.read(0, 100)).batches[0]!);
    stored.ensureValid();
    assert.deepEqual([stored.timestampType, stored.maxTimestamp], ['LogAppendTime', 1_800_000_000_000]);
    const plain = await PartitionLog.open(storage, 'plain', 0);
    assert.equal((await plain.append(new RecordBatch(encodeBatch(valueRecords(1, 5, 'p'))))).logAppendTime, -1);
    await storage.close();
  } finally { cleanup(dir); }
});

test('partition store names are Kafka log directory names; illegal topics are refused as Kafka refuses them', () => {
  assert.equal(partitionStoreName('orders', 0), 'kafka/orders-0');
  assert.equal(partitionStoreName('a-1', 10), 'kafka/a-1-10');
  assert.equal(partitionStoreName('__consumer_offsets', 49), 'kafka/__consumer_offsets-49');
  assert.equal(partitionStoreName('x'.repeat(249), 0).length, 'kafka/'.length + 251);
  for (const bad of ['', '.', '..', 'a/b', 'with space', 'ü', 'x'.repeat(250), '%2F']) {
    assert.throws(() => partitionStoreName(bad, 0), (e: unknown) => e instanceof KafkaLogError && e.code === 'INVALID_TOPIC_EXCEPTION', bad);
  }
  assert.throws(() => partitionStoreName('t', -1), KafkaLogError);
  assert.ok(!existsSync('kafka'), 'nothing was created');
});

test('kafka-python reads what a Fetch would serve: its own plain and gzip batches, stored and read back verbatim', async () => {
  const dir = tmp('junction-kafka-log-');
  try {
    const script = fileURLToPath(new URL('../../../../test/kafka/log/py/kafka_python_batch.py', import.meta.url));
    const spec = Array.from({ length: 6 }, (_, b) => ({
      compression: b % 2, records: Array.from({ length: 3 + b }, (_, i) => ({ key: `k${i}`, value: `batch${b}-record${i}-${'x'.repeat(200)}`, ts: 1000 + i })),
    }));
    const built = (await runPython(script, ['build', JSON.stringify(spec)])).trim().split('\n').map((hex) => Buffer.from(hex, 'hex'));
    const storage = kafkaStorage(dir);
    const log = await PartitionLog.open(storage, 'py', 0);
    const values: string[] = [];
    for (const [b, bytes] of built.entries()) {
      const [batch] = splitBatches(bytes);
      validateClientBatch(batch!, { allowZstd: false });
      await log.append(batch!);
      values.push(...spec[b]!.records.map((r) => r.value));
    }
    const from = 5; // inside the second batch: the read starts at that batch, the client skips what precedes
    const { batches } = await log.read(from, 1 << 20);
    const read = JSON.parse(await runPython(script, ['fetch', Buffer.concat(batches).toString('hex')])) as Array<{ offset: number; value: string }>;
    assert.equal(read[0]!.offset, 3, 'served from the base of the batch containing the fetch offset');
    assert.deepEqual(read.map((r) => r.offset), values.map((_, i) => i).slice(3));
    assert.deepEqual(read.map((r) => r.value), values.slice(3));
    await storage.close();
  } finally { cleanup(dir); }
});

test('a batch the log refuses (over its record limit) is a KAFKA_STORAGE_ERROR that takes no offsets', async () => {
  const dir = tmp('junction-kafka-log-');
  try {
    const storage = kafkaStorage(dir);
    const log = await PartitionLog.open(storage, 'big', 0, { timeIndexIntervalBytes: 1 });
    await log.append(new RecordBatch(encodeBatch(valueRecords(2, 10, 'a'), { baseTimestamp: 1000 })));
    const huge = encodeBatch(Array.from({ length: 5 }, () => ({ value: Buffer.alloc(4 << 20) })), { baseTimestamp: 500 });
    await rejectsWith(log.append(new RecordBatch(huge)), 'KAFKA_STORAGE_ERROR', /exceeds/);
    assert.deepEqual([log.logEndOffset, log.highWatermark], [2, 2]);
    for (const ts of [9000, 100, 200]) await log.append(new RecordBatch(encodeBatch(valueRecords(2, 10, 'b'), { baseTimestamp: ts })));
    assert.equal(log.highWatermark, 8);
    assert.deepEqual(await log.offsetForTimestamp(5000), { offset: 2, timestamp: 9000 }, 'the refused batch left no trace in the time index');
    await storage.close();
  } finally { cleanup(dir); }
});
