// kafkajs 2.2.4 against Junction: admin topic create/list/delete (and Kafka's refusal of a
// replication factor above 1), producer sends (keyed messages stay in one partition, gzip
// batches stored as sent), fetchTopicOffsets; kcat reads back what kafkajs wrote (kafkajs'
// consumer groups: kafkajs-groups.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompressionTypes, Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { kcatReadAll } from './common.js';

describe('kafkajs 2.2.4', () => {
  let server: TestServer;
  let bootstrap: string;
  let admin: Admin;
  let producer: Producer;
  before(async () => {
    server = await startTestServer({ enabled: ['kafka'] });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
    const kafka = new Kafka({ clientId: 'junction-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
    admin = kafka.admin();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await admin.connect();
    await producer.connect();
  });
  after(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await server?.destroy();
  });

  it('admin creates, lists and deletes topics', async () => {
    assert.equal(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 4 }, { topic: 'scratch' }] }), true);
    assert.equal(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 4 }] }), false, 'already there');
    assert.deepEqual((await admin.listTopics()).sort(), ['orders', 'scratch']);
    const { topics } = await admin.fetchTopicMetadata({ topics: ['orders'] });
    assert.deepEqual(topics[0]!.partitions.map((p) => p.partitionId).sort(), [0, 1, 2, 3]);
    await admin.deleteTopics({ topics: ['scratch'] });
    assert.deepEqual(await admin.listTopics(), ['orders']);
  });

  it('admin createTopics with replication factor 3 is refused (INVALID_REPLICATION_FACTOR)', async () => {
    await assert.rejects(admin.createTopics({ topics: [{ topic: 'replicated', replicationFactor: 3 }] }), (err: Error & { errors?: Array<{ type: string }> }) => {
      assert.equal(err.errors?.[0]?.type, 'INVALID_REPLICATION_FACTOR');
      return true;
    });
    assert.ok(!(await admin.listTopics()).includes('replicated'));
  });

  it('producer: keyed messages land in one partition each; offsets reported by fetchTopicOffsets', async () => {
    const messages = Array.from({ length: 40 }, (_, i) => ({ key: `customer-${i % 4}`, value: `order-${i}` }));
    const sent = await producer.send({ topic: 'orders', acks: -1, messages });
    assert.ok(sent.every((r) => r.errorCode === 0));
    const offsets = await admin.fetchTopicOffsets('orders');
    assert.equal(offsets.reduce((n, o) => n + Number(o.high), 0), 40);
    assert.ok(offsets.every((o) => o.low === '0'));
    const lines = await kcatReadAll(bootstrap, 'orders');
    assert.equal(lines.length, 40);
    const partitionOf = new Map<string, string>();
    for (const line of lines) {
      const [partition, , key] = line.split(' ');
      assert.equal(partitionOf.get(key!) ?? partition, partition, `${key} stays in one partition`);
      partitionOf.set(key!, partition!);
    }
  });

  it('producer: a gzip batch is stored as sent and decompressed by the reader', async () => {
    await admin.createTopics({ topics: [{ topic: 'zipped' }] });
    const values = Array.from({ length: 50 }, (_, i) => `compressible value ${i} `.repeat(20));
    const [result] = await producer.send({ topic: 'zipped', compression: CompressionTypes.GZIP, messages: values.map((value) => ({ value })) });
    assert.deepEqual([result!.errorCode, result!.baseOffset], [0, '0']);
    const lines = await kcatReadAll(bootstrap, 'zipped');
    assert.deepEqual(lines.map((l) => l.split(' ').slice(3).join(' ')).sort(), [...values].sort());
    // Stored compressed, as sent: the partition holds far fewer bytes than the values.
    const fetched = await admin.fetchTopicOffsets('zipped');
    assert.equal(fetched[0]!.high, '50');
    const { bytes } = server.junction.personality('kafka')!.status();
    const raw = values.reduce((n, v) => n + v.length, 0);
    assert.ok(bytes! < raw, `${bytes} stored bytes for ${raw} bytes of values`);
  });

  it('a producer with default settings creates the topic it sends to (Metadata auto-creation)', async () => {
    const kafka = new Kafka({ clientId: 'auto-create', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const auto = kafka.producer();
    await auto.connect();
    try {
      const [result] = await auto.send({ topic: 'created-on-send', messages: [{ value: 'first' }] });
      assert.deepEqual([result!.errorCode, result!.baseOffset], [0, '0']);
      assert.ok((await admin.listTopics()).includes('created-on-send'));
      assert.deepEqual(await kcatReadAll(bootstrap, 'created-on-send'), ['0 0  first']);
    } finally {
      await auto.disconnect();
    }
  });

  it('fetchTopicOffsetsByTimestamp finds the first offset at or after a time', async () => {
    await admin.createTopics({ topics: [{ topic: 'timed' }] });
    await producer.send({ topic: 'timed', messages: [{ value: 'old', timestamp: '1000' }, { value: 'new', timestamp: String(Date.now()) }] });
    const [byTime] = await admin.fetchTopicOffsetsByTimestamp('timed', 5000);
    assert.equal(byTime!.offset, '1');
  });
});
