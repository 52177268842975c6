// Idempotent producers over the wire: InitProducerId hands out ids that are never reused (also
// after kill -9), the same idempotent batch sent twice is stored once and both sends get the same
// offset — also when the retry comes after a restart — and a transactional id is refused clearly.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { KafkaErrors } from '../../src/kafka/errors.js';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { killHard, startChildServer } from '../helpers/child-server.js';
import { startTestServer, tempDir } from '../helpers/junction.js';
import { encodeBatch, valueRecords } from '../helpers/kafka-batch.js';
import { fetchBody, firstPartition, produceBody, WireClient } from './wire-client.js';

async function initProducerId(c: WireClient, transactionalId: string | null = null): Promise<{ errorCode: number; producerId: bigint; producerEpoch: number }> {
  return (await c.request(ApiKey.InitProducerId, 1, { transactionalId, transactionTimeoutMs: 60_000 })).body as never;
}

async function createTopic(c: WireClient, name: string): Promise<void> {
  const { body } = await c.request(ApiKey.CreateTopics, 4, { topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
  assert.equal((body.topics as Array<{ errorCode: number }>)[0]!.errorCode, 0);
}

const batch = (pid: bigint, seq: number, tag: string): Buffer =>
  encodeBatch(valueRecords(2, 40, tag), { producerId: Number(pid), producerEpoch: 0, baseSequence: seq });

async function produce(c: WireClient, topic: string, records: Buffer): Promise<{ errorCode: number; baseOffset: bigint }> {
  return firstPartition((await c.request(ApiKey.Produce, 7, produceBody(topic, 0, records))).body) as never;
}

/** Records stored in partition 0 (summed over the fetched batches' record counts), and the high watermark. */
async function storedValues(c: WireClient, topic: string): Promise<{ count: number; hw: bigint; batches: number }> {
  const p = firstPartition((await c.request(ApiKey.Fetch, 11, fetchBody(topic, [[0, 0, 1 << 20]]))).body);
  const records = p.records as Buffer;
  let count = 0;
  let batches = 0;
  for (let at = 0; at < records.length; at += 12 + records.readInt32BE(at + 8)) {
    count += records.readInt32BE(at + 57);
    batches++;
  }
  return { count, hw: p.highWatermark as bigint, batches };
}

describe('kafka idempotent producer (wire)', () => {
  it('a batch sent twice is stored once and both sends get its offset; gaps and transactional ids are refused', async () => {
    const server = await startTestServer({ enabled: ['kafka'] });
    const c = await WireClient.connect(server.ports.kafka!);
    try {
      await createTopic(c, 'idem');
      const a = await initProducerId(c);
      const b = await initProducerId(c);
      assert.deepEqual([a.errorCode, a.producerEpoch, b.errorCode], [0, 0, 0]);
      assert.notEqual(a.producerId, b.producerId);
      const first = batch(a.producerId, 0, 'one');
      const sends = [await produce(c, 'idem', Buffer.from(first)), await produce(c, 'idem', Buffer.from(first))];
      assert.deepEqual(sends.map((r) => [r.errorCode, r.baseOffset]), [[0, 0n], [0, 0n]]);
      assert.equal((await produce(c, 'idem', batch(a.producerId, 2, 'two'))).baseOffset, 2n);
      // Pipelined: the retry is sent before the original is answered.
      const third = batch(a.producerId, 4, 'three');
      const ids = [c.send(ApiKey.Produce, 7, produceBody('idem', 0, Buffer.from(third))), c.send(ApiKey.Produce, 7, produceBody('idem', 0, Buffer.from(third)))];
      for (const id of ids) {
        const r = await c.receive(ApiKey.Produce, 7);
        assert.equal(r!.correlationId, id);
        assert.deepEqual([firstPartition(r!.body).errorCode, firstPartition(r!.body).baseOffset], [0, 4n]);
      }
      const gap = firstPartition((await c.request(ApiKey.Produce, 8, produceBody('idem', 0, batch(a.producerId, 9, 'gap')))).body);
      assert.equal(gap.errorCode, KafkaErrors.OUT_OF_ORDER_SEQUENCE_NUMBER.code);
      assert.match(String(gap.errorMessage), /Out of order sequence number for producer \d+ at offset 6 in partition idem-0: 9/);
      // Producer b bumps its epoch to 1 (sequence 0); a later batch of epoch 0 is fenced.
      const bumped = encodeBatch(valueRecords(1, 10, 'bumped'), { producerId: Number(b.producerId), producerEpoch: 1, baseSequence: 0 });
      assert.equal((await produce(c, 'idem', bumped)).errorCode, 0);
      const stale = encodeBatch(valueRecords(1, 10, 'stale'), { producerId: Number(b.producerId), producerEpoch: 0, baseSequence: 1 });
      assert.equal((await produce(c, 'idem', stale)).errorCode, KafkaErrors.INVALID_PRODUCER_EPOCH.code);
      const stored = await storedValues(c, 'idem');
      assert.deepEqual([stored.count, stored.batches, stored.hw], [7, 4, 7n]);
      const txn = await initProducerId(c, 'my-txn');
      assert.deepEqual([txn.errorCode, txn.producerId], [KafkaErrors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code, -1n]);
      assert.equal(c.closed, false, 'answered, not disconnected');
    } finally {
      c.close();
      await server.destroy();
    }
  });

  it('after kill -9: producer ids are not reused and a retry of an acknowledged batch is still a duplicate', async () => {
    const dataDir = tempDir();
    const args = ['--enable', 'kafka', '--data-dir', dataDir, '--log-format', 'json'];
    let child = await startChildServer(args);
    let c = await WireClient.connect(child.ports.kafka!);
    try {
      await createTopic(c, 'durable-idem');
      const before = await initProducerId(c);
      const sent = [batch(before.producerId, 0, 'x0'), batch(before.producerId, 2, 'x1')];
      for (const [i, bytes] of sent.entries()) assert.equal((await produce(c, 'durable-idem', Buffer.from(bytes))).baseOffset, BigInt(i * 2));
      await killHard(child);
      c.close();
      child = await startChildServer(args);
      c = await WireClient.connect(child.ports.kafka!);
      const after = await initProducerId(c);
      assert.ok(after.producerId > before.producerId, `${after.producerId} after ${before.producerId}`);
      const retried = await produce(c, 'durable-idem', Buffer.from(sent[1]!));
      assert.deepEqual([retried.errorCode, retried.baseOffset], [0, 2n]);
      assert.equal((await produce(c, 'durable-idem', batch(before.producerId, 4, 'x2'))).baseOffset, 4n);
      assert.equal((await storedValues(c, 'durable-idem')).count, 6);
    } finally {
      c.close();
      await killHard(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
