// issue 10 §3: durable queues larger than their in-memory window (--amqp-queue-window-messages 8
// here so the tests stay small), end to end with amqplib and pika: order, bodies, requeue,
// restart, basic.get across the window, purge/delete, drop-head and TTL with a paged tail.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type amqplib from 'amqplib';
import { bodies, type Conn, connect, consumeAcked, delay, quietChannel, quietConfirmChannel } from '../../helpers/amqp-client.js';
import { startTestServer, tempDir, type TestServer } from '../../helpers/junction.js';
import { runPython } from '../../helpers/python.js';

const PIKA = fileURLToPath(new URL('../../../../test/amqp/durable/py/durable_pika.py', import.meta.url));
const WINDOW = 8;

const start = (dataDir: string): Promise<TestServer> =>
  startTestServer({ enabled: ['amqp'], dataDir, settings: { amqp: { queueWindowMessages: WINDOW } } });
const urlOf = (s: TestServer): string => `amqp://guest:guest@127.0.0.1:${s.ports.amqp}`;
const range = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `m${from + i}`);

async function fill(conn: Conn, queue: string, names: string[], args: amqplib.Options.AssertQueue = {}): Promise<void> {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue(queue, { durable: true, ...args });
  for (const b of names) ch.sendToQueue(queue, Buffer.from(b), { persistent: true });
  await ch.waitForConfirms();
  await ch.close();
}

/** basic.get until get-empty, acking each. */
async function getAll(conn: Conn, queue: string): Promise<amqplib.GetMessage[]> {
  const ch = await quietChannel(conn);
  const got: amqplib.GetMessage[] = [];
  for (let m = await ch.get(queue); m !== false; m = await ch.get(queue)) {
    got.push(m);
    ch.ack(m);
  }
  await ch.close();
  return got;
}

async function withServer(run: (server: TestServer, dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = tempDir();
  const server = await start(dataDir);
  try {
    await run(server, dataDir);
  } finally {
    await server.destroy();
  }
}

test('amqplib: a queue filled far beyond the window counts every message and delivers each once, in order, bodies right', () => withServer(async (server) => {
  const conn = await connect(urlOf(server));
  await fill(conn, 'big', range(300));
  const ch = await quietChannel(conn);
  assert.equal((await ch.checkQueue('big')).messageCount, 300);
  const got = await consumeAcked(conn, 'big', 300, 5);
  assert.deepEqual(bodies(got), range(300));
  assert.ok(got.every((m) => !m.fields.redelivered));
  await delay(50);
  assert.equal((await ch.checkQueue('big')).messageCount, 0);
  assert.equal(await ch.get('big'), false);
  await conn.close();
}));

test('amqplib: nack with requeue of messages read from the paged tail puts them back at their place, redelivered', () => withServer(async (server) => {
  const conn = await connect(urlOf(server));
  await fill(conn, 'rq', range(60));
  const ch = await quietChannel(conn);
  await ch.prefetch(30);
  const first: amqplib.ConsumeMessage[] = [];
  await new Promise<void>((resolve) => {
    void ch.consume('rq', (m) => { if (m) first.push(m); if (first.length === 30) resolve(); });
  });
  assert.deepEqual(bodies(first), range(30));
  ch.nackAll(true);
  await ch.close();
  const got = await consumeAcked(conn, 'rq', 60, 7);
  assert.deepEqual(bodies(got), range(60));
  assert.deepEqual(got.map((m) => m.fields.redelivered), range(60).map((_, i) => i < 30));
  await conn.close();
}));

test('amqplib: basic.get across the window boundary never answers get-empty while messages wait on disk', () => withServer(async (server) => {
  const conn = await connect(urlOf(server));
  await fill(conn, 'g', range(50));
  const got = await getAll(conn, 'g');
  assert.deepEqual(bodies(got), range(50));
  assert.deepEqual(got.map((m) => m.fields.messageCount), range(50).map((_, i) => 49 - i));
  await conn.close();
}));

test('amqplib: restart with a paged tail: every message back, in order, bodies right, redelivered only if delivered before the clean stop; pika after a second restart', async () => {
  const dataDir = tempDir();
  let server = await start(dataDir);
  try {
    let conn = await connect(urlOf(server));
    await fill(conn, 'keep', range(120));
    const ch = await quietChannel(conn);
    const head = await ch.get('keep');
    assert.ok(head && head.content.toString() === 'm0');
    ch.ack(head);
    // m1 is delivered and put back before the stop: the only one marked redelivered after it.
    const second = await ch.get('keep');
    assert.ok(second && second.content.toString() === 'm1');
    ch.nack(second, false, true);
    await ch.checkQueue('keep');
    await conn.close();
    await server.stop();
    server = await start(dataDir);
    conn = await connect(urlOf(server));
    assert.equal((await (await quietChannel(conn)).checkQueue('keep')).messageCount, 119);
    const half = await consumeAcked(conn, 'keep', 60, 5);
    assert.deepEqual(bodies(half), range(60, 1));
    assert.deepEqual(half.map((m) => m.fields.redelivered), range(60).map((_, i) => i === 0));
    await conn.close();
    await server.stop();
    server = await start(dataDir);
    const rest = JSON.parse(await runPython(PIKA, ['drain', urlOf(server), 'keep'])) as { body: string; redelivered: boolean }[];
    assert.deepEqual(rest.map((m) => m.body), range(59, 61));
    // Only the few the consumer above had prefetched when its channel closed were delivered
    // before the stop (requeued, so redelivered): at most its prefetch (5), at the head.
    const marked = rest.filter((m) => m.redelivered).length;
    assert.ok(marked <= 5, `${marked} redelivered`);
    assert.deepEqual(rest.map((m) => m.redelivered), rest.map((_, i) => i < marked), 'the redelivered ones are the head');
  } finally {
    await server.destroy();
  }
});

test('pika: persistent messages beyond the window and a transient one behind them arrive in publish order', () => withServer(async (server) => {
  await runPython(PIKA, ['publish', urlOf(server), 'pq', '40']);
  const got = JSON.parse(await runPython(PIKA, ['drain', urlOf(server), 'pq'])) as { body: string; redelivered: boolean; delivery_mode: number }[];
  assert.deepEqual(got.map((m) => m.body), [...range(40), 't']);
  assert.deepEqual(got.map((m) => m.delivery_mode), [...Array(40).fill(2), 1]);
}));

test('amqplib: purge and delete with a paged tail; nothing comes back after a restart', async () => {
  const dataDir = tempDir();
  let server = await start(dataDir);
  try {
    let conn = await connect(urlOf(server));
    await fill(conn, 'p', range(100));
    await fill(conn, 'd', range(100));
    const ch = await quietChannel(conn);
    // One message out for an ack: the purge keeps the store and removes the others one by one.
    const out = await ch.get('p');
    assert.ok(out);
    assert.deepEqual(await ch.purgeQueue('p'), { messageCount: 99 });
    assert.equal((await ch.checkQueue('p')).messageCount, 0);
    assert.equal(await ch.get('p'), false);
    ch.ack(out);
    assert.deepEqual(await ch.deleteQueue('d'), { messageCount: 100 });
    await fill(conn, 'p', ['after']);
    await conn.close();
    await server.stop();
    assert.equal(existsSync(join(dataDir, 'amqp', 'queues', '%2F', 'd')), false, 'the deleted queue\'s directory is gone');
    server = await start(dataDir);
    conn = await connect(urlOf(server));
    assert.deepEqual(bodies(await getAll(conn, 'p')), ['after']);
    await conn.close();
  } finally {
    await server.destroy();
  }
});

test('amqplib: x-max-length drop-head with a paged tail keeps the newest messages', () => withServer(async (server) => {
  const conn = await connect(urlOf(server));
  await fill(conn, 'ml', range(100), { arguments: { 'x-max-length': 30 } });
  const ch = await quietChannel(conn);
  assert.equal((await ch.checkQueue('ml')).messageCount, 30);
  assert.deepEqual(bodies(await consumeAcked(conn, 'ml', 30, 5)), range(30, 70));
  await delay(50);
  assert.equal(await ch.get('ml'), false);
  await conn.close();
}));

test('amqplib: message TTL expires paged messages; later ones without a TTL survive', () => withServer(async (server) => {
  const conn = await connect(urlOf(server));
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('ttl', { durable: true });
  for (const b of range(40)) ch.sendToQueue('ttl', Buffer.from(b), { persistent: true, expiration: '150' });
  for (const b of range(5, 100)) ch.sendToQueue('ttl', Buffer.from(b), { persistent: true });
  await ch.waitForConfirms();
  assert.equal((await ch.checkQueue('ttl')).messageCount, 45);
  let count = 45;
  for (let i = 0; i < 60 && count !== 5; i++) {
    await delay(50);
    count = (await ch.checkQueue('ttl')).messageCount;
  }
  assert.equal(count, 5, 'the 40 expired messages were dropped, paged ones too');
  assert.deepEqual(bodies(await getAll(conn, 'ttl')), range(5, 100));
  await conn.close();
}));
