// One consumer holds a durable queue's first message unacked while many more flow through it and
// are acked by another (issue 10 §3, compaction of fully acknowledged segments): the queue's
// message log no longer keeps every acked segment behind that head — its size on disk stays
// within a few segments — and after kill -9 the held message alone comes back, redelivered.
// RabbitMQ 3.10's msg_store garbage-collects such files too (rabbit_msg_store's GC by garbage ratio).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type amqplib from 'amqplib';
import { killHard, startChildServer } from '../../helpers/child-server.js';
import { connect, delay, quietChannel, quietConfirmChannel } from '../../helpers/amqp-client.js';
import { tempDir } from '../../helpers/junction.js';

/** The queue store's message segment size (QueueStoreOptions.segmentBytes' default). */
const SEGMENT = 8 * 1024 * 1024;
const BODY = 64 * 1024;
/** 1,024 × 64 KiB: 64 MiB, eight segments. */
const MESSAGES = 1024;
const BURST = 64;

function queueBytes(dataDir: string, queue: string): number {
  const dir = join(dataDir, 'amqp', 'queues', '%2F', queue, 'msgs', 'log');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).filter((f) => f.endsWith('.log')).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** The queue's message log on disk once compaction has caught up: waits up to 5 s for it to come
 *  down to `limit` bytes, then returns what it is. */
async function settledBytes(dataDir: string, queue: string, limit: number): Promise<number> {
  let bytes = queueBytes(dataDir, queue);
  for (let i = 0; i < 100 && bytes > limit; i++) { await delay(50); bytes = queueBytes(dataDir, queue); }
  return bytes;
}

test('a held head no longer pins acked segments on disk; after kill -9 it alone comes back, redelivered', { timeout: 120_000 }, async () => {
  const dataDir = tempDir('junction-gap-e2e-');
  let server = await startChildServer(['--enable', 'amqp', '--data-dir', dataDir]);
  try {
    const url = () => `amqp://guest:guest@127.0.0.1:${server.ports.amqp}`;
    const conn = await connect(url());
    const pub = await quietConfirmChannel(conn);
    await pub.assertQueue('pinned', { durable: true });
    const publish = (i: number) => new Promise<void>((resolve, reject) => {
      const body = Buffer.alloc(BODY, i % 251);
      body.write(`m${i}`);
      pub.sendToQueue('pinned', body, { persistent: true, messageId: `m${i}` }, (err) => (err ? reject(err) : resolve()));
    });
    // The holder takes m0 and never acks it (prefetch 1: it gets nothing else).
    const holder = await quietChannel(conn);
    await holder.prefetch(1);
    const held = new Promise<amqplib.ConsumeMessage>((resolve) => { void holder.consume('pinned', (m) => { if (m) resolve(m); }); });
    await publish(0);
    assert.equal((await held).properties.messageId, 'm0');
    // The other consumer acks everything else as it comes.
    const acker = await quietChannel(conn);
    await acker.prefetch(32);
    let acked = 0;
    await acker.consume('pinned', (m) => { if (m) { acked++; acker.ack(m); } });
    let largest = 0;
    for (let i = 1; i < MESSAGES; i += BURST) {
      await Promise.all(Array.from({ length: Math.min(BURST, MESSAGES - i) }, (_, k) => publish(i + k)));
      while (acked < Math.min(i + BURST, MESSAGES) - 1) await delay(5);
      largest = Math.max(largest, queueBytes(dataDir, 'pinned'));
    }
    // Settled: the head's segment, the active one, and at most one whose acks are still being
    // compacted; without compaction the log would hold every message (64 MiB).
    const settled = await settledBytes(dataDir, 'pinned', 3 * SEGMENT);
    assert.ok(settled <= 3 * SEGMENT, `${settled} bytes on disk after ${MESSAGES} messages of ${BODY} bytes`);
    assert.ok(largest <= 4 * SEGMENT, `at most ${largest} bytes on disk along the way`);
    // A round trip after the acks: its reply waits until they are on disk (Broker.noteRemoval).
    await acker.checkQueue('pinned');
    await killHard(server);

    server = await startChildServer(['--enable', 'amqp', '--data-dir', dataDir]);
    const again = await connect(url());
    const ch = await quietChannel(again);
    const first = await ch.get('pinned', { noAck: false });
    assert.ok(first, 'the held message is back');
    assert.equal(first.properties.messageId, 'm0');
    assert.equal(first.fields.redelivered, true);
    assert.ok(first.content.equals((() => { const b = Buffer.alloc(BODY, 0); b.write('m0'); return b; })()), 'its body intact');
    assert.equal(await ch.get('pinned', { noAck: true }), false, 'nothing else: every acked message stays gone');
    ch.ack(first);
    await again.close();
  } finally {
    await killHard(server);
  }
});

// A consumer that keeps one message of every segment unacked (RabbitMQ 3.10.8's msg_store would
// combine such files once it is half garbage): each closed segment is rewritten with its held
// message only, and after kill -9 exactly the held messages come back, in order, redelivered.
test('messages held here and there no longer pin their segments: each is rewritten with the held one only; after kill -9 exactly those come back', { timeout: 120_000 }, async () => {
  const dataDir = tempDir('junction-keep-e2e-');
  let server = await startChildServer(['--enable', 'amqp', '--data-dir', dataDir]);
  const body = (i: number) => { const b = Buffer.alloc(BODY, i % 251); b.write(`m${i}`); return b; };
  // One message of each segment (128 × 64 KiB fill one) stays unacked: m0, m128, …, m896.
  const isHeld = (i: number) => i % 128 === 0;
  try {
    const url = () => `amqp://guest:guest@127.0.0.1:${server.ports.amqp}`;
    const conn = await connect(url());
    const pub = await quietConfirmChannel(conn);
    await pub.assertQueue('scattered', { durable: true });
    const publish = (i: number) => new Promise<void>((resolve, reject) => {
      pub.sendToQueue('scattered', body(i), { persistent: true, messageId: `m${i}` }, (err) => (err ? reject(err) : resolve()));
    });
    const consumer = await quietChannel(conn);
    await consumer.prefetch(32);
    const held: string[] = [];
    let acked = 0;
    await consumer.consume('scattered', (m) => {
      if (!m) return;
      if (isHeld(Number(m.properties.messageId.slice(1)))) held.push(m.properties.messageId);
      else { acked++; consumer.ack(m); }
    });
    let largest = 0;
    for (let i = 0; i < MESSAGES; i += BURST) {
      const end = Math.min(i + BURST, MESSAGES);
      await Promise.all(Array.from({ length: end - i }, (_, k) => publish(i + k)));
      const toAck = Array.from({ length: end }, (_, k) => k).filter((k) => !isHeld(k)).length;
      while (acked < toAck) await delay(5);
      largest = Math.max(largest, queueBytes(dataDir, 'scattered'));
    }
    const heldIds = Array.from({ length: MESSAGES }, (_, k) => k).filter(isHeld).map((k) => `m${k}`);
    assert.deepEqual(held, heldIds);
    // Settled: the active segment, rewritten ones of about one message each, and at most one whose
    // acks came after the last look (compaction looks after every quarter segment of removals);
    // without the rewrite every segment would stay whole (64 MiB).
    const settled = await settledBytes(dataDir, 'scattered', 3 * SEGMENT);
    assert.ok(settled <= 3 * SEGMENT, `${settled} bytes on disk after ${MESSAGES} messages of ${BODY} bytes, ${heldIds.length} held`);
    assert.ok(largest <= 5 * SEGMENT, `at most ${largest} bytes on disk along the way`);
    await consumer.checkQueue('scattered');
    await killHard(server);

    server = await startChildServer(['--enable', 'amqp', '--data-dir', dataDir]);
    const again = await connect(url());
    const ch = await quietChannel(again);
    for (const id of heldIds) {
      const m = await ch.get('scattered', { noAck: true });
      assert.ok(m, `${id} is back`);
      assert.equal(m.properties.messageId, id);
      assert.equal(m.fields.redelivered, true);
      assert.ok(m.content.equals(body(Number(id.slice(1)))), `${id}: its body intact`);
    }
    assert.equal(await ch.get('scattered', { noAck: true }), false, 'nothing else: every acked message stays gone');
    await again.close();
  } finally {
    await killHard(server);
  }
});
