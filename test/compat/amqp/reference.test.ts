// The reference launcher works for every client issue 10 names: pika, amqplib, @cloudamqp/amqp-client
// and amqp-tools each publish one message to the real RabbitMQ 3.10.8 and consume it back, and the
// management API answers. Runs the reference only, whatever JUNCTION_AMQP_TARGET says.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AMQPClient } from '@cloudamqp/amqp-client';
import amqplib from 'amqplib';
import { runPython } from '../../helpers/python.js';
import { basicAuth, GUEST, startRabbitMq, type RabbitMqServer } from '../../helpers/rabbitmq-server.js';
import { run } from '../../helpers/run-program.js';

const PY_DIR = fileURLToPath(new URL('../../../../test/compat/amqp/py/', import.meta.url));

let rabbit: RabbitMqServer;
before(async () => { rabbit = await startRabbitMq(); });
after(async () => { await rabbit?.stop(); });

test('the launcher reports its start time and memory', (t) => {
  const rssKiB = rabbit.rssKiB();
  t.diagnostic(`RabbitMQ ${rabbit.nodeName}: ready in ${rabbit.startMs} ms, RSS ${(rssKiB / 1024).toFixed(1)} MiB`);
  assert.ok(rabbit.startMs > 0);
  // beam.smp with the management plugin is well above 50 MiB; a number this small means we summed the wrong group.
  assert.ok(rssKiB > 50 * 1024, `RSS ${rssKiB} KiB`);
});

test('pika publishes and consumes one message', async () => {
  const out = await runPython(`${PY_DIR}pika_roundtrip.py`, [rabbit.url, 'smoke-pika', 'from pika'], 30_000);
  assert.deepEqual(JSON.parse(out), {
    server: { product: 'RabbitMQ', version: '3.10.8' }, body: 'from pika', redelivered: false,
  });
});

test('amqplib publishes and consumes one message', async () => {
  const conn = await amqplib.connect(rabbit.url);
  try {
    assert.equal(conn.connection.serverProperties.version, '3.10.8');
    const ch = await conn.createChannel();
    const q = await ch.assertQueue('smoke-amqplib', { autoDelete: true });
    assert.deepEqual(q, { queue: 'smoke-amqplib', messageCount: 0, consumerCount: 0 });
    ch.sendToQueue('smoke-amqplib', Buffer.from('from amqplib'));
    const body = await new Promise<string>((resolve) => {
      void ch.consume('smoke-amqplib', (msg) => {
        if (!msg) return;
        ch.ack(msg);
        resolve(msg.content.toString());
      });
    });
    assert.equal(body, 'from amqplib');
  } finally {
    await conn.close();
  }
});

test('@cloudamqp/amqp-client publishes and consumes one message', async () => {
  const conn = await new AMQPClient(rabbit.url).connect();
  try {
    const ch = await conn.channel();
    const ok = await ch.queueDeclare('smoke-cloudamqp', { autoDelete: true });
    assert.equal(ok.name, 'smoke-cloudamqp');
    await ch.basicPublish('', 'smoke-cloudamqp', 'from amqp-client');
    const body = await new Promise<string | null>((resolve) => {
      void ch.basicConsume('smoke-cloudamqp', { noAck: false }, async (msg) => {
        await msg.ack();
        resolve(msg.bodyToString());
      });
    });
    assert.equal(body, 'from amqp-client');
  } finally {
    await conn.close();
  }
});

test('amqp-tools (amqp-declare-queue, amqp-publish, amqp-consume) move one message', async () => {
  const url = ['-u', rabbit.url];
  const declared = await run('amqp-declare-queue', [...url, '-q', 'smoke-tools'], undefined, { timeoutMs: 15_000 });
  assert.equal(declared.code, 0, declared.stderr);
  assert.equal(declared.stdout.trim(), 'smoke-tools');
  const published = await run('amqp-publish', [...url, '-r', 'smoke-tools', '-b', 'from amqp-tools'], undefined, { timeoutMs: 15_000 });
  assert.equal(published.code, 0, published.stderr);
  // -c 1: stop after one message; `cat` is run per message with the body on its stdin.
  const consumed = await run('amqp-consume', [...url, '-q', 'smoke-tools', '-c', '1', 'cat'], undefined, { timeoutMs: 15_000 });
  assert.equal(consumed.code, 0, consumed.stderr);
  assert.equal(consumed.stdout, 'from amqp-tools');
});

test('the management API answers /api/overview for guest and 401 without credentials', async () => {
  const res = await fetch(`${rabbit.managementUrl}/api/overview`, { headers: { authorization: basicAuth(GUEST.user, GUEST.password) } });
  assert.equal(res.status, 200);
  const overview = await res.json() as { rabbitmq_version: string; node: string; listeners: { protocol: string; port: number }[] };
  assert.equal(overview.rabbitmq_version, '3.10.8');
  assert.equal(overview.node, rabbit.nodeName);
  assert.ok(overview.listeners.some((l) => l.protocol === 'amqp' && l.port === rabbit.amqpPort));
  const anonymous = await fetch(`${rabbit.managementUrl}/api/overview`);
  assert.equal(anonymous.status, 401);
  await anonymous.arrayBuffer();
});

test("restart('kill') brings the same node back on its own dir and ports: a user it stored before is there", async (t) => {
  const before = { pgid: rabbit.pgid, url: rabbit.url, managementUrl: rabbit.managementUrl, dir: rabbit.dir };
  const api = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${rabbit.managementUrl}/api/${path}`,
    { ...init, headers: { authorization: basicAuth(GUEST.user, GUEST.password), 'content-type': 'application/json' } });
  // A user (the user store, written before the API answers) proves the node came back on its data
  // dir. Not a queue declared just before: RabbitMQ 3.10.8 itself lost such a durable queue in about
  // one kill -9 restart of six (docs/compat/amqp.md "Reference server"), which is its behaviour, not
  // the launcher's.
  const created = await api('users/restart-launcher', { method: 'PUT', body: JSON.stringify({ password: 'pw-restart', tags: '' }) });
  await created.arrayBuffer();
  assert.equal(created.status, 201);
  const ms = await rabbit.restart('kill');
  t.diagnostic(`RabbitMQ kill -9 restart: accepting again after ${ms} ms`);
  // Only our node's process group was killed, and a new one runs; nothing else changed.
  assert.throws(() => process.kill(-before.pgid, 0), { code: 'ESRCH' });
  assert.notEqual(rabbit.pgid, before.pgid);
  assert.deepEqual({ pgid: before.pgid, url: rabbit.url, managementUrl: rabbit.managementUrl, dir: rabbit.dir }, before);
  const user = await api('users/restart-launcher');
  assert.equal(user.status, 200, 'the user made before the kill is back');
  assert.equal(((await user.json()) as { name: string }).name, 'restart-launcher');
  // And AMQP works on the same URL.
  const conn = await amqplib.connect(rabbit.url);
  await conn.close();
});

test('stop() leaves no broker process and no temp dir behind (runs last)', async () => {
  const { dir, pgid, amqpPort } = rabbit;
  assert.ok(existsSync(dir));
  await rabbit.stop();
  assert.equal(existsSync(dir), false);
  assert.throws(() => process.kill(-pgid, 0), { code: 'ESRCH' });
  await assert.rejects(fetch(`http://127.0.0.1:${amqpPort}`)); // nothing listens any more
});
