// --auth on the Kafka port over a raw socket: SaslServerAuthenticator's stages and answers, the raw
// tokens after SaslHandshake v0, and the operation each API checks (KafkaApis) on kafka:topic:NAME.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningKafka } from '../../src/kafka/personality.js';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { encodeBatch } from '../helpers/kafka-batch.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { fetchBody, firstPartition, produceBody, WireClient } from './wire-client.js';

const MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
const TOPIC_AUTHORIZATION_FAILED = 29;
interface TopicAnswer { name: string; errorCode: number; errorMessage?: string | null }

describe('kafka --auth over the wire', () => {
  let server: TestServer;
  const clients: WireClient[] = [];
  const connect = async (): Promise<WireClient> => {
    const c = await WireClient.connect(server.ports.kafka!);
    clients.push(c);
    return c;
  };
  /** A connection logged in with SASL/PLAIN (SaslHandshake v1, SaslAuthenticate v1). */
  const login = async (user: string, password: string): Promise<WireClient> => {
    const c = await connect();
    assert.equal((await c.request(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' })).body.errorCode, 0);
    const { body } = await c.request(ApiKey.SaslAuthenticate, 1, { authBytes: Buffer.from(`\0${user}\0${password}`) });
    assert.equal(body.errorCode, 0, String(body.errorMessage));
    return c;
  };
  const metadata = async (c: WireClient, topics: string[] | null, allowAutoTopicCreation = true): Promise<TopicAnswer[]> =>
    (await c.request(ApiKey.Metadata, 8, { topics: topics && topics.map((name) => ({ name })), allowAutoTopicCreation,
      includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false })).body.topics as TopicAnswer[];

  before(async () => {
    server = await startTestServer({ auth: true, enabled: ['kafka'] });
    const auth = server.junction.auth;
    await auth.createUser('writer', 'writer-pw');
    await auth.addRole('w-role', 'writer');
    await auth.addPermission('w-role', 'kafka:topic:w-*', 'w');
    await auth.createUser('reader', 'reader-pw');
    await auth.addRole('r-role', 'reader');
    await auth.addPermission('r-role', 'kafka:topic:r-*', 'r');
    const kafka = server.junction.personality('kafka') as RunningKafka;
    await kafka.topics.create('r-data', 1, {});
  });
  after(async () => {
    for (const c of clients) c.close();
    await server?.destroy();
  });

  it('a wrong password: SASL_AUTHENTICATION_FAILED with PlainSaslServer\'s message, then the connection closes', async () => {
    const c = await connect();
    await c.request(ApiKey.ApiVersions, 3, { clientSoftwareName: 'wire', clientSoftwareVersion: '1' });
    assert.deepEqual((await c.request(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' })).body, { errorCode: 0, mechanisms: MECHANISMS });
    const { body } = await c.request(ApiKey.SaslAuthenticate, 1, { authBytes: Buffer.from('\0writer\0nope') });
    assert.deepEqual([body.errorCode, body.errorMessage], [58, 'Authentication failed: Invalid username or password']);
    assert.equal(await c.closedWithin(5_000), true);
  });

  it('an unknown mechanism: UNSUPPORTED_SASL_MECHANISM with the enabled list, then the connection closes', async () => {
    const c = await connect();
    assert.deepEqual((await c.request(ApiKey.SaslHandshake, 1, { mechanism: 'GSSAPI' })).body, { errorCode: 33, mechanisms: MECHANISMS });
    assert.equal(await c.closedWithin(5_000), true);
  });

  it('closes on a second ApiVersions, or on a Produce sent in place of SaslAuthenticate', async () => {
    const c = await connect();
    await c.request(ApiKey.ApiVersions, 0, {});
    c.send(ApiKey.ApiVersions, 0, {});
    assert.equal(await c.closedWithin(5_000), true);
    const d = await connect();
    await d.request(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' });
    d.send(ApiKey.Produce, 7, produceBody('r-data', 0, encodeBatch([{ value: Buffer.from('x') }])));
    assert.equal(await d.closedWithin(5_000), true);
  });

  it('after authentication SaslHandshake and SaslAuthenticate get ILLEGAL_SASL_STATE and the connection stays', async () => {
    const c = await login('reader', 'reader-pw');
    assert.equal((await c.request(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' })).body.errorCode, 34);
    const again = await c.request(ApiKey.SaslAuthenticate, 0, { authBytes: Buffer.from('\0reader\0reader-pw') });
    assert.deepEqual([again.body.errorCode, again.body.errorMessage], [34, 'SaslAuthenticate request received after successful authentication']);
    assert.deepEqual((await metadata(c, ['r-data'])).map((t) => [t.name, t.errorCode]), [['r-data', 0]]);
  });

  it('SaslHandshake v0: the PLAIN token comes raw and is answered with an empty size-prefixed frame; a bad one closes', async () => {
    const c = await connect();
    assert.equal((await c.request(ApiKey.SaslHandshake, 0, { mechanism: 'PLAIN' })).body.errorCode, 0);
    c.sendRaw(Buffer.from('\0reader\0reader-pw'));
    assert.deepEqual(await c.receiveRaw(), Buffer.alloc(0));
    assert.deepEqual((await metadata(c, ['r-data'])).map((t) => t.errorCode), [0]);
    const d = await connect();
    await d.request(ApiKey.SaslHandshake, 0, { mechanism: 'PLAIN' });
    d.sendRaw(Buffer.from('\0reader\0wrong'));
    assert.equal(await d.receiveRaw(), null, 'closed without an answer');
  });

  it('CreateTopics needs CREATE (w) on the topic; DeleteTopics DELETE; Metadata lists only what the user may describe', async () => {
    const c = await login('writer', 'writer-pw');
    const created = (await c.request(ApiKey.CreateTopics, 4, { timeoutMs: 5000, validateOnly: false,
      topics: ['w-1', 'r-1'].map((name) => ({ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] })) })).body.topics as TopicAnswer[];
    assert.deepEqual(created.map((t) => [t.name, t.errorCode, t.errorMessage]), [['w-1', 0, null], ['r-1', TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.']]);
    assert.deepEqual((await metadata(c, null)).map((t) => t.name), ['w-1'], 'r-data exists but is not listed');
    assert.deepEqual((await metadata(c, ['r-data', 'w-auto', 'r-auto'])).map((t) => [t.name, t.errorCode]),
      [['r-data', TOPIC_AUTHORIZATION_FAILED], ['w-auto', 0], ['r-auto', TOPIC_AUTHORIZATION_FAILED]]);
    const deleted = (await c.request(ApiKey.DeleteTopics, 3, { topicNames: ['r-data', 'w-auto'], timeoutMs: 5000 })).body.responses as TopicAnswer[];
    assert.deepEqual(deleted.map((t) => [t.name, t.errorCode]), [['r-data', TOPIC_AUTHORIZATION_FAILED], ['w-auto', 0]]);
  });

  it('Produce needs WRITE, Fetch READ, ListOffsets DESCRIBE (r or w), per topic', async () => {
    const writer = await login('writer', 'writer-pw');
    const reader = await login('reader', 'reader-pw');
    const batch = encodeBatch([{ value: Buffer.from('v') }]);
    assert.equal(firstPartition((await writer.request(ApiKey.Produce, 7, produceBody('w-1', 0, batch))).body).errorCode, 0);
    assert.equal(firstPartition((await reader.request(ApiKey.Produce, 7, produceBody('r-data', 0, batch))).body).errorCode, TOPIC_AUTHORIZATION_FAILED);
    assert.equal(firstPartition((await writer.request(ApiKey.Fetch, 11, fetchBody('w-1', [[0, 0, 1 << 20]]))).body).errorCode, TOPIC_AUTHORIZATION_FAILED);
    const read = firstPartition((await reader.request(ApiKey.Fetch, 11, fetchBody('r-data', [[0, 0, 1 << 20]]))).body);
    assert.deepEqual([read.errorCode, read.highWatermark], [0, 0n], 'nothing of the refused produce was stored');
    const offsets = async (c: WireClient, name: string) => firstPartition((await c.request(ApiKey.ListOffsets, 5, {
      replicaId: -1, isolationLevel: 0, topics: [{ name, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] }] })).body, 'topics');
    assert.deepEqual([(await offsets(writer, 'w-1')).errorCode, (await offsets(writer, 'w-1')).offset], [0, 1n]);
    assert.equal((await offsets(reader, 'w-1')).errorCode, TOPIC_AUTHORIZATION_FAILED);
  });

  it('before authentication a frame over sasl.server.max.receive.size (512 KiB) closes the connection; after it, not', async () => {
    const c = await connect();
    const head = Buffer.alloc(4);
    head.writeInt32BE(600_000);
    c.socket.write(head);
    assert.equal(await c.closedWithin(5_000), true);
    const big = await login('writer', 'writer-pw');
    await big.request(ApiKey.CreateTopics, 4, { timeoutMs: 5000, validateOnly: false,
      topics: [{ name: 'w-big', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }] });
    const batch = encodeBatch([{ value: Buffer.alloc(600_000, 7) }]);
    assert.equal(firstPartition((await big.request(ApiKey.Produce, 7, produceBody('w-big', 0, batch))).body).errorCode, 0);
  });

  it('counts SASL authentications by mechanism and result on /metrics', async () => {
    const text = await (await fetch(`${server.admin}/metrics`)).text();
    const count = (mechanism: string, result: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`junction_kafka_authentications_total{mechanism="${mechanism}",result="${result}"}`));
      return Number(line?.slice(line.lastIndexOf(' ') + 1) ?? 0);
    };
    // The tests above: two wrong passwords (SaslAuthenticate, raw), six good logins (five login()
    // calls and one raw token).
    assert.equal(count('PLAIN', 'failure'), 2);
    assert.equal(count('PLAIN', 'success'), 6);
  });

  it('a reader may describe a missing topic it may not create: TOPIC_AUTHORIZATION_FAILED, and nothing is created', async () => {
    const c = await login('reader', 'reader-pw');
    assert.deepEqual((await metadata(c, ['r-new'])).map((t) => t.errorCode), [TOPIC_AUTHORIZATION_FAILED]);
    assert.deepEqual((await metadata(c, ['r-new'], false)).map((t) => t.errorCode), [3], 'UNKNOWN_TOPIC_OR_PARTITION without auto-creation');
    assert.equal((server.junction.personality('kafka') as RunningKafka).topics.topic('r-new'), undefined);
  });
});

describe('kafka without --auth', () => {
  it('serves requests without SASL, and a client configured for SASL/PLAIN logs in with any password', async () => {
    const server = await startTestServer({ enabled: ['kafka'] });
    try {
      const c = await WireClient.connect(server.ports.kafka!);
      try {
        assert.equal((await c.request(ApiKey.Metadata, 1, { topics: null })).body.topics instanceof Array, true);
        assert.equal((await c.request(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' })).body.errorCode, 0);
        const { body } = await c.request(ApiKey.SaslAuthenticate, 1, { authBytes: Buffer.from('\0dev\0anything') });
        assert.equal(body.errorCode, 0);
        const created = await c.request(ApiKey.CreateTopics, 4, { timeoutMs: 5000, validateOnly: false,
          topics: [{ name: 'free', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }] });
        assert.equal((created.body.topics as TopicAnswer[])[0]!.errorCode, 0, 'no permission needed');
      } finally {
        c.close();
      }
    } finally {
      await server.destroy();
    }
  });
});
