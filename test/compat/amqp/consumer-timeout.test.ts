// consumer_timeout against the AMQP target (differential with JUNCTION_AMQP_TARGET=reference, where
// rabbitmq.conf sets consumer_timeout and advanced.config a 100 ms channel tick): a delivery left
// unacked longer than the timeout closes its channel with RabbitMQ's 406 text; acking in time does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { delay, quietConfirmChannel, type Conn, useAmqpTarget } from '../../helpers/amqp-client.js';

const TIMEOUT_MS = 1000;
let conn: Conn;
useAmqpTarget((_target, c) => { conn = c; }, { consumerTimeoutMs: TIMEOUT_MS });

test('an unacked delivery older than consumer_timeout closes the channel with 406; the message is requeued', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('ct-q');
  ch.sendToQueue('ct-q', Buffer.from('slow'));
  await ch.waitForConfirms();
  const closed = new Promise<Error>((resolve) => ch.on('error', resolve));
  await ch.consume('ct-q', () => undefined, { noAck: false });
  const error = await Promise.race([closed, delay(TIMEOUT_MS * 5).then(() => null)]);
  assert.ok(error, 'the channel was not closed');
  assert.equal((error as Error & { code?: number }).code, 406);
  assert.ok(error.message.endsWith('with message "PRECONDITION_FAILED - delivery acknowledgement on channel 1 timed out. '
    + `Timeout value used: ${TIMEOUT_MS} ms. This timeout value can be configured, see consumers doc guide to learn more"`), error.message);
  const check = await conn.createChannel();
  // Requeued when the channel closed.
  let count = 0;
  for (let i = 0; i < 50 && count === 0; i++) {
    count = (await check.checkQueue('ct-q')).messageCount;
    if (count === 0) await delay(20);
  }
  assert.equal(count, 1);
  await check.deleteQueue('ct-q');
  await check.close();
});

test('deliveries acked within the timeout keep the channel open', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('ct-ok');
  let errored = false;
  ch.on('error', () => { errored = true; });
  await ch.consume('ct-ok', (m) => { if (m) setTimeout(() => ch.ack(m), TIMEOUT_MS / 4); }, { noAck: false });
  for (let i = 0; i < 6; i++) {
    ch.sendToQueue('ct-ok', Buffer.from(String(i)));
    await delay(TIMEOUT_MS / 3);
  }
  await delay(TIMEOUT_MS);
  assert.equal(errored, false);
  await ch.deleteQueue('ct-ok');
  await ch.close();
});
