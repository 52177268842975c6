// The AMQP personality's own settings and hooks on a Junction test server (not differential):
// --auth with the shared user store, max_message_size and clean shutdown
// (connection.blocked: test/compat/amqp/alarms.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import amqplib from 'amqplib';
import { assertChannelClosed, collect, connect, quietChannel } from '../helpers/amqp-client.js';
import { startTestServer } from '../helpers/junction.js';
import { runPython } from '../helpers/python.js';
import { fileURLToPath } from 'node:url';

const PY_DIR = fileURLToPath(new URL('../../../test/compat/amqp/py/', import.meta.url));

test('with --auth: the store\'s users log in (PLAIN via amqplib, pika), others get 403 ACCESS_REFUSED', async () => {
  const server = await startTestServer({ auth: true, enabled: ['amqp'] });
  try {
    const port = server.ports.amqp!;
    const password = readFileSync(join(server.dataDir, 'auth', 'initial-admin-password'), 'utf8').trim();
    const conn = await amqplib.connect(`amqp://nacos:${encodeURIComponent(password)}@127.0.0.1:${port}`);
    await conn.close();
    const common = ['127.0.0.1', String(port), 'nacos', password, 'auth-course'];
    assert.equal(await runPython(`${PY_DIR}course_producer.py`, [...common, 'hi'], 30_000), " [x] Sent 'hi'\n");
    await assert.rejects(amqplib.connect(`amqp://nacos:wrong@127.0.0.1:${port}`), (err: Error) => {
      assert.match(err.message, /ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN\. For details see the broker logfile\./);
      return true;
    });
    await assert.rejects(amqplib.connect(`amqp://guest:guest@127.0.0.1:${port}`), /403/);
  } finally {
    await server.destroy();
  }
});

test('without --auth any credentials are accepted', async () => {
  const server = await startTestServer({ enabled: ['amqp'] });
  try {
    const conn = await amqplib.connect(`amqp://anyone:anything@127.0.0.1:${server.ports.amqp}`);
    await conn.close();
  } finally {
    await server.destroy();
  }
});

test('a body above max_message_size closes the channel with 406; the connection goes on', async () => {
  const server = await startTestServer({ enabled: ['amqp'], amqp: { maxMessageSize: 1000 } });
  try {
    const conn = await connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
    let ch = await quietChannel(conn);
    await ch.assertQueue('big', { exclusive: true });
    ch.sendToQueue('big', Buffer.alloc(1001));
    await assertChannelClosed(ch.checkQueue('big'), 406, 'PRECONDITION_FAILED - message size 1001 is larger than configured max size 1000');
    ch = await quietChannel(conn);
    ch.sendToQueue('big', Buffer.alloc(1000, 'a'));
    const [m] = await collect(ch, 'big', 1, { noAck: true });
    assert.equal(m!.content.length, 1000);
    await conn.close();
  } finally {
    await server.destroy();
  }
});

test('stopping the server sends 320 CONNECTION_FORCED to connected clients', async () => {
  const server = await startTestServer({ enabled: ['amqp'] });
  const conn = await amqplib.connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
  // amqplib does not count 320 as fatal: it is the 'close' event's error, not an 'error' event.
  const closed = new Promise<Error>((resolve) => conn.on('close', resolve));
  await server.destroy();
  assert.match((await closed).message, /320 \(CONNECTION-FORCED\) with message "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'"/);
});
