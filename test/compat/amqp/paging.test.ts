// Durable queues larger than Junction's in-memory window, against the AMQP target (differential with
// JUNCTION_AMQP_TARGET=reference): what a client sees must not depend on where the messages are.
// Junction's window is made 8 messages here so a small queue pages; RabbitMQ pages by its own rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type amqplib from 'amqplib';
import { delay, quietChannel, quietConfirmChannel, type Conn, useAmqpTarget } from '../../helpers/amqp-client.js';

let conn: Conn;
useAmqpTarget((_target, c) => { conn = c; }, { queueWindowMessages: 8 });

const range = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `m${from + i}`);

async function fill(queue: string, names: string[], args: amqplib.Options.AssertQueue = {}): Promise<void> {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue(queue, { durable: true, ...args });
  for (const b of names) ch.sendToQueue(queue, Buffer.from(b), { persistent: true });
  await ch.waitForConfirms();
  await ch.close();
}

test('basic.get racing a consumer that takes every loaded batch answers get-empty only when the queue has no ready message', async () => {
  const n = 400;
  await fill('get-race', range(n));
  const consuming = await quietChannel(conn);
  const consumed: string[] = [];
  await consuming.consume('get-race', (m) => { if (m) consumed.push(m.content.toString()); }, { noAck: true });
  const getting = await quietChannel(conn);
  const got: string[] = [];
  for (let m = await getting.get('get-race', { noAck: true }); m !== false; m = await getting.get('get-race', { noAck: true })) {
    got.push(m.content.toString());
  }
  // get-empty was the answer: the queue had nothing ready then (RabbitMQ never answers it for a
  // non-empty queue), so nothing is ready after it either (nothing was published since).
  assert.equal((await getting.checkQueue('get-race')).messageCount, 0, `get-empty after ${got.length} gets and ${consumed.length} deliveries`);
  for (let waited = 0; consumed.length + got.length < n && waited < 5000; waited += 20) await delay(20);
  assert.deepEqual([...consumed, ...got].sort(), range(n).sort());
  await consuming.close();
  await getting.close();
});

test('100 basic.gets at once on 100 channels each answer get-ok while the queue holds more messages than that', async () => {
  const n = 400;
  await fill('get-many', range(n));
  const channels = await Promise.all(Array.from({ length: 100 }, () => quietChannel(conn)));
  const answers = await Promise.all(channels.map((ch) => ch.get('get-many', { noAck: true })));
  const empty = answers.filter((m) => m === false).length;
  assert.equal(empty, 0, `${empty} of 100 gets answered get-empty with ${n} messages in the queue`);
  const got = answers.map((m) => (m as amqplib.GetMessage).content.toString());
  assert.deepEqual([...got].sort(), range(100).sort(), 'the 100 oldest messages, each once');
  assert.equal((await channels[0]!.checkQueue('get-many')).messageCount, n - 100);
  await Promise.all(channels.map((ch) => ch.close()));
});

test('x-overflow drop-head: a burst over max-length with the oldest messages on disk drops exactly the oldest, and a declare right behind it counts max-length', async () => {
  const args = { arguments: { 'x-max-length': 20, 'x-overflow': 'drop-head' } };
  await fill('drop-burst', range(20), args);
  const ch = await quietConfirmChannel(conn);
  // Junction: m0–m7 are in memory, m8–m19 on disk; the burst drops the window and then what a
  // read-ahead is still loading. The declare goes in the same write, behind the publishes.
  for (const b of range(30, 20)) ch.sendToQueue('drop-burst', Buffer.from(b), { persistent: true });
  const counted = ch.checkQueue('drop-burst');
  assert.equal((await counted).messageCount, 20);
  await ch.waitForConfirms();
  const rest: string[] = [];
  for (let m = await ch.get('drop-burst', { noAck: true }); m !== false; m = await ch.get('drop-burst', { noAck: true })) rest.push(m.content.toString());
  assert.deepEqual(rest, range(20, 30));
  await ch.close();
});

test('transient and persistent messages published far past the window: all counted, confirmed, and consumed in publish order', async () => {
  const n = 200;
  const persistent = (i: number): boolean => i % 3 === 0;
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('mixed-paged', { durable: true });
  for (let i = 0; i < n; i++) ch.sendToQueue('mixed-paged', Buffer.from(`m${i}`), { persistent: persistent(i) });
  await ch.waitForConfirms();
  assert.equal((await ch.checkQueue('mixed-paged')).messageCount, n);
  const got: amqplib.ConsumeMessage[] = [];
  await ch.prefetch(n);
  await new Promise<void>((resolve, reject) => {
    ch.consume('mixed-paged', (m) => {
      if (!m) return;
      got.push(m);
      if (got.length === n) resolve();
    }, { noAck: true }).catch(reject);
  });
  assert.deepEqual(got.map((m) => m.content.toString()), range(n));
  assert.deepEqual(got.map((m) => m.properties.deliveryMode), range(n).map((_, i) => (persistent(i) ? 2 : 1)));
  await ch.close();
});
