// Differential on the wire, the partition log: the same record batches produced to Junction and to
// librdkafka's mock cluster, then fetched back and compared byte for byte. Where they differ the
// test asserts what Kafka's source says (docs/compat/kafka.md, "Reference: librdkafka's mock cluster").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../../src/kafka/protocol/api-keys.js';
import { encodeBatch } from '../../helpers/kafka-batch.js';
import { fetchBody, produceBody, WireClient } from '../../kafka/wire-client.js';
import { onBoth, startDiffPair, type DiffPair, type DiffTarget } from './diff-targets.js';

type Body = Record<string, any>;

/** RecordBatch header: partitionLeaderEpoch is the int32 at bytes 12–15, outside the CRC (which covers 21+). */
const LEADER_EPOCH_AT = 12;
const FIRST = encodeBatch([{ value: Buffer.from('a'.repeat(100)) }, { value: Buffer.from('b'.repeat(100)) }], { baseTimestamp: 5_000 });
const SECOND = encodeBatch([{ value: Buffer.from('c') }], { baseTimestamp: 6_000 });

async function fetchPartition(t: DiffTarget, offset: number, partitionMaxBytes: number): Promise<Body> {
  const c = await WireClient.connect(t.port);
  try {
    const body = (await c.request(ApiKey.Fetch, 11, fetchBody('log', [[0, offset, partitionMaxBytes]]))).body as Body;
    return body.responses[0].partitions[0];
  } finally {
    c.close();
  }
}

/** Batches of a Fetch answer with their leader epoch field set to -1, the value the producer sent. */
function withProducerEpochField(records: Buffer): Buffer {
  const copy = Buffer.from(records);
  for (let at = 0; at + 12 <= copy.length; at += 12 + copy.readInt32BE(at + 8)) copy.writeInt32BE(-1, at + LEADER_EPOCH_AT);
  return copy;
}

describe('differential: the partition log of Junction and the mock cluster', () => {
  let pair: DiffPair;
  before(async () => {
    pair = await startDiffPair();
    await onBoth(pair, async (t) => {
      await t.createTopic('log', 2);
      const c = await WireClient.connect(t.port);
      for (const batch of [FIRST, SECOND]) await c.request(ApiKey.Produce, 7, produceBody('log', 0, batch));
      c.close();
    });
  });
  after(async () => { await pair?.stop(); });

  it('batches come back as produced, but for the leader epoch field Kafka stamps on append', async () => {
    const out = await onBoth(pair, (t) => fetchPartition(t, 0, 1 << 20));
    const [junction, mock] = [out.junction.records as Buffer, out.mock.records as Buffer];
    // LogValidator stamps every appended batch with the leader's epoch (setPartitionLeaderEpoch),
    // 0 for a new partition; the mock keeps the producer's -1.
    assert.equal(junction.readInt32BE(LEADER_EPOCH_AT), 0);
    assert.equal(mock.readInt32BE(LEADER_EPOCH_AT), -1);
    const firstWithOffsets = Buffer.from(FIRST);
    assert.deepEqual(mock.subarray(0, FIRST.length), firstWithOffsets);
    assert.deepEqual(withProducerEpochField(junction).subarray(0, mock.length), mock);
  });

  it('a Fetch returns every batch that fits (Kafka, Junction); the mock returns one batch per partition', async () => {
    const out = await onBoth(pair, (t) => fetchPartition(t, 1, 1 << 20));
    // Offset 1 is inside the first batch: both start with that whole batch. Kafka then reads on up
    // to partitionMaxBytes (LocalLog.read); the mock answers one stored message set per Fetch.
    assert.equal((out.junction.records as Buffer).length, FIRST.length + SECOND.length);
    assert.equal((out.mock.records as Buffer).length, FIRST.length);
    assert.deepEqual(withProducerEpochField(out.junction.records as Buffer).subarray(0, FIRST.length), out.mock.records);
  });

  it('a first batch larger than partitionMaxBytes is returned whole (KIP-74), at the end nothing: both agree', async () => {
    const small = await onBoth(pair, (t) => fetchPartition(t, 0, 10));
    assert.equal((small.mock.records as Buffer).length, FIRST.length);
    assert.deepEqual(withProducerEpochField(small.junction.records as Buffer), small.mock.records);
    const end = await onBoth(pair, (t) => fetchPartition(t, 3, 1 << 20));
    assert.deepEqual([end.mock.errorCode, end.mock.highWatermark, (end.mock.records as Buffer).length], [0, 3n, 0]);
    assert.deepEqual({ ...end.junction, records: null }, { ...end.mock, records: null });
  });

  it('partitionMaxBytes 0 still returns the first batch (Kafka, Junction); the mock returns nothing', async () => {
    const out = await onBoth(pair, (t) => fetchPartition(t, 2, 0));
    // ReplicaManager.readFromLog: minOneMessage for the first partition of a v3+ Fetch, and
    // LogSegment.read grows maxSize to the first batch's size.
    assert.equal((out.junction.records as Buffer).length, SECOND.length);
    assert.equal((out.mock.records as Buffer).length, 0);
  });

  it('acks other than -1, 0, 1: INVALID_REQUIRED_ACKS (Kafka, Junction); the mock appends', async () => {
    const out = await onBoth(pair, async (t) => {
      await t.createTopic('acks', 1);
      const c = await WireClient.connect(t.port);
      try {
        const body = (await c.request(ApiKey.Produce, 7, produceBody('acks', 0, encodeBatch([{ value: Buffer.from('a') }]), 2))).body as Body;
        return body.responses[0].partitionResponses[0].errorCode as number;
      } finally {
        c.close();
      }
    });
    // ReplicaManager.appendRecords: !isValidRequiredAcks(requiredAcks) → INVALID_REQUIRED_ACKS (21).
    assert.deepEqual([out.junction, out.mock], [21, 0]);
  });

  it('a batch with a bad CRC: CORRUPT_MESSAGE (Kafka, Junction); the mock appends it', async () => {
    const corrupt = Buffer.from(SECOND);
    corrupt[corrupt.length - 1]! ^= 0xff;
    const out = await onBoth(pair, async (t) => {
      const c = await WireClient.connect(t.port);
      try {
        return ((await c.request(ApiKey.Produce, 7, produceBody('log', 1, corrupt))).body as Body).responses[0].partitionResponses[0];
      } finally {
        c.close();
      }
    });
    // UnifiedLog.analyzeAndValidateRecords: !batch.isValid → CorruptRecordException (CORRUPT_MESSAGE, 2).
    assert.deepEqual([out.junction.errorCode, out.junction.baseOffset], [2, -1n]);
    assert.deepEqual([out.mock.errorCode, out.mock.baseOffset], [0, 0n]);
  });

  it('idempotent sequences and batch size are checked (Kafka, Junction); the mock appends everything', async () => {
    const out = await onBoth(pair, async (t) => {
      await t.createTopic('idem', 2);
      const c = await WireClient.connect(t.port);
      try {
        const produce = async (batch: Buffer, partition = 0) => {
          const answer = ((await c.request(ApiKey.Produce, 7, produceBody('idem', partition, batch, -1))).body as Body).responses[0].partitionResponses[0];
          return [answer.errorCode, Number(answer.baseOffset)];
        };
        const pid = (await c.request(ApiKey.InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 60_000 })).body as Body;
        const batch = (seq: number, count = 1, epoch = pid.producerEpoch as number) => encodeBatch(
          Array.from({ length: count }, (_, i) => ({ value: Buffer.from(`s${seq + i}`) })),
          { producerId: pid.producerId, producerEpoch: epoch, baseSequence: seq });
        return {
          initProducerId: [pid.errorCode, pid.producerEpoch],
          first: await produce(batch(0, 2)),
          retried: await produce(batch(0, 2)),
          next: await produce(batch(2)),
          gap: await produce(batch(9)),
          newEpochNotAtZero: await produce(batch(3, 1, pid.producerEpoch + 1)),
          tooLarge: await produce(encodeBatch([{ value: Buffer.alloc(1_100_000, 1) }]), 1),
        };
      } finally {
        c.close();
      }
    });
    // ProducerStateManager/ProducerAppendInfo.checkSequence: a retried batch (one of the last five)
    // is answered with its first offset and not appended again; a gap or a new epoch not starting
    // at sequence 0 is OUT_OF_ORDER_SEQUENCE_NUMBER (45). UnifiedLog.analyzeAndValidateRecords: a
    // batch over max.message.bytes (1048588) is MESSAGE_TOO_LARGE (10).
    assert.deepEqual(out.junction, { initProducerId: [0, 0], first: [0, 0], retried: [0, 0], next: [0, 2], gap: [45, -1], newEpochNotAtZero: [45, -1], tooLarge: [10, -1] });
    assert.deepEqual(out.mock, { initProducerId: [0, 0], first: [0, 0], retried: [0, 2], next: [0, 4], gap: [0, 5], newEpochNotAtZero: [0, 6], tooLarge: [0, 0] });
  });
});
