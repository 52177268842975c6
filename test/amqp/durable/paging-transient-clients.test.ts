// issue 10 §3: transient messages in a durable queue are paged past the window like persistent
// ones, end to end with amqplib (window 8 messages here): the broker holds only the window in
// memory, a consumer then gets every message in publish order (persistent and transient mixed),
// and a restart — clean or kill -9 — brings back the persistent ones only, in order.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import type amqplib from 'amqplib';
import type { DurableMessageStore } from '../../../src/amqp/durable/durable-message-store.js';
import type { RunningAmqp } from '../../../src/amqp/personality.js';
import { type Conn, connect, consumeAcked, delay, quietChannel, quietConfirmChannel } from '../../helpers/amqp-client.js';
import { type ChildServer, killHard, startChildServer } from '../../helpers/child-server.js';
import { startTestServer, tempDir } from '../../helpers/junction.js';

const WINDOW = 8;
/** m<i>: persistent every third, transient otherwise. */
const names = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `m${from + i}`);
const persistentName = (name: string): boolean => Number(name.slice(1)) % 3 === 0;

/** Publish each with a confirm; resolves with how many were acked (all, or it throws). */
async function publish(conn: Conn, queue: string, bodies: string[]): Promise<void> {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue(queue, { durable: true });
  const confirms = bodies.map((b) => new Promise<void>((resolve, reject) => {
    ch.sendToQueue(queue, Buffer.from(b), { persistent: persistentName(b) }, (err) => (err ? reject(new Error(`${b} nacked`)) : resolve()));
  }));
  await Promise.all(confirms);
  await ch.close();
}

const text = (msgs: amqplib.Message[]): string[] => msgs.map((m) => m.content.toString());

/** basic.get `n` (each acked): exactly those leave the queue. */
async function getN(conn: Conn, queue: string, n: number): Promise<amqplib.GetMessage[]> {
  const ch = await quietChannel(conn);
  const got: amqplib.GetMessage[] = [];
  while (got.length < n) {
    const m = await ch.get(queue);
    assert.ok(m, `get ${got.length}`);
    got.push(m);
    ch.ack(m);
  }
  await ch.close();
  return got;
}

test('amqplib: transient messages far past the window are paged (only the window in memory), then consumed in publish order mixed with persistent ones', async () => {
  const server = await startTestServer({ enabled: ['amqp'], settings: { amqp: { queueWindowMessages: WINDOW } } });
  try {
    const { broker } = server.junction.personality('amqp') as unknown as RunningAmqp;
    const conn = await connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
    const sent = names(600);
    await publish(conn, 'tq', sent);
    const store = broker.vhosts.get('/')!.queues.get('tq')!.store as DurableMessageStore;
    assert.equal(store.windowCount, WINDOW, 'only the window is held in memory');
    assert.equal(store.readyCount, 600);
    // In the log: every paged message (400 of them transient) and the window's persistent ones.
    const windowPersistent = sent.slice(0, WINDOW).filter(persistentName).length;
    assert.equal(store.storedCount, 600 - WINDOW + windowPersistent);
    const ch = await quietChannel(conn);
    assert.equal((await ch.checkQueue('tq')).messageCount, 600);
    const got = await consumeAcked(conn, 'tq', 600, 50);
    assert.deepEqual(text(got), sent, 'publish order, persistent and transient mixed');
    assert.deepEqual(got.map((m) => m.properties.deliveryMode), sent.map((b) => (persistentName(b) ? 2 : 1)));
    assert.ok(got.every((m) => !m.fields.redelivered));
    for (let waited = 0; store.storedCount > 0 && waited < 2000; waited += 20) await delay(20);
    assert.equal(store.storedCount, 0, 'every ack removed its message from the log');
    assert.equal((await ch.checkQueue('tq')).messageCount, 0);
    await conn.close();
  } finally {
    await server.destroy();
  }
});

async function startChild(dataDir: string): Promise<{ server: ChildServer; conn: Conn }> {
  const server = await startChildServer(['--enable', 'amqp', '--data-dir', dataDir, '--amqp-queue-window-messages', String(WINDOW)]);
  const conn = await connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
  return { server, conn };
}

async function stopClean(server: ChildServer): Promise<void> {
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  await exited;
}

test('amqplib: a restart (clean, then kill -9) brings back only the persistent messages of a paged queue, in order', { timeout: 60_000 }, async () => {
  const dataDir = tempDir();
  let { server, conn } = await startChild(dataDir);
  try {
    // Clean stop: 300 published, the first 20 consumed and acked.
    const first = names(300);
    await publish(conn, 'rq', first);
    assert.deepEqual(text(await getN(conn, 'rq', 20)), first.slice(0, 20));
    await conn.close();
    await stopClean(server);
    ({ server, conn } = await startChild(dataDir));
    const ch = await quietChannel(conn);
    const kept = first.slice(20).filter(persistentName);
    assert.equal((await ch.checkQueue('rq')).messageCount, kept.length, 'the transient ones are gone');

    // kill -9: 300 more behind the recovered ones, nothing consumed.
    const second = names(300, 300);
    await publish(conn, 'rq', second);
    assert.equal((await ch.checkQueue('rq')).messageCount, kept.length + 300);
    await conn.close();
    await killHard(server);
    ({ server, conn } = await startChild(dataDir));
    const expected = [...kept, ...second.filter(persistentName)];
    const got = await consumeAcked(conn, 'rq', expected.length, 50);
    assert.deepEqual(text(got), expected, 'persistent ones only, in publish order');
    assert.ok(got.every((m) => m.properties.deliveryMode === 2));
    const after = await quietChannel(conn);
    await delay(50);
    assert.equal((await after.checkQueue('rq')).messageCount, 0, 'nothing else came back');
    await conn.close();
  } finally {
    await killHard(server);
  }
});
