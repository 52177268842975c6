// The Kafka listener's framing and dispatch, over a raw socket: ApiVersions ranges and the v0
// fallback (KIP-511), what closes a connection (unknown key, unadvertised version, malformed or
// oversized frame, idleness) without touching other connections, and response order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API_KEYS, ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { encodeBatch } from '../helpers/kafka-batch.js';
import { fetchBody, firstPartition, produceBody, WireClient } from './wire-client.js';

const IMPLEMENTED = [ApiKey.Produce, ApiKey.Fetch, ApiKey.ListOffsets, ApiKey.Metadata, ApiKey.ApiVersions, ApiKey.CreateTopics, ApiKey.DeleteTopics,
  ApiKey.SaslHandshake, ApiKey.SaslAuthenticate,
  ApiKey.OffsetCommit, ApiKey.OffsetFetch, ApiKey.FindCoordinator, ApiKey.JoinGroup, ApiKey.Heartbeat, ApiKey.LeaveGroup, ApiKey.SyncGroup,
  ApiKey.DescribeGroups, ApiKey.ListGroups, ApiKey.DeleteGroups,
  ApiKey.DeleteRecords, ApiKey.InitProducerId, ApiKey.OffsetForLeaderEpoch, ApiKey.DescribeConfigs, ApiKey.AlterConfigs, ApiKey.CreatePartitions,
  ApiKey.IncrementalAlterConfigs, ApiKey.DescribeCluster];

describe('kafka framing and dispatch', () => {
  let server: TestServer;
  let port: number;
  const clients: WireClient[] = [];
  const client = async (): Promise<WireClient> => {
    const c = await WireClient.connect(port);
    clients.push(c);
    return c;
  };

  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { socketRequestMaxBytes: 4096, messageMaxBytes: 2048, connectionsMaxIdleMs: 400 } });
    port = server.ports.kafka!;
  });
  after(async () => {
    for (const c of clients) c.close();
    await server?.destroy();
  });

  it('ApiVersions lists exactly the implemented APIs, with the ranges of api-keys.ts', async () => {
    const c = await client();
    for (const version of [0, 1, 2, 3, 4]) {
      const body = version >= 3 ? { clientSoftwareName: 'wire', clientSoftwareVersion: '1' } : {};
      const { body: r } = await c.request(ApiKey.ApiVersions, version, body);
      assert.equal(r.errorCode, 0);
      const keys = (r.apiKeys as Array<{ apiKey: number; minVersion: number; maxVersion: number }>);
      assert.deepEqual(keys.map((k) => k.apiKey).sort((a, b) => a - b), [...IMPLEMENTED].sort((a, b) => a - b), `v${version}`);
      for (const k of keys) {
        const declared = API_KEYS.find((a) => a.key === k.apiKey)!;
        // Produce is advertised from v0 for librdkafka's compression check (KAFKA-18659).
        assert.deepEqual([k.minVersion, k.maxVersion], [k.apiKey === ApiKey.Produce ? 0 : declared.min, declared.max]);
      }
    }
  });

  it('ApiVersions of an unknown version gets UNSUPPORTED_VERSION in a v0 body (KIP-511), and the connection stays', async () => {
    const c = await client();
    // Header v2 (flexible from v3): key, version 9, correlation 77, client id "new", no tags; then an empty tagged body.
    const frame = Buffer.from([0, 18, 0, 9, 0, 0, 0, 77, 0, 3, ...Buffer.from('new'), 0, 0, 0, 0]);
    c.sendRaw(frame);
    const r = await c.receive(ApiKey.ApiVersions, 0);
    assert.ok(r);
    assert.equal(r.correlationId, 77);
    assert.equal(r.body.errorCode, 35);
    const own = (r.body.apiKeys as Array<{ apiKey: number; minVersion: number; maxVersion: number }>).find((k) => k.apiKey === 18);
    assert.deepEqual(own && [own.minVersion, own.maxVersion], [0, 4]);
    const again = await c.request(ApiKey.ApiVersions, 3, { clientSoftwareName: 'wire', clientSoftwareVersion: '1' });
    assert.equal(again.body.errorCode, 0);
  });

  it('an API this broker does not serve closes only that connection', async () => {
    const other = await client();
    const c = await client();
    // UpdateFeatures (key 57) v0, header v1 with a null client id: a real API Junction does not serve.
    c.sendRaw(Buffer.from([0, 57, 0, 0, 0, 0, 0, 9, 0xff, 0xff, 0, 0, 0, 0]));
    assert.equal(await c.closedWithin(2000), true);
    const ok = await other.request(ApiKey.ApiVersions, 0, {});
    assert.equal(ok.body.errorCode, 0);
  });

  it('a version outside the advertised range closes the connection', async () => {
    const c = await client();
    // Metadata v9 is flexible and not advertised (max 8): header v2 with an empty body is enough to refuse.
    c.sendRaw(Buffer.from([0, 3, 0, 9, 0, 0, 0, 5, 0, 1, 0x41, 0, 1, 0, 0]));
    assert.equal(await c.closedWithin(2000), true);
  });

  it('Produce v0-v2, advertised for librdkafka but not served, closes the connection (as Kafka 4.0)', async () => {
    const c = await client();
    // Produce v2 header (v1), acks 1, timeout, one topic "t" with no partitions.
    c.sendRaw(Buffer.from([0, 0, 0, 2, 0, 0, 0, 3, 0xff, 0xff, 0, 1, 0, 0, 0x03, 0xe8, 0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 0]));
    assert.equal(await c.closedWithin(2000), true);
  });

  it('a frame above socket.request.max.bytes closes the connection before its body arrives', async () => {
    const other = await client();
    const c = await client();
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(4097);
    c.socket.write(prefix);
    assert.equal(await c.closedWithin(2000), true);
    assert.equal((await other.request(ApiKey.ApiVersions, 1, {})).body.errorCode, 0);
  });

  it('a negative frame size and a truncated request body each close the connection', async () => {
    const a = await client();
    a.socket.write(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    assert.equal(await a.closedWithin(2000), true);
    const b = await client();
    // Metadata v1 header, then a topic array claiming 5 entries and ending.
    b.sendRaw(Buffer.from([0, 3, 0, 1, 0, 0, 0, 9, 0xff, 0xff, 0, 0, 0, 5]));
    assert.equal(await b.closedWithin(2000), true);
  });

  it('answers pipelined requests in request order, and Produce acks=0 not at all', async () => {
    const c = await client();
    const ids = [
      c.send(ApiKey.Metadata, 4, { topics: [{ name: 'pipelined' }], allowAutoTopicCreation: true }),
      // Behind the Metadata that creates the topic (a barrier), so it finds it.
      c.send(ApiKey.Produce, 7, produceBody('pipelined', 0, encodeBatch([{ value: Buffer.from('quiet') }]), 0)),
      c.send(ApiKey.ApiVersions, 0, {}),
      c.send(ApiKey.Metadata, 1, { topics: null }),
    ];
    const first = await c.receive(ApiKey.Metadata, 4);
    const second = await c.receive(ApiKey.ApiVersions, 0);
    const third = await c.receive(ApiKey.Metadata, 1);
    assert.deepEqual([first?.correlationId, second?.correlationId, third?.correlationId], [ids[0], ids[2], ids[3]]);
    // The acks=0 batch was appended: a Fetch on this connection sees it once durable (long poll).
    const fetched = await c.request(ApiKey.Fetch, 11, fetchBody('pipelined', [[0, 0, 1 << 20]], { maxWaitMs: 5000 }));
    assert.equal((firstPartition(fetched.body).records as Buffer).includes('quiet'), true);
  });

  it('a failed acks=0 Produce closes the connection, since its client reads no answer', async () => {
    const c = await client();
    c.send(ApiKey.Produce, 7, produceBody('no-such-topic', 0, encodeBatch([{ value: Buffer.from('x') }]), 0));
    assert.equal(await c.closedWithin(2000), true);
  });

  it('closes a connection idle for connections.max.idle.ms', async () => {
    const c = await client();
    await c.request(ApiKey.ApiVersions, 0, {});
    assert.equal(await c.closedWithin(3000), true);
  });
});
