// Real clients end to end against the AMQP target (Junction by default, the real RabbitMQ 3.10.8
// with JUNCTION_AMQP_TARGET=reference): the course's pika producer and consumer as written,
// amqplib, @cloudamqp/amqp-client and amqp-tools.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AMQPClient } from '@cloudamqp/amqp-client';
import amqplib from 'amqplib';
import { startAmqpTarget, type AmqpTarget } from '../../helpers/amqp-target.js';
import { runPython } from '../../helpers/python.js';
import { run } from '../../helpers/run-program.js';

const PY_DIR = fileURLToPath(new URL('../../../../test/compat/amqp/py/', import.meta.url));

let target: AmqpTarget;
before(async () => { target = await startAmqpTarget(); });
after(async () => { await target?.stop(); });

test('the course producer publishes and the course consumer acknowledges each message (pika)', async () => {
  const common = [target.host, String(target.amqpPort), 'guest', 'guest', 'course-hello'];
  const produced = await runPython(`${PY_DIR}course_producer.py`, [...common, 'Hello World!', 'second'], 30_000);
  assert.equal(produced, " [x] Sent 'Hello World!'\n [x] Sent 'second'\n");
  const consumed = await runPython(`${PY_DIR}course_consumer.py`, [...common, '2'], 30_000);
  assert.equal(consumed, " [x] Received 'Hello World!'\n [x] Received 'second'\n");
  // Both were acked: a passive declare sees an empty queue.
  const conn = await amqplib.connect(target.url);
  try {
    const ch = await conn.createChannel();
    assert.deepEqual(await ch.checkQueue('course-hello'), { queue: 'course-hello', messageCount: 0, consumerCount: 0 });
    await ch.deleteQueue('course-hello');
  } finally {
    await conn.close();
  }
});

test('pika sees RabbitMQ 3.10.8 and round-trips a message', async () => {
  const out = await runPython(`${PY_DIR}pika_roundtrip.py`, [target.url, 'clients-pika', 'from pika'], 30_000);
  assert.deepEqual(JSON.parse(out), { server: { product: 'RabbitMQ', version: '3.10.8' }, body: 'from pika', redelivered: false });
});

test('amqplib: server properties, declare, publish, consume, ack', async () => {
  const conn = await amqplib.connect(target.url);
  try {
    const props = conn.connection.serverProperties as Record<string, unknown>;
    assert.equal(props.product, 'RabbitMQ');
    assert.equal(props.version, '3.10.8');
    const ch = await conn.createChannel();
    assert.deepEqual(await ch.assertQueue('clients-amqplib', { autoDelete: true }), { queue: 'clients-amqplib', messageCount: 0, consumerCount: 0 });
    ch.sendToQueue('clients-amqplib', Buffer.from('from amqplib'), { contentType: 'text/plain', headers: { n: 1 } });
    const msg = await new Promise<amqplib.ConsumeMessage>((resolve) => {
      void ch.consume('clients-amqplib', (m) => { if (m) resolve(m); });
    });
    ch.ack(msg);
    assert.equal(msg.content.toString(), 'from amqplib');
    assert.equal(msg.properties.contentType, 'text/plain');
    assert.deepEqual(msg.properties.headers, { n: 1 });
    assert.equal(msg.fields.deliveryTag, 1);
    assert.equal(msg.fields.redelivered, false);
  } finally {
    await conn.close();
  }
});

test('@cloudamqp/amqp-client publishes and consumes a 300 KB message (several body frames)', async () => {
  const conn = await new AMQPClient(target.url).connect();
  try {
    const ch = await conn.channel();
    const q = await ch.queueDeclare('clients-cloudamqp', { autoDelete: true });
    const body = Buffer.alloc(300_000, 'x');
    body.write('head');
    await ch.basicPublish('', q.name, body);
    const got = await new Promise<Uint8Array | null>((resolve) => {
      void ch.basicConsume(q.name, { noAck: false }, async (msg) => {
        await msg.ack();
        resolve(msg.body);
      });
    });
    assert.ok(got);
    assert.equal(Buffer.from(got).equals(body), true);
  } finally {
    await conn.close();
  }
});

test('amqp-tools: amqp-declare-queue, amqp-publish, amqp-consume move one message', async () => {
  const url = ['-u', target.url];
  const declared = await run('amqp-declare-queue', [...url, '-q', 'clients-tools'], undefined, { timeoutMs: 15_000 });
  assert.equal(declared.code, 0, declared.stderr);
  assert.equal(declared.stdout.trim(), 'clients-tools');
  const published = await run('amqp-publish', [...url, '-r', 'clients-tools', '-b', 'from amqp-tools'], undefined, { timeoutMs: 15_000 });
  assert.equal(published.code, 0, published.stderr);
  const consumed = await run('amqp-consume', [...url, '-q', 'clients-tools', '-c', '1', 'cat'], undefined, { timeoutMs: 15_000 });
  assert.equal(consumed.code, 0, consumed.stderr);
  assert.equal(consumed.stdout, 'from amqp-tools');
});
