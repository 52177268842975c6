// issue 10 §2/§3: durable exchanges, queues, bindings and persistent messages survive a restart
// (amqplib and pika, real clients); transient objects, exclusive queues and transient messages do
// not; recovered messages are redelivered; purge and delete remove the queue's files.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { assertChannelClosed, connect, delay, quietChannel, quietConfirmChannel, type Conn } from '../../helpers/amqp-client.js';
import { startTestServer, tempDir, type TestServer } from '../../helpers/junction.js';
import { runPython } from '../../helpers/python.js';

const PIKA = fileURLToPath(new URL('../../../../test/amqp/durable/py/durable_pika.py', import.meta.url));

const start = (dataDir: string): Promise<TestServer> => startTestServer({ enabled: ['amqp'], dataDir });
const urlOf = (s: TestServer): string => `amqp://guest:guest@127.0.0.1:${s.ports.amqp}`;

/** Drain a queue with amqplib: bodies and redelivered flags in arrival order, each acked. */
async function drain(conn: Conn, queue: string): Promise<{ body: string; redelivered: boolean }[]> {
  const ch = await conn.createChannel();
  const got: { body: string; redelivered: boolean }[] = [];
  for (;;) {
    const m = await ch.get(queue);
    if (m === false) break;
    got.push({ body: m.content.toString(), redelivered: m.fields.redelivered });
    ch.ack(m);
  }
  await ch.close();
  return got;
}

test('amqplib: durable exchange, queue, binding and persistent messages survive a restart; transient ones do not', async () => {
  const dataDir = tempDir();
  let server = await start(dataDir);
  let conn = await connect(urlOf(server));
  try {
    const ch = await quietConfirmChannel(conn);
    await ch.assertExchange('dx', 'topic', { durable: true });
    await ch.assertExchange('tx', 'fanout', { durable: false });
    await ch.assertQueue('dq', { durable: true });
    await ch.assertQueue('tq', { durable: false });
    await ch.assertQueue('xq', { durable: true, exclusive: true });
    await ch.bindQueue('dq', 'dx', 'a.#');
    await ch.bindQueue('tq', 'dx', 'a.#');
    await ch.bindQueue('dq', 'amq.fanout', '');
    await ch.bindExchange('tx', 'dx', '#');
    for (const body of ['m1', 'm2', 'm3']) ch.publish('dx', 'a.b', Buffer.from(body), { persistent: true });
    ch.publish('dx', 'a.b', Buffer.from('transient'), { persistent: false });
    await ch.waitForConfirms();
    // m1 acked, m2 left unacked (requeued at the stop), m3 and the transient one ready.
    const c2 = await conn.createChannel();
    const m1 = await c2.get('dq');
    assert.ok(m1 && m1.content.toString() === 'm1');
    c2.ack(m1);
    const m2 = await c2.get('dq');
    assert.ok(m2 && m2.content.toString() === 'm2' && !m2.fields.redelivered);
    await c2.assertQueue('dq', { durable: true }); // a round trip after the ack
    await conn.close();
    await server.stop();

    server = await start(dataDir);
    conn = await connect(urlOf(server));
    const after = await quietChannel(conn);
    assert.deepEqual(await after.checkQueue('dq'), { queue: 'dq', messageCount: 2, consumerCount: 0 });
    await after.checkExchange('dx');
    await assertChannelClosed((await quietChannel(conn)).checkQueue('tq'), 404, "NOT_FOUND - no queue 'tq' in vhost '/'");
    await assertChannelClosed((await quietChannel(conn)).checkQueue('xq'), 404, "NOT_FOUND - no queue 'xq' in vhost '/'");
    await assertChannelClosed((await quietChannel(conn)).checkExchange('tx'), 404, "NOT_FOUND - no exchange 'tx' in vhost '/'");
    // A clean stop keeps delivery marks (RabbitMQ 3.10.8's queue index too): m2 was delivered.
    assert.deepEqual(await drain(conn, 'dq'), [{ body: 'm2', redelivered: true }, { body: 'm3', redelivered: false }]);
    // The bindings came back: dx 'a.#' and amq.fanout both route to dq.
    const pub = await quietConfirmChannel(conn);
    pub.publish('dx', 'a.z', Buffer.from('via-dx'), { persistent: true });
    pub.publish('amq.fanout', '', Buffer.from('via-fanout'), { persistent: true });
    await pub.waitForConfirms();
    assert.deepEqual((await drain(conn, 'dq')).map((m) => m.body), ['via-dx', 'via-fanout']);
  } finally {
    await conn.close().catch(() => undefined);
    await server.destroy();
  }
});

test('pika: persistent messages in a durable queue come back after a clean restart, not redelivered (never delivered before), the transient one does not', async () => {
  const dataDir = tempDir();
  let server = await start(dataDir);
  try {
    await runPython(PIKA, ['publish', urlOf(server), 'pq', '5']);
    await server.stop();
    server = await start(dataDir);
    const got = JSON.parse(await runPython(PIKA, ['drain', urlOf(server), 'pq'])) as { body: string; redelivered: boolean; delivery_mode: number }[];
    assert.deepEqual(got, ['m0', 'm1', 'm2', 'm3', 'm4'].map((body) => ({ body, redelivered: false, delivery_mode: 2 })));
    // Drained and acked: nothing comes back after another restart.
    await server.stop();
    server = await start(dataDir);
    assert.deepEqual(JSON.parse(await runPython(PIKA, ['drain', urlOf(server), 'pq'])), []);
  } finally {
    await server.destroy();
  }
});

const queueDir = (dataDir: string, queue: string) => join(dataDir, 'amqp', 'queues', '%2F', queue);

test('purge removes the queue files, delete removes the queue and its directory for good', async () => {
  const dataDir = tempDir();
  let server = await start(dataDir);
  let conn = await connect(urlOf(server));
  try {
    const ch = await quietConfirmChannel(conn);
    await ch.assertQueue('gone', { durable: true });
    await ch.assertQueue('kept', { durable: true });
    for (let i = 0; i < 10; i++) ch.sendToQueue('gone', Buffer.from(`g${i}`), { persistent: true });
    ch.sendToQueue('kept', Buffer.from('k'), { persistent: true });
    await ch.waitForConfirms();
    assert.ok(existsSync(join(queueDir(dataDir, 'gone'), 'msgs')), 'the persistent messages are in the queue directory');
    assert.deepEqual(await ch.purgeQueue('gone'), { messageCount: 10 });
    await ch.assertQueue('gone', { durable: true });
    await delay(100);
    assert.equal(existsSync(join(queueDir(dataDir, 'gone'), 'msgs')), false, 'purge removed the message files');
    ch.sendToQueue('gone', Buffer.from('after-purge'), { persistent: true });
    await ch.waitForConfirms();
    await conn.close();
    await server.stop();

    server = await start(dataDir);
    conn = await connect(urlOf(server));
    assert.deepEqual((await drain(conn, 'gone')).map((m) => m.body), ['after-purge']);
    const c = await quietChannel(conn);
    await c.deleteQueue('gone');
    await delay(100);
    assert.equal(existsSync(queueDir(dataDir, 'gone')), false, 'delete removed the queue directory');
    await conn.close();
    await server.stop();

    server = await start(dataDir);
    conn = await connect(urlOf(server));
    await assertChannelClosed((await quietChannel(conn)).checkQueue('gone'), 404, "NOT_FOUND - no queue 'gone' in vhost '/'");
    assert.deepEqual((await drain(conn, 'kept')).map((m) => m.body), ['k']);
  } finally {
    await conn.close().catch(() => undefined);
    await server.destroy();
  }
});

test('a queue directory no durable queue names is set aside at start, not deleted', async () => {
  const dataDir = tempDir();
  const ghost = queueDir(dataDir, 'ghost');
  mkdirSync(join(ghost, 'msgs'), { recursive: true });
  writeFileSync(join(ghost, 'msgs', 'keep-me'), 'x');
  const server = await start(dataDir);
  try {
    assert.equal(existsSync(ghost), false);
    const aside = readdirSync(join(dataDir, 'amqp', 'queues', '%2F')).filter((n) => n.startsWith('ghost.') && n.endsWith('-stray'));
    assert.equal(aside.length, 1);
    assert.ok(existsSync(join(dataDir, 'amqp', 'queues', '%2F', aside[0]!, 'msgs', 'keep-me')));
  } finally {
    await server.destroy();
  }
});
