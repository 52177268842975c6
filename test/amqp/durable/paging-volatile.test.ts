// issue 10 §3: non-durable FIFO queues page past the window too (RabbitMQ's msg_store_transient)
// while memory use is above the paging ratio of the watermark (0 here: always, unless a test says
// otherwise), end to end with amqplib (window 8 messages here): into data/amqp/volatile/, made
// only when a window first fills, removed with the queue, wiped at every start; publish order kept.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type amqplib from 'amqplib';
import type { DurableMessageStore } from '../../../src/amqp/durable/durable-message-store.js';
import type { RunningAmqp } from '../../../src/amqp/personality.js';
import { type Conn, connect, consumeAcked, delay, quietConfirmChannel } from '../../helpers/amqp-client.js';
import { killHard, startChildServer } from '../../helpers/child-server.js';
import { startTestServer, tempDir, type TestServer } from '../../helpers/junction.js';

const WINDOW = 8;
const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `m${i}`);
const persistentName = (name: string): boolean => Number(name.slice(1)) % 3 === 0;

const volatileRoot = (dataDir: string): string => join(dataDir, 'amqp', 'volatile');
const volatileDir = (dataDir: string, queue: string): string => join(volatileRoot(dataDir), 'queues', '%2F', queue);

/** Confirms of paged non-durable messages do not wait for their files: wait for them to show up. */
async function eventually(check: () => boolean): Promise<boolean> {
  for (let waited = 0; !check() && waited < 2000; waited += 20) await delay(20);
  return check();
}

async function publish(ch: amqplib.ConfirmChannel, queue: string, bodies: string[]): Promise<void> {
  for (const b of bodies) ch.sendToQueue(queue, Buffer.from(b), { persistent: persistentName(b) });
  await ch.waitForConfirms();
}

type Run = (server: TestServer, conn: Conn, storeOf: (q: string) => DurableMessageStore, running: RunningAmqp) => Promise<void>;

async function withServer(run: Run, pagingRatio = 0): Promise<void> {
  const server = await startTestServer({ enabled: ['amqp'], dataDir: tempDir(),
    settings: { amqp: { queueWindowMessages: WINDOW, vmMemoryHighWatermarkPagingRatio: pagingRatio } } });
  const running = server.junction.personality('amqp') as unknown as RunningAmqp;
  const conn = await connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
  try {
    await run(server, conn, (q) => running.broker.vhosts.get('/')!.queues.get(q)!.store as DurableMessageStore, running);
  } finally {
    await conn.close().catch(() => undefined);
    await server.destroy();
  }
}

test('amqplib: a non-durable queue pages past the window (files made only then), delivers in publish order, and its files go with it', () => withServer(async (server, conn, storeOf) => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('nd', { durable: false });
  await publish(ch, 'nd', names(WINDOW));
  assert.equal(storeOf('nd').storedCount, 0, 'the window holds them: nothing written');
  assert.equal(existsSync(volatileRoot(server.dataDir)), false, 'no file while the window has room');
  const sent = names(600);
  await publish(ch, 'nd', sent.slice(WINDOW));
  const store = storeOf('nd');
  assert.equal(store.windowCount, WINDOW, 'only the window is held in memory');
  assert.equal(store.readyCount, 600);
  assert.equal(store.storedCount, 600 - WINDOW, 'every paged one, persistent ones included, is in the log');
  assert.ok(await eventually(() => existsSync(volatileDir(server.dataDir, 'nd'))));
  assert.equal(existsSync(join(server.dataDir, 'amqp', 'queues', '%2F', 'nd')), false, 'not with the durable queues');
  const got = await consumeAcked(conn, 'nd', 600, 50);
  assert.deepEqual(got.map((m) => m.content.toString()), sent);
  assert.deepEqual(got.map((m) => m.properties.deliveryMode), sent.map((b) => (persistentName(b) ? 2 : 1)));
  for (let waited = 0; store.storedCount > 0 && waited < 2000; waited += 20) await delay(20);
  assert.equal(store.storedCount, 0);
  await publish(ch, 'nd', sent.slice(0, 100));
  assert.deepEqual(await ch.deleteQueue('nd'), { messageCount: 100 });
  for (let waited = 0; existsSync(volatileDir(server.dataDir, 'nd')) && waited < 2000; waited += 20) await delay(20);
  assert.equal(existsSync(volatileDir(server.dataDir, 'nd')), false, 'deleted with the queue');
}));

test('amqplib: an exclusive queue pages too, and its files go with its connection', () => withServer(async (server, _conn, storeOf) => {
  const own = await connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
  const ch = await quietConfirmChannel(own);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await publish(ch, queue, names(100));
  assert.equal(storeOf(queue).windowCount, WINDOW);
  const dir = volatileDir(server.dataDir, encodeURIComponent(queue).replace(/\./g, '%2E'));
  assert.ok(await eventually(() => existsSync(dir)), dir);
  const got: string[] = [];
  for (let m = await ch.get(queue, { noAck: true }); m !== false; m = await ch.get(queue, { noAck: true })) got.push(m.content.toString());
  assert.deepEqual(got, names(100));
  await own.close();
  for (let waited = 0; existsSync(dir) && waited < 2000; waited += 20) await delay(20);
  assert.equal(existsSync(dir), false);
}));

test('a restart wipes what non-durable queues paged (kill -9 and clean stop); durable queues keep theirs, no stray', { timeout: 60_000 }, async () => {
  const dataDir = tempDir();
  const start = () => startChildServer(['--enable', 'amqp', '--data-dir', dataDir, '--amqp-queue-window-messages', String(WINDOW),
    '--amqp-vm-memory-high-watermark-paging-ratio', '0']);
  let server = await start();
  try {
    let conn = await connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
    let ch = await quietConfirmChannel(conn);
    await ch.assertQueue('nd', { durable: false });
    await ch.assertQueue('d', { durable: true });
    await publish(ch, 'nd', names(100));
    await publish(ch, 'd', names(100));
    assert.ok(await eventually(() => existsSync(volatileDir(dataDir, 'nd'))));
    await conn.close();
    await killHard(server);
    // What a crash left, and a file nobody knows: gone at the next start.
    mkdirSync(join(volatileRoot(dataDir), 'queues', 'other'), { recursive: true });
    writeFileSync(join(volatileRoot(dataDir), 'queues', 'other', 'junk'), 'x');
    server = await start();
    assert.equal(existsSync(volatileRoot(dataDir)), false, 'wiped at start');
    conn = await connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
    ch = await quietConfirmChannel(conn);
    await assert.rejects(ch.checkQueue('nd'), /404/);
    conn = await connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
    ch = await quietConfirmChannel(conn);
    assert.equal((await ch.checkQueue('d')).messageCount, names(100).filter(persistentName).length);
    await ch.assertQueue('nd2', { durable: false });
    await publish(ch, 'nd2', names(100));
    assert.ok(await eventually(() => existsSync(volatileDir(dataDir, 'nd2'))));
    await conn.close();
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
    assert.equal(existsSync(volatileRoot(dataDir)), false, 'a clean stop deletes them too');
    assert.deepEqual(readdirSync(join(dataDir, 'amqp', 'queues', '%2F')).filter((d) => d.includes('stray')), []);
  } finally {
    await killHard(server);
  }
});

test('amqplib: without memory pressure a non-durable queue keeps its messages in memory; paging starts with it and goes on until the paged ones are drained', () => withServer(async (_server, conn, storeOf, running) => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('calm', { durable: false });
  const sent = names(300);
  await publish(ch, 'calm', sent.slice(0, 100));
  assert.equal(storeOf('calm').windowCount, 100, 'paging ratio 100 (RSS far below it): nothing paged');
  assert.equal(storeOf('calm').storedCount, 0);
  await running.server.alarms.setLimits({ vmMemoryHighWatermarkPagingRatio: 0 });
  assert.equal(running.server.alarms.paging, true);
  await publish(ch, 'calm', sent.slice(100, 200));
  assert.equal(storeOf('calm').windowCount, 100, 'under pressure the window is full already: the next ones are paged');
  assert.equal(storeOf('calm').storedCount, 100);
  await running.server.alarms.setLimits({ vmMemoryHighWatermarkPagingRatio: 100 });
  assert.equal(running.server.alarms.paging, false);
  await publish(ch, 'calm', sent.slice(200, 250));
  assert.equal(storeOf('calm').storedCount, 150, 'pressure gone, but behind paged messages a new one is paged too (publish order)');
  const got = await consumeAcked(conn, 'calm', 250, 50);
  assert.deepEqual(got.map((m) => m.content.toString()), sent.slice(0, 250));
  await publish(ch, 'calm', sent.slice(250));
  assert.equal(storeOf('calm').windowCount, 50, 'drained: in memory again');
  assert.ok(await eventually(() => storeOf('calm').storedCount === 0));
}, 100));
