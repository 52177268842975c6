// junction_kafka_* metrics on the admin port's /metrics and the counts `junction status` shows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { encodeBatch, valueRecords } from '../helpers/kafka-batch.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { fetchBody, produceBody, WireClient } from './wire-client.js';

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  assert.ok(line, `${name} in /metrics`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('kafka metrics and status', () => {
  let server: TestServer;
  let c: WireClient;
  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { numPartitions: 4 } });
    c = await WireClient.connect(server.ports.kafka!);
  });
  after(async () => {
    c?.close();
    await server?.destroy();
  });

  it('counts bytes and messages in and out, request latency per API, topics and partitions', async () => {
    await c.request(ApiKey.Metadata, 4, { topics: [{ name: 'm' }], allowAutoTopicCreation: true });
    const batch = encodeBatch(valueRecords(5, 100, 'm'));
    await c.request(ApiKey.Produce, 7, produceBody('m', 2, batch));
    await c.request(ApiKey.Fetch, 11, fetchBody('m', [[2, 0, 1 << 20]]));
    const text = await (await fetch(`${server.admin}/metrics`)).text();
    assert.equal(metric(text, 'junction_kafka_bytes_in_total'), batch.length);
    assert.equal(metric(text, 'junction_kafka_messages_in_total'), 5);
    assert.equal(metric(text, 'junction_kafka_bytes_out_total'), batch.length);
    assert.equal(metric(text, 'junction_kafka_topics'), 1);
    assert.equal(metric(text, 'junction_kafka_partitions'), 4);
    assert.equal(metric(text, 'junction_kafka_connections'), 1);
    const topicBytes = Number(/junction_kafka_topic_log_size_bytes\{topic="m"\} (\d+)/.exec(text)?.[1]);
    assert.ok(topicBytes >= batch.length && topicBytes === metric(text, 'junction_kafka_log_size_bytes'), `topic m: ${topicBytes} bytes`);
    assert.match(text, /junction_kafka_request_latency_seconds_count\{api="Produce"\} 1/);
    assert.match(text, /junction_kafka_request_latency_seconds_count\{api="Metadata"\} 1/);
    const status = server.junction.personality('kafka')!.status();
    assert.equal(status.topics, 1);
    assert.equal(status.partitions, 4);
    assert.ok(status.bytes! >= batch.length);
  });

  it('counts groups by state and each group\'s lag (log end − committed)', async () => {
    await c.request(ApiKey.OffsetCommit, 2, { groupId: 'idle', generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1n,
      topics: [{ name: 'm', partitions: [{ partitionIndex: 2, committedOffset: 2n, committedMetadata: null }] }] });
    const join = (await c.request(ApiKey.JoinGroup, 0, { groupId: 'busy', sessionTimeoutMs: 10_000, memberId: '', protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] })).body;
    await c.request(ApiKey.SyncGroup, 0, { groupId: 'busy', generationId: join.generationId, memberId: join.memberId, assignments: [] });
    const text = await (await fetch(`${server.admin}/metrics`)).text();
    assert.match(text, /junction_kafka_groups\{state="Empty"\} 1/);
    assert.match(text, /junction_kafka_groups\{state="Stable"\} 1/);
    assert.match(text, /junction_kafka_groups\{state="PreparingRebalance"\} 0/);
    assert.match(text, /junction_kafka_group_lag\{group="idle"\} 3/, '5 records, committed 2');
    assert.match(text, /junction_kafka_group_lag\{group="busy"\} 0/);
    assert.equal(server.junction.personality('kafka')!.status().groups, 2, '`junction status` counts the groups');
  });
});
