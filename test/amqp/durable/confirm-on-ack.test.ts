// RabbitMQ's confirm contract (its AMQP 0-9-1 extension, class confirm): a persistent message is
// confirmed once its queue has stored it — or delivered it and had it acknowledged, whichever
// comes first. With every fdatasync held, amqplib's confirm arrives for a message a consumer has
// acked, and not for one nobody consumed, until the disk write returns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import amqplib from 'amqplib';
import { gatedFdatasync } from '../../helpers/gated-fdatasync.js';
import { startTestServer } from '../../helpers/junction.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A confirm channel's publish, as a promise of its confirm; `confirmed()` says whether it came. */
function publishConfirmed(ch: amqplib.ConfirmChannel, queue: string, body: string): { done: Promise<void>; confirmed: () => boolean } {
  let confirmed = false;
  const done = new Promise<void>((resolve, reject) => {
    ch.publish('', queue, Buffer.from(body), { persistent: true }, (err) => {
      if (err) reject(new Error(`nacked: ${String(err)}`));
      else { confirmed = true; resolve(); }
    });
  });
  return { done, confirmed: () => confirmed };
}

// A confirm that never comes (the fdatasync held) fails the test by its timeout instead of hanging it.
test('a persistent message a consumer acked is confirmed while its fdatasync is still held; one nobody consumed waits for it', { timeout: 30_000 }, async () => {
  const sync = gatedFdatasync();
  const server = await startTestServer({ enabled: ['amqp'], fdatasync: sync.fdatasync });
  const url = `amqp://guest:guest@127.0.0.1:${server.ports.amqp}`;
  const publisher = await amqplib.connect(url);
  const consumer = await amqplib.connect(url);
  try {
    const pub = await publisher.createConfirmChannel();
    const sub = await consumer.createChannel();
    await pub.assertQueue('consumed', { durable: true });
    await pub.assertQueue('kept', { durable: true });
    const acked: string[] = [];
    await sub.consume('consumed', (m) => {
      if (!m) return;
      sub.ack(m);
      acked.push(m.content.toString());
    });

    sync.close();
    const kept = publishConfirmed(pub, 'kept', 'k1');
    const consumed = publishConfirmed(pub, 'consumed', 'c1');
    await consumed.done;
    assert.deepEqual(acked, ['c1'], 'the consumer got and acked it');
    // The confirm needs no write, so on a slow machine it can come before the commit cycle has
    // written its batch and reached the gate; wait for it there.
    for (const deadline = Date.now() + 5_000; sync.waiting() === 0 && Date.now() < deadline;) await sleep(5);
    assert.ok(sync.waiting() > 0, 'the commit cycle that stores them waits in fdatasync');
    await sleep(50);
    assert.equal(kept.confirmed(), false, 'the message nobody consumed is not confirmed before its write returns');

    sync.open();
    await kept.done;
    // Routed to two queues, a message waits for its writes even when one queue's consumer acked it.
    await pub.assertQueue('other', { durable: true });
    await pub.bindQueue('consumed', 'amq.fanout', '');
    await pub.bindQueue('other', 'amq.fanout', '');
    sync.close();
    let fanoutConfirmed = false;
    const fanout = new Promise<void>((resolve, reject) => pub.publish('amq.fanout', '', Buffer.from('f1'), { persistent: true },
      (err) => (err ? reject(new Error(String(err))) : (fanoutConfirmed = true, resolve()))));
    for (const deadline = Date.now() + 5_000; !acked.includes('f1') && Date.now() < deadline;) await sleep(5);
    assert.ok(acked.includes('f1'), 'the consumer got and acked the fanout message');
    await sleep(50);
    assert.equal(fanoutConfirmed, false, 'in two queues: not confirmed by one consumer\'s ack');
    sync.open();
    await fanout;
  } finally {
    sync.open();
    await publisher.close().catch(() => undefined);
    await consumer.close().catch(() => undefined);
    await server.destroy();
  }
});
