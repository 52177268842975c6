// The flexible versions served for @platformatic/kafka and Java 3.x clients, over a raw socket at
// each API's new version: topic ids (Metadata v10+, CreateTopics v7, DeleteTopics v6), flexible
// Produce/Fetch bodies, ListOffsets' new timestamps, DescribeCluster, InitProducerId v3+ and the
// admin APIs at their flexible versions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKey, API_KEYS } from '../../src/kafka/protocol/api-keys.js';
import { ZERO_UUID } from '../../src/kafka/protocol/reader.js';
import { encodeBatch } from '../helpers/kafka-batch.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { fetchBody, firstPartition, produceBody, WireClient } from './wire-client.js';

type Body = Record<string, unknown>;
type MetadataTopic = { errorCode: number; name: string | null; topicId: string; partitions: unknown[] };

describe('kafka flexible versions on the wire', () => {
  let server: TestServer;
  let c: WireClient;
  const call = async (key: number, version: number, body: Body): Promise<Body> => (await c.request(key, version, body)).body;
  const metadata = async (version: number, topics: Array<{ name: string | null; topicId?: string }> | null) =>
    (await call(ApiKey.Metadata, version, { topics, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false })).topics as MetadataTopic[];
  const createTopic = async (name: string, numPartitions: number, configs: Array<{ name: string; value: string }> = []) =>
    ((await call(ApiKey.CreateTopics, 7, { topics: [{ name, numPartitions, replicationFactor: -1, assignments: [], configs }], timeoutMs: 5000, validateOnly: false }))
      .topics as Body[])[0]!;

  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { nodeId: 3, numPartitions: 2, advertisedListener: 'flex.example:29092' } });
    c = await WireClient.connect(server.ports.kafka!);
  });
  after(async () => {
    c?.close();
    await server?.destroy();
  });

  it('ApiVersions v4 advertises the flexible maxima and DescribeCluster 0–1', async () => {
    const body = await call(ApiKey.ApiVersions, 4, { clientSoftwareName: 'wire-test', clientSoftwareVersion: '1' });
    const ranges = new Map((body.apiKeys as Array<{ apiKey: number; minVersion: number; maxVersion: number }>).map((a) => [a.apiKey, a]));
    assert.deepEqual(ranges.get(ApiKey.DescribeCluster), { apiKey: 60, minVersion: 0, maxVersion: 1 });
    assert.equal(ranges.get(ApiKey.Metadata)!.maxVersion, 12);
    assert.equal(ranges.get(ApiKey.Fetch)!.maxVersion, 17);
    assert.equal(ranges.get(ApiKey.Produce)!.maxVersion, 11);
    assert.equal(ranges.size, API_KEYS.length);
  });

  it('CreateTopics v7 answers the topic id, counts and configs; Metadata v12 gives the same id and finds the topic by it', async () => {
    const created = await createTopic('flex-ids', 3, [{ name: 'retention.ms', value: '3600000' }]);
    assert.equal(created.errorCode, 0);
    assert.match(String(created.topicId), /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(created.topicId, ZERO_UUID);
    assert.equal(created.numPartitions, 3);
    assert.equal(created.replicationFactor, 1);
    const retention = (created.configs as Array<{ name: string; value: string; configSource: number }>).find((e) => e.name === 'retention.ms');
    assert.deepEqual([retention?.value, retention?.configSource], ['3600000', 1]);

    const [byName] = await metadata(12, [{ name: 'flex-ids' }]);
    assert.equal(byName!.topicId, created.topicId);
    assert.equal(byName!.partitions.length, 3);
    const [byId] = await metadata(12, [{ name: null, topicId: String(created.topicId) }]);
    assert.deepEqual([byId!.errorCode, byId!.name, byId!.partitions.length], [0, 'flex-ids', 3]);
    const unknownId = Buffer.alloc(16, 7).toString('base64url');
    const [unknown] = await metadata(12, [{ name: null, topicId: unknownId }]);
    assert.deepEqual([unknown!.errorCode, unknown!.name, unknown!.topicId], [100, null, unknownId]);
    // v10–11 must name the topic (KafkaApis: "Topic IDs are not supported in requests for version 10").
    const [v10] = await metadata(10, [{ name: null, topicId: String(created.topicId) }]);
    assert.equal(v10!.errorCode, 42);
    const all = await metadata(11, null);
    assert.equal(all.find((t) => t.name === 'flex-ids')?.topicId, created.topicId);
  });

  it('DeleteTopics v6 deletes by id or by name, and refuses an unknown id or both at once', async () => {
    const byId = await createTopic('flex-del-id', 1);
    await createTopic('flex-del-name', 1);
    const unknownId = Buffer.alloc(16, 9).toString('base64url');
    const body = await call(ApiKey.DeleteTopics, 6, { topics: [
      { name: null, topicId: byId.topicId }, { name: 'flex-del-name', topicId: ZERO_UUID },
      { name: null, topicId: unknownId }, { name: 'flex-ids', topicId: byId.topicId },
    ], timeoutMs: 5000 });
    const results = (body.responses as Array<{ name: string | null; topicId: string; errorCode: number }>).map((r) => [r.name, r.topicId === byId.topicId, r.errorCode]);
    assert.deepEqual(results, [['flex-del-id', true, 0], ['flex-del-name', false, 0], [null, false, 100], ['flex-ids', true, 42]]);
    const left = (await metadata(12, null)).map((t) => t.name);
    assert.ok(!left.includes('flex-del-id') && !left.includes('flex-del-name') && left.includes('flex-ids'));
  });

  it('Produce v9–v11 and Fetch v12 carry records in flexible bodies', async () => {
    await createTopic('flex-data', 1);
    for (const [i, version] of [9, 10, 11].entries()) {
      const batch = encodeBatch([{ key: Buffer.from(`k${version}`), value: Buffer.from(`v${version}`) }]);
      const answer = firstPartition(await call(ApiKey.Produce, version, produceBody('flex-data', 0, batch)));
      assert.deepEqual([answer.errorCode, answer.baseOffset], [0, BigInt(i)]);
    }
    const fetched = firstPartition(await call(ApiKey.Fetch, 12, { ...fetchBody('flex-data', [[0, 0, 1 << 20]]), clusterId: null }));
    assert.equal(fetched.errorCode, 0);
    assert.equal(fetched.highWatermark, 3n);
    const records = fetched.records as Buffer;
    for (const version of [9, 10, 11]) assert.ok(records.includes(Buffer.from(`v${version}`)), `record of Produce v${version}`);
    // The tagged fields Kafka adds at v12 keep their defaults (not encoded).
    assert.deepEqual(fetched.divergingEpoch, { epoch: -1, endOffset: -1n });
  });

  it('Fetch v13–v17 names topics by id (KIP-516); an unknown id is UNKNOWN_TOPIC_ID', async () => {
    const [{ topicId }] = (await metadata(12, [{ name: 'flex-data' }])) as [MetadataTopic];
    const unknownId = Buffer.alloc(16, 3).toString('base64url');
    for (const version of [13, 15, 17]) {
      const body = fetchBody('flex-data', [[0, 1, 1 << 20]]);
      const [asked] = body.topics as Body[];
      const fetched = await call(ApiKey.Fetch, version, { ...body, topics: [{ ...asked, topic: '', topicId }, { ...asked, topic: '', topicId: unknownId }] });
      const [known, unknown] = fetched.responses as Array<{ topicId: string; topic: string; partitions: Body[] }>;
      assert.deepEqual([known!.topicId, known!.topic], [topicId, ''], 'v13+ answers by id; the name is not on the wire');
      const partition = known!.partitions[0]!;
      assert.deepEqual([partition.errorCode, partition.highWatermark], [0, 3n], `v${version}`);
      assert.ok((partition.records as Buffer).includes(Buffer.from('v10')) && !(partition.records as Buffer).includes(Buffer.from('v9')), 'from offset 1');
      assert.deepEqual([unknown!.topicId, unknown!.partitions[0]!.errorCode], [unknownId, 100]);
    }
  });

  it('ListOffsets v9: -4 (earliest local) is the log start, -5 (latest tiered) finds nothing, -1 the high watermark', async () => {
    const body = await call(ApiKey.ListOffsets, 9, { replicaId: -1, isolationLevel: 0, topics: [{ name: 'flex-data', partitions: [
      { partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -4n }, { partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -5n },
      { partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n },
    ] }] });
    const partitions = (body.topics as Array<{ partitions: Array<{ errorCode: number; offset: bigint }> }>)[0]!.partitions;
    assert.deepEqual(partitions.map((p) => [p.errorCode, p.offset]), [[0, 0n], [0, -1n], [0, 3n]]);
  });

  it('ListOffsets v7+ -3 (max timestamp, KIP-734): the first record with the largest timestamp; an empty log has none', async () => {
    await createTopic('flex-times', 1);
    const base = 1_700_000_000_000;
    const batches = [
      encodeBatch([{ value: Buffer.from('a'), timestampDelta: 0 }, { value: Buffer.from('b'), timestampDelta: 900 }], { baseTimestamp: base }),
      encodeBatch([{ value: Buffer.from('c'), timestampDelta: 0 }, { value: Buffer.from('d'), timestampDelta: 500 }], { baseTimestamp: base + 100 }),
    ];
    for (const batch of batches) assert.equal(firstPartition(await call(ApiKey.Produce, 11, produceBody('flex-times', 0, batch))).errorCode, 0);
    const ask = async (topic: string) => firstPartition(await call(ApiKey.ListOffsets, 7, { replicaId: -1, isolationLevel: 0,
      topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -3n }] }] }), 'topics');
    const max = await ask('flex-times');
    assert.deepEqual([max.errorCode, max.offset, max.timestamp], [0, 1n, BigInt(base + 900)], 'record b of the first batch; d (base+600) is older');
    await createTopic('flex-empty', 1);
    const empty = await ask('flex-empty');
    assert.deepEqual([empty.errorCode, empty.offset, empty.timestamp], [0, -1n, -1n]);
  });

  it('DescribeCluster v0–v1: cluster id, this node as controller and only broker; controllers are not described', async () => {
    const meta = await call(ApiKey.Metadata, 12, { topics: [], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    for (const version of [0, 1]) {
      const body = await call(ApiKey.DescribeCluster, version, { includeClusterAuthorizedOperations: true, endpointType: 1 });
      assert.equal(body.errorCode, 0);
      assert.equal(body.clusterId, meta.clusterId);
      assert.equal(body.controllerId, 3);
      assert.deepEqual(body.brokers, [{ brokerId: 3, host: 'flex.example', port: 29092, rack: null }]);
      // No authorizer: every cluster operation (CREATE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE).
      assert.equal(body.clusterAuthorizedOperations, (1 << 5) | (1 << 7) | (1 << 8) | (1 << 10) | (1 << 11) | (1 << 12));
    }
    const notAsked = await call(ApiKey.DescribeCluster, 0, { includeClusterAuthorizedOperations: false });
    assert.equal(notAsked.clusterAuthorizedOperations, -2147483648);
    const controllers = await call(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 2 });
    assert.deepEqual([controllers.errorCode, controllers.endpointType, controllers.brokers], [115, 2, []]);
  });

  it('InitProducerId v5 with an existing id and epoch answers a new id with epoch 0 (as Kafka does for idempotence)', async () => {
    const first = await call(ApiKey.InitProducerId, 5, { transactionalId: null, transactionTimeoutMs: -1, producerId: -1n, producerEpoch: -1 });
    assert.deepEqual([first.errorCode, first.producerEpoch], [0, 0]);
    const again = await call(ApiKey.InitProducerId, 5, { transactionalId: null, transactionTimeoutMs: -1, producerId: first.producerId, producerEpoch: 0 });
    assert.equal(again.errorCode, 0);
    assert.notEqual(again.producerId, first.producerId);
    assert.equal(again.producerEpoch, 0);
  });

  it('admin APIs at their flexible versions: DescribeConfigs v4, AlterConfigs v2, IncrementalAlterConfigs v1, CreatePartitions v3, DeleteRecords v2, OffsetForLeaderEpoch v4', async () => {
    const TOPIC = 2;
    const alter = await call(ApiKey.AlterConfigs, 2, { resources: [{ resourceType: TOPIC, resourceName: 'flex-data', configs: [{ name: 'cleanup.policy', value: 'delete' }] }], validateOnly: false });
    assert.equal((alter.responses as Body[])[0]!.errorCode, 0);
    const incremental = await call(ApiKey.IncrementalAlterConfigs, 1, { resources: [{ resourceType: TOPIC, resourceName: 'flex-data',
      configs: [{ name: 'retention.ms', configOperation: 0, value: '7200000' }] }], validateOnly: false });
    assert.equal((incremental.responses as Body[])[0]!.errorCode, 0);
    const described = await call(ApiKey.DescribeConfigs, 4, { resources: [{ resourceType: TOPIC, resourceName: 'flex-data', configurationKeys: ['retention.ms', 'cleanup.policy'] }],
      includeSynonyms: false, includeDocumentation: false });
    const configs = ((described.results as Body[])[0]!.configs as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]).sort();
    assert.deepEqual(configs, [['cleanup.policy', 'delete'], ['retention.ms', '7200000']]);
    const partitions = await call(ApiKey.CreatePartitions, 3, { topics: [{ name: 'flex-data', count: 2, assignments: null }], timeoutMs: 5000, validateOnly: false });
    assert.equal((partitions.results as Body[])[0]!.errorCode, 0);
    assert.equal((await metadata(12, [{ name: 'flex-data' }]))[0]!.partitions.length, 2);
    const deleted = await call(ApiKey.DeleteRecords, 2, { topics: [{ name: 'flex-data', partitions: [{ partitionIndex: 0, offset: 1n }] }], timeoutMs: 5000 });
    const low = ((deleted.topics as Body[])[0]!.partitions as Body[])[0]!;
    assert.deepEqual([low.errorCode, low.lowWatermark], [0, 1n]);
    const epochs = await call(ApiKey.OffsetForLeaderEpoch, 4, { replicaId: -1, topics: [{ topic: 'flex-data', partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] }] });
    const end = ((epochs.topics as Body[])[0]!.partitions as Body[])[0]!;
    assert.deepEqual([end.errorCode, end.endOffset], [0, 3n]);
  });
});
