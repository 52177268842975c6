// What survives a restart: topics (with their partition counts and configs) and every
// acknowledged batch, after a clean stop and after kill -9 of a child server; a deleted topic
// stays deleted, and a partition directory the model does not know is set aside, not read.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { killHard, startChildServer } from '../helpers/child-server.js';
import { startTestServer, tempDir } from '../helpers/junction.js';
import { encodeBatch, valueRecords } from '../helpers/kafka-batch.js';
import { fetchBody, firstPartition, produceBody, WireClient } from './wire-client.js';

async function createTopic(c: WireClient, name: string, numPartitions: number): Promise<void> {
  const { body } = await c.request(ApiKey.CreateTopics, 4, {
    topics: [{ name, numPartitions, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: '-1' }] }], timeoutMs: 5000, validateOnly: false,
  });
  assert.equal((body.topics as Array<{ errorCode: number }>)[0]!.errorCode, 0);
}

async function readAll(c: WireClient, topic: string, partition: number): Promise<{ records: Buffer; highWatermark: bigint }> {
  const p = firstPartition((await c.request(ApiKey.Fetch, 11, fetchBody(topic, [[partition, 0, 64 << 20]]))).body);
  assert.equal(p.errorCode, 0);
  return { records: p.records as Buffer, highWatermark: p.highWatermark as bigint };
}

async function clusterId(c: WireClient): Promise<string> {
  return String((await c.request(ApiKey.Metadata, 2, { topics: [] })).body.clusterId);
}

describe('kafka restart', () => {
  it('a clean stop keeps topics, batches byte for byte and the cluster id; deleted topics stay deleted', async () => {
    const dataDir = tempDir();
    let server = await startTestServer({ enabled: ['kafka'], dataDir });
    let c = await WireClient.connect(server.ports.kafka!);
    try {
      await createTopic(c, 'kept', 2);
      await createTopic(c, 'dropped', 1);
      for (let i = 0; i < 5; i++) await c.request(ApiKey.Produce, 7, produceBody('kept', i % 2, encodeBatch(valueRecords(3, 100, `b${i}`))));
      await c.request(ApiKey.DeleteTopics, 3, { topicNames: ['dropped'], timeoutMs: 5000 });
      const before = [await readAll(c, 'kept', 0), await readAll(c, 'kept', 1)];
      const id = await clusterId(c);
      c.close();
      await server.stop();

      server = await startTestServer({ enabled: ['kafka'], dataDir });
      c = await WireClient.connect(server.ports.kafka!);
      assert.deepEqual([await readAll(c, 'kept', 0), await readAll(c, 'kept', 1)], before);
      assert.equal(await clusterId(c), id);
      const md = (await c.request(ApiKey.Metadata, 1, { topics: null })).body.topics as Array<{ name: string; partitions: unknown[] }>;
      assert.deepEqual(md.map((t) => [t.name, t.partitions.length]), [['kept', 2]]);
      // Appends continue at the next offset.
      const next = firstPartition((await c.request(ApiKey.Produce, 7, produceBody('kept', 0, encodeBatch(valueRecords(1, 10, 'after')))) ).body);
      assert.equal(next.baseOffset, before[0]!.highWatermark);
    } finally {
      c.close();
      await server.destroy();
    }
  });

  it('a partition directory of no known topic is set aside at start, and a new topic of that name starts empty', async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'kafka', 'ghost-0', 'log'), { recursive: true });
    writeFileSync(join(dataDir, 'kafka', 'ghost-0', 'log', 'marker'), 'old bytes');
    const server = await startTestServer({ enabled: ['kafka'], dataDir });
    const c = await WireClient.connect(server.ports.kafka!);
    try {
      const entries = readdirSync(join(dataDir, 'kafka'));
      assert.ok(!entries.includes('ghost-0'));
      const aside = entries.find((e) => /^ghost-0\.\d+-stray$/.test(e));
      assert.ok(aside, entries.join(', '));
      assert.equal(existsSync(join(dataDir, 'kafka', aside, 'log', 'marker')), true, 'kept, not deleted');
      await createTopic(c, 'ghost', 1);
      assert.equal((await readAll(c, 'ghost', 0)).highWatermark, 0n);
    } finally {
      c.close();
      await server.destroy();
    }
  });

  it('every acknowledged batch survives kill -9 of the server', async () => {
    const dataDir = tempDir();
    const args = ['--enable', 'kafka', '--data-dir', dataDir, '--log-format', 'json'];
    let child = await startChildServer(args);
    let c = await WireClient.connect(child.ports.kafka!);
    let acknowledged = 0;
    try {
      await createTopic(c, 'durable', 1);
      // Pipelined acks=1 produces; the server is killed while some are still in flight.
      const ids: number[] = [];
      for (let i = 0; i < 200; i++) ids.push(c.send(ApiKey.Produce, 7, produceBody('durable', 0, encodeBatch(valueRecords(2, 200, `b${i}x`)))));
      for (let i = 0; i < 60; i++) {
        const r = await c.receive(ApiKey.Produce, 7);
        assert.ok(r && r.correlationId === ids[i]);
        assert.equal(firstPartition(r.body).errorCode, 0);
        acknowledged++;
      }
      await killHard(child);
      c.close();
      child = await startChildServer(args);
      c = await WireClient.connect(child.ports.kafka!);
      const { records, highWatermark } = await readAll(c, 'durable', 0);
      assert.ok(highWatermark >= BigInt(acknowledged * 2), `${highWatermark} offsets kept, ${acknowledged * 2} acknowledged`);
      for (let i = 0; i < acknowledged; i++) assert.ok(records.includes(`b${i}x:0;`), `batch ${i} read back`);
    } finally {
      c.close();
      await killHard(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a topic deleted and created again, then kill -9: the restart serves the new topic only', async () => {
    const dataDir = tempDir();
    const args = ['--enable', 'kafka', '--data-dir', dataDir, '--log-format', 'json'];
    let child = await startChildServer(args);
    let c = await WireClient.connect(child.ports.kafka!);
    try {
      await createTopic(c, 'reborn', 1);
      await createTopic(c, 'beside', 1);
      // Two partitions per request, so commit cycles go through the journal (a cycle with one log
      // alone fdatasyncs that log instead).
      const both = (tag: string) => ({ transactionalId: null, acks: 1, timeoutMs: 5000, topicData: [
        { name: 'reborn', partitionData: [{ index: 0, records: encodeBatch(valueRecords(4, 300, tag)) }] },
        { name: 'beside', partitionData: [{ index: 0, records: encodeBatch(valueRecords(1, 50, tag)) }] },
      ] });
      for (let i = 0; i < 3; i++) await c.request(ApiKey.Produce, 7, both(`old${i}x`));
      const deleted = await c.request(ApiKey.DeleteTopics, 3, { topicNames: ['reborn'], timeoutMs: 5000 });
      assert.equal((deleted.body.responses as Array<{ errorCode: number }>)[0]!.errorCode, 0);
      await createTopic(c, 'reborn', 1);
      for (let i = 0; i < 2; i++) {
        const r = firstPartition((await c.request(ApiKey.Produce, 7, {
          transactionalId: null, acks: 1, timeoutMs: 5000, topicData: [
            { name: 'reborn', partitionData: [{ index: 0, records: encodeBatch(valueRecords(1, 50, `new${i}x`)) }] },
            { name: 'beside', partitionData: [{ index: 0, records: encodeBatch(valueRecords(1, 50, `new${i}x`)) }] },
          ] })).body);
        assert.deepEqual([r.errorCode, r.baseOffset], [0, BigInt(i)]);
      }
      await killHard(child);
      c.close();
      child = await startChildServer(args);
      c = await WireClient.connect(child.ports.kafka!);
      const { records, highWatermark } = await readAll(c, 'reborn', 0);
      assert.equal(highWatermark, 2n);
      assert.ok(records.includes('new0x:0;') && records.includes('new1x:0;'));
      assert.ok(!records.includes('old0x:0;'), 'nothing of the deleted topic');
    } finally {
      c.close();
      await killHard(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
