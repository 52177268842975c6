// Mutated client frames against a running broker (fixed seed): captured requests of kcat,
// kafkajs, kafka-python and confluent-kafka plus Produce/Fetch frames, with bytes flipped,
// truncated or extended. Every connection must end up answered or closed, and the broker must
// keep serving everyone else.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { encodeBatch, valueRecords } from '../helpers/kafka-batch.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { clientFrames, encodeRequest, seededRandom } from './helpers.js';
import { assertNoConnectionsLeft, fetchBody, produceBody, WireClient } from './wire-client.js';

function seedFrames(): Buffer[] {
  const header = (requestApiKey: number, requestApiVersion: number) => ({ requestApiKey, requestApiVersion, correlationId: 1, clientId: 'fuzz' });
  return [
    ...clientFrames().values(),
    encodeRequest(header(ApiKey.Produce, 7), produceBody('fuzz', 0, encodeBatch(valueRecords(3, 20, 'f')))),
    encodeRequest(header(ApiKey.Fetch, 11), fetchBody('fuzz', [[0, 0, 1024]])),
    encodeRequest(header(ApiKey.CreateTopics, 4), { topics: [{ name: 'fz', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 100, validateOnly: true }),
  ];
}

function mutate(frame: Buffer, random: () => number): Buffer {
  const out = Buffer.from(frame);
  switch (Math.floor(random() * 3)) {
    case 0: for (let i = 0; i < 1 + random() * 4; i++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256); return out;
    case 1: return out.subarray(0, Math.floor(random() * out.length));
    default: return Buffer.concat([out, Buffer.from(Array.from({ length: 1 + Math.floor(random() * 16) }, () => Math.floor(random() * 256)))]);
  }
}

describe('kafka broker under mutated frames', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { socketRequestMaxBytes: 2 << 20 } });
    const c = await WireClient.connect(server.ports.kafka!);
    await c.request(ApiKey.Metadata, 4, { topics: [{ name: 'fuzz' }], allowAutoTopicCreation: true });
    c.close();
  });
  after(async () => { await server?.destroy(); });

  it('answers or closes every fuzzed connection and keeps serving a well-behaved client', async () => {
    const random = seededRandom(20261205);
    const seeds = seedFrames();
    const good = await WireClient.connect(server.ports.kafka!);
    try {
      for (let round = 0; round < 60; round++) {
        const c = await WireClient.connect(server.ports.kafka!);
        for (let i = 0; i < 5; i++) c.sendRaw(mutate(seeds[Math.floor(random() * seeds.length)]!, random));
        // A short frame waits for bytes that never come; the idle close is what ends it. Here the
        // client gives up after a moment, as a real one would time out.
        await c.closedWithin(150);
        c.close();
        if (round % 10 === 9) assert.equal((await good.request(ApiKey.ApiVersions, 0, {})).body.errorCode, 0);
      }
      const md = await good.request(ApiKey.Metadata, 1, { topics: null });
      assert.ok((md.body.topics as Array<{ name: string }>).some((t) => t.name === 'fuzz'));
    } finally {
      good.close();
    }
    // Every fuzzed socket is gone from the broker once its client left.
    await assertNoConnectionsLeft(server);
  });
});
