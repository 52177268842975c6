// A topic deleted and created again under the same name at once (kafkajs admin, as a test suite
// resetting its topics does) starts empty: its partitions hold only what is produced after, before
// and after a restart. The old partitions' directories are removed in the background of the
// deletion; the creation must not open them meanwhile (the AMQP queue store did: a queue declared
// again lost its confirmed messages, test/amqp/durable/redeclare.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startTestServer, tempDir, type TestServer } from '../../helpers/junction.js';

const kafkaOf = (server: TestServer) => new Kafka({
  clientId: 'recreate-test', brokers: [`127.0.0.1:${server.ports.kafka}`], logLevel: logLevel.NOTHING, retry: { retries: 3 },
});

async function values(server: TestServer, topic: string, expected: number): Promise<string[]> {
  const admin = kafkaOf(server).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  assert.equal(total, expected, `${topic} holds ${expected} records (${JSON.stringify(offsets)})`);
  const consumer = kafkaOf(server).consumer({ groupId: `g-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: string[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer.run({ eachMessage: async ({ message }) => { got.push(String(message.value)); if (got.length === expected) resolve(); } }).catch(reject);
  });
  await consumer.disconnect();
  return got.sort();
}

test('kafkajs: a topic deleted and created again at once holds only what was produced after, before and after a restart', { timeout: 60_000 }, async () => {
  const dataDir = tempDir();
  let server = await startTestServer({ enabled: ['kafka'], dataDir });
  try {
    const kafka = kafkaOf(server);
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer();
    await producer.connect();
    await admin.createTopics({ topics: [{ topic: 't', numPartitions: 2 }] });
    await producer.send({ topic: 't', acks: -1, messages: Array.from({ length: 50 }, (_, i) => ({ value: `old-${i}`, partition: i % 2 })) });

    const deleted = admin.deleteTopics({ topics: ['t'] });
    const recreated = deleted.then(() => admin.createTopics({ topics: [{ topic: 't', numPartitions: 2 }] }));
    await recreated;
    await producer.send({ topic: 't', acks: -1, messages: [{ value: 'new-0', partition: 0 }, { value: 'new-1', partition: 1 }, { value: 'new-2', partition: 0 }] });
    assert.deepEqual(await values(server, 't', 3), ['new-0', 'new-1', 'new-2']);
    await producer.disconnect();
    await admin.disconnect();

    await server.stop();
    server = await startTestServer({ enabled: ['kafka'], dataDir });
    assert.deepEqual(await values(server, 't', 3), ['new-0', 'new-1', 'new-2'], 'after a restart');
  } finally {
    await server.destroy();
  }
});
