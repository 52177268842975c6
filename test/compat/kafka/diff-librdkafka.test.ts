// Differential: kcat 1.7.1 and confluent-kafka-python 1.7.0 (both librdkafka 2.0.2) against
// Junction and librdkafka's mock cluster in the same run; outputs normalized and compared.
// Where the two differ, the test says which one Kafka's source agrees with (docs/compat/kafka.md,
// "Reference: librdkafka's mock cluster").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../../src/kafka/protocol/api-keys.js';
import { fetchBody, firstPartition, WireClient } from '../../kafka/wire-client.js';
import { kcat, kcatReadAll, runKafkaPy } from './common.js';
import { expectedByTime, onBoth, startDiffPair, withoutPort, type DiffPair } from './diff-targets.js';

describe('differential: librdkafka clients against Junction and the mock cluster', () => {
  let pair: DiffPair;
  before(async () => { pair = await startDiffPair(); });
  after(async () => { await pair?.stop(); });

  it('kcat -L: same metadata shape; only Junction names a controller', async () => {
    const out = await onBoth(pair, async (t) => {
      await t.createTopic('meta', 3);
      return withoutPort(await kcat(['-b', t.bootstrap, '-L', '-t', 'meta']), t);
    });
    // The mock never sets its ControllerId (mcluster->controller_id stays 0, no such broker), so
    // kcat marks no broker "(controller)"; Kafka answers the active controller's id
    // (MetadataResponse ControllerId, KafkaApis.handleTopicMetadataRequest), here broker 1.
    assert.match(out.junction, /broker 1 at 127\.0\.0\.1:PORT \(controller\)/);
    assert.doesNotMatch(out.mock, /\(controller\)/);
    assert.equal(out.junction.replace(' (controller)', ''), out.mock);
    assert.match(out.mock, /topic "meta" with 3 partitions:\n(\s+partition \d, leader 1, replicas: 1, isrs: 1\n){3}/);
  });

  it('kcat -L of an unknown topic: both auto-create it with 4 partitions (Metadata v2 always may)', async () => {
    const out = await onBoth(pair, async (t) => withoutPort(await kcat(['-b', t.bootstrap, '-L', '-t', 'implicit']), t));
    assert.match(out.mock, /topic "implicit" with 4 partitions/);
    assert.equal(out.junction.replace(' (controller)', ''), out.mock);
  });

  it('kcat -P -K then -C: same partitions, offsets, keys and values', async () => {
    const input = Array.from({ length: 40 }, (_, i) => `key${i % 7}:value${i}`).join('\n') + '\n';
    const out = await onBoth(pair, async (t) => {
      await t.createTopic('keyed', 3);
      await kcat(['-b', t.bootstrap, '-P', '-t', 'keyed', '-K', ':'], input);
      return kcatReadAll(t.bootstrap, 'keyed');
    });
    assert.equal(out.mock.length, 40);
    assert.equal(new Set(out.mock.map((l) => l.split(' ')[0])).size, 3, 'keys spread over the 3 partitions');
    assert.deepEqual(out.junction, out.mock);
  });

  it('kcat -Q: watermark offsets by -1/-2 agree; by timestamp only Junction answers', async () => {
    const out = await onBoth(pair, async (t) => {
      await t.createTopic('times', 1);
      await kcat(['-b', t.bootstrap, '-P', '-t', 'times', '-p', '0'], 'a\nb\nc\n');
      const end = await kcat(['-b', t.bootstrap, '-Q', '-t', 'times:0:-1']);
      const start = await kcat(['-b', t.bootstrap, '-Q', '-t', 'times:0:-2']);
      // CreateTime of every record is "now" (kcat's), so an old timestamp finds offset 0 on Kafka.
      const byTime = await kcat(['-b', t.bootstrap, '-Q', '-t', 'times:0:1000']);
      return { end, start, byTime };
    });
    assert.equal(out.mock.end, 'times [0] offset 3\n');
    assert.equal(out.mock.start, 'times [0] offset 0\n');
    assert.equal(out.junction.end, out.mock.end);
    assert.equal(out.junction.start, out.mock.start);
    // Kafka: the first offset whose timestamp is >= the asked one (ListOffsets,
    // UnifiedLog.fetchOffsetByTimestamp); the mock's ListOffsets answers -1 for any timestamp
    // ("FIXME: by timestamp", rdkafka_mock_handlers.c).
    assert.equal(out.junction.byTime, 'times [0] offset 0\n');
    assert.equal(out.mock.byTime, 'times [0] offset -1\n');
  });

  it('kcat -G: a balanced consumer reads everything and commits the same offsets', async () => {
    const out = await onBoth(pair, async (t) => {
      await t.createTopic('grouped', 2);
      await kcat(['-b', t.bootstrap, '-P', '-t', 'grouped', '-K', ':'], 'a:1\nb:2\nc:3\nd:4\ne:5\n');
      const read = await kcat(['-b', t.bootstrap, '-G', 'kcat-group', '-e', '-q', '-f', '%p %o %k %s\\n',
        '-X', 'auto.offset.reset=earliest', 'grouped'], undefined, 40_000);
      const after = await runKafkaPy<{ committed: number[][] }>('diff_committed.py', t.bootstrap, ['grouped', 'kcat-group', '2']);
      return { read: read.split('\n').filter(Boolean).sort(), committed: after.committed };
    });
    assert.equal(out.mock.read.length, 5);
    // kcat commits what it consumed when it leaves (enable.auto.commit, then close).
    assert.equal(out.mock.committed.reduce((sum, [, offset]) => sum + offset!, 0), 5, JSON.stringify(out.mock.committed));
    assert.deepEqual(out.junction, out.mock);
  });

  it('confluent-kafka Producer and Consumer: deliveries, consumption, commits, watermarks, errors agree', async () => {
    type Result = Record<string, unknown[]>;
    const out = await onBoth(pair, async (t) => {
      await t.createTopic('ck', 3);
      return runKafkaPy<Result>('diff_confluent.py', t.bootstrap, ['ck', 'ck-group', '3']);
    });
    const { offsets_for_times: junctionTimes, ...junction } = out.junction;
    const { offsets_for_times: mockTimes, ...mock } = out.mock;
    assert.equal(mock.consumed!.length, 12);
    assert.deepEqual(mock.committed, [[0, 6, null], [1, 3, null], [2, 3, null]]);
    assert.deepEqual(junction, mock);
    // Timestamp BASE_TS + 6 s: the first record at or after it per partition (Kafka), -1 (mock).
    const consumed = (mock.consumed as Array<[number, number, string, string, [number, number]]>).map(([p, o, , , [, ts]]) => [p, o, ts] as [number, number, number]);
    assert.deepEqual(junctionTimes, expectedByTime(consumed, 3, 1_700_000_006_000).map(([p, hit]) => [p, hit ? hit[0] : -1]));
    assert.deepEqual(mockTimes, [[0, -1], [1, -1], [2, -1]]);
  });

  it('two confluent-kafka consumers in one group split the partitions; the one left takes all after a LeaveGroup', async () => {
    const out = await onBoth(pair, async (t) => {
      await t.createTopic('pair', 4);
      return runKafkaPy<Record<string, unknown>>('diff_confluent_pair.py', t.bootstrap, ['pair', 'pair-group', '4']);
    });
    assert.deepEqual(out.mock, { split: true, assignments: [[0, 1], [2, 3]], alone: true, after_leave: [0, 1, 2, 3] });
    assert.deepEqual(out.junction, out.mock);
  });

  it('kcat -z gzip, snappy, lz4, zstd: the same records come back, from batches stored with the producer\'s codec', async () => {
    const values = Array.from({ length: 20 }, (_, i) => `value ${i} `.repeat(8).trimEnd());
    const out = await onBoth(pair, async (t) => {
      const seen: Record<string, unknown> = {};
      for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
        await t.createTopic(`z-${codec}`, 1);
        await kcat(['-b', t.bootstrap, '-P', '-t', `z-${codec}`, '-p', '0', '-z', codec], values.join('\n') + '\n');
        const client = await WireClient.connect(t.port);
        try {
          const stored = firstPartition((await client.request(ApiKey.Fetch, 11, fetchBody(`z-${codec}`, [[0, 0, 1 << 20]]))).body).records as Buffer;
          seen[codec] = { records: await kcatReadAll(t.bootstrap, `z-${codec}`), attributesCodec: stored.readInt16BE(21) & 0x07 };
        } finally {
          client.close();
        }
      }
      return seen;
    });
    assert.deepEqual(out.mock.gzip, { records: values.map((v, i) => `0 ${i}  ${v}`).sort(), attributesCodec: 1 });
    assert.deepEqual(Object.values(out.mock).map((r) => (r as { attributesCodec: number }).attributesCodec), [1, 2, 3, 4]);
    assert.deepEqual(out.junction, out.mock);
  });
});

