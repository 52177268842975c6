// @platformatic/kafka (npm, a pure-JavaScript client) against Junction, unchanged. It implements only
// flexible protocol versions (Metadata 9–12, Fetch 12–17 — usable from 13, its v12 sends the topic id
// as the name —, CreateTopics 7, DeleteTopics 6, the group APIs at their flexible versions …) and takes
// the highest version both sides serve; Junction serves them (docs/compat/kafka.md, "Flexible
// versions"). Admin topics and partitions, a keyed gzip producer whose records kcat reads back, a
// consumer group that commits and resumes, the groups as the admin lists and describes them, and
// DescribeCluster through the client's own API function.
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import * as platformatic from '@platformatic/kafka';
import { ApiKey } from '../../../src/kafka/protocol/api-keys.js';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { WireClient } from '../../kafka/wire-client.js';
import { kcatReadAll } from './common.js';

const { Admin, Consumer, Producer, stringDeserializers, stringSerializers } = platformatic;
type Message = { partition: number; offset: bigint; key: string; value: string; commit(): Promise<void> | void };

/** API key → the versions @platformatic/kafka implements: each exported `<api>V<n>` holds an `api`
 *  function that carries its key and version (createAPI in its apis/definitions.js). */
function clientVersions(): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const value of Object.values(platformatic) as unknown[]) {
    const api = (value as { api?: unknown } | null)?.api;
    if (typeof api !== 'function') continue;
    const { key, version } = api as { key?: unknown; version?: unknown };
    if (typeof key !== 'number' || typeof version !== 'number') continue;
    out.set(key, [...(out.get(key) ?? []), version].sort((a, b) => a - b));
  }
  return out;
}

/** An error and every error it nests (`errors` of an AggregateError, `cause`). */
function nested(err: unknown): Array<{ apiId?: string; serverErrorMessage?: string }> {
  const e = err as { errors?: unknown[]; cause?: unknown; apiId?: string; serverErrorMessage?: string };
  return [e, ...(e.errors ?? []).flatMap(nested), ...(e.cause ? nested(e.cause) : [])];
}

/** Reads `count` messages from a consumer stream, committing each. */
async function consumeAndCommit(stream: AsyncIterable<Message>, count: number): Promise<Message[]> {
  const got: Message[] = [];
  for await (const message of stream) {
    got.push(message);
    await message.commit();
    if (got.length === count) break;
  }
  return got;
}

/** The client's diagnostics channel for every request it sends (connection.js `send`: apiKey, apiVersion). */
const API_REQUESTS = 'tracing:plt:kafka:connections:api:start';

describe('@platformatic/kafka', () => {
  let server: TestServer;
  let bootstrapBrokers: string[];
  let admin: InstanceType<typeof Admin>;
  const closers: Array<() => Promise<unknown>> = [];
  /** API key → the versions the client sent, over the whole suite. */
  const sent = new Map<number, Set<number>>();
  const onRequest = (event: unknown): void => {
    const { apiKey, apiVersion } = event as { apiKey: number; apiVersion: number };
    sent.set(apiKey, (sent.get(apiKey) ?? new Set()).add(apiVersion));
  };

  before(async () => {
    subscribe(API_REQUESTS, onRequest);
    server = await startTestServer({ enabled: ['kafka'], kafka: { numPartitions: 1, groupInitialRebalanceDelayMs: 0 } });
    bootstrapBrokers = [`127.0.0.1:${server.ports.kafka}`];
    admin = new Admin({ clientId: 'junction-admin', bootstrapBrokers, retries: 0 });
  });
  after(async () => {
    for (const close of closers.reverse()) await close();
    await admin?.close();
    await server?.destroy();
    unsubscribe(API_REQUESTS, onRequest);
  });

  it('admin: creates, lists, describes, grows and deletes topics', async () => {
    const [created] = await admin.createTopics({ topics: ['pk-admin'], partitions: 2, replicas: 1 });
    assert.equal(created!.name, 'pk-admin');
    assert.equal(created!.partitions, 2);
    assert.equal(created!.configuration['cleanup.policy'], 'delete', 'CreateTopics v7 answers the configs');
    assert.ok((await admin.listTopics()).includes('pk-admin'));
    const before = await admin.metadata({ topics: ['pk-admin'] });
    assert.equal(before.topics.get('pk-admin')!.partitionsCount, 2);
    assert.equal(before.topics.get('pk-admin')!.id, created!.id, 'Metadata v12 gives the id CreateTopics v7 gave');
    await admin.createPartitions({ topics: [{ name: 'pk-admin', count: 5 }] });
    admin.clearMetadata();
    assert.equal((await admin.metadata({ topics: ['pk-admin'] })).topics.get('pk-admin')!.partitionsCount, 5);
    await admin.deleteTopics({ topics: ['pk-admin'] });
    assert.ok(!(await admin.listTopics()).includes('pk-admin'));
  });

  it('producer: gzip-compressed keyed records land on one partition each, as kcat reads them back', async () => {
    await admin.createTopics({ topics: ['pk-produce'], partitions: 3, replicas: 1 });
    const producer = new Producer({ clientId: 'junction-producer', bootstrapBrokers, serializers: stringSerializers, compression: 'gzip', retries: 0 });
    closers.push(() => producer.close());
    const messages = ['a', 'b', 'c', 'd'].flatMap((value) => [{ topic: 'pk-produce', key: 'same-key', value }, { topic: 'pk-produce', key: 'other-key', value }]);
    await producer.send({ messages });
    const lines = await kcatReadAll(bootstrapBrokers[0]!, 'pk-produce');
    assert.equal(lines.length, 8);
    const partitionsOf = (key: string) => new Set(lines.filter((l) => l.split(' ')[2] === key).map((l) => l.split(' ')[0]));
    assert.equal(partitionsOf('same-key').size, 1, lines.join('; '));
    assert.equal(partitionsOf('other-key').size, 1, lines.join('; '));
    const valuesOf = (key: string) => lines.filter((l) => l.split(' ')[2] === key).sort((x, y) => Number(x.split(' ')[1]) - Number(y.split(' ')[1])).map((l) => l.split(' ')[3]);
    assert.deepEqual(valuesOf('same-key'), ['a', 'b', 'c', 'd'], 'in order within the partition');
  });

  it('consumer group: consumes and commits, is listed and described, and a new member resumes after the commits', async () => {
    await admin.createTopics({ topics: ['pk-group'], partitions: 1, replicas: 1 });
    const producer = new Producer({ clientId: 'junction-producer-2', bootstrapBrokers, serializers: stringSerializers, retries: 0 });
    closers.push(() => producer.close());
    await producer.send({ messages: ['m0', 'm1', 'm2'].map((value) => ({ topic: 'pk-group', key: 'k', value })) });

    const first = new Consumer({ groupId: 'pk-g', clientId: 'junction-consumer', bootstrapBrokers, deserializers: stringDeserializers });
    const stream = await first.consume({ topics: ['pk-group'], mode: 'earliest', autocommit: false, sessionTimeout: 10_000, heartbeatInterval: 500 });
    const firstRead = await consumeAndCommit(stream as unknown as AsyncIterable<Message>, 2);
    assert.deepEqual(firstRead.map((m) => [m.offset, m.value]), [[0n, 'm0'], [1n, 'm1']]);

    const groups = await admin.listGroups();
    assert.deepEqual([groups.get('pk-g')?.state, groups.get('pk-g')?.protocolType], ['STABLE', 'consumer']);
    const described = (await admin.describeGroups({ groups: ['pk-g'] })).get('pk-g')!;
    assert.equal(described.state, 'STABLE');
    assert.equal(described.members.size, 1);
    const [member] = described.members.values();
    assert.equal(member!.clientId, 'junction-consumer');
    assert.deepEqual([...member!.assignments!.values()].map((a) => [a.topic, a.partitions]), [['pk-group', [0]]]);

    await stream.close();
    await first.close();
    assert.equal((await admin.describeGroups({ groups: ['pk-g'] })).get('pk-g')!.state, 'EMPTY');

    await producer.send({ messages: [{ topic: 'pk-group', key: 'k', value: 'm3' }] });
    const second = new Consumer({ groupId: 'pk-g', clientId: 'junction-consumer-2', bootstrapBrokers, deserializers: stringDeserializers });
    // Forced: a stream left open by a failed assertion must not keep close() waiting.
    closers.push(() => new Promise<void>((resolve, reject) => second.close(true, (err) => (err ? reject(err) : resolve()))));
    const resumed = await second.consume({ topics: ['pk-group'], mode: 'committed', fallbackMode: 'earliest', autocommit: false, sessionTimeout: 10_000 });
    const secondRead = await consumeAndCommit(resumed as unknown as AsyncIterable<Message>, 2);
    assert.deepEqual(secondRead.map((m) => [m.offset, m.value]), [[2n, 'm2'], [3n, 'm3']], 'resumes at the committed offset 2');
    await resumed.close();
  });

  it('DescribeCluster v1 through the client\'s API function: cluster id, this broker as controller', async () => {
    const connection = new platformatic.Connection('junction-describe-cluster');
    await connection.connect('127.0.0.1', server.ports.kafka!);
    try {
      const response = await platformatic.describeClusterV1.api.async(connection, false, 1);
      const metadata = await admin.metadata({ topics: [] });
      assert.equal(response.errorCode, 0);
      assert.equal(response.clusterId, metadata.id);
      assert.equal(response.controllerId, 1);
      assert.deepEqual(response.brokers.map((b: { brokerId: number; host: string; port: number }) => [b.brokerId, b.host, b.port]),
        [[1, '127.0.0.1', server.ports.kafka]]);
    } finally {
      await connection.close();
    }
  });

  it('sent every API at the highest version both sides implement (ApiVersions aside: it probes)', async () => {
    const wire = await WireClient.connect(server.ports.kafka!);
    const { body } = await wire.request(ApiKey.ApiVersions, 0, {});
    wire.close();
    const served = new Map((body.apiKeys as Array<{ apiKey: number; minVersion: number; maxVersion: number }>).map((k) => [k.apiKey, k]));
    const implemented = clientVersions();
    const highestCommon = (key: number) => Math.max(...implemented.get(key)!.filter((v) => v >= served.get(key)!.minVersion && v <= served.get(key)!.maxVersion));
    const used = Object.fromEntries([...sent].filter(([key]) => key !== ApiKey.ApiVersions).map(([key, versions]) => [key, [...versions]]));
    const expected = Object.fromEntries(Object.keys(used).map((key) => [key, [highestCommon(Number(key))]]));
    assert.deepEqual(used, expected);
    // The flexible versions Junction serves for it, as seen on the wire.
    assert.deepEqual([ApiKey.Metadata, ApiKey.Fetch, ApiKey.Produce, ApiKey.JoinGroup, ApiKey.SyncGroup, ApiKey.OffsetCommit, ApiKey.OffsetFetch,
      ApiKey.FindCoordinator, ApiKey.ListOffsets, ApiKey.CreateTopics, ApiKey.DeleteTopics, ApiKey.CreatePartitions, ApiKey.ListGroups,
      ApiKey.DescribeGroups, ApiKey.LeaveGroup, ApiKey.DescribeCluster].map((key) => used[key]),
    [[12], [17], [11], [9], [5], [9], [9], [6], [9], [7], [6], [3], [5], [5], [5], [1]]);
  });
});

describe('@platformatic/kafka with --auth (SaslHandshake v1, SaslAuthenticate v2)', () => {
  let server: TestServer;
  let bootstrapBrokers: string[];
  before(async () => {
    server = await startTestServer({ auth: true, enabled: ['kafka'], kafka: { numPartitions: 1 } });
    bootstrapBrokers = [`127.0.0.1:${server.ports.kafka}`];
    const auth = server.junction.auth;
    await auth.createUser('pk-writer', 'pk-writer-pw');
    await auth.addRole('pk-role', 'pk-writer');
    await auth.addPermission('pk-role', 'kafka:topic:pk-*', 'w');
  });
  after(async () => { await server?.destroy(); });

  // The broker's texts: PlainSaslServer's, and ScramSaslServer's for a wrong proof.
  const refusal = {
    PLAIN: 'Authentication failed: Invalid username or password',
    'SCRAM-SHA-256': 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256',
    'SCRAM-SHA-512': 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
  } as const;
  for (const mechanism of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
    it(`${mechanism}: a producer with write permission sends; a wrong password is refused`, async () => {
      const producer = new Producer({ clientId: 'junction-sasl', bootstrapBrokers, serializers: stringSerializers, retries: 0, autocreateTopics: true,
        sasl: { mechanism, username: 'pk-writer', password: 'pk-writer-pw' } });
      try {
        const { offsets } = await producer.send({ messages: [{ topic: 'pk-sasl', key: 'k', value: mechanism }] });
        assert.equal(offsets?.[0]?.topic, 'pk-sasl');
      } finally {
        await producer.close();
      }
      const refused = new Producer({ clientId: 'junction-sasl-bad', bootstrapBrokers, serializers: stringSerializers, retries: 0,
        sasl: { mechanism, username: 'pk-writer', password: 'wrong' } });
      try {
        // The client nests the broker's answer: MultipleErrors → NetworkError → AuthenticationError → ResponseError → ProtocolError.
        await assert.rejects(refused.send({ messages: [{ topic: 'pk-sasl', value: 'x' }] }), (err: unknown) =>
          nested(err).some((e) => e.apiId === 'SASL_AUTHENTICATION_FAILED' && e.serverErrorMessage === refusal[mechanism]));
      } finally {
        await refused.close();
      }
    });
  }
});
