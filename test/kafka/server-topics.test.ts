// Metadata, CreateTopics and DeleteTopics over a raw socket: auto-creation as
// auto.create.topics.enable and allow_auto_topic_creation say, Kafka's refusals and their texts,
// the advertised listener and controller id, and deletion removing a topic's data.
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { encodeBatch } from '../helpers/kafka-batch.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/junction.js';
import { fetchBody, firstPartition, produceBody, WireClient } from './wire-client.js';

interface MetadataTopic { errorCode: number; name: string; partitions: Array<{ partitionIndex: number; leaderId: number; replicaNodes: number[]; isrNodes: number[] }> }
interface CreateResult { name: string; errorCode: number; errorMessage: string | null }

function creatable(name: string, numPartitions = 1, replicationFactor = 1, configs: Array<{ name: string; value: string | null }> = []) {
  return { name, numPartitions, replicationFactor, assignments: [], configs };
}

describe('kafka topics: metadata, create, delete', () => {
  let server: TestServer;
  let c: WireClient;
  const metadata = async (version: number, body: Record<string, unknown>) => (await c.request(ApiKey.Metadata, version, body)).body;
  const create = async (topics: unknown[], validateOnly = false): Promise<CreateResult[]> =>
    (await c.request(ApiKey.CreateTopics, 4, { topics, timeoutMs: 5000, validateOnly })).body.topics as CreateResult[];

  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { nodeId: 7, numPartitions: 3, advertisedListener: 'kafka.example:19092' } });
    c = await WireClient.connect(server.ports.kafka!);
  });
  after(async () => {
    c?.close();
    await server?.destroy();
  });

  it('Metadata names this broker (advertised listener) as the only broker, controller and leader', async () => {
    const body = await metadata(8, { topics: [{ name: 'auto' }], allowAutoTopicCreation: true, includeTopicAuthorizedOperations: false });
    assert.deepEqual(body.brokers, [{ nodeId: 7, host: 'kafka.example', port: 19092, rack: null }]);
    assert.equal(body.controllerId, 7);
    assert.match(String(body.clusterId), /^[A-Za-z0-9_-]{22}$/);
    const [topic] = body.topics as MetadataTopic[];
    // Auto-created synchronously with num.partitions, answered without LEADER_NOT_AVAILABLE.
    assert.equal(topic!.errorCode, 0);
    assert.deepEqual(topic!.partitions.map((p) => [p.partitionIndex, p.leaderId, p.replicaNodes, p.isrNodes]),
      [[0, 7, [7], [7]], [1, 7, [7], [7]], [2, 7, [7], [7]]]);
  });

  it('Metadata does not create when the request (v4+) says not to, and refuses illegal names', async () => {
    const body = await metadata(4, { topics: [{ name: 'not-created' }, { name: 'bad name!' }], allowAutoTopicCreation: false });
    assert.deepEqual((body.topics as MetadataTopic[]).map((t) => [t.name, t.errorCode, t.partitions.length]),
      [['not-created', 3, 0], ['bad name!', 17, 0]]);
    const all = await metadata(1, { topics: null });
    assert.ok(!(all.topics as MetadataTopic[]).some((t) => t.name === 'not-created'));
  });

  it('all topics: v0 with an empty list, v1+ with null; v1+ empty means none', async () => {
    await create([creatable('listed')]);
    const v0 = (await metadata(0, { topics: [] })).topics as MetadataTopic[];
    const v1 = (await metadata(1, { topics: null })).topics as MetadataTopic[];
    const none = (await metadata(1, { topics: [] })).topics as MetadataTopic[];
    assert.ok(v0.some((t) => t.name === 'listed') && v1.some((t) => t.name === 'listed'));
    assert.deepEqual(v0.map((t) => t.name), v1.map((t) => t.name));
    assert.ok(v1.every((t) => t.errorCode === 0));
    assert.deepEqual(none, []);
  });

  it('CreateTopics refuses as a one-broker Kafka does, with its messages', async () => {
    const results = await create([
      creatable('rf3', 1, 3), creatable('rf0', 1, 0), creatable('zero', 0), creatable('huge', 10_001), creatable('bad/name'), creatable('listed'),
      creatable('unknown-config', 1, 1, [{ name: 'no.such.config', value: '1' }]),
      creatable('bad-retention', 1, 1, [{ name: 'retention.ms', value: 'soon' }]),
      creatable('defaults', -1, -1),
    ]);
    const by = new Map(results.map((r) => [r.name, r]));
    assert.deepEqual([by.get('rf3')!.errorCode, by.get('rf3')!.errorMessage], [38, 'Replication factor: 3 larger than available brokers: 1.']);
    assert.equal(by.get('rf0')!.errorCode, 38);
    assert.equal(by.get('zero')!.errorCode, 37);
    assert.match(String(by.get('huge')!.errorMessage), /above its limit of 10000 partitions/);
    assert.equal(by.get('huge')!.errorCode, 37);
    assert.equal(by.get('bad/name')!.errorCode, 17);
    assert.deepEqual([by.get('listed')!.errorCode, by.get('listed')!.errorMessage], [36, "Topic 'listed' already exists."]);
    assert.deepEqual([by.get('unknown-config')!.errorCode, by.get('unknown-config')!.errorMessage], [40, 'Unknown topic config name: no.such.config']);
    assert.equal(by.get('bad-retention')!.errorCode, 40);
    assert.equal(by.get('defaults')!.errorCode, 0);
    const md = (await metadata(4, { topics: [{ name: 'defaults' }, { name: 'rf3' }], allowAutoTopicCreation: false })).topics as MetadataTopic[];
    assert.equal(md[0]!.partitions.length, 3, 'num.partitions for -1');
    assert.equal(md[1]!.errorCode, 3, 'a refused topic was not created');
  });

  it('validate_only checks without creating; a name given twice is refused for each entry', async () => {
    assert.equal((await create([creatable('dry', 2)], true))[0]!.errorCode, 0);
    const body = await metadata(4, { topics: [{ name: 'dry' }], allowAutoTopicCreation: false });
    assert.equal((body.topics as MetadataTopic[])[0]!.errorCode, 3);
    const twice = await create([creatable('twice'), creatable('twice')]);
    assert.deepEqual(twice.map((r) => r.errorCode), [42, 42]);
  });

  it('DeleteTopics removes the topic and its data; unknown names get UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await create([creatable('doomed', 1)]);
    const produced = firstPartition((await c.request(ApiKey.Produce, 7, produceBody('doomed', 0, encodeBatch([{ value: Buffer.from('gone') }])))).body);
    assert.equal(produced.errorCode, 0);
    const dir = join(server.dataDir, 'kafka', 'doomed-0');
    assert.equal(existsSync(dir), true);
    const { body } = await c.request(ApiKey.DeleteTopics, 3, { topicNames: ['doomed', 'never-was'], timeoutMs: 5000 });
    assert.deepEqual((body.responses as Array<{ name: string; errorCode: number }>).map((r) => [r.name, r.errorCode]), [['doomed', 0], ['never-was', 3]]);
    assert.equal(existsSync(dir), false);
    const fetched = firstPartition((await c.request(ApiKey.Fetch, 11, fetchBody('doomed', [[0, 0, 1024]]))).body);
    assert.equal(fetched.errorCode, 3);
    // Created again, it starts empty.
    await create([creatable('doomed', 1)]);
    const again = firstPartition((await c.request(ApiKey.Fetch, 11, fetchBody('doomed', [[0, 0, 1024]]))).body);
    assert.deepEqual([again.errorCode, again.highWatermark], [0, 0n]);
  });
});

describe('kafka started from a server.properties (--kafka-config)', () => {
  it('num.partitions, advertised.listeners and node.id of the file reach Metadata', async () => {
    const dir = tempDir();
    const file = join(dir, 'server.properties');
    writeFileSync(file, ['node.id=3', 'listeners=PLAINTEXT://:9092', 'advertised.listeners=PLAINTEXT://broker.local:29092', 'num.partitions=5'].join('\n'));
    // The test helper puts port 0 over the file's listener port, as a flag would.
    const server = await startTestServer({ enabled: ['kafka'], kafka: { config: file } });
    const c = await WireClient.connect(server.ports.kafka!);
    try {
      const { body } = await c.request(ApiKey.Metadata, 4, { topics: [{ name: 'from-file' }], allowAutoTopicCreation: true });
      assert.deepEqual(body.brokers, [{ nodeId: 3, host: 'broker.local', port: 29092, rack: null }]);
      assert.equal(body.controllerId, 3);
      assert.equal((body.topics as MetadataTopic[])[0]!.partitions.length, 5);
    } finally {
      c.close();
      await server.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
