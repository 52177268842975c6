// Differential: kafka-python 2.0.2 and kafkajs 2.2.4 against Junction and librdkafka's mock
// cluster in the same run; outputs normalized and compared. Where the two differ, the test says
// which one Kafka's source agrees with (docs/compat/kafka.md, "Reference: librdkafka's mock cluster").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { runKafkaPy } from './common.js';
import { expectedByTime, onBoth, startDiffPair, type DiffPair, type DiffTarget } from './diff-targets.js';

const BASE_TS = 1_700_000_000_000;

/** kafkajs producer (keys, CreateTime timestamps), a one-member consumer group that commits what it
 *  reads, then the admin's view: committed offsets, watermarks, offsets by timestamp. */
async function kafkajsScenario(t: DiffTarget, topic: string, group: string) {
  const kafka = new Kafka({ clientId: 'diff', brokers: [t.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const messages = Array.from({ length: 12 }, (_, i) => ({ key: `k${i % 5}`, value: `v${i}`, timestamp: String(BASE_TS + i * 1000) }));
  const sent = await producer.send({ topic, messages, acks: -1 });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 6000, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: Array<[number, string, string, string, string]> = [];
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      seen.push([partition, message.offset, message.key!.toString(), message.value!.toString(), message.timestamp]);
    },
  });
  const deadline = Date.now() + 30_000;
  while (seen.length < messages.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect(); // commits the resolved offsets, then LeaveGroup

  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return {
      sent: sent.map((r) => [r.partition, r.baseOffset, r.errorCode, r.logAppendTime]).sort(),
      consumed: seen.sort(),
      committed: committed!.partitions.map((p) => [p.partition, p.offset]).sort(),
      watermarks: (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.low, p.high]).sort(),
      byTime: (await admin.fetchTopicOffsetsByTimestamp(topic, BASE_TS + 6000)).map((p) => [p.partition, p.offset]).sort(),
    };
  } finally {
    await admin.disconnect();
  }
}

describe('differential: kafka-python and kafkajs against Junction and the mock cluster', () => {
  let pair: DiffPair;
  before(async () => { pair = await startDiffPair(); });
  after(async () => { await pair?.stop(); });

  it('kafka-python producer, group consumer, committed, beginning/end offsets, offsets_for_times', async () => {
    const out = await onBoth(pair, async (t) => {
      await t.createTopic('kpy', 3);
      return runKafkaPy<KafkaPythonResult>('diff_kafka_python.py', t.bootstrap, ['kpy', 'kpy-group', '3']);
    });
    const { api_version: junctionVersion, sent: junctionSent, offsets_for_times: junctionTimes, ...junction } = out.junction;
    const { api_version: mockVersion, sent: mockSent, offsets_for_times: mockTimes, ...mock } = out.mock;
    assert.equal(mock.consumed.length, 10);
    assert.deepEqual(mock.end.map(([, end]) => end).reduce((a, b) => a + b, 0), 10);
    assert.deepEqual(junction, mock);
    // kafka-python guesses the broker's version from the APIs it advertises (check_version); Junction
    // advertises more than the mock, so it is taken for a newer Kafka. Nothing else depends on it here.
    assert.ok(junctionVersion.join('.') >= mockVersion.join('.'), `${junctionVersion} < ${mockVersion}`);
    // Same partition and offset for every send; RecordMetadata.timestamp is the broker's
    // LogAppendTimeMs, or the record's own CreateTime when the broker says -1 (Kafka for a
    // CreateTime topic, ProduceResponse.json). The mock always answers 1234 (rdkafka_mock_handlers.c).
    assert.deepEqual(junctionSent.map(([p, o]) => [p, o]), mockSent.map(([p, o]) => [p, o]));
    assert.deepEqual(junctionSent.map(([, , ts]) => ts), Array.from({ length: 10 }, (_, i) => BASE_TS + i * 1000));
    assert.deepEqual(mockSent.map(([, , ts]) => ts), Array(10).fill(1234));
    // offsets_for_times(BASE_TS + 4 s): Kafka's first record at or after it, or None past the end.
    assert.deepEqual(junctionTimes, expectedByTime(mock.consumed.map(([p, o, , , ts]) => [p, o, ts]), 3, BASE_TS + 4000)
      .map(([p, hit]) => [p, hit]));
    assert.deepEqual(mockTimes, [[0, null], [1, null], [2, null]]);
  });

  it('kafkajs producer, consumer group, admin offsets', async () => {
    const out = await onBoth(pair, async (t) => {
      await t.createTopic('kjs', 3);
      return kafkajsScenario(t, 'kjs', 'kjs-group');
    });
    const { sent: junctionSent, byTime: junctionByTime, ...junction } = out.junction;
    const { sent: mockSent, byTime: mockByTime, ...mock } = out.mock;
    assert.equal(mock.consumed.length, 12);
    assert.deepEqual(mock.committed.map(([, o]) => o), mock.watermarks.map(([, , high]) => high));
    assert.deepEqual(junction, mock);
    // logAppendTime: -1 from Kafka for a CreateTime topic (ProduceResponse.json), 1234 from the mock.
    assert.deepEqual(junctionSent, mockSent.map(([p, o, e]) => [p, o, e, '-1']));
    assert.ok(mockSent.every(([, , , time]) => time === '1234'));
    // fetchTopicOffsetsByTimestamp(BASE_TS + 6 s): the first offset at or after it (Kafka), where
    // kafkajs falls back to the high watermark when the broker answers -1, as the mock always does.
    const consumed = mock.consumed.map(([p, o, , , ts]) => [p, Number(o), Number(ts)] as [number, number, number]);
    const high = new Map(mock.watermarks.map(([p, , h]) => [p as number, String(h)]));
    assert.deepEqual(junctionByTime, expectedByTime(consumed, 3, BASE_TS + 6000)
      .map(([p, hit]) => [p, hit === null ? high.get(p) : String(hit[0])]));
    assert.deepEqual(mockByTime, [...high].sort().map(([p, h]) => [p, h]));
  });
});

interface KafkaPythonResult {
  api_version: number[];
  sent: Array<[number, number, number]>;
  consumed: Array<[number, number, string, string, number, number]>;
  committed: number[];
  beginning: number[][];
  end: number[][];
  offsets_for_times: Array<[number, [number, number] | null]>;
}
