// Idempotent producers of real clients against Junction: kafkajs 2.2.4 (`idempotent: true`) and
// confluent-kafka-python 1.7.0 (`enable.idempotence=True`, librdkafka 2.0.2) get a producer id
// from InitProducerId, write batches carrying it, and every message is stored exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { ApiKey } from '../../../src/kafka/protocol/api-keys.js';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { fetchBody, firstPartition, WireClient } from '../../kafka/wire-client.js';
import { kcatReadAll, runKafkaPy } from './common.js';

/** Producer ids of the stored batches of every partition of `topic`, and their record count. */
async function storedProducers(port: number, topic: string, partitions: number): Promise<{ producerIds: Set<number>; records: number }> {
  const c = await WireClient.connect(port);
  try {
    const producerIds = new Set<number>();
    let records = 0;
    for (let p = 0; p < partitions; p++) {
      const bytes = firstPartition((await c.request(ApiKey.Fetch, 11, fetchBody(topic, [[p, 0, 16 << 20]]))).body).records as Buffer;
      for (let at = 0; at < bytes.length; at += 12 + bytes.readInt32BE(at + 8)) {
        producerIds.add(Number(bytes.readBigInt64BE(at + 43)));
        records += bytes.readInt32BE(at + 57);
      }
    }
    return { producerIds, records };
  } finally {
    c.close();
  }
}

describe('idempotent producers (real clients)', () => {
  let server: TestServer;
  let bootstrap: string;
  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { numPartitions: 3 } });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
  });
  after(async () => { await server?.destroy(); });

  it('kafkajs idempotent producer: batches carry its producer id, each message stored once', async () => {
    const kafka = new Kafka({ clientId: 'idem-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kjs-idem', numPartitions: 3 }] });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let round = 0; round < 5; round++) {
        const sent = await producer.send({ topic: 'kjs-idem', messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 3}`, value: `r${round}-${i}` })) });
        assert.ok(sent.every((s) => s.errorCode === 0));
      }
    } finally {
      await producer.disconnect();
    }
    const { producerIds, records } = await storedProducers(server.ports.kafka!, 'kjs-idem', 3);
    assert.equal(records, 100);
    assert.equal(producerIds.size, 1);
    assert.ok([...producerIds][0]! >= 0, 'a producer id from InitProducerId');
  });

  it('confluent-kafka enable.idempotence: every delivery succeeds, offsets contiguous, kcat reads each message once', async () => {
    const reports = await runKafkaPy<Array<{ error: string | null; partition: number; offset: number }>>('confluent_idempotent.py', bootstrap, ['ck-idem', '600']);
    assert.equal(reports.length, 600);
    assert.ok(reports.every((r) => r.error === null), JSON.stringify(reports.find((r) => r.error !== null)));
    for (let p = 0; p < 3; p++) {
      const offsets = reports.filter((r) => r.partition === p).map((r) => r.offset).sort((a, b) => a - b);
      assert.deepEqual(offsets, offsets.map((_, i) => i), `partition ${p}`);
    }
    const lines = await kcatReadAll(bootstrap, 'ck-idem');
    assert.equal(lines.length, 600);
    assert.equal(new Set(lines.map((l) => l.split(' ').slice(3).join(' '))).size, 600);
    const { producerIds } = await storedProducers(server.ports.kafka!, 'ck-idem', 3);
    assert.equal(producerIds.size, 1);
    assert.ok([...producerIds][0]! >= 0);
  });

  it('a kafkajs transactional producer is refused at once with TRANSACTIONAL_ID_AUTHORIZATION_FAILED, not a timeout', async () => {
    const kafka = new Kafka({ clientId: 'txn-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ transactionalId: 'course-txn', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const t0 = Date.now();
    await assert.rejects(producer.transaction(), (err: Error & { type?: string }) => {
      assert.equal(err.type ?? (err.cause as { type?: string } | undefined)?.type, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', String(err));
      return true;
    });
    assert.ok(Date.now() - t0 < 5000, `refused after ${Date.now() - t0} ms`);
    await producer.disconnect();
  });
});
