// Produce, Fetch and ListOffsets over a raw socket: per-partition errors as Kafka words them,
// stored bytes served back verbatim (base offset patched), the long poll, KIP-74's first batch,
// and offsets by timestamp.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { encodeBatch, valueRecords } from '../helpers/kafka-batch.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { fetchBody, firstPartition, produceBody, WireClient } from './wire-client.js';

describe('kafka produce, fetch and list offsets', () => {
  let server: TestServer;
  let c: WireClient;

  const produce = async (topic: string, partition: number, records: Buffer | null, acks = 1): Promise<Record<string, unknown>> =>
    firstPartition((await c.request(ApiKey.Produce, 8, produceBody(topic, partition, records, acks))).body);
  const fetch = async (topic: string, partitions: Array<[number, number, number]>, opts = {}): Promise<Array<Record<string, unknown>>> => {
    const { body } = await c.request(ApiKey.Fetch, 11, fetchBody(topic, partitions, opts));
    return (body.responses as Array<{ partitions: Array<Record<string, unknown>> }>)[0]!.partitions;
  };

  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { messageMaxBytes: 4096, numPartitions: 2 } });
    c = await WireClient.connect(server.ports.kafka!);
    await c.request(ApiKey.CreateTopics, 4, { topics: [{ name: 'pf', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false });
  });
  after(async () => {
    c?.close();
    await server?.destroy();
  });

  it('appends batches at consecutive offsets and serves them back byte for byte but the base offset', async () => {
    const first = encodeBatch(valueRecords(3, 10, 'a'));
    const second = encodeBatch(valueRecords(2, 10, 'b'));
    const r1 = await produce('pf', 0, first);
    const r2 = await produce('pf', 0, second);
    assert.deepEqual([r1.errorCode, r1.baseOffset, r2.errorCode, r2.baseOffset], [0, 0n, 0, 3n]);
    const [p] = await fetch('pf', [[0, 0, 1 << 20]]);
    assert.equal(p!.errorCode, 0);
    assert.equal(p!.highWatermark, 5n);
    const records = p!.records as Buffer;
    assert.equal(records.length, first.length + second.length);
    // Base offset (0-8) and partition leader epoch (12-16, set to 0) are the broker's; the rest,
    // CRC included, is the client's.
    assert.deepEqual(records.subarray(16, first.length), first.subarray(16));
    assert.deepEqual([records.readBigInt64BE(first.length), records.readInt32BE(first.length + 12)], [3n, 0]);
    assert.deepEqual(records.subarray(first.length + 16), second.subarray(16));
  });

  it('refuses per partition: unknown topic, bad CRC, oversized batch, bad acks', async () => {
    const good = encodeBatch(valueRecords(1, 10, 'c'));
    assert.equal((await produce('missing-topic', 0, good)).errorCode, 3);
    assert.equal((await produce('pf', 7, good)).errorCode, 3);
    const corrupt = Buffer.from(good);
    corrupt[corrupt.length - 1]! ^= 0xff;
    const bad = await produce('pf', 1, corrupt);
    assert.equal(bad.errorCode, 2);
    assert.match(String(bad.errorMessage), /CRC|checksum/i);
    assert.equal((await produce('pf', 1, encodeBatch(valueRecords(1, 5000, 'big')))).errorCode, 10);
    assert.equal((await produce('pf', 1, good, 2)).errorCode, 21);
    assert.equal((await produce('pf', 1, encodeBatch(valueRecords(1, 10, 'x'), { baseOffset: 5 }))).errorCode, 87);
    // Nothing of the refused batches was stored.
    const [p] = await fetch('pf', [[1, 0, 1 << 20]]);
    assert.equal(p!.highWatermark, 0n);
  });

  it('fetch errors: offset out of range, unknown partition', async () => {
    const parts = await fetch('pf', [[0, 99, 1024]]);
    assert.equal(parts[0]!.errorCode, 1);
    const unknown = await fetch('nope', [[0, 0, 1024]]);
    assert.equal(unknown[0]!.errorCode, 3);
  });

  it('KIP-74: the first batch goes whole over partition_max_bytes; later partitions stay within max_bytes', async () => {
    const big = encodeBatch(valueRecords(1, 2000, 'big1'));
    await produce('pf', 1, big);
    await produce('pf', 1, encodeBatch(valueRecords(1, 2000, 'big2')));
    const [p1] = await fetch('pf', [[1, 0, 100]]);
    assert.equal((p1!.records as Buffer).length, big.length);
    // Partition 0 fills max_bytes; partition 1's batch would exceed it and is left out.
    const both = await fetch('pf', [[0, 0, 1 << 20], [1, 0, 1 << 20]], { maxBytes: 400 });
    assert.ok((both[0]!.records as Buffer).length > 0);
    assert.equal((both[1]!.records as Buffer).length, 0);
    assert.equal(both[1]!.highWatermark, 2n);
  });

  it('a fetch at the end waits for an append (long poll) and answers as soon as it is durable', async () => {
    const other = await WireClient.connect(server.ports.kafka!);
    try {
      const started = Date.now();
      const waiting = other.request(ApiKey.Fetch, 11, fetchBody('pf', [[0, 5, 1 << 20]], { maxWaitMs: 10_000 }));
      await new Promise((r) => setTimeout(r, 150));
      await produce('pf', 0, encodeBatch(valueRecords(1, 10, 'late')));
      const { body } = await waiting;
      const p = firstPartition(body);
      assert.ok((p.records as Buffer).includes('late'));
      assert.ok(Date.now() - started < 5000, 'woken by the append, not the timeout');
    } finally {
      other.close();
    }
  });

  it('a fetch with nothing new answers empty after max_wait_ms', async () => {
    const started = Date.now();
    const [p] = await fetch('pf', [[0, 6, 1 << 20]], { maxWaitMs: 300 });
    const waited = Date.now() - started;
    assert.equal((p!.records as Buffer).length, 0);
    assert.ok(waited >= 250 && waited < 3000, `waited ${waited} ms`);
  });

  it('ListOffsets: earliest, latest, by timestamp (v1 and v5), and v0 offset lists', async () => {
    await c.request(ApiKey.CreateTopics, 4, { topics: [{ name: 'lo', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false });
    await produce('lo', 0, encodeBatch([{ value: Buffer.from('t0') }, { value: Buffer.from('t1'), timestampDelta: 100 }], { baseTimestamp: 1_000_000 }));
    await produce('lo', 0, encodeBatch([{ value: Buffer.from('t2') }], { baseTimestamp: 2_000_000 }));
    const ask = async (version: number, timestamp: bigint): Promise<Record<string, unknown>> => firstPartition((await c.request(ApiKey.ListOffsets, version, {
      replicaId: -1, isolationLevel: 0, topics: [{ name: 'lo', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 }] }],
    })).body, 'topics');
    assert.equal((await ask(5, -1n)).offset, 3n);
    assert.equal((await ask(5, -2n)).offset, 0n);
    const byTime = await ask(1, 1_000_050n);
    assert.deepEqual([byTime.offset, byTime.timestamp], [1n, 1_000_100n]);
    assert.deepEqual([(await ask(5, 1_500_000n)).offset, (await ask(5, 9_000_000n)).offset], [2n, -1n]);
    assert.deepEqual((await ask(0, -1n)).oldStyleOffsets, [3n]);
    const unknown = firstPartition((await c.request(ApiKey.ListOffsets, 1, {
      replicaId: -1, topics: [{ name: 'nope', partitions: [{ partitionIndex: 0, timestamp: -1n }] }],
    })).body, 'topics');
    assert.equal(unknown.errorCode, 3);
  });
});
