// The admin APIs over the wire: DescribeConfigs (topic and broker, sources, synonyms, v0 isDefault),
// AlterConfigs / IncrementalAlterConfigs (replace, SET/DELETE/APPEND/SUBTRACT, validate_only, errors,
// effect on the open topic, durable across a restart), CreatePartitions, DeleteRecords (fetch below
// the start, ListOffsets earliest, durable), OffsetForLeaderEpoch.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KafkaErrors } from '../../src/kafka/errors.js';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/junction.js';
import { encodeBatch, valueRecords } from '../helpers/kafka-batch.js';
import { fetchBody, firstPartition, produceBody, WireClient } from './wire-client.js';

type Row = Record<string, unknown>;
const E = KafkaErrors;

async function createTopic(c: WireClient, name: string, numPartitions: number, configs: Record<string, string> = {}): Promise<void> {
  const { body } = await c.request(ApiKey.CreateTopics, 4, {
    topics: [{ name, numPartitions, replicationFactor: 1, assignments: [], configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })) }],
    timeoutMs: 5000, validateOnly: false,
  });
  assert.equal((body.topics as Row[])[0]!.errorCode, 0);
}

async function describeTopic(c: WireClient, name: string, version = 3, keys: string[] | null = null, includeSynonyms = false): Promise<Row> {
  const { body } = await c.request(ApiKey.DescribeConfigs, version, {
    resources: [{ resourceType: 2, resourceName: name, configurationKeys: keys }], includeSynonyms, includeDocumentation: false,
  });
  return (body.results as Row[])[0]!;
}

function config(result: Row, name: string): Row {
  const found = (result.configs as Row[]).find((c) => c.name === name);
  assert.ok(found, `${name} described`);
  return found;
}

async function incremental(c: WireClient, topic: string, configs: Array<[string, number, string | null]>, validateOnly = false): Promise<Row> {
  const { body } = await c.request(ApiKey.IncrementalAlterConfigs, 0, {
    resources: [{ resourceType: 2, resourceName: topic, configs: configs.map(([name, configOperation, value]) => ({ name, configOperation, value })) }], validateOnly,
  });
  return (body.responses as Row[])[0]!;
}

const earliest = async (c: WireClient, topic: string, partition = 0): Promise<bigint> => firstPartition((await c.request(ApiKey.ListOffsets, 5, {
  replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp: -2n }] }],
})).body, 'topics').offset as bigint;

/** A server for `fn`; with `keep`, on that data dir and stopped without deleting it (for a restart). */
async function withServer(fn: (c: WireClient, server: TestServer) => Promise<void>, keep?: { dataDir: string; last: boolean }): Promise<void> {
  const server = await startTestServer({ enabled: ['kafka'], kafka: { retentionBytes: 1 << 30 }, ...(keep ? { dataDir: keep.dataDir } : {}) });
  const c = await WireClient.connect(server.ports.kafka!);
  try { await fn(c, server); } finally {
    c.close();
    if (keep && !keep.last) await server.stop();
    else await server.destroy();
  }
}

describe('kafka admin APIs (wire)', () => {
  it('DescribeConfigs: every topic config with its source, synonyms when asked, v0 isDefault; errors per resource', () => withServer(async (c) => {
    await createTopic(c, 'described', 1, { 'retention.ms': '1000' });
    const all = await describeTopic(c, 'described', 3, null, true);
    assert.equal(all.errorCode, 0);
    assert.equal((all.configs as Row[]).length, 31);
    assert.deepEqual([config(all, 'retention.ms').value, config(all, 'retention.ms').configSource, config(all, 'retention.ms').readOnly], ['1000', 1, false]);
    assert.deepEqual(config(all, 'retention.ms').synonyms, [
      { name: 'retention.ms', value: '1000', source: 1 }, { name: 'log.retention.ms', value: '604800000', source: 5 },
    ]);
    // retention.bytes comes from the broker setting (STATIC_BROKER_CONFIG), cleanup.policy is Kafka's default.
    assert.deepEqual([config(all, 'retention.bytes').value, config(all, 'retention.bytes').configSource], [String(1 << 30), 4]);
    assert.deepEqual([config(all, 'cleanup.policy').value, config(all, 'cleanup.policy').configSource, config(all, 'cleanup.policy').configType], ['delete', 5, 7]);
    const v0 = await describeTopic(c, 'described', 0, ['retention.ms', 'segment.bytes', 'no.such']);
    assert.deepEqual((v0.configs as Row[]).map((r) => [r.name, r.isDefault]), [['retention.ms', false], ['segment.bytes', true]]);
    const missing = await describeTopic(c, 'nope');
    assert.deepEqual([missing.errorCode, missing.errorMessage, missing.configs], [E.UNKNOWN_TOPIC_OR_PARTITION.code, "The topic 'nope' does not exist.", []]);
    const { body } = await c.request(ApiKey.DescribeConfigs, 2, {
      resources: [{ resourceType: 4, resourceName: '1', configurationKeys: ['log.retention.bytes', 'num.partitions'] }, { resourceType: 4, resourceName: '7', configurationKeys: null }],
      includeSynonyms: false,
    });
    const [brokerResult, otherBroker] = body.results as Row[];
    assert.deepEqual((brokerResult!.configs as Row[]).map((r) => [r.name, r.value, r.configSource, r.readOnly]),
      [['log.retention.bytes', String(1 << 30), 4, true], ['num.partitions', '1', 5, true]]);
    assert.equal(otherBroker!.errorCode, E.INVALID_REQUEST.code);
  }));

  it('AlterConfigs replaces the overrides; IncrementalAlterConfigs SET/DELETE/APPEND/SUBTRACT with Kafka\'s errors; both logged', async () => {
    const dataDir = tempDir();
    await withServer(async (c) => {
      await createTopic(c, 'altered', 1, { 'retention.ms': '1000', 'cleanup.policy': 'delete' });
      const replaced = await c.request(ApiKey.AlterConfigs, 1, { resources: [{ resourceType: 2, resourceName: 'altered', configs: [{ name: 'segment.bytes', value: '4096' }] }], validateOnly: false });
      assert.equal((replaced.body.responses as Row[])[0]!.errorCode, 0);
      let d = await describeTopic(c, 'altered');
      assert.deepEqual([config(d, 'segment.bytes').value, config(d, 'retention.ms').configSource, config(d, 'cleanup.policy').configSource], ['4096', 5, 5]);

      assert.equal((await incremental(c, 'altered', [['retention.ms', 0, '5000'], ['cleanup.policy', 2, 'compact'], ['segment.bytes', 1, null]])).errorCode, 0);
      d = await describeTopic(c, 'altered');
      assert.deepEqual([config(d, 'retention.ms').value, config(d, 'cleanup.policy').value, config(d, 'segment.bytes').configSource], ['5000', 'delete,compact', 5]);
      assert.equal((await incremental(c, 'altered', [['cleanup.policy', 3, 'delete']])).errorCode, 0);
      assert.equal(config(await describeTopic(c, 'altered'), 'cleanup.policy').value, 'compact');

      const append = await incremental(c, 'altered', [['retention.ms', 2, '7']]);
      assert.deepEqual([append.errorCode, append.errorMessage], [E.INVALID_REQUEST.code, 'Config value append is not allowed for config key: retention.ms']);
      const unknown = await incremental(c, 'altered', [['no.such.config', 0, '1']]);
      assert.deepEqual([unknown.errorCode, unknown.errorMessage], [E.INVALID_CONFIG.code, 'Unknown topic config name: no.such.config']);
      assert.equal((await incremental(c, 'altered', [['retention.ms', 0, 'soon']])).errorCode, E.INVALID_CONFIG.code);
      assert.equal((await incremental(c, 'altered', [['message.timestamp.type', 0, 'Now']])).errorCode, E.INVALID_CONFIG.code);
      assert.equal((await incremental(c, 'altered', [['retention.ms', 0, '1'], ['retention.ms', 1, null]])).errorCode, E.INVALID_REQUEST.code);
      assert.equal((await incremental(c, 'altered', [['retention.ms', 0, '99']], true)).errorCode, 0);
      assert.equal(config(await describeTopic(c, 'altered'), 'retention.ms').value, '5000', 'validate_only changes nothing');
      assert.equal((await incremental(c, 'missing', [['retention.ms', 0, '1']])).errorCode, E.UNKNOWN_TOPIC_OR_PARTITION.code);
      const brokerAlter = await c.request(ApiKey.IncrementalAlterConfigs, 0, { resources: [{ resourceType: 4, resourceName: '1', configs: [{ name: 'log.retention.ms', configOperation: 0, value: '1' }] }], validateOnly: false });
      assert.equal((brokerAlter.body.responses as Row[])[0]!.errorCode, E.INVALID_CONFIG.code);
    }, { dataDir, last: false });
    await withServer(async (c) => {
      const d = await describeTopic(c, 'altered');
      assert.deepEqual([config(d, 'retention.ms').value, config(d, 'cleanup.policy').value], ['5000', 'compact'], 'survives a restart');
    }, { dataDir, last: true });
  });

  it('an altered segment.bytes rolls the open partition\'s segments at the new size', () => withServer(async (c, server) => {
    await createTopic(c, 'rolling', 1);
    const segments = (): number => readdirSync(join(server.dataDir, 'kafka', 'rolling-0', 'log')).filter((f) => f.endsWith('.log')).length;
    for (let i = 0; i < 4; i++) await c.request(ApiKey.Produce, 7, produceBody('rolling', 0, encodeBatch(valueRecords(1, 300, `a${i}`))));
    assert.equal(segments(), 1);
    assert.equal((await incremental(c, 'rolling', [['segment.bytes', 0, '1024']])).errorCode, 0);
    for (let i = 0; i < 8; i++) await c.request(ApiKey.Produce, 7, produceBody('rolling', 0, encodeBatch(valueRecords(1, 300, `b${i}`))));
    assert.ok(segments() >= 3, `${segments()} segments`);
  }));

  it('altered max.message.bytes and message.timestamp.type act on the open topic at once', () => withServer(async (c) => {
    await createTopic(c, 'live', 1);
    assert.equal((await incremental(c, 'live', [['max.message.bytes', 0, '200'], ['message.timestamp.type', 0, 'LogAppendTime']])).errorCode, 0);
    const big = firstPartition((await c.request(ApiKey.Produce, 8, produceBody('live', 0, encodeBatch(valueRecords(1, 400, 'big'))))).body);
    assert.equal(big.errorCode, E.MESSAGE_TOO_LARGE.code);
    const small = firstPartition((await c.request(ApiKey.Produce, 8, produceBody('live', 0, encodeBatch(valueRecords(1, 10, 'small'))))).body);
    assert.equal(small.errorCode, 0);
    assert.ok((small.logAppendTimeMs as bigint) > 0n, 'LogAppendTime stamps the batch');
  }));

  it('CreatePartitions grows a topic (Kafka\'s errors otherwise); the new partitions take data', () => withServer(async (c) => {
    await createTopic(c, 'growing', 3);
    const grow = async (name: string, count: number, assignments: number[][] | null = null, validateOnly = false): Promise<Row> =>
      ((await c.request(ApiKey.CreatePartitions, 1, { topics: [{ name, count, assignments: assignments?.map((brokerIds) => ({ brokerIds })) ?? null }], timeoutMs: 5000, validateOnly })).body.results as Row[])[0]!;
    assert.deepEqual(Object.values(await grow('growing', 2)).slice(1), [E.INVALID_PARTITIONS.code, 'Topic currently has 3 partitions, which is higher than the requested 2.']);
    assert.equal((await grow('growing', 3)).errorCode, E.INVALID_PARTITIONS.code);
    assert.equal((await grow('growing', 5, [[1]])).errorCode, E.INVALID_REPLICA_ASSIGNMENT.code);
    assert.equal((await grow('growing', 4, [[2]])).errorCode, E.INVALID_REPLICA_ASSIGNMENT.code);
    assert.equal((await grow('growing', 20_000)).errorCode, E.INVALID_PARTITIONS.code);
    assert.equal((await grow('missing', 4)).errorCode, E.UNKNOWN_TOPIC_OR_PARTITION.code);
    assert.equal((await grow('growing', 6, null, true)).errorCode, 0);
    const partitionsNow = async (): Promise<number> => (((await c.request(ApiKey.Metadata, 1, { topics: [{ name: 'growing' }] })).body.topics as Row[])[0]!.partitions as Row[]).length;
    assert.equal(await partitionsNow(), 3, 'validate_only');
    assert.equal((await grow('growing', 5, [[1], [1]])).errorCode, 0);
    assert.equal(await partitionsNow(), 5);
    assert.equal(firstPartition((await c.request(ApiKey.Produce, 7, produceBody('growing', 4, encodeBatch(valueRecords(2, 10, 'p4'))))).body).errorCode, 0);
  }));

  it('DeleteRecords moves the log start durably: fetch below it is OFFSET_OUT_OF_RANGE, ListOffsets earliest answers it', async () => {
    const dataDir = tempDir();
    await withServer(async (c) => {
      await createTopic(c, 'trimmed', 2);
      for (let i = 0; i < 5; i++) await c.request(ApiKey.Produce, 7, produceBody('trimmed', 0, encodeBatch(valueRecords(2, 10, `t${i}`))));
      await c.request(ApiKey.Produce, 7, produceBody('trimmed', 1, encodeBatch(valueRecords(3, 10, 'other'))));
      const del = async (partitions: Array<[number, bigint]>, topic = 'trimmed'): Promise<Row[]> =>
        ((await c.request(ApiKey.DeleteRecords, 1, { topics: [{ name: topic, partitions: partitions.map(([partitionIndex, offset]) => ({ partitionIndex, offset })) }], timeoutMs: 5000 })).body.topics as Row[])[0]!.partitions as Row[];
      assert.deepEqual((await del([[0, 3n], [1, -1n]])).map((p) => [p.partitionIndex, p.lowWatermark, p.errorCode]), [[0, 3n, 0], [1, 3n, 0]]);
      assert.deepEqual((await del([[0, 11n]])).map((p) => [p.lowWatermark, p.errorCode]), [[-1n, E.OFFSET_OUT_OF_RANGE.code]]);
      assert.deepEqual((await del([[7, 1n]])).map((p) => p.errorCode), [E.UNKNOWN_TOPIC_OR_PARTITION.code]);
      assert.equal(await earliest(c, 'trimmed'), 3n);
      const below = firstPartition((await c.request(ApiKey.Fetch, 11, fetchBody('trimmed', [[0, 2, 1 << 20]]))).body);
      assert.deepEqual([below.errorCode, below.logStartOffset], [E.OFFSET_OUT_OF_RANGE.code, 3n]);
    }, { dataDir, last: false });
    await withServer(async (c) => {
      assert.equal(await earliest(c, 'trimmed'), 3n, 'durable');
      assert.equal(await earliest(c, 'trimmed', 1), 3n);
    }, { dataDir, last: true });
  });

  it('OffsetForLeaderEpoch: epoch 0 ends at the log end; other epochs are unknown', () => withServer(async (c) => {
    await createTopic(c, 'epochs', 1);
    await c.request(ApiKey.Produce, 7, produceBody('epochs', 0, encodeBatch(valueRecords(4, 10, 'e'))));
    const ask = async (version: number, leaderEpoch: number, currentLeaderEpoch = -1, topic = 'epochs'): Promise<Row> => firstPartition((await c.request(ApiKey.OffsetForLeaderEpoch, version, {
      replicaId: -1, topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch, leaderEpoch }] }],
    })).body, 'topics');
    assert.deepEqual(await ask(3, 0), { errorCode: 0, partition: 0, leaderEpoch: 0, endOffset: 4n });
    assert.deepEqual(await ask(0, 0), { errorCode: 0, partition: 0, leaderEpoch: -1, endOffset: 4n });
    assert.deepEqual(await ask(3, 5), { errorCode: 0, partition: 0, leaderEpoch: -1, endOffset: -1n });
    assert.equal((await ask(2, 0, 3)).errorCode, E.UNKNOWN_LEADER_EPOCH.code);
    assert.equal((await ask(3, 0, -1, 'missing')).errorCode, E.UNKNOWN_TOPIC_OR_PARTITION.code);
  }));
});
