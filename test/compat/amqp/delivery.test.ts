// Consuming and publishing semantics against the AMQP target (differential with
// JUNCTION_AMQP_TARGET=reference): prefetch (RabbitMQ's global), ack/nack/reject, requeue to the
// original position, recover, unacked requeued on close, basic.get, confirms, tx, direct reply-to.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import type amqplib from 'amqplib';
import type { AmqpTarget } from '../../helpers/amqp-target.js';
import { assertChannelClosed, bodies, collect, connect, delay, quietChannel, quietConfirmChannel, type Conn, useAmqpTarget } from '../../helpers/amqp-client.js';

let target: AmqpTarget;
let conn: Conn;
useAmqpTarget((t, c) => { target = t; conn = c; });

// Not in amqplib's package exports: loaded by path next to its entry point.
const requireCjs = createRequire(import.meta.url);
const AMQPLIB_DEFS = requireCjs(join(dirname(requireCjs.resolve('amqplib')), 'lib', 'defs.js')) as Record<string, number>;

/** amqplib has no tx API and no prefetch_size: send such methods through its channel rpc. */
function rpc(ch: amqplib.Channel, method: string, fields: object, reply: string): Promise<unknown> {
  const defs = AMQPLIB_DEFS;
  return (ch as unknown as { rpc: (m: number, f: object, r: number) => Promise<unknown> }).rpc(defs[method]!, fields, defs[reply]!);
}

async function filled(ch: amqplib.ConfirmChannel, queue: string, n: number): Promise<void> {
  await ch.assertQueue(queue, { exclusive: true });
  for (let i = 1; i <= n; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));
  await ch.waitForConfirms();
}

test('prefetch per consumer: at most N unacked; each ack lets one more through', async () => {
  const ch = await quietConfirmChannel(conn);
  await filled(ch, 'd-prefetch', 5);
  await ch.prefetch(2);
  const got: amqplib.ConsumeMessage[] = [];
  await ch.consume('d-prefetch', (m) => { if (m) got.push(m); });
  await delay(100);
  assert.deepEqual(bodies(got), ['m1', 'm2']);
  ch.ack(got[0]!);
  await delay(100);
  assert.deepEqual(bodies(got), ['m1', 'm2', 'm3']);
  ch.ack(got[2]!, true); // multiple: m2 and m3
  await delay(100);
  assert.deepEqual(bodies(got), ['m1', 'm2', 'm3', 'm4', 'm5']);
  await ch.close();
});

test('global prefetch is shared by the channel\'s consumers (RabbitMQ\'s meaning of global)', async () => {
  const ch = await quietConfirmChannel(conn);
  await filled(ch, 'd-global-a', 3);
  await filled(ch, 'd-global-b', 3);
  await ch.prefetch(3, true);
  const got: string[] = [];
  await ch.consume('d-global-a', (m) => { if (m) got.push(m.content.toString()); });
  await ch.consume('d-global-b', (m) => { if (m) got.push(m.content.toString()); });
  await delay(150);
  assert.equal(got.length, 3, got.join());
  await ch.close();
});

test('nack and reject with requeue put messages back at their original position, redelivered', async () => {
  const ch = await quietConfirmChannel(conn);
  await filled(ch, 'd-requeue', 4);
  const first = await collect(ch, 'd-requeue', 4);
  await ch.cancel(first[0]!.fields.consumerTag);
  ch.nack(first[2]!, false, true);
  ch.reject(first[1]!, true);
  ch.ack(first[3]!);
  ch.ack(first[0]!);
  const again = await collect(ch, 'd-requeue', 2);
  assert.deepEqual(bodies(again), ['m2', 'm3']);
  assert.deepEqual(again.map((m) => m.fields.redelivered), [true, true]);
  ch.nack(again[1]!, true, false); // multiple, no requeue: both dropped
  assert.equal((await ch.checkQueue('d-requeue')).messageCount, 0);
  await ch.close();
});

test('closing a channel requeues its unacked deliveries in order; basic.get sees them redelivered', async () => {
  const ch = await quietConfirmChannel(conn);
  await filled(ch, 'd-close', 3);
  const consumerChannel = await quietChannel(conn);
  await collect(consumerChannel, 'd-close', 3);
  await consumerChannel.close();
  const got: string[] = [];
  for (let m = await ch.get('d-close'); m; m = await ch.get('d-close')) {
    assert.equal(m.fields.redelivered, true);
    got.push(m.content.toString());
    ch.ack(m);
  }
  assert.deepEqual(got, ['m1', 'm2', 'm3']);
  assert.equal(await ch.get('d-close'), false);
  await ch.close();
});

test('basic.recover requeues every unacked delivery of the channel', async () => {
  const ch = await quietConfirmChannel(conn);
  await filled(ch, 'd-recover', 2);
  const got: amqplib.ConsumeMessage[] = [];
  await ch.consume('d-recover', (m) => { if (m) got.push(m); });
  await delay(100);
  await ch.recover();
  await delay(100);
  assert.deepEqual(bodies(got), ['m1', 'm2', 'm1', 'm2']);
  assert.deepEqual(got.map((m) => m.fields.redelivered), [false, false, true, true]);
  assert.deepEqual(got.map((m) => m.fields.deliveryTag), [1, 2, 3, 4]);
  await ch.close();
});

test('an unknown or twice-acked delivery tag is 406 PRECONDITION_FAILED', async () => {
  const ch = await quietConfirmChannel(conn);
  await filled(ch, 'd-tag', 1);
  const m = await ch.get('d-tag');
  assert.ok(m);
  ch.ack(m);
  ch.ack(m);
  await assertChannelClosed(ch.checkQueue('d-tag'), 406, 'PRECONDITION_FAILED - unknown delivery tag 1');
});

test('publisher confirms: every publish acked; unroutable mandatory returned before its ack', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('d-confirm', { exclusive: true });
  const events: string[] = [];
  ch.on('return', () => events.push('return'));
  const acks: Promise<void>[] = [];
  for (let i = 0; i < 100; i++) {
    acks.push(new Promise((resolve, reject) => ch.sendToQueue('d-confirm', Buffer.from(`c${i}`), {}, (err) => (err ? reject(err) : resolve()))));
  }
  await Promise.all(acks);
  await new Promise<void>((resolve, reject) => ch.publish('amq.direct', 'nowhere', Buffer.from('x'), { mandatory: true }, (err) => {
    events.push('ack');
    if (err) reject(err); else resolve();
  }));
  assert.deepEqual(events, ['return', 'ack']);
  assert.equal((await ch.checkQueue('d-confirm')).messageCount, 100);
  await ch.close();
});

test('tx: publishes and acks take effect at commit, not at rollback', async () => {
  const ch = await quietChannel(conn);
  await ch.assertQueue('d-tx', { exclusive: true });
  const call = (name: string, ok: string) => rpc(ch, name, {}, ok);
  await call('TxSelect', 'TxSelectOk');
  ch.sendToQueue('d-tx', Buffer.from('t1'));
  await call('TxRollback', 'TxRollbackOk');
  assert.equal((await ch.checkQueue('d-tx')).messageCount, 0);
  ch.sendToQueue('d-tx', Buffer.from('t2'));
  await call('TxCommit', 'TxCommitOk');
  assert.equal((await ch.checkQueue('d-tx')).messageCount, 1);
  const m = await ch.get('d-tx');
  assert.ok(m);
  ch.ack(m);
  await call('TxRollback', 'TxRollbackOk');
  await ch.recover();
  const again = await ch.get('d-tx');
  assert.ok(again, 'the rolled-back ack left the message unacked, recover requeued it');
  assert.equal(again.content.toString(), 't2');
  ch.ack(again);
  await call('TxCommit', 'TxCommitOk');
  assert.equal(await ch.get('d-tx'), false);
  await ch.close();
});

test('direct reply-to: the reply goes straight to the requester\'s amq.rabbitmq.reply-to consumer', async () => {
  const requester = await quietChannel(conn);
  const replies = collect(requester, 'amq.rabbitmq.reply-to', 1, { noAck: true });
  await delay(20);
  const server = await quietChannel(conn);
  await server.assertQueue('d-rpc', { exclusive: true });
  requester.sendToQueue('d-rpc', Buffer.from('ping'), { replyTo: 'amq.rabbitmq.reply-to', correlationId: 'c1' });
  const [request] = await collect(server, 'd-rpc', 1, { noAck: true });
  assert.match(request!.properties.replyTo as string, /^amq\.rabbitmq\.reply-to\..+/);
  server.sendToQueue(request!.properties.replyTo as string, Buffer.from('pong'), { correlationId: 'c1' });
  const [reply] = await replies;
  assert.equal(reply!.content.toString(), 'pong');
  assert.equal(reply!.properties.correlationId, 'c1');
  const lonely = await quietChannel(conn);
  lonely.sendToQueue('d-rpc', Buffer.from('x'), { replyTo: 'amq.rabbitmq.reply-to' });
  await assertChannelClosed(lonely.checkQueue('d-rpc'), 406, 'PRECONDITION_FAILED - fast reply consumer does not exist');
});

test('exclusive consumers: a second consumer is refused 403; prefetch_size is 540 and closes the connection', async () => {
  const ch = await quietChannel(conn);
  await ch.assertQueue('d-exclusive-consumer', { exclusive: true });
  await ch.consume('d-exclusive-consumer', () => undefined, { exclusive: true });
  const other = await quietChannel(conn);
  await assertChannelClosed(other.consume('d-exclusive-consumer', () => undefined), 403,
    "ACCESS_REFUSED - queue 'd-exclusive-consumer' in vhost '/' in exclusive use");
  const doomed = await connect(target.url);
  const closed = new Promise<Error>((resolve) => doomed.on('error', resolve));
  const dch = await quietChannel(doomed);
  await assert.rejects(rpc(dch, 'BasicQos', { prefetchSize: 4096, prefetchCount: 10, global: false }, 'BasicQosOk'));
  assert.match((await closed).message, /540 \(NOT-IMPLEMENTED\) with message "NOT_IMPLEMENTED - prefetch_size!=0 \(4096\)"/);
});
