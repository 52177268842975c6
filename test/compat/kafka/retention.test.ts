// Retention with real clients (issue 9 §6 "retention deletes old segments"): topics created by
// kafkajs with segment.bytes/retention.bytes and segment.ms/retention.ms, records written by kcat;
// the broker's retention check (log.retention.check.interval.ms, 100 ms here) deletes whole old
// segments, kafkajs sees the earliest offset move and kcat reads from there on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { kcat, kcatReadAll } from './common.js';

describe('kafka retention (kafkajs admin, kcat data)', () => {
  let server: TestServer;
  let bootstrap: string;
  let admin: Admin;
  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { retentionCheckIntervalMs: 100 } });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
    admin = new Kafka({ clientId: 'retention-test', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  after(async () => {
    await admin?.disconnect();
    await server?.destroy();
  });

  /** The earliest offset once it is above 0 (retention ran), within `ms`. */
  async function earliestAfterRetention(topic: string, ms = 5000): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
      const [{ low }] = (await admin.fetchTopicOffsets(topic)) as Array<{ low: string }>;
      if (Number(low) > 0 || Date.now() > deadline) return Number(low);
      await sleep(100);
    }
  }

  const produce = (topic: string, values: string[]): Promise<string> =>
    kcat(['-b', bootstrap, '-P', '-t', topic, '-p', '0', '-X', 'linger.ms=0', '-X', 'batch.num.messages=5'], values.join('\n') + '\n');

  it('retention.bytes: old segments go, the newest records stay readable from the new earliest offset', async () => {
    await admin.createTopics({ topics: [{ topic: 'sized', numPartitions: 1, configEntries: [
      { name: 'segment.bytes', value: '2048' }, { name: 'retention.bytes', value: '4096' }] }] });
    await produce('sized', Array.from({ length: 200 }, (_, i) => `sized-${String(i).padStart(3, '0')}-${'x'.repeat(80)}`));
    const low = await earliestAfterRetention('sized');
    assert.ok(low > 0 && low < 200, `earliest offset ${low}`);
    const lines = await kcatReadAll(bootstrap, 'sized');
    const offsets = lines.map((l) => Number(l.split(' ')[1])).sort((a, b) => a - b);
    assert.equal(offsets[0], low, 'kcat starts at the earliest offset');
    assert.deepEqual(offsets, offsets.map((_, i) => low + i), 'contiguous up to the end');
    assert.equal(offsets.at(-1), 199, 'the newest record is kept');
  });

  it('segment.ms + retention.ms: a quiet partition rolls at the next append and its old segment is deleted', async () => {
    await admin.createTopics({ topics: [{ topic: 'aged', numPartitions: 1, configEntries: [
      { name: 'segment.ms', value: '300' }, { name: 'retention.ms', value: '600' }] }] });
    await produce('aged', ['old-1', 'old-2']);
    await sleep(800);
    await produce('aged', ['new-1']);
    assert.equal(await earliestAfterRetention('aged'), 2, 'the old segment is gone');
    assert.deepEqual((await kcatReadAll(bootstrap, 'aged')).map((l) => l.split(' ').slice(1).join(' ')), ['2  new-1']);
  });
});
