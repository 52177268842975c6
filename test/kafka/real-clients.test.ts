import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { listTopicsCommand } from './clients/index.js';
import { CLUSTER_ID, clusterHandlers, FakeBroker } from './fake-broker.js';

// Our ApiVersions and Metadata encoders, read by unchanged clients: kcat 1.7.1 and
// confluent-kafka-python 1.7.0 (librdkafka 2.0.2), kafka-python 2.0.2 and kafkajs 2.2.4.
const run = promisify(execFile);
let broker: FakeBroker;

before(async () => { broker = await new FakeBroker(clusterHandlers({ t1: 2, other: 1 })).start(); });
after(async () => {
  await broker.close();
  assert.deepEqual(broker.errors, [], 'no request failed to decode or encode');
});

function versionsSent(apiKey: number, since: number): number[] {
  return broker.requests.slice(since).filter((r) => r.header.requestApiKey === apiKey).map((r) => r.header.requestApiVersion);
}

test('kcat -L lists the broker, the controller and both topics from Metadata v4', async () => {
  const since = broker.requests.length;
  const { stdout } = await run(...listTopicsCommand('kcat', `127.0.0.1:${broker.port}`), { timeout: 30_000 });
  assert.match(stdout, new RegExp(`broker 0 at 127\\.0\\.0\\.1:${broker.port} \\(controller\\)`));
  assert.match(stdout, /topic "t1" with 2 partitions:\n {4}partition 0, leader 0, replicas: 0, isrs: 0\n {4}partition 1, leader 0/);
  assert.match(stdout, /topic "other" with 1 partitions:/);
  assert.deepEqual(versionsSent(18, since), [3]);
  assert.ok(versionsSent(3, since).every((v) => v === 4));
});

test('kafka-python infers broker 2.4 from our ranges and reads Metadata v0 and v1', async () => {
  const since = broker.requests.length;
  const { stdout } = await run(...listTopicsCommand('kafka-python', `127.0.0.1:${broker.port}`), { timeout: 30_000 });
  assert.equal(stdout.trim(), "['other', 't1'] [0, 1] (2, 4, 0)");
  assert.deepEqual(versionsSent(18, since), [0]);
  assert.deepEqual(versionsSent(3, since).slice(0, 2), [0, 1], 'the probe, then the regular refresh');
});

test('confluent-kafka-python reads cluster id, controller and partitions', async () => {
  const { stdout } = await run(...listTopicsCommand('confluent-kafka', `127.0.0.1:${broker.port}`), { timeout: 30_000 });
  assert.equal(stdout.trim(), `${CLUSTER_ID} 0 [0] [('other', [0]), ('t1', [0, 1])]`);
});

test('kafkajs admin reads ApiVersions v2 and Metadata v6: cluster, topics, partition metadata', async () => {
  const since = broker.requests.length;
  const admin = new Kafka({ clientId: 'codec-test', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    assert.deepEqual(cluster, { brokers: [{ nodeId: 0, host: '127.0.0.1', port: broker.port }], controller: 0, clusterId: CLUSTER_ID });
    assert.deepEqual((await admin.listTopics()).sort(), ['other', 't1']);
    const { topics } = await admin.fetchTopicMetadata({ topics: ['t1'] });
    assert.deepEqual(topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionId, p.leader, p.replicas, p.isr])]),
      [['t1', [[0, 0, [0], [0]], [1, 0, [0], [0]]]]]);
  } finally {
    await admin.disconnect();
  }
  assert.deepEqual(versionsSent(18, since), [2]);
  assert.ok(versionsSent(3, since).every((v) => v === 6));
  assert.equal(broker.requests.slice(since)[0]!.header.clientId, 'codec-test');
});
