// --auth at the flexible versions: SaslAuthenticate v2 (what @platformatic/kafka and Java 3.x clients
// send), and the permission checks on the paths that name topics by id (Metadata v12, Fetch v13+,
// DeleteTopics v6) and on DescribeCluster's authorized operations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningKafka } from '../../src/kafka/personality.js';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { fetchBody, WireClient } from './wire-client.js';

type Body = Record<string, any>;
const TOPIC_AUTHORIZATION_FAILED = 29;
const GROUP_AUTHORIZATION_FAILED = 30;

describe('kafka --auth at flexible versions', () => {
  let server: TestServer;
  let kafka: RunningKafka;
  const clients: WireClient[] = [];
  const connect = async (): Promise<WireClient> => {
    const c = await WireClient.connect(server.ports.kafka!);
    clients.push(c);
    return c;
  };
  /** SaslHandshake v1, then SaslAuthenticate v2 (flexible: compact bytes, header v2). */
  const authenticate = async (user: string, password: string): Promise<{ c: WireClient; body: Body }> => {
    const c = await connect();
    assert.equal((await c.request(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' })).body.errorCode, 0);
    const { body } = await c.request(ApiKey.SaslAuthenticate, 2, { authBytes: Buffer.from(`\0${user}\0${password}`) });
    return { c, body };
  };
  const idOf = (name: string): string => kafka.topics.topic(name)!.id;

  before(async () => {
    server = await startTestServer({ auth: true, enabled: ['kafka'] });
    const auth = server.junction.auth;
    await auth.createUser('reader', 'reader-pw');
    await auth.addRole('r-role', 'reader');
    await auth.addPermission('r-role', 'kafka:topic:r-*', 'r');
    await auth.addPermission('r-role', 'kafka:group:rg-*', 'r');
    kafka = server.junction.personality('kafka') as RunningKafka;
    await kafka.topics.create('r-data', 1, {});
    await kafka.topics.create('secret', 1, {});
  });
  after(async () => {
    for (const c of clients) c.close();
    await server?.destroy();
  });

  it('SaslAuthenticate v2 logs in; a wrong password is SASL_AUTHENTICATION_FAILED and the connection closes', async () => {
    const good = await authenticate('reader', 'reader-pw');
    assert.deepEqual([good.body.errorCode, good.body.errorMessage, good.body.sessionLifetimeMs], [0, null, 0n]);
    const bad = await authenticate('reader', 'nope');
    assert.deepEqual([bad.body.errorCode, bad.body.errorMessage], [58, 'Authentication failed: Invalid username or password']);
    assert.equal(await bad.c.closedWithin(5_000), true);
  });

  it('topics named by id are checked like topics named by name', async () => {
    const { c } = await authenticate('reader', 'reader-pw');
    const metadata = async (topicId: string) => ((await c.request(ApiKey.Metadata, 12,
      { topics: [{ name: null, topicId }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false })).body.topics as Body[])[0]!;
    const readable = await metadata(idOf('r-data'));
    assert.deepEqual([readable.errorCode, readable.name], [0, 'r-data']);
    const hidden = await metadata(idOf('secret'));
    assert.deepEqual([hidden.errorCode, hidden.name, hidden.partitions], [TOPIC_AUTHORIZATION_FAILED, null, []]);

    const body = fetchBody('', [[0, 0, 1024]]);
    const [asked] = body.topics as Body[];
    const fetched = (await c.request(ApiKey.Fetch, 13, { ...body, topics: [{ ...asked, topicId: idOf('r-data') }, { ...asked, topicId: idOf('secret') }] })).body;
    assert.deepEqual((fetched.responses as Body[]).map((t) => t.partitions[0].errorCode), [0, TOPIC_AUTHORIZATION_FAILED]);

    const deleted = (await c.request(ApiKey.DeleteTopics, 6, { topics: [{ name: null, topicId: idOf('secret') }], timeoutMs: 5000 })).body as Body;
    // Named by id and not describable: refused without its name (KafkaApis.handleDeleteTopicsRequest).
    assert.deepEqual(deleted.responses.map((r: Body) => [r.name, r.topicId, r.errorCode]), [[null, idOf('secret'), TOPIC_AUTHORIZATION_FAILED]]);
    assert.ok(kafka.topics.topic('secret'), 'not deleted');
  });

  it('batches are checked one by one: FindCoordinator v4 keys and OffsetFetch v8 groups', async () => {
    const { c } = await authenticate('reader', 'reader-pw');
    const found = (await c.request(ApiKey.FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['rg-1', 'other'] })).body as Body;
    assert.deepEqual(found.coordinators.map((k: Body) => [k.key, k.errorCode, k.nodeId]), [['rg-1', 0, 1], ['other', GROUP_AUTHORIZATION_FAILED, -1]]);
    const fetched = (await c.request(ApiKey.OffsetFetch, 8, { requireStable: false, groups: [
      { groupId: 'rg-1', topics: [{ name: 'r-data', partitionIndexes: [0] }, { name: 'secret', partitionIndexes: [0] }] },
      { groupId: 'other', topics: null },
    ] })).body as Body;
    assert.deepEqual(fetched.groups.map((g: Body) => [g.groupId, g.errorCode, g.topics.map((t: Body) => [t.name, t.partitions[0].errorCode])]), [
      ['rg-1', 0, [['r-data', 0], ['secret', TOPIC_AUTHORIZATION_FAILED]]],
      ['other', GROUP_AUTHORIZATION_FAILED, []],
    ]);
  });

  it('DescribeCluster answers every principal, but authorized operations only to one that may DESCRIBE the cluster', async () => {
    const { c } = await authenticate('reader', 'reader-pw');
    const body = (await c.request(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: true, endpointType: 1 })).body as Body;
    assert.deepEqual([body.errorCode, body.brokers.length, body.clusterAuthorizedOperations], [0, 1, 0]);
  });
});
