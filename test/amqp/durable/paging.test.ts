// issue 10 §3: a durable FIFO queue keeps only a window of ready messages in memory; the rest are
// index entries on disk, loaded by a read-ahead as the window drains (unit tests of the store).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../src/core/logger.js';
import { Storage } from '../../../src/core/storage/storage.js';
import type { AmqpMessage, QueuedMessage } from '../../../src/amqp/broker/message.js';
import { MemoryMessageStore } from '../../../src/amqp/broker/message-store.js';
import { PriorityMessageStore } from '../../../src/amqp/broker/priority-store.js';
import { DurableMessageStore } from '../../../src/amqp/durable/durable-message-store.js';
import type { WindowLimits } from '../../../src/amqp/durable/paged-tail.js';
import type { QueueStorage } from '../../../src/amqp/durable/queue-storage.js';
import { encodeContentHeader } from '../../../src/amqp/protocol/content.js';
import { cleanup, tmp } from '../../core/fixtures/log-helpers.js';

const WINDOW: WindowLimits = { messages: 4, bytes: 1024 * 1024 };

function open(dir: string): { storage: Storage; qs: QueueStorage } {
  const storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
  return { storage, qs: storage };
}

function msg(body: string, persistent = true): AmqpMessage {
  const properties = { deliveryMode: persistent ? 2 : 1 };
  return { exchange: '', routingKey: 'q', properties, body: Buffer.from(body),
    header: encodeContentHeader({ classId: 60, weight: 0, bodySize: BigInt(body.length), properties }) };
}

/** Take every ready message the way a queue does: next(), and when the window is empty while
 *  messages wait, whenReady(). */
async function drain(store: DurableMessageStore, settle = true): Promise<QueuedMessage[]> {
  const out: QueuedMessage[] = [];
  for (;;) {
    const e = store.next();
    if (e) {
      out.push(e);
      if (settle) store.settle(e);
      continue;
    }
    const wait = store.whenReady();
    if (!wait) return out;
    await wait;
  }
}

const bodies = (entries: QueuedMessage[]): string[] => entries.map((e) => e.message.body.toString());
const range = (n: number, prefix = 'm'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

test('paging: beyond the window only index entries; counts include them; drained in order with bodies; stored appends confirm', async () => {
  const dir = tmp('junction-paging-');
  const { qs } = open(dir);
  try {
    const store = DurableMessageStore.create(qs, '/', 'q', new MemoryMessageStore(), silentLogger(), WINDOW);
    let ready = 0;
    store.onReady = () => { ready++; };
    const stored = range(20).map((b) => store.enqueue(msg(b)).stored!);
    assert.equal(store.readyCount, 20);
    assert.equal(store.readyBytes, range(20).join('').length);
    assert.equal(store.windowCount, 4, 'only the window is in memory');
    await Promise.all(stored);
    assert.equal(store.storedCount, 20);
    const got = await drain(store);
    assert.deepEqual(bodies(got), range(20));
    assert.ok(got.every((e) => !e.redelivered));
    assert.ok(ready > 0, 'onReady told the queue of each read-ahead');
    assert.equal(store.readyCount, 0);
    await store.close();
  } finally {
    cleanup(dir);
  }
});

test('paging: a paged message is deliverable before its append resolved (body kept until then)', async () => {
  const dir = tmp('junction-paging-');
  const { qs } = open(dir);
  try {
    const store = DurableMessageStore.create(qs, '/', 'q', new MemoryMessageStore(), silentLogger(), { messages: 1, bytes: 1 << 20 });
    store.enqueue(msg('a'));
    store.enqueue(msg('b'));
    // Drain at once, without waiting for any append.
    const got = await drain(store, false);
    assert.deepEqual(bodies(got), ['a', 'b']);
    for (const e of got) store.settle(e);
    await store.close();
  } finally {
    cleanup(dir);
  }
});

test('paging: requeue goes back to the original position ahead of the paged tail, redelivered', async () => {
  const dir = tmp('junction-paging-');
  const { qs } = open(dir);
  try {
    const store = DurableMessageStore.create(qs, '/', 'q', new MemoryMessageStore(), silentLogger(), WINDOW);
    await Promise.all(range(10).map((b) => store.enqueue(msg(b)).stored));
    const first = store.next()!;
    const second = store.next()!;
    store.requeue(second);
    store.requeue(first);
    const got = await drain(store);
    assert.deepEqual(bodies(got), range(10));
    assert.deepEqual(got.map((e) => e.redelivered), [true, true, ...Array(8).fill(false)]);
    await store.close();
  } finally {
    cleanup(dir);
  }
});

test('paging: transient messages beyond the window are paged like persistent ones, in publish order, confirmed at once', async () => {
  const dir = tmp('junction-paging-');
  const { qs } = open(dir);
  try {
    const store = DurableMessageStore.create(qs, '/', 'q', new MemoryMessageStore(), silentLogger(), { messages: 2, bytes: 1 << 20 });
    const order = ['p0', 'p1', 'p2', 't3', 'p4', 't5', 't6', 'p7'];
    const entries = order.map((b) => store.enqueue(msg(b, b.startsWith('p'))));
    assert.deepEqual(entries.map((e) => e.stored !== undefined), order.map((b) => b.startsWith('p')), 'a transient one waits for no write');
    await Promise.all(entries.map((e) => e.stored));
    assert.equal(store.readyCount, 8);
    assert.equal(store.windowCount, 2);
    assert.equal(store.storedCount, 8, 'the window\'s persistent ones and every paged one are in the log');
    assert.deepEqual(bodies(await drain(store)), order);
    await store.close();
  } finally {
    cleanup(dir);
  }
});

test('paging: recovery reads only the index and the first window; all come back in order, redelivered only if delivered before the clean stop', async () => {
  const dir = tmp('junction-paging-');
  try {
    let { storage, qs } = open(dir);
    const first = DurableMessageStore.create(qs, '/', 'q', new MemoryMessageStore(), silentLogger(), WINDOW);
    await Promise.all(range(30).map((b) => first.enqueue(msg(b)).stored));
    const acked = first.next()!;
    first.settle(acked);
    first.requeue(first.next()!);
    await first.close();
    await storage.close();
    ({ storage, qs } = open(dir));
    const again = await DurableMessageStore.recover(qs, '/', 'q', new MemoryMessageStore(), silentLogger(), WINDOW);
    assert.equal(again.readyCount, 29);
    assert.equal(again.windowCount, 4, 'only the first window was read');
    const got = await drain(again);
    assert.deepEqual(bodies(got), range(30).slice(1));
    assert.deepEqual(got.map((e) => e.redelivered), got.map((_, i) => i === 0), 'only the requeued one');
    await again.close();
    await storage.close();
  } finally {
    cleanup(dir);
  }
});

test('paging: purge with messages out for an ack removes the paged ones too; without, the files go', async () => {
  const dir = tmp('junction-paging-');
  try {
    let { storage, qs } = open(dir);
    const store = DurableMessageStore.create(qs, '/', 'q', new MemoryMessageStore(), silentLogger(), WINDOW);
    await Promise.all(range(12).map((b) => store.enqueue(msg(b)).stored));
    const out = store.next()!;
    assert.equal(store.purge(), 11);
    assert.equal(store.readyCount, 0);
    assert.equal(store.next(), undefined);
    assert.equal(store.whenReady(), null);
    store.settle(out);
    await Promise.all(['n0', 'n1'].map((b) => store.enqueue(msg(b)).stored));
    assert.deepEqual(bodies(await drain(store, false)), ['n0', 'n1']);
    await store.close();
    await storage.close();
    ({ storage, qs } = open(dir));
    const again = await DurableMessageStore.recover(qs, '/', 'q', new MemoryMessageStore(), silentLogger(), WINDOW);
    assert.deepEqual(bodies(await drain(again)), ['n0', 'n1'], 'the purged paged messages stayed removed');
    assert.equal(again.purge(), 0);
    await Promise.all(range(9).map((b) => again.enqueue(msg(b)).stored));
    assert.equal(again.purge(), 9);
    assert.equal(again.readyCount, 0);
    await again.close();
    await storage.close();
  } finally {
    cleanup(dir);
  }
});

test('paging: TTL deadlines of paged messages are kept (index) and come back with them', async () => {
  const dir = tmp('junction-paging-');
  const { qs } = open(dir);
  try {
    const store = DurableMessageStore.create(qs, '/', 'q', new MemoryMessageStore(), silentLogger(), { messages: 2, bytes: 1 << 20 });
    await Promise.all(range(6).map((b, i) => store.enqueue(msg(b), 1_000 + i).stored));
    const got = await drain(store);
    assert.deepEqual(got.map((e) => e.expiresAt), [1000, 1001, 1002, 1003, 1004, 1005]);
    await store.close();
  } finally {
    cleanup(dir);
  }
});

test('paging: a priority queue is exempt (every message in memory, by priority)', async () => {
  const dir = tmp('junction-paging-');
  const { qs } = open(dir);
  try {
    const store = DurableMessageStore.create(qs, '/', 'q', new PriorityMessageStore(5), silentLogger(), { messages: 2, bytes: 1 << 20 });
    const m = (b: string, priority: number): AmqpMessage => ({ ...msg(b), properties: { deliveryMode: 2, priority } });
    await Promise.all([m('low', 0), m('mid', 2), m('high', 5), m('low2', 0)].map((x) => store.enqueue(x).stored));
    assert.equal(store.windowCount, 4);
    assert.deepEqual(bodies(await drain(store)), ['high', 'mid', 'low', 'low2']);
    await store.close();
  } finally {
    cleanup(dir);
  }
});

test('paging: dropPagedHead drops the oldest paged messages unread — first those of the batch a read-ahead is loading, then the tail — and the batch lands without them', async () => {
  const dir = tmp('junction-paging-');
  const { qs } = open(dir);
  try {
    const store = DurableMessageStore.create(qs, '/', 'q', new MemoryMessageStore(), silentLogger(), WINDOW);
    await Promise.all(range(12).map((b) => store.enqueue(msg(b)).stored!));
    // Window m0–m3; taking three starts a read-ahead of m4–m6 (room 3).
    assert.deepEqual(bodies([store.next()!, store.next()!, store.next()!]), range(3));
    const tail = (store as unknown as { tail: { landing: unknown } }).tail;
    for (let i = 0; i < 100 && tail.landing === null; i++) await Promise.resolve();
    assert.notEqual(tail.landing, null, 'the read-ahead is loading its batch');
    // m3 is still in memory: what is paged starts at m4 (being loaded), then m7… on disk.
    const sizes = [1, 2, 3, 4].map(() => store.dropPagedHead());
    assert.deepEqual(sizes, [2, 2, 2, 2]);
    assert.equal(store.readyCount, 12 - 3 - 4);
    const rest = await drain(store);
    assert.deepEqual(bodies(rest), ['m3', 'm8', 'm9', 'm10', 'm11']);
    assert.equal(store.storedCount, 3, 'on disk only m0–m2 (taken, not settled): the dropped ones are gone, the drained ones acked');
    await store.close();
  } finally {
    cleanup(dir);
  }
});
