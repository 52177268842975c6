// --auth on the admin APIs over the wire: CreatePartitions (ALTER topic), DeleteRecords (DELETE
// topic), DescribeConfigs (DESCRIBE_CONFIGS topic / cluster for the broker), AlterConfigs and
// IncrementalAlterConfigs (ALTER_CONFIGS), OffsetForLeaderEpoch (DESCRIBE topic), InitProducerId
// (IDEMPOTENT_WRITE on the cluster or WRITE on some topic, KIP-679) — allowed and refused, with the
// answer KafkaApis gives each refusal.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KafkaErrors as E } from '../../src/kafka/errors.js';
import type { RunningKafka } from '../../src/kafka/personality.js';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { encodeBatch, valueRecords } from '../helpers/kafka-batch.js';
import { grantUser, loginPool, produceBody, type WireClient } from './wire-client.js';

type Body = Record<string, any>;
const TOPIC = 2;
const BROKER = 4;

describe('kafka --auth on the admin APIs', () => {
  let server: TestServer;
  const sessions = loginPool(() => server.ports.kafka!);
  const login = sessions.login;
  const ask = async (c: WireClient, key: number, version: number, body: Body): Promise<Body> => (await c.request(key, version, body)).body as Body;

  before(async () => {
    server = await startTestServer({ auth: true, enabled: ['kafka'] });
    const user = (name: string, grants: Array<[string, string]>): Promise<void> => grantUser(server.junction.auth, name, grants);
    await user('reader', [['kafka:topic:r-*', 'r']]);
    await user('writer', [['kafka:topic:w-*', 'w']]);
    await user('idempotent', [['kafka:cluster', 'w']]);
    await user('operator', [['kafka:cluster', 'r']]);
    const kafka = server.junction.personality('kafka') as RunningKafka;
    for (const name of ['r-data', 'w-data']) await kafka.topics.create(name, 1, {});
    const writer = await login('writer');
    assert.equal((await ask(writer, ApiKey.Produce, 7, produceBody('w-data', 0, encodeBatch(valueRecords(4, 10, 'w'))))).responses[0].partitionResponses[0].errorCode, 0);
  });
  after(async () => {
    sessions.closeAll();
    await server?.destroy();
  });

  it('CreatePartitions needs ALTER (w) on the topic: "The topic authorization is failed." otherwise', async () => {
    const grow = async (c: WireClient, name: string): Promise<[number, string | null]> => {
      const r = (await ask(c, ApiKey.CreatePartitions, 1, { topics: [{ name, count: 2, assignments: null }], timeoutMs: 5000, validateOnly: false })).results[0];
      return [r.errorCode, r.errorMessage];
    };
    assert.deepEqual(await grow(await login('reader'), 'r-data'), [E.TOPIC_AUTHORIZATION_FAILED.code, 'The topic authorization is failed.']);
    assert.deepEqual(await grow(await login('writer'), 'w-data'), [0, null]);
    assert.equal((server.junction.personality('kafka') as RunningKafka).topics.topic('r-data')!.partitions, 1);
  });

  it('DeleteRecords needs DELETE (w) on the topic, else TOPIC_AUTHORIZATION_FAILED per partition and nothing moves', async () => {
    const trim = async (c: WireClient, name: string): Promise<Body[]> =>
      (await ask(c, ApiKey.DeleteRecords, 1, { topics: [{ name, partitions: [{ partitionIndex: 0, offset: 2n }] }], timeoutMs: 5000 })).topics[0].partitions;
    assert.deepEqual(await trim(await login('reader'), 'w-data'), [{ partitionIndex: 0, lowWatermark: -1n, errorCode: E.TOPIC_AUTHORIZATION_FAILED.code }]);
    assert.equal((server.junction.personality('kafka') as RunningKafka).topics.partition('w-data', 0)!.logStartOffset, 0);
    assert.deepEqual(await trim(await login('writer'), 'w-data'), [{ partitionIndex: 0, lowWatermark: 2n, errorCode: 0 }]);
  });

  it('DescribeConfigs needs DESCRIBE_CONFIGS (r or w) on the topic, on the cluster for the broker', async () => {
    const describeOne = async (c: WireClient, resourceType: number, resourceName: string): Promise<[number, string | null, number]> => {
      const r = (await ask(c, ApiKey.DescribeConfigs, 3, { resources: [{ resourceType, resourceName, configurationKeys: null }], includeSynonyms: false, includeDocumentation: false })).results[0];
      return [r.errorCode, r.errorMessage, r.configs.length];
    };
    const reader = await login('reader');
    assert.equal((await describeOne(reader, TOPIC, 'r-data'))[0], 0);
    assert.ok((await describeOne(reader, TOPIC, 'r-data'))[2] > 0);
    assert.deepEqual(await describeOne(reader, TOPIC, 'w-data'), [E.TOPIC_AUTHORIZATION_FAILED.code, 'Topic authorization failed.', 0]);
    assert.equal((await describeOne(reader, TOPIC, 'r-missing'))[0], E.UNKNOWN_TOPIC_OR_PARTITION.code, 'allowed, then looked up');
    assert.deepEqual(await describeOne(reader, TOPIC, 'w-missing'), [E.TOPIC_AUTHORIZATION_FAILED.code, 'Topic authorization failed.', 0], 'refused before the lookup');
    assert.deepEqual(await describeOne(reader, BROKER, '1'), [E.CLUSTER_AUTHORIZATION_FAILED.code, 'Cluster authorization failed.', 0]);
    assert.equal((await describeOne(await login('operator'), BROKER, '1'))[0], 0);
  });

  it('AlterConfigs and IncrementalAlterConfigs need ALTER_CONFIGS (w): refusals carry no message', async () => {
    const alter = async (c: WireClient, incremental: boolean, resourceType: number, resourceName: string): Promise<[number, string | null]> => {
      const r = incremental
        ? (await ask(c, ApiKey.IncrementalAlterConfigs, 0, { resources: [{ resourceType, resourceName, configs: [{ name: 'retention.ms', configOperation: 0, value: '600000' }] }], validateOnly: false })).responses[0]
        : (await ask(c, ApiKey.AlterConfigs, 1, { resources: [{ resourceType, resourceName, configs: [{ name: 'retention.ms', value: '600000' }] }], validateOnly: false })).responses[0];
      return [r.errorCode, r.errorMessage];
    };
    const reader = await login('reader');
    const writer = await login('writer');
    for (const incremental of [false, true]) {
      assert.deepEqual(await alter(reader, incremental, TOPIC, 'r-data'), [E.TOPIC_AUTHORIZATION_FAILED.code, null]);
      assert.deepEqual(await alter(writer, incremental, TOPIC, 'w-data'), [0, null]);
      assert.deepEqual(await alter(writer, incremental, BROKER, '1'), [E.CLUSTER_AUTHORIZATION_FAILED.code, null]);
      assert.equal((await alter(await login('idempotent'), incremental, BROKER, '1'))[0], E.INVALID_CONFIG.code, 'allowed, then refused as static');
    }
    const kafka = server.junction.personality('kafka') as RunningKafka;
    assert.deepEqual([kafka.topics.topic('r-data')!.configs, kafka.topics.topic('w-data')!.configs], [{}, { 'retention.ms': '600000' }]);
  });

  it('OffsetForLeaderEpoch needs DESCRIBE on the topic, else TOPIC_AUTHORIZATION_FAILED per partition', async () => {
    const epochEnd = async (c: WireClient, topic: string): Promise<Body> =>
      (await ask(c, ApiKey.OffsetForLeaderEpoch, 3, { replicaId: -1, topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] }] })).topics[0].partitions[0];
    assert.deepEqual(await epochEnd(await login('reader'), 'w-data'), { partition: 0, errorCode: E.TOPIC_AUTHORIZATION_FAILED.code, leaderEpoch: -1, endOffset: -1n });
    assert.deepEqual(await epochEnd(await login('writer'), 'w-data'), { partition: 0, errorCode: 0, leaderEpoch: 0, endOffset: 4n });
  });

  it('InitProducerId needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic, else CLUSTER_AUTHORIZATION_FAILED', async () => {
    const init = async (c: WireClient, transactionalId: string | null = null): Promise<Body> =>
      ask(c, ApiKey.InitProducerId, 1, { transactionalId, transactionTimeoutMs: 60_000 });
    const refused = await init(await login('reader'));
    assert.deepEqual([refused.errorCode, refused.producerId, refused.producerEpoch], [E.CLUSTER_AUTHORIZATION_FAILED.code, -1n, -1]);
    for (const user of ['writer', 'idempotent']) {
      const granted = await init(await login(user));
      assert.deepEqual([granted.errorCode, granted.producerEpoch], [0, 0], user);
      assert.ok(granted.producerId >= 0n);
    }
    assert.equal((await init(await login('writer'), 'tx')).errorCode, E.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code);
  });
});
