import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../src/core/logger.js';
import { Storage } from '../../../src/core/storage/storage.js';
import { encodeNamePart, type Placement, QueueMessageStore, queueStoreName, type QueueStoreOptions } from '../../../src/amqp/store/queue-store.js';
import type { StoredMessage } from '../../../src/amqp/store/message-record.js';
import { encodeContentHeader } from '../../../src/amqp/protocol/content.js';
import { cleanup, tmp } from '../../core/fixtures/log-helpers.js';

function storage(dataDir: string): Storage {
  return new Storage({ dataDir, fsync: 'batch', logger: silentLogger() });
}

function message(i: number, size = 200): StoredMessage {
  const body = Buffer.alloc(size, i % 251);
  body.write(`m${i}`);
  const properties: StoredMessage['properties'] = { deliveryMode: 2, priority: i % 4, messageId: `id-${i}`, headers: [['i', { type: 'I', value: i }]] };
  // With its content header, as the broker hands messages to the store (read() returns it).
  const header = encodeContentHeader({ classId: 60, weight: 0, bodySize: BigInt(body.length), properties });
  return {
    exchange: 'ex', routingKey: `key.${i}`, body, publishedAt: 1_000 + i, properties, header,
    ...(i % 3 === 0 ? { expiresAt: 50_000 + i } : {}),
  };
}

function segmentFiles(dataDir: string, vhost: string, queue: string, log: 'msgs' | 'acks'): string[] {
  const dir = join(dataDir, ...queueStoreName(vhost, queue).split('/'), log, 'log');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.log')).sort() : [];
}

async function openFds(): Promise<number> {
  return readdirSync('/proc/self/fd').length;
}

test('queue store: append, remove, read; reopen recovers the live messages in order, redelivered, without bodies', async () => {
  const dir = tmp('junction-qstore-');
  try {
    const first = storage(dir);
    const store = await QueueMessageStore.open(first, '/', 'orders');
    const locations = await Promise.all(Array.from({ length: 120 }, (_, i) => store.append(message(i))));
    assert.deepEqual(locations, [...locations].sort((a, b) => a - b), 'locations increase in publish order');
    // Acks in between: every 4th acked, some delivered and left unacked (read, not removed).
    const removed = new Set<number>();
    for (let i = 0; i < 120; i += 4) { assert.equal(await store.remove(locations[i]!), true); removed.add(i); }
    assert.equal(await store.remove(locations[0]!), false, 'a second ack of the same message writes nothing');
    for (const i of [1, 2, 3, 5, 77]) assert.deepEqual(await store.read(locations[i]!), message(i));
    assert.equal(await store.read(locations[4]!), null, 'a removed message is not readable');
    const more = await Promise.all([120, 121].map((i) => store.append(message(i))));
    await store.remove(more[0]!);
    removed.add(120);
    assert.equal(store.messageCount, 122 - removed.size);
    const before = [...store.entries()];
    assert.ok(before.every((e) => !e.redelivered));
    await first.close();

    const second = storage(dir);
    const again = await QueueMessageStore.open(second, '/', 'orders');
    const all = [...locations, ...more];
    const live = all.map((loc, i) => ({ loc, i })).filter(({ i }) => !removed.has(i));
    const entries = [...again.entries()];
    assert.deepEqual(entries.map((e) => e.location), live.map((l) => l.loc));
    entries.forEach((e, k) => {
      const m = message(live[k]!.i);
      assert.deepEqual(e, { location: live[k]!.loc, bodySize: m.body.length, priority: m.properties.priority, expiresAt: m.expiresAt ?? null, redelivered: true, delivered: false });
    });
    for (const { loc, i } of live) assert.deepEqual(await again.read(loc), message(i));
    assert.equal(again.bodyBytes, live.length * 200);
    await second.close();
  } finally { cleanup(dir); }
});

test('queue store: segments whose messages are all removed are deleted, with the ack segments naming them', async () => {
  const dir = tmp('junction-qstore-');
  const opts: QueueStoreOptions = { segmentBytes: 8192, ackSegmentBytes: 256 };
  try {
    const s = storage(dir);
    const store = await QueueMessageStore.open(s, 'v', 'q', opts);
    const locations = await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(message(i, 500))));
    const segments = segmentFiles(dir, 'v', 'q', 'msgs').length;
    assert.ok(segments >= 10, `${segments} segments`);
    // The head stays unacked: the prefix cannot go, whatever else is acked (the segments behind
    // it become gaps, merged into one file, or are rewritten with their live messages).
    for (let i = 1; i < 150; i++) await store.remove(locations[i]!);
    await store.compact();
    assert.equal(segmentFiles(dir, 'v', 'q', 'msgs')[0], '00000000000000000000.log', 'the head\'s segment stays');
    const acksBefore = segmentFiles(dir, 'v', 'q', 'acks').length;
    assert.ok(acksBefore > 3, `${acksBefore} ack segments`);
    await store.remove(locations[0]!);
    await store.compact();
    const left = segmentFiles(dir, 'v', 'q', 'msgs').length;
    assert.ok(left <= Math.ceil(segments / 4) + 1, `${left} of ${segments} message segments left`);
    assert.ok(segmentFiles(dir, 'v', 'q', 'acks').length < acksBefore, 'ack segments truncated with them');
    await s.close();

    const s2 = storage(dir);
    const again = await QueueMessageStore.open(s2, 'v', 'q', opts);
    assert.deepEqual([...again.entries()].map((e) => e.location), locations.slice(150));
    for (let i = 150; i < 200; i++) assert.deepEqual(await again.read(locations[i]!), message(i, 500));
    for (let i = 150; i < 200; i++) await again.remove(locations[i]!);
    await again.compact();
    assert.equal(segmentFiles(dir, 'v', 'q', 'msgs').length, 1, 'only the active segment stays');
    await s2.close();
  } finally { cleanup(dir); }
});

test('queue store: purge and delete remove the files; a purged store takes new messages; no refusal at the next start', async () => {
  const dir = tmp('junction-qstore-');
  try {
    const s = storage(dir);
    const keep = await QueueMessageStore.open(s, '/', 'keep');
    const purged = await QueueMessageStore.open(s, '/', 'purged');
    const deleted = await QueueMessageStore.open(s, '/', 'deleted');
    for (let i = 0; i < 20; i++) await Promise.all([keep.append(message(i)), purged.append(message(i)), deleted.append(message(i))]);
    await purged.remove(0);
    assert.equal(await purged.purge(), 19);
    assert.equal(existsSync(join(dir, 'amqp', 'queues', '%2F', 'purged')), false);
    assert.equal(purged.openLogs, 0);
    const loc = await purged.append(message(99));
    assert.deepEqual(await purged.read(loc), message(99));
    await deleted.delete();
    assert.equal(existsSync(join(dir, 'amqp', 'queues', '%2F', 'deleted')), false);
    await assert.rejects(deleted.append(message(1)), /deleted/);
    await s.close();

    const s2 = storage(dir);
    assert.equal((await QueueMessageStore.open(s2, '/', 'keep')).messageCount, 20);
    assert.deepEqual([...(await QueueMessageStore.open(s2, '/', 'purged')).entries()].map((e) => e.location), [loc]);
    assert.equal((await QueueMessageStore.open(s2, '/', 'deleted')).messageCount, 0);
    await s2.close();
  } finally { cleanup(dir); }
});

test('queue store: a queue that never held a message opens no file; an active one holds few descriptors', async () => {
  const dir = tmp('junction-qstore-');
  try {
    const s = storage(dir);
    await s.open();
    const fds0 = await openFds();
    const idle = await Promise.all(Array.from({ length: 200 }, (_, i) => QueueMessageStore.open(s, '/', `idle-${i}`)));
    assert.equal(await openFds(), fds0, '200 idle queues, no descriptor');
    assert.equal(existsSync(join(dir, 'amqp')), false);
    assert.ok(idle.every((q) => q.openLogs === 0 && q.messageCount === 0));
    const active = idle[0]!;
    const loc = await active.append(message(1));
    const withMsgs = await openFds() - fds0;
    await active.remove(loc);
    const withAcks = await openFds() - fds0;
    assert.equal(active.openLogs, 2);
    assert.ok(withMsgs >= 1 && withAcks <= 4, `fds: ${withMsgs} with messages, ${withAcks} with acks too`);
    console.log(`# descriptors of one active queue: ${withMsgs} (message log), ${withAcks} (message + ack log)`);
    await s.close();
  } finally { cleanup(dir); }
});

test('queue store names: every vhost and queue name maps to one directory part Storage accepts, distinct names to distinct parts', () => {
  const names = ['/', '.', '..', '', 'a/b', 'a%2Fb', 'очередь', 'amq.gen-JzTY20BRgKO-HjmUJj0wLg', 'x'.repeat(255), 'x'.repeat(254) + 'y', '=abc', ' sp ace!'];
  const parts = names.map(encodeNamePart);
  assert.equal(new Set(parts).size, names.length);
  const s = storage('/nonexistent/data');
  for (const p of parts) {
    assert.ok(p.length <= 200, p);
    assert.doesNotThrow(() => s.dirOf(`amqp/queues/${p}/${p}`));
  }
  assert.equal(encodeNamePart('/'), '%2F');
  assert.equal(encodeNamePart('orders-1_a'), 'orders-1_a');
});

test('queue store: purge right after appends and a removal still in flight leaves nothing behind, and nothing stale for new messages', async () => {
  const dir = tmp('junction-qstore-');
  try {
    const s = storage(dir);
    const store = await QueueMessageStore.open(s, 'v', 'q');
    const first = await store.append(message(0));
    const appends = [1, 2, 3].map((i) => store.append(message(i)));
    const removal = store.remove(first); // its ack log is being opened while purge starts
    const purged = store.purge();
    assert.equal(await removal, true);
    await Promise.all(appends);
    assert.equal(await purged, 3, "three were live (the removal left the index at once)");
    assert.deepEqual(readdirSync(join(dir, 'amqp', 'queues', 'v')), [], 'no queue directory, nothing set aside left');
    // New messages reuse offsets 0.. in a new log: no old ack may remove them after a restart.
    const fresh = await Promise.all([10, 11].map((i) => store.append(message(i))));
    assert.deepEqual(fresh, [0, 1]);
    await s.close();
    const s2 = storage(dir);
    const again = await QueueMessageStore.open(s2, 'v', 'q');
    assert.deepEqual([...again.entries()].map((e) => e.location), [0, 1]);
    assert.deepEqual(await again.read(0), message(10));
    await s2.close();
  } finally { cleanup(dir); }
});

test('queue store: a clean close writes the index file; the next open loads it instead of reading messages, and a stale or damaged one is ignored', async () => {
  const dir = tmp('junction-qstore-');
  const opts: QueueStoreOptions = { segmentBytes: 8192, ackSegmentBytes: 256 };
  const indexFile = join(dir, 'amqp', 'queues', 'v', 'q', 'index');
  const reopen = async (): Promise<{ s: Storage; store: QueueMessageStore }> => {
    const s = storage(dir);
    return { s, store: await QueueMessageStore.open(s, 'v', 'q', opts) };
  };
  try {
    let { s, store } = await reopen();
    const locations = await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(message(i, 500))));
    for (let i = 0; i < 200; i += 5) await store.remove(locations[i]!);
    // Delivered and requeued by the broker: the file keeps that mark, the rest are not redelivered
    // (RabbitMQ 3.10.8 after a clean stop); a crash's log replay marks every message.
    for (const i of [1, 7, 199]) assert.equal(store.markRedelivered(locations[i]!), true);
    assert.equal(store.markRedelivered(locations[0]!), false, 'a removed message is not marked');
    const expected = [...store.entries()].map((e) => ({ ...e, redelivered: [1, 7, 199].some((i) => locations[i] === e.location) }));
    assert.equal(expected.filter((e) => e.redelivered).length, 3);
    await store.close();
    await s.close();
    const saved = readFileSync(indexFile);

    ({ s, store } = await reopen());
    assert.equal(store.recoveredFrom, 'index');
    assert.equal(existsSync(indexFile), false, 'read once, then deleted: a crash from here on replays the logs');
    assert.deepEqual([...store.entries()], expected);
    for (const i of [1, 2, 199]) assert.deepEqual(await store.read(locations[i]!), message(i, 500));
    // Ack truncation still works after an index-file open (the ack segments' maxima were saved).
    assert.equal(segmentFiles(dir, 'v', 'q', 'acks')[0], '00000000000000000000.log');
    for (let i = 0; i < 150; i++) await store.remove(locations[i]!);
    await store.compact();
    // The oldest ack segments named only messages now deleted with their segments; a later one
    // names message 175 (removed, its segment kept for 150..199) and stays.
    assert.notEqual(segmentFiles(dir, 'v', 'q', 'acks')[0], '00000000000000000000.log');
    assert.ok(segmentFiles(dir, 'v', 'q', 'msgs').length <= 8);
    await store.close();
    await s.close();

    // A stale file (from before the removals above) and a damaged one are not used.
    writeFileSync(indexFile, saved);
    ({ s, store } = await reopen());
    assert.equal(store.recoveredFrom, 'logs');
    assert.deepEqual([...store.entries()].map((e) => e.location), locations.slice(150).filter((_, k) => (150 + k) % 5 !== 0));
    await store.close();
    await s.close();
    const good = readFileSync(indexFile);
    const bad = Buffer.from(good);
    bad[40]! ^= 1;
    writeFileSync(indexFile, bad);
    ({ s, store } = await reopen());
    assert.equal(store.recoveredFrom, 'logs');
    assert.equal(store.messageCount, 40);
    await s.close();
  } finally { cleanup(dir); }
});

test('queue store: appendHeld places a message at once, shares the promise of its commit batch, and is durable only once it resolves', async () => {
  const dir = tmp('junction-qstore-held-');
  try {
    const s = storage(dir);
    const store = await QueueMessageStore.open(s, '/', 'held');
    await store.append(message(0)); // opens the log: appendHeld places synchronously from then on
    const a: Placement = {};
    const b: Placement = {};
    store.appendHeld(message(1), a);
    store.appendHeld(message(2), b);
    assert.deepEqual([a.location, b.location], [1, 2], 'located at once, in order');
    assert.equal(a.stored, b.stored, 'one commit batch, one promise');
    assert.equal(store.isDurable(1), false, 'not durable before its batch resolves');
    assert.equal(store.unackedCount, 2, 'held messages are entered as delivered');
    await a.stored;
    assert.equal(store.isDurable(1) && store.isDurable(2), true);
    assert.equal((await store.read(2))?.routingKey, 'key.2');
    await store.close();
    await s.close();
  } finally { cleanup(dir); }
});
