import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BasicProperties } from '../../../src/amqp/protocol/content.js';
import { encodeContentHeader } from '../../../src/amqp/protocol/content.js';
import { decodeMessageRecord, decodeRecordHead, encodeMessageRecord, type StoredMessage } from '../../../src/amqp/store/message-record.js';
import { MessageIndex } from '../../../src/amqp/store/message-index.js';
import { prng } from '../../core/fixtures/log-helpers.js';

const EVERY_PROPERTY: BasicProperties = {
  contentType: 'application/json', contentEncoding: 'gzip',
  headers: [['x-death', { type: 'A', value: [{ type: 'F', value: [['count', { type: 'l', value: 2n }]] }] }], ['n', { type: 'I', value: -5 }]],
  deliveryMode: 2, priority: 7, correlationId: 'c-1', replyTo: 'amq.rabbitmq.reply-to', expiration: '60000',
  messageId: 'm-1', timestamp: 1_700_000_000n, type: 'order', userId: 'guest', appId: 'shop', clusterId: 'legacy',
};

test('message record round trip: every property, names with multi-byte characters, empty and binary bodies', () => {
  const bodies = [Buffer.alloc(0), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.alloc(100_000, 0xee)];
  const cases: StoredMessage[] = [
    { exchange: '', routingKey: 'q', properties: {}, body: bodies[0]!, publishedAt: 1 },
    { exchange: 'amq.topic', routingKey: 'ключ.*.#', properties: EVERY_PROPERTY, body: bodies[1]!, publishedAt: 1_733_000_000_123, expiresAt: 1_733_000_060_123 },
    { exchange: 'x'.repeat(255), routingKey: 'k'.repeat(255), properties: { priority: 0, deliveryMode: 1 }, body: bodies[2]!, publishedAt: 5 },
  ];
  for (const message of cases) {
    const [head, body] = encodeMessageRecord(message);
    assert.equal(body, message.body, 'the body is the caller\'s buffer, not a copy');
    const payload = Buffer.concat([head, body]);
    const header = encodeContentHeader({ classId: 60, weight: 0, bodySize: BigInt(message.body.length), properties: message.properties });
    assert.deepEqual(decodeMessageRecord(payload), { ...message, header });
    const summary = decodeRecordHead(payload);
    assert.equal(summary.bodySize, message.body.length);
    assert.equal(summary.priority, message.properties.priority ?? 0);
    assert.equal(summary.expiresAt, message.expiresAt ?? null);
    assert.equal(summary.publishedAt, message.publishedAt);
  }
});

test('message record: a content header the broker already has is stored as it is, not encoded again', () => {
  // A header whose bytes say priority 9 beside properties that say 1: what comes back is what was
  // given (the broker's AmqpMessage.header always describes its properties; this tells them apart).
  const given = encodeContentHeader({ classId: 60, weight: 0, bodySize: 4n, properties: { priority: 9 } });
  const decoded = decodeMessageRecord(Buffer.concat(encodeMessageRecord(
    { exchange: 'e', routingKey: 'r', properties: { priority: 1 }, body: Buffer.from('body'), header: given, publishedAt: 3 })));
  assert.ok(decoded.header!.equals(given));
  assert.equal(decoded.properties.priority, 9);
});

test('message record: over-long names are refused, damaged records are StorageErrors', () => {
  assert.throws(() => encodeMessageRecord({ exchange: 'é'.repeat(128), routingKey: '', properties: {}, body: Buffer.alloc(0) }), /shortstr/);
  const payload = Buffer.concat(encodeMessageRecord({ exchange: 'e', routingKey: 'r', properties: { headers: [] }, body: Buffer.from('b') }));
  for (let cut = 0; cut < payload.length - 1; cut++) {
    assert.throws(() => decodeMessageRecord(payload.subarray(0, cut)), (e: Error) => e.name !== 'TypeError' && e.name !== 'RangeError', `cut at ${cut}`);
  }
  const bad = Buffer.from(payload);
  bad[0] = 9;
  assert.throws(() => decodeRecordHead(bad), /unknown format/);
});

test('message index: order, removal anywhere, chunks freed, redelivered and deadlines, memory per entry', () => {
  const index = new MessageIndex();
  const n = 20_000;
  for (let i = 0; i < n; i++) index.push(i * 3, 100 + (i % 7), i % 10, i % 5 === 0 ? 1000 + i : null, i % 2 === 0);
  assert.equal(index.size, n);
  assert.equal(index.firstLive(), 0);
  // Remove every message of the first 10,000 but one, and every third later one.
  for (let i = 0; i < 10_000; i++) if (i !== 4321) assert.equal(index.remove(i * 3), true);
  for (let i = 10_000; i < n; i += 3) index.remove(i * 3);
  assert.equal(index.remove(4), false, 'not a location');
  assert.equal(index.remove(0), false, 'removed already');
  assert.equal(index.firstLive(), 4321 * 3);
  const live = [...index.entries()];
  const expected = [4321, ...Array.from({ length: n - 10_000 }, (_, k) => 10_000 + k).filter((i) => (i - 10_000) % 3 !== 0)];
  assert.deepEqual(live.map((e) => e.location), expected.map((i) => i * 3));
  live.forEach((e, k) => {
    const i = expected[k]!;
    assert.deepEqual(e, { location: i * 3, bodySize: 100 + (i % 7), priority: i % 10, expiresAt: i % 5 === 0 ? 1000 + i : null, redelivered: i % 2 === 0, delivered: false });
  });
  assert.equal(index.bodyBytes, expected.reduce((s, i) => s + 100 + (i % 7), 0));
  assert.equal(index.markDelivered(10_001 * 3), true);
  assert.equal(index.requeue(10_001 * 3), true);
  assert.equal([...index.entries()].find((e) => e.location === 10_001 * 3)!.redelivered, true);
  assert.ok(index.memoryBytes < 30 * n, `index takes ${index.memoryBytes} bytes`);
  index.remove(4321 * 3);
  const after = index.memoryBytes;
  for (const e of [...index.entries()]) index.remove(e.location);
  assert.equal(index.size, 0);
  assert.equal(index.firstLive(), null);
  assert.ok(index.memoryBytes < after, 'emptied chunks are freed');
});

test('message index as the queue: nextReady / markDelivered / requeue / remove / anyLiveIn / liveOffsetsIn agree with a plain model (fuzzed)', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const rnd = prng(seed);
    const index = new MessageIndex(seed % 2 === 0 ? 8 : 64);
    // The model: live messages in order with their state.
    const model: { location: number; delivered: boolean; redelivered: boolean }[] = [];
    let next = 0;
    for (let step = 0; step < 3000; step++) {
      const r = rnd();
      if (r < 0.35) {
        index.push(next, 10, 0, null, false);
        model.push({ location: next, delivered: false, redelivered: false });
        next += 1 + Math.floor(rnd() * 3);
      } else if (r < 0.6) {
        const want = model.find((m) => !m.delivered);
        const got = index.nextReady();
        assert.equal(got?.location ?? null, want?.location ?? null, `seed ${seed} step ${step}: next ready`);
        if (want && got) {
          assert.equal(got.redelivered, want.redelivered);
          assert.equal(index.markDelivered(got.location), true);
          want.delivered = true;
        }
      } else if (r > 0.93) {
        // Expiry, drop-head, purge of one: a ready or delivered message removed.
        if (model.length === 0) continue;
        const k = Math.floor(rnd() * model.length);
        assert.equal(index.remove(model[k]!.location), true);
        model.splice(k, 1);
      } else {
        const delivered = model.filter((m) => m.delivered);
        if (delivered.length === 0) continue;
        const pick = delivered[Math.floor(rnd() * delivered.length)]!;
        if (r < 0.8) {
          assert.equal(index.requeue(pick.location), true);
          pick.delivered = false;
          pick.redelivered = true;
        } else {
          assert.equal(index.remove(pick.location), true);
          model.splice(model.indexOf(pick), 1);
        }
      }
      assert.equal(index.size, model.length);
      assert.equal(index.readyCount, model.filter((m) => !m.delivered).length);
      if (step % 25 === 0) {
        // What compaction asks of a segment's range: any live message in it, and which (bodies of
        // 10 bytes plus an overhead of 5 each, within a byte budget).
        const from = Math.floor(rnd() * (next + 1));
        const to = from + Math.floor(rnd() * 40);
        const live = model.map((m) => m.location).filter((o) => o >= from && o < to);
        assert.equal(index.anyLiveIn(from, to), live.length > 0, `seed ${seed} step ${step}: anyLiveIn(${from}, ${to})`);
        assert.deepEqual(index.liveOffsetsIn(from, to, live.length * 15, 5), live, `seed ${seed} step ${step}: liveOffsetsIn(${from}, ${to})`);
        if (live.length > 0) assert.equal(index.liveOffsetsIn(from, to, live.length * 15 - 1, 5), null, 'over the budget');
      }
    }
    assert.deepEqual([...index.entries()].map((e) => [e.location, e.delivered, e.redelivered]),
      model.map((m) => [m.location, m.delivered, m.redelivered]), `seed ${seed}: final state`);
  }
  const index = new MessageIndex();
  index.push(5, 1, 0, null, false);
  assert.equal(index.requeue(5), false, 'only a delivered message can be requeued');
  assert.equal(index.markDelivered(5), true);
  assert.equal(index.markDelivered(5), false, 'delivered once');
  assert.equal(index.nextReady(), null);
});

test('message record: the head cached per message object follows changes to what it encodes', () => {
  const message: StoredMessage = { exchange: 'e', routingKey: 'a', properties: { priority: 1 }, body: Buffer.from('body'), publishedAt: 7 };
  const first = encodeMessageRecord(message);
  assert.equal(encodeMessageRecord(message)[0], first[0], 'same message, same head object (encoded once)');
  const decode = () => decodeMessageRecord(Buffer.concat(encodeMessageRecord(message)));
  message.routingKey = 'b';
  assert.equal(decode().routingKey, 'b');
  message.expiresAt = 99;
  assert.equal(decode().expiresAt, 99);
  message.properties = { ...message.properties, headers: [['x-death', { type: 'V' }]] };
  assert.deepEqual(decode().properties.headers, [['x-death', { type: 'V' }]]);
  message.body = Buffer.from('longer body');
  assert.deepEqual(decode().body, Buffer.from('longer body'));
  message.publishedAt = 8;
  assert.equal(decode().publishedAt, 8);
});
