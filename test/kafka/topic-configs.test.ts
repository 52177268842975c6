// Topic configs the broker acts on: segment.bytes and retention.bytes (whole old segments go at
// the retention check, the log start moves), message.timestamp.type=LogAppendTime (the broker
// stamps batches), max.message.bytes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningKafka } from '../../src/kafka/personality.js';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { encodeBatch, valueRecords } from '../helpers/kafka-batch.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { fetchBody, firstPartition, produceBody, WireClient } from './wire-client.js';

describe('kafka topic configs', () => {
  let server: TestServer;
  let c: WireClient;
  const create = async (name: string, configs: Record<string, string>): Promise<void> => {
    const { body } = await c.request(ApiKey.CreateTopics, 4, {
      topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })) }],
      timeoutMs: 5000, validateOnly: false,
    });
    assert.equal((body.topics as Array<{ errorCode: number }>)[0]!.errorCode, 0);
  };
  const produce = async (topic: string, records: Buffer) => firstPartition((await c.request(ApiKey.Produce, 8, produceBody(topic, 0, records))).body);
  const earliest = async (topic: string) => firstPartition((await c.request(ApiKey.ListOffsets, 5, {
    replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2n }] }],
  })).body, 'topics').offset as bigint;

  before(async () => {
    server = await startTestServer({ enabled: ['kafka'] });
    c = await WireClient.connect(server.ports.kafka!);
  });
  after(async () => {
    c?.close();
    await server?.destroy();
  });

  it('retention.bytes drops whole old segments (segment.bytes) at the retention check', async () => {
    await create('retained', { 'segment.bytes': '1024', 'retention.bytes': '2048' });
    for (let i = 0; i < 20; i++) assert.equal((await produce('retained', encodeBatch(valueRecords(1, 300, `r${i}`)))).errorCode, 0);
    assert.equal(await earliest('retained'), 0n);
    const removed = await (server.junction.personality('kafka') as RunningKafka).topics.enforceRetention();
    assert.ok(removed > 0, `${removed} segments removed`);
    const start = await earliest('retained');
    assert.ok(start > 0n && start < 20n, `log start ${start}`);
    const gone = firstPartition((await c.request(ApiKey.Fetch, 11, fetchBody('retained', [[0, 0, 1 << 20]]))).body);
    assert.deepEqual([gone.errorCode, gone.logStartOffset], [1, start]);
    const kept = firstPartition((await c.request(ApiKey.Fetch, 11, fetchBody('retained', [[0, Number(start), 1 << 20]]))).body);
    assert.equal(kept.errorCode, 0);
    assert.ok((kept.records as Buffer).includes('r19:0;'));
  });

  it('message.timestamp.type=LogAppendTime: the broker stamps the batch and reports the time', async () => {
    await create('stamped', { 'message.timestamp.type': 'LogAppendTime' });
    const before = Date.now();
    const r = await produce('stamped', encodeBatch(valueRecords(2, 10, 's'), { baseTimestamp: 1000 }));
    assert.equal(r.errorCode, 0);
    const stamped = Number(r.logAppendTimeMs);
    assert.ok(stamped >= before && stamped <= Date.now(), `${stamped}`);
    const records = firstPartition((await c.request(ApiKey.Fetch, 11, fetchBody('stamped', [[0, 0, 1 << 20]]))).body).records as Buffer;
    // attributes bit 3 = LogAppendTime; maxTimestamp (offset 35) = the stamp.
    assert.equal(records.readInt16BE(21) & 0x08, 0x08);
    assert.equal(Number(records.readBigInt64BE(35)), stamped);
  });

  it('max.message.bytes bounds the batch size per topic', async () => {
    await create('small', { 'max.message.bytes': '200' });
    assert.equal((await produce('small', encodeBatch(valueRecords(1, 50, 'ok')))).errorCode, 0);
    assert.equal((await produce('small', encodeBatch(valueRecords(1, 500, 'big')))).errorCode, 10);
  });
});
