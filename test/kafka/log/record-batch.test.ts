import assert from 'node:assert/strict';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { KafkaLogError } from '../../../src/kafka/log/errors.js';
import {
  CompressionCodec, firstRecordAtOrAfter, RecordBatch, splitBatches, validateClientBatch,
} from '../../../src/kafka/log/record-batch.js';
import { encodeBatch, valueRecords } from '../../helpers/kafka-batch.js';
import { runPython } from '../../helpers/python.js';

const KAFKA_PYTHON = fileURLToPath(new URL('../../../../test/kafka/log/py/kafka_python_batch.py', import.meta.url));

interface PyBatch {
  base_offset: number; crc_ok: boolean; timestamp_type: number; max_timestamp: number;
  records: Array<{ offset: number; timestamp: number; key: string | null; value: string }>;
}

async function kafkaPythonBuild(spec: unknown[]): Promise<Buffer[]> {
  const out = await runPython(KAFKA_PYTHON, ['build', JSON.stringify(spec)]);
  return out.trim().split('\n').map((hex) => Buffer.from(hex, 'hex'));
}

async function kafkaPythonRead(batch: Buffer): Promise<PyBatch> {
  return JSON.parse(await runPython(KAFKA_PYTHON, ['check', batch.toString('hex')])) as PyBatch;
}

function rejects(fn: () => unknown, code: string, message?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof KafkaLogError, `a KafkaLogError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (message) assert.match(err.message, message);
    return true;
  });
}

test('header fields of batches built by kafka-python (plain and gzip, idempotent) read as kafka-python reads them', async () => {
  const long = 'v'.repeat(300);
  const spec = [
    { compression: 0, records: [{ key: 'a', value: 'x', ts: 1000 }, { value: 'y', ts: 1500 }, { key: 'c', value: 'z', ts: 1200 }] },
    { compression: 1, producer_id: 7, records: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: long, ts: 5000 + i })) },
  ];
  const batches = splitBatches(Buffer.concat(await kafkaPythonBuild(spec)));
  assert.equal(batches.length, 2);
  const [plain, gzip] = batches as [RecordBatch, RecordBatch];
  for (const b of batches) validateClientBatch(b, { allowZstd: false });
  assert.deepEqual([plain.magic, plain.compression, plain.recordCount, plain.lastOffsetDelta, plain.baseTimestamp, plain.maxTimestamp],
    [2, CompressionCodec.none, 3, 2, 1000, 1500]);
  assert.deepEqual([plain.producerId, plain.producerEpoch, plain.baseSequence, plain.timestampType, plain.isTransactional, plain.isControl],
    [-1, -1, -1, 'CreateTime', false, false]);
  assert.equal(plain.batchLength + 12, plain.bytes.length);
  assert.deepEqual([gzip.compression, gzip.recordCount, gzip.producerId, gzip.producerEpoch, gzip.baseSequence, gzip.maxTimestamp],
    [CompressionCodec.gzip, 20, 7, 0, 0, 5019]);
  assert.ok(gzip.bytes.length < 20 * 300, 'kafka-python really compressed the second batch');
  const py = await kafkaPythonRead(plain.bytes);
  assert.equal(py.max_timestamp, plain.maxTimestamp);
  assert.equal(plain.crc, plain.computeCrc());
});

test('CRC-32C covers attributes..end: a flipped record byte is CORRUPT_MESSAGE, a changed base offset or epoch is not', () => {
  const batch = encodeBatch(valueRecords(5, 40, 'crc'));
  for (const at of [21, 40, 61, batch.length - 1]) {
    const damaged = Buffer.from(batch);
    damaged[at]! ^= 0x01;
    rejects(() => validateClientBatch(new RecordBatch(damaged), { allowZstd: true }), 'CORRUPT_MESSAGE', /stored crc = \d+, computed crc = \d+/);
  }
  const moved = new RecordBatch(Buffer.from(batch));
  moved.setBaseOffset(123_456_789_012);
  moved.setPartitionLeaderEpoch(0);
  moved.ensureValid();
  assert.equal(moved.baseOffset, 123_456_789_012);
  assert.equal(moved.nextOffset, 123_456_789_017);
  assert.ok(moved.bytes.subarray(17).equals(batch.subarray(17)), 'only bytes before the CRC changed');
  rejects(() => new RecordBatch(batch.subarray(0, 40)).ensureValid(), 'CORRUPT_MESSAGE', /smaller than the minimum allowed overhead 61/);
});

test('broker rewrites read back by kafka-python: base offset keeps the CRC, LogAppendTime recomputes it', async () => {
  const [built] = await kafkaPythonBuild([{ records: [{ key: 'a', value: 'x', ts: 1000 }, { value: 'y', ts: 2000 }] }]);
  const batch = new RecordBatch(built!);
  batch.setBaseOffset(41);
  let py = await kafkaPythonRead(batch.bytes);
  assert.deepEqual([py.crc_ok, py.base_offset, py.timestamp_type, py.records.map((r) => r.offset)], [true, 41, 0, [41, 42]]);
  const crcBefore = batch.crc;
  batch.setLogAppendTime(1_765_000_000_123);
  assert.notEqual(batch.crc, crcBefore);
  py = await kafkaPythonRead(batch.bytes);
  assert.deepEqual([py.crc_ok, py.timestamp_type, py.max_timestamp], [true, 1, 1_765_000_000_123]);
  assert.deepEqual(py.records.map((r) => r.timestamp), [1_765_000_000_123, 1_765_000_000_123], 'every record takes the append time');
  assert.equal(batch.timestampType, 'LogAppendTime');
});

test('splitting a Produce records blob: whole batches only, v2 only, max.message.bytes', () => {
  const a = encodeBatch(valueRecords(3, 10, 'a'));
  const b = encodeBatch(valueRecords(1, 500, 'b'));
  const split = splitBatches(Buffer.concat([a, b]));
  assert.deepEqual(split.map((s) => s.bytes), [a, b]);
  assert.deepEqual(splitBatches(Buffer.alloc(0)), []);
  rejects(() => splitBatches(Buffer.concat([a, b.subarray(0, b.length - 1)])), 'CORRUPT_MESSAGE', /claims \d+ bytes/);
  rejects(() => splitBatches(Buffer.concat([a, Buffer.alloc(7)])), 'CORRUPT_MESSAGE', /trailing bytes/);
  const tiny = Buffer.from(a);
  tiny.writeInt32BE(13, 8);
  rejects(() => splitBatches(tiny), 'CORRUPT_MESSAGE', /minimum record overhead \(14\)/);
  const legacy = Buffer.from(a);
  legacy.writeInt8(1, 16);
  rejects(() => splitBatches(legacy), 'INVALID_RECORD', /message format v2/);
  rejects(() => splitBatches(Buffer.concat([a, b]), b.length - 1), 'MESSAGE_TOO_LARGE', /max.message.bytes/);
});

test('client batch rules of LogValidator: control, transactional, counts, sequence, base offset, zstd before Produce v7', () => {
  const records = valueRecords(3, 8, 'r');
  const cases: Array<[Buffer, string, RegExp]> = [
    [encodeBatch(records, { control: true }), 'INVALID_RECORD', /control records/],
    [encodeBatch(records, { transactional: true, producerId: 1, producerEpoch: 0, baseSequence: 0 }), 'INVALID_RECORD', /Transactional/],
    [encodeBatch(records, { lastOffsetDelta: 5 }), 'INVALID_RECORD', /Inconsistent batch offset range/],
    [encodeBatch([], {}), 'INVALID_RECORD', /no records/],
    [encodeBatch(records, { producerId: 9, producerEpoch: 0, baseSequence: -1 }), 'INVALID_RECORD', /sequence number -1/],
    [encodeBatch(records, { baseOffset: 3 }), 'INVALID_RECORD', /should be 0, but it is 3/],
    [encodeBatch(records, { compression: CompressionCodec.zstd }), 'UNSUPPORTED_COMPRESSION_TYPE', /ZStandard/],
    [encodeBatch(records, { compression: 6 }), 'CORRUPT_MESSAGE', /Unknown compression type id 6/],
  ];
  for (const [bytes, code, message] of cases) rejects(() => validateClientBatch(new RecordBatch(bytes), { allowZstd: false }), code, message);
  validateClientBatch(new RecordBatch(encodeBatch(records, { compression: CompressionCodec.zstd })), { allowZstd: true });
  validateClientBatch(new RecordBatch(encodeBatch(records, { producerId: 9, producerEpoch: 0, baseSequence: 0 })), { allowZstd: false });
});

test('the first record at or after a timestamp: by record in a plain batch, by batch when compressed or LogAppendTime', () => {
  const records = [1000, 3000, 2000, 4000].map((t, i) => ({ value: Buffer.from(`v${i}`), timestampDelta: t - 1000 }));
  const batch = new RecordBatch(encodeBatch(records, { baseTimestamp: 1000 }));
  batch.setBaseOffset(100);
  assert.deepEqual(firstRecordAtOrAfter(batch, 0), { offset: 100, timestamp: 1000 });
  assert.deepEqual(firstRecordAtOrAfter(batch, 2500), { offset: 101, timestamp: 3000 }, 'not the later record with 2000');
  assert.deepEqual(firstRecordAtOrAfter(batch, 4000), { offset: 103, timestamp: 4000 });
  assert.equal(firstRecordAtOrAfter(batch, 4001), null);
  assert.deepEqual(firstRecordAtOrAfter(batch, 0, 102), { offset: 102, timestamp: 2000 }, 'none below the log start');
  assert.equal(firstRecordAtOrAfter(batch, 0, 104), null);
  const compressed = new RecordBatch(encodeBatch(records, { baseTimestamp: 1000, compression: CompressionCodec.lz4 }));
  assert.deepEqual(firstRecordAtOrAfter(compressed, 2500), { offset: 0, timestamp: 4000 });
  const appended = new RecordBatch(encodeBatch(records, { baseTimestamp: 1000 }));
  appended.setLogAppendTime(9000);
  assert.deepEqual(firstRecordAtOrAfter(appended, 8000), { offset: 0, timestamp: 9000 });
});
