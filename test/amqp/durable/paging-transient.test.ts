// issue 10 §3: transient messages past a durable queue's window are paged to its log like
// persistent ones (unit tests of the stores): confirmed without waiting for the disk, delivered in
// publish order, never recovered (log replay and clean-stop index file alike), removed without an
// ack record, and their segments still compacted away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../src/core/logger.js';
import { Storage } from '../../../src/core/storage/storage.js';
import type { AmqpMessage, QueuedMessage } from '../../../src/amqp/broker/message.js';
import { MemoryMessageStore } from '../../../src/amqp/broker/message-store.js';
import { DurableMessageStore } from '../../../src/amqp/durable/durable-message-store.js';
import type { WindowLimits } from '../../../src/amqp/durable/paged-tail.js';
import { encodeContentHeader } from '../../../src/amqp/protocol/content.js';
import { INDEX_FILE } from '../../../src/amqp/store/index-file.js';
import { QueueMessageStore, queueStoreName } from '../../../src/amqp/store/queue-store.js';
import { cleanup, tmp } from '../../core/fixtures/log-helpers.js';
import { gatedFdatasync } from '../../helpers/gated-fdatasync.js';

const WINDOW: WindowLimits = { messages: 4, bytes: 1024 * 1024 };

function msg(body: string, persistent: boolean, size = 0): AmqpMessage {
  const properties = { deliveryMode: persistent ? 2 : 1 };
  const bytes = Buffer.alloc(Math.max(size, body.length), 32);
  bytes.write(body);
  return { exchange: '', routingKey: 'q', properties, body: bytes,
    header: encodeContentHeader({ classId: 60, weight: 0, bodySize: BigInt(bytes.length), properties }) };
}

/** p<i> persistent, t<i> transient. */
const mixed = (n: number): string[] => Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `p${i}` : `t${i}`));
const isPersistent = (name: string): boolean => name.startsWith('p');

async function drain(store: DurableMessageStore): Promise<QueuedMessage[]> {
  const out: QueuedMessage[] = [];
  for (;;) {
    const e = store.next();
    if (e) {
      out.push(e);
      store.settle(e);
      continue;
    }
    const wait = store.whenReady();
    if (!wait) return out;
    await wait;
  }
}

const bodies = (entries: QueuedMessage[]): string[] => entries.map((e) => e.message.body.toString().trimEnd());

function logFiles(dataDir: string, log: 'msgs' | 'acks'): string[] {
  const dir = join(dataDir, ...queueStoreName('/', 'q').split('/'), log, 'log');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.log')) : [];
}

test('paged transient messages are confirmed while the fdatasync is held, and delivered (bodies from memory) in publish order', async () => {
  const dir = tmp('junction-tpage-');
  const sync = gatedFdatasync();
  const storage = new Storage({ dataDir: dir, fsync: 'always', logger: silentLogger(), commit: { fdatasync: sync.fdatasync } });
  try {
    const store = DurableMessageStore.create(storage, '/', 'q', new MemoryMessageStore(), silentLogger(), WINDOW);
    await store.enqueue(msg('warm', true)).stored;
    store.settle(store.next()!);
    sync.close();
    const order = mixed(30);
    const entries = order.map((b) => store.enqueue(msg(b, isPersistent(b))));
    // What the queue answers the publisher with (queue.ts: entry.stored ?? true).
    const paged = entries.slice(WINDOW.messages);
    assert.ok(paged.some((_, i) => !isPersistent(order[WINDOW.messages + i]!)), 'transient ones past the window');
    paged.forEach((e, i) => assert.equal(e.stored !== undefined, isPersistent(order[WINDOW.messages + i]!), `${order[WINDOW.messages + i]}: only a persistent one waits for its write`));
    let persistentStored = false;
    void Promise.all(entries.map((e) => e.stored)).then(() => { persistentStored = true; });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.ok(sync.waiting() > 0, 'the commit waits in fdatasync');
    assert.equal(persistentStored, false, 'persistent ones still wait for it');
    assert.equal(store.windowCount, WINDOW.messages);
    assert.equal(store.readyCount, 30);
    assert.deepEqual(bodies(await drain(store)), order, 'every one in publish order while nothing is durable yet');
    sync.open();
    await Promise.all(entries.map((e) => e.stored));
    await store.close();
  } finally {
    sync.open();
    await storage.close();
    cleanup(dir);
  }
});

for (const path of ['the clean-stop index file', 'the log replay (no index file, as after kill -9)'] as const) {
  test(`a restart brings back only the persistent messages, in order, through ${path}`, async () => {
    const dir = tmp('junction-tpage-');
    try {
      let storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
      const store = DurableMessageStore.create(storage, '/', 'q', new MemoryMessageStore(), silentLogger(), WINDOW);
      const order = mixed(40);
      const entries = order.map((b) => store.enqueue(msg(b, isPersistent(b))));
      await Promise.all(entries.map((e) => e.stored));
      // A delivered, unacked transient one and an acked paged persistent one.
      const drained = await drainSome(store, 6);
      assert.deepEqual(bodies(drained), order.slice(0, 6));
      store.settle(drained[3]!); // p3
      assert.equal(store.storedCount, 40 - WINDOW.messages + order.slice(0, WINDOW.messages).filter(isPersistent).length - 1);
      await store.close();
      await storage.close();
      const indexFile = join(storage.dirOf(queueStoreName('/', 'q')), INDEX_FILE);
      assert.ok(existsSync(indexFile));
      if (path !== 'the clean-stop index file') unlinkSync(indexFile);

      storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
      const again = await DurableMessageStore.recover(storage, '/', 'q', new MemoryMessageStore(), silentLogger(), WINDOW);
      const expected = order.filter((b) => isPersistent(b) && b !== 'p3');
      assert.equal(again.readyCount, expected.length);
      assert.equal(again.storedCount, expected.length);
      assert.deepEqual(bodies(await drain(again)), expected);
      await again.close();
      await storage.close();
    } finally {
      cleanup(dir);
    }
  });
}

async function drainSome(store: DurableMessageStore, n: number): Promise<QueuedMessage[]> {
  const out: QueuedMessage[] = [];
  while (out.length < n) {
    const e = store.next();
    if (e) out.push(e);
    else await store.whenReady();
  }
  return out;
}

test('queue store: removing transient messages writes no ack record, and their segments are compacted away', async () => {
  const dir = tmp('junction-tpage-');
  try {
    const storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
    const store = await QueueMessageStore.open(storage, '/', 'q', { segmentBytes: 8192 });
    const locations = await Promise.all(Array.from({ length: 100 }, (_, i) => store.append(msg(`t${i}`, false, 500))));
    const segments = logFiles(dir, 'msgs').length;
    assert.ok(segments >= 5, `${segments} segments`);
    for (const at of locations) assert.equal(await store.remove(at), true);
    assert.equal(await store.remove(locations[0]!), false, 'a second removal finds nothing');
    await store.compact();
    assert.equal(logFiles(dir, 'msgs').length, 1, 'only the active segment stays');
    assert.deepEqual(logFiles(dir, 'acks'), [], 'no ack log was written');
    // A persistent one after them: its removal is written as before.
    const p = await store.append(msg('p', true));
    assert.equal(await store.remove(p), true);
    assert.equal(logFiles(dir, 'acks').length, 1);
    await storage.close();
  } finally {
    cleanup(dir);
  }
});

test('queue store: the clean-stop index file leaves live transient messages out; the log replay skips their records', async () => {
  const dir = tmp('junction-tpage-');
  try {
    for (const viaIndex of [true, false]) {
      const storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
      const store = await QueueMessageStore.open(storage, '/', viaIndex ? 'a' : 'b');
      const names = mixed(12);
      const at = await Promise.all(names.map((b) => store.append(msg(b, isPersistent(b)))));
      assert.equal(store.messageCount, 12);
      await store.close();
      await storage.close();
      if (!viaIndex) unlinkSync(join(storage.dirOf(queueStoreName('/', 'b')), INDEX_FILE));
      const reopened = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
      const again = await QueueMessageStore.open(reopened, '/', viaIndex ? 'a' : 'b');
      assert.equal(again.recoveredFrom, viaIndex ? 'index' : 'logs');
      assert.deepEqual([...again.entries()].map((e) => e.location), at.filter((_, i) => isPersistent(names[i]!)));
      for (const e of again.entries()) assert.equal((await again.read(e.location))?.properties.deliveryMode, 2);
      await again.close();
      await reopened.close();
    }
  } finally {
    cleanup(dir);
  }
});

test('queue store: appends a failed log refuses leave no index entry (each would take the offset the last could not)', async () => {
  const dir = tmp('junction-tpage-');
  let failing = false;
  const storage = new Storage({ dataDir: dir, fsync: 'always', logger: silentLogger(), journal: { enabled: false },
    commit: { fdatasync: async () => { if (failing) throw new Error('EIO (test)'); } } });
  try {
    const store = await QueueMessageStore.open(storage, '/', 'q');
    await store.append(msg('ok', true));
    failing = true;
    await assert.rejects(store.append(msg('first failure', true)));
    const placements = [0, 1, 2, 3].map(() => ({}) as { location?: number; stored?: Promise<unknown> });
    assert.equal(store.appendPaged(msg('t', false), placements[0]!), true);
    store.appendHeld(msg('p', true), placements[1]!);
    assert.equal(store.appendPaged(msg('p', true), placements[2]!), true);
    const refused = [store.append(msg('t', false)), ...placements.slice(0, 3).map((p) => p.stored)];
    for (const r of refused) await assert.rejects(r!);
    assert.deepEqual(placements.slice(0, 3).map((p) => p.location), [undefined, undefined, undefined]);
    assert.equal(store.messageCount, 1, 'only the message written before the failure');
    assert.deepEqual([...store.entries()].map((e) => e.location), [0]);
  } finally {
    await storage.close().catch(() => undefined);
    cleanup(dir);
  }
});

test('messages acked before their commit batch is durable are removed once it is, each batch by one callback, and do not come back', async () => {
  const dir = tmp('junction-tpage-');
  const sync = gatedFdatasync();
  let storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger(), commit: { fdatasync: sync.fdatasync } });
  try {
    const store = DurableMessageStore.create(storage, '/', 'q', new MemoryMessageStore(), silentLogger(), { messages: 100, bytes: 1 << 20 });
    await store.enqueue(msg('warm', true)).stored;
    store.settle(store.next()!);
    sync.close();
    const first = ['a0', 'a1', 'a2'].map((b) => store.enqueue(msg(b, true)));
    await new Promise((resolve) => setImmediate(resolve)); // the first batch's cycle starts; the next are another batch
    const second = ['b0', 'b1', 'kept'].map((b) => store.enqueue(msg(b, true)));
    assert.equal(first[0]!.stored, first[2]!.stored, 'one commit batch shares its append');
    assert.notEqual(first[0]!.stored, second[0]!.stored, 'two batches');
    const removals: Promise<unknown>[] = [];
    store.onRemoval = (r) => removals.push(r);
    for (let i = 0; i < 5; i++) store.settle(store.next()!); // every one but 'kept', before any write returned
    assert.equal(new Set(removals).size, 2, 'one removal per commit batch');
    let removed = false;
    void Promise.all(removals).then(() => { removed = true; });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(removed, false, 'nothing is removed before its append is durable');
    sync.open();
    await Promise.all(removals);
    await store.close();
    await storage.close();
    storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
    const again = await DurableMessageStore.recover(storage, '/', 'q', new MemoryMessageStore(), silentLogger(), WINDOW);
    assert.deepEqual(bodies(await drain(again)), ['kept']);
    await again.close();
  } finally {
    sync.open();
    await storage.close();
    cleanup(dir);
  }
});
