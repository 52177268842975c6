// Queue declaration semantics against the AMQP target (differential with JUNCTION_AMQP_TARGET=reference):
// server-named, passive, inequivalent redeclare, exclusive, auto-delete, delete if-unused/if-empty,
// purge, and x-queue-type.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IS_REFERENCE, type AmqpTarget } from '../../helpers/amqp-target.js';
import { assertChannelClosed, collect, connect, delay, quietChannel, quietConfirmChannel, type Conn, useAmqpTarget } from '../../helpers/amqp-client.js';

let target: AmqpTarget;
let conn: Conn;
useAmqpTarget((t, c) => { target = t; conn = c; });

test('an empty name gets a server-generated amq.gen- name; declare-ok counts ready messages and consumers', async () => {
  const ch = await quietConfirmChannel(conn);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  assert.match(queue, /^amq\.gen-[A-Za-z0-9_-]{22}$/);
  ch.sendToQueue(queue, Buffer.from('a'));
  ch.sendToQueue(queue, Buffer.from('b'));
  // Confirmed = in the queue (RabbitMQ's queue process may count them later than declare-ok otherwise).
  await ch.waitForConfirms();
  assert.deepEqual(await ch.checkQueue(queue), { queue, messageCount: 2, consumerCount: 0 });
  await ch.consume(queue, () => undefined, { noAck: false });
  await delay(50);
  // Both delivered, unacked: not ready any more.
  assert.deepEqual(await ch.checkQueue(queue), { queue, messageCount: 0, consumerCount: 1 });
  await ch.close();
});

test('passive declare of a missing queue is 404; reserved amq. names are 403', async () => {
  let ch = await quietChannel(conn);
  await assertChannelClosed(ch.checkQueue('no-such-queue'), 404, "NOT_FOUND - no queue 'no-such-queue' in vhost '/'");
  ch = await quietChannel(conn);
  await assertChannelClosed(ch.assertQueue('amq.mine'), 403, "ACCESS_REFUSED - queue name 'amq.mine' contains reserved prefix 'amq.*'");
});

test('redeclare with other durable or auto_delete is 406 inequivalent arg', async () => {
  let ch = await quietChannel(conn);
  await ch.assertQueue('q-ineq', { durable: false, autoDelete: false });
  await assertChannelClosed(ch.assertQueue('q-ineq', { durable: true }), 406,
    "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'q-ineq' in vhost '/': received 'true' but current is 'false'");
  ch = await quietChannel(conn);
  await assertChannelClosed(ch.assertQueue('q-ineq', { durable: false, autoDelete: true }), 406,
    "PRECONDITION_FAILED - inequivalent arg 'auto_delete' for queue 'q-ineq' in vhost '/': received 'true' but current is 'false'");
  ch = await quietChannel(conn);
  await ch.deleteQueue('q-ineq');
  await ch.close();
});

test('an exclusive queue is locked (405) for other connections and goes with its owner', async () => {
  const owner = await connect(target.url);
  const och = await owner.createChannel();
  await och.assertQueue('q-excl', { exclusive: true });
  const locked = "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue 'q-excl' in vhost '/'. It could be originally declared "
    + 'on another connection or the exclusive property value does not match that of the original declaration.';
  for (const op of [
    (ch: Awaited<ReturnType<typeof quietChannel>>) => ch.checkQueue('q-excl'),
    (ch: Awaited<ReturnType<typeof quietChannel>>) => ch.consume('q-excl', () => undefined),
    (ch: Awaited<ReturnType<typeof quietChannel>>) => ch.get('q-excl'),
    (ch: Awaited<ReturnType<typeof quietChannel>>) => ch.assertQueue('q-excl', { exclusive: true }),
  ]) {
    const ch = await quietChannel(conn);
    await assertChannelClosed(op(ch), 405, locked);
  }
  await owner.close();
  const ch = await quietChannel(conn);
  await assertChannelClosed(ch.checkQueue('q-excl'), 404, "NOT_FOUND - no queue 'q-excl' in vhost '/'");
});

test('an auto-delete queue lives until its last consumer goes, then is deleted', async () => {
  const ch = await quietChannel(conn);
  await ch.assertQueue('q-autodel', { autoDelete: true });
  await ch.checkQueue('q-autodel'); // never consumed: still there
  const a = await ch.consume('q-autodel', () => undefined);
  const b = await ch.consume('q-autodel', () => undefined);
  await ch.cancel(a.consumerTag);
  assert.equal((await ch.checkQueue('q-autodel')).consumerCount, 1);
  await ch.cancel(b.consumerTag);
  await assertChannelClosed(ch.checkQueue('q-autodel'), 404, "NOT_FOUND - no queue 'q-autodel' in vhost '/'");
});

test('queue.delete if-unused and if-empty refuse with 406; delete-ok and purge-ok count messages', async () => {
  let ch = await quietChannel(conn);
  await ch.assertQueue('q-del');
  ch.sendToQueue('q-del', Buffer.from('1'));
  ch.sendToQueue('q-del', Buffer.from('2'));
  await assertChannelClosed(ch.deleteQueue('q-del', { ifEmpty: true }), 406, "PRECONDITION_FAILED - queue 'q-del' in vhost '/' not empty");
  ch = await quietChannel(conn);
  const other = await quietChannel(conn);
  await other.consume('q-del', () => undefined, { noAck: false });
  await assertChannelClosed(ch.deleteQueue('q-del', { ifUnused: true }), 406, "PRECONDITION_FAILED - queue 'q-del' in vhost '/' in use");
  await other.close(); // both unacked deliveries go back to the queue
  ch = await quietChannel(conn);
  ch.sendToQueue('q-del', Buffer.from('3'));
  assert.deepEqual(await ch.purgeQueue('q-del'), { messageCount: 3 });
  ch.sendToQueue('q-del', Buffer.from('4'));
  assert.deepEqual(await ch.deleteQueue('q-del'), { messageCount: 1 });
  // Deleting a missing queue is not an error in RabbitMQ 3.x.
  assert.deepEqual(await ch.deleteQueue('q-del'), { messageCount: 0 });
  await ch.close();
});

test('deleting a consumed queue sends basic.cancel to consumers that asked for consumer_cancel_notify', async () => {
  const ch = await quietChannel(conn);
  await ch.assertQueue('q-cancel-notify');
  const cancelled = new Promise<null>((resolve) => {
    void ch.consume('q-cancel-notify', (m) => { if (m === null) resolve(null); });
  });
  const admin = await quietChannel(conn);
  await admin.deleteQueue('q-cancel-notify');
  assert.equal(await cancelled, null);
  await admin.close();
  await ch.close();
});

test('x-queue-type quorum and stream are refused with 406, never a silent classic queue', async () => {
  let ch = await quietChannel(conn);
  await assertChannelClosed(ch.assertQueue('q-quorum-transient', { durable: false, arguments: { 'x-queue-type': 'quorum' } }), 406,
    "PRECONDITION_FAILED - invalid property 'non-durable' for queue 'q-quorum-transient' in vhost '/'");
  ch = await quietChannel(conn);
  const declared = ch.assertQueue('q-quorum', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  if (IS_REFERENCE) {
    // The real RabbitMQ has Raft: the quorum queue exists.
    await declared;
    await ch.deleteQueue('q-quorum');
    await ch.close();
    return;
  }
  await assertChannelClosed(declared, 406, "PRECONDITION_FAILED - invalid arg 'x-queue-type' for queue 'q-quorum' in vhost '/': "
    + '"unsupported queue type \'quorum\'"');
});

test('the "" queue name means the last queue declared on the channel', async () => {
  const ch = await quietChannel(conn);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue('', 'amq.fanout', '');
  ch.publish('amq.fanout', '', Buffer.from('via shortcut'));
  const [m] = await collect(ch, '', 1, { noAck: true });
  assert.equal(m!.content.toString(), 'via shortcut');
  assert.equal(m!.fields.exchange, 'amq.fanout');
  await ch.unbindQueue(queue, 'amq.fanout', '');
  await ch.close();
});
