import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { PYTHON } from '../helpers/python.js';
import { FakeBroker } from './fake-broker.js';
import { fakeClusterHandlers } from './fake-cluster.js';

// Produce, Fetch, ListOffsets and the group APIs through our grammars, with unchanged clients: each
// produces two records to a fake broker (fake-cluster.ts) and reads them back in a consumer group.
const run = promisify(execFile);
const TIMEOUT = { timeout: 90_000 };

async function withBroker(topic: string, body: (broker: FakeBroker) => Promise<void>): Promise<Map<number, Set<number>>> {
  const broker = await new FakeBroker(fakeClusterHandlers({ [topic]: 1 })).start();
  try {
    await body(broker);
  } finally {
    await broker.close();
  }
  assert.deepEqual(broker.errors, [], 'every request decoded and every answer encoded');
  const versions = new Map<number, Set<number>>();
  for (const { header } of broker.requests) {
    versions.set(header.requestApiKey, (versions.get(header.requestApiKey) ?? new Set()).add(header.requestApiVersion));
  }
  return versions;
}

const used = (versions: Map<number, Set<number>>, apiKey: number) => [...versions.get(apiKey) ?? []].sort();

test('kcat (librdkafka 2.0.2): produce v7, then a balanced consumer reads both records', TIMEOUT, async () => {
  const versions = await withBroker('t-kcat', async (broker) => {
    const bootstrap = `127.0.0.1:${broker.port}`;
    const producer = run('kcat', ['-P', '-b', bootstrap, '-t', 't-kcat'], { timeout: 30_000 });
    producer.child.stdin!.end('hello\nworld\n');
    await producer;
    const { stdout } = await run('kcat', ['-G', 'g-kcat', '-b', bootstrap, '-o', 'beginning', '-e', '-f', '%o %s\\n', 't-kcat'], { timeout: 30_000 });
    assert.equal(stdout, '0 hello\n1 world\n');
  });
  assert.deepEqual(used(versions, 0), [7]);
  assert.deepEqual(used(versions, 1), [11]);
  assert.deepEqual(used(versions, 10), [2]);
  assert.deepEqual(used(versions, 11), [5]);
  assert.deepEqual(used(versions, 14), [3]);
});

test('kafka-python 2.0.2: produce v7 (magic 2), group consume with JoinGroup v2, Fetch v4, OffsetCommit v2', TIMEOUT, async () => {
  const script = `
import sys, kafka
bootstrap = sys.argv[1]
p = kafka.KafkaProducer(bootstrap_servers=bootstrap)
p.send('t-py', key=b'k', value=b'hello'); p.send('t-py', value=b'world'); p.flush(); p.close()
c = kafka.KafkaConsumer('t-py', bootstrap_servers=bootstrap, group_id='g-py', auto_offset_reset='earliest',
                        enable_auto_commit=False, consumer_timeout_ms=4000)
seen = []
for m in c:
    seen.append((m.offset, m.key, m.value))
    if len(seen) == 2: break
c.commit()
c.close()
print(seen)`;
  const versions = await withBroker('t-py', async (broker) => {
    const { stdout } = await run(PYTHON, ['-c', script, `127.0.0.1:${broker.port}`], { timeout: 60_000 });
    assert.equal(stdout.trim(), "[(0, b'k', b'hello'), (1, None, b'world')]");
  });
  assert.deepEqual(used(versions, 0), [7]);
  assert.deepEqual(used(versions, 1), [4]);
  assert.deepEqual(used(versions, 10), [0]);
  assert.deepEqual(used(versions, 11), [2]);
  assert.deepEqual(used(versions, 14), [1]);
  assert.deepEqual(used(versions, 8), [2]);
  assert.deepEqual(used(versions, 9), [1]);
});

test('confluent-kafka-python: produce, then a group consumer reads both records and commits', TIMEOUT, async () => {
  const script = `
import sys
from confluent_kafka import Consumer, Producer
bootstrap = sys.argv[1]
p = Producer({'bootstrap.servers': bootstrap})
p.produce('t-ck', key=b'k', value=b'hello'); p.produce('t-ck', value=b'world'); p.flush(10)
c = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'g-ck', 'auto.offset.reset': 'earliest', 'enable.auto.commit': False})
c.subscribe(['t-ck'])
seen = []
for _ in range(100):
    m = c.poll(0.2)
    if m is not None and m.error() is None:
        seen.append((m.offset(), m.key(), m.value()))
    if len(seen) == 2: break
c.commit(asynchronous=False)
c.close()
print(seen)`;
  const versions = await withBroker('t-ck', async (broker) => {
    const { stdout } = await run(PYTHON, ['-c', script, `127.0.0.1:${broker.port}`], { timeout: 60_000 });
    assert.equal(stdout.trim(), "[(0, b'k', b'hello'), (1, None, b'world')]");
  });
  assert.deepEqual(used(versions, 0), [7]);
  assert.deepEqual(used(versions, 1), [11]);
  assert.deepEqual(used(versions, 8), [7]);
  assert.deepEqual(used(versions, 9), [5], 'OffsetFetch capped at 5 (v6+ is flexible)');
});

test('kafkajs 2.2.4: produce v7, group consume with JoinGroup v5, Fetch v11, OffsetCommit v5', TIMEOUT, async () => {
  const versions = await withBroker('t-js', async (broker) => {
    const kafka = new Kafka({ clientId: 'codec-test', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 't-js', messages: [{ key: 'k', value: 'hello' }, { value: 'world' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'g-js', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: ['t-js'], fromBeginning: true });
    const seen: [string, string | null, string][] = [];
    await new Promise<void>((resolve, reject) => {
      consumer.run({
        eachMessage: async ({ message }) => {
          seen.push([message.offset, message.key?.toString() ?? null, message.value!.toString()]);
          if (seen.length === 2) resolve();
        },
      }).catch(reject);
    });
    await consumer.disconnect();
    assert.deepEqual(seen, [['0', 'k', 'hello'], ['1', null, 'world']]);
  });
  assert.deepEqual(used(versions, 0), [7]);
  assert.deepEqual(used(versions, 1), [11]);
  assert.deepEqual(used(versions, 11), [5]);
  assert.deepEqual(used(versions, 14), [3]);
  assert.deepEqual(used(versions, 8), [5]);
  assert.deepEqual(used(versions, 9), [4]);
  assert.deepEqual(used(versions, 13), [3]);
});
