// Publisher credit flow end to end with amqplib (issue 10 §3/§6): a publisher faster than the
// consumer of its queue stops being read, so the queue stays short and every message arrives; it
// sees TCP backpressure only (no connection.blocked); a connection that publishes and consumes is
// never held (no deadlock); a queue nobody consumes takes a backlog; a stalled consumer does not
// freeze the publisher; a queue.purge or delete releases the publishers it held at once, not at the
// consumer's next ack or the 1 s stall watchdog (RabbitMQ: the purge empties the queue process's
// backlog and its credit goes back to the channels at once). Junction only: RabbitMQ's credit flow
// bounds other things (its processes' mailboxes), so its queue depths are not the same figures.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import amqplib from 'amqplib';
import { DEFAULT_FLOW_LIMITS } from '../../../src/amqp/broker/queue-flow.js';
import type { AmqpQueue } from '../../../src/amqp/broker/queue.js';
import { connectionInfo } from '../../../src/amqp/management/live-view.js';
import type { RunningAmqp } from '../../../src/amqp/personality.js';
import { startTestServer, type TestServer } from '../../helpers/junction.js';

let server: TestServer;
let running: RunningAmqp;
let url: string;

before(async () => {
  server = await startTestServer({ enabled: ['amqp'] });
  running = server.junction.personality('amqp') as unknown as RunningAmqp;
  url = `amqp://guest:guest@127.0.0.1:${server.ports.amqp!}`;
});
after(() => server.destroy());

const queueOf = (name: string): AmqpQueue => running.broker.vhosts.get('/')!.queues.get(name)!;

/** Publish `n` 1 KB messages as fast as amqplib takes them (waiting only for its 'drain'). */
async function publishAll(ch: amqplib.Channel, queue: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const body = Buffer.alloc(1024, 120);
    body.writeUInt32BE(i, 0);
    if (!ch.sendToQueue(queue, body)) await new Promise((r) => ch.once('drain', r));
  }
}

/** Every `ms`, ack everything received so far (a consumer slower than the publisher). */
function slowConsumer(ch: amqplib.Channel, queue: string, n: number, ms: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const seen: number[] = [];
    let last: amqplib.ConsumeMessage | null = null;
    const timer = setInterval(() => {
      if (last) ch.ack(last, true);
      last = null;
      if (seen.length === n) { clearInterval(timer); resolve(seen); }
    }, ms);
    ch.consume(queue, (m) => {
      if (!m) return reject(new Error('cancelled'));
      seen.push(m.content.readUInt32BE(0));
      last = m;
    }).catch(reject);
  });
}

test('fast publisher, slow consumer: the publisher is held (state "flow", no connection.blocked), the queue stays under the high mark, every message arrives in order', async () => {
  const n = 12_000;
  const pubConn = await amqplib.connect(url);
  const subConn = await amqplib.connect(url);
  const blockedEvents: string[] = [];
  pubConn.on('blocked', (r: string) => blockedEvents.push(r));
  try {
    const sub = await subConn.createChannel();
    await sub.assertQueue('flow-slow', { exclusive: false, autoDelete: false, durable: false });
    await sub.prefetch(200);
    const received = slowConsumer(sub, 'flow-slow', n, 10);
    const q = queueOf('flow-slow');
    let maxReady = 0;
    let sawFlowState = false;
    let sawBlocked = false;
    const sampler = setInterval(() => {
      maxReady = Math.max(maxReady, q.readyCount);
      if (q.flow.blockedCount > 0) sawBlocked = true;
      for (const c of running.server.listener.connections) {
        if (c.isOpen && c.channelCount > 0 && connectionInfo(c).state === 'flow') sawFlowState = true;
      }
    }, 1);
    const pub = await pubConn.createChannel();
    await publishAll(pub, 'flow-slow', n);
    const seen = await received;
    clearInterval(sampler);
    assert.deepEqual(seen, Array.from({ length: n }, (_, i) => i), 'every message, in order');
    assert.ok(sawBlocked, 'the publisher was held back at some point');
    assert.ok(sawFlowState, 'the management API showed the connection in state "flow"');
    // One publish is processed after the mark is crossed (the frame that crossed it).
    assert.ok(maxReady <= DEFAULT_FLOW_LIMITS.high + 1, `ready peaked at ${maxReady}`);
    assert.deepEqual(blockedEvents, [], 'credit flow never sends connection.blocked');
    await sub.deleteQueue('flow-slow');
  } finally {
    await pubConn.close().catch(() => undefined);
    await subConn.close().catch(() => undefined);
  }
});

test('one connection publishing to and consuming (with acks) from the same queue is not held: no deadlock', { timeout: 60_000 }, async () => {
  const n = 8_000;
  const conn = await amqplib.connect(url);
  try {
    const sub = await conn.createChannel();
    await sub.assertQueue('flow-self', { durable: false });
    await sub.prefetch(100);
    const received = slowConsumer(sub, 'flow-self', n, 5);
    const q = queueOf('flow-self');
    let maxReady = 0;
    let everBlocked = false;
    const sampler = setInterval(() => {
      maxReady = Math.max(maxReady, q.readyCount);
      everBlocked ||= q.flow.blockedCount > 0;
    }, 1);
    const pub = await conn.createChannel();
    await publishAll(pub, 'flow-self', n);
    const seen = await received; // a deadlock fails the test by its timeout
    clearInterval(sampler);
    assert.equal(seen.length, n);
    assert.ok(maxReady > DEFAULT_FLOW_LIMITS.high, `the consumer did lag (ready peaked at ${maxReady})`);
    assert.equal(everBlocked, false, 'a connection whose reads carry acks is never held');
    await sub.deleteQueue('flow-self');
  } finally {
    await conn.close().catch(() => undefined);
  }
});

test('a queue without consumers takes a backlog far above the high mark without holding the publisher', async () => {
  const n = DEFAULT_FLOW_LIMITS.high * 5;
  const conn = await amqplib.connect(url);
  try {
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('flow-backlog', { durable: false });
    await publishAll(ch, 'flow-backlog', n);
    await ch.waitForConfirms();
    const q = queueOf('flow-backlog');
    assert.equal(q.readyCount, n);
    assert.equal(q.flow.blockedCount, 0);
    await ch.deleteQueue('flow-backlog');
  } finally {
    await conn.close().catch(() => undefined);
  }
});

test('a consumer that stops acking does not freeze the publisher: released after the stall time, the backlog is taken', async () => {
  const n = DEFAULT_FLOW_LIMITS.high * 3;
  const pubConn = await amqplib.connect(url);
  const subConn = await amqplib.connect(url);
  try {
    const sub = await subConn.createChannel();
    await sub.assertQueue('flow-stuck', { durable: false });
    await sub.prefetch(10);
    await sub.consume('flow-stuck', () => undefined); // never acks
    const pub = await pubConn.createConfirmChannel();
    const started = Date.now();
    await publishAll(pub, 'flow-stuck', n);
    await pub.waitForConfirms();
    const q = queueOf('flow-stuck');
    assert.equal(q.readyCount, n - 10, 'all but the 10 unacked wait in the queue');
    assert.ok(Date.now() - started < 20_000);
    await pub.deleteQueue('flow-stuck');
  } finally {
    await pubConn.close().catch(() => undefined);
    await subConn.close().catch(() => undefined);
  }
});

async function until(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !done(); await new Promise((r) => setTimeout(r, 1))) {
    if (Date.now() > end) assert.fail(`${what}: not within ${ms} ms`);
  }
}

for (const verb of ['purge', 'delete'] as const) {
  test(`queue.${verb} releases the publishers its lagging consumer held at once, not at its next ack or the stall watchdog`, async () => {
    const queue = `flow-${verb}`;
    const n = DEFAULT_FLOW_LIMITS.high + 1500;
    const [pubConn, subConn, admConn] = await Promise.all([amqplib.connect(url), amqplib.connect(url), amqplib.connect(url)]);
    let acker: NodeJS.Timeout | undefined;
    try {
      const adm = await admConn.createChannel();
      await adm.assertQueue(queue, { durable: false });
      // A slow consumer that keeps making progress (10 messages every 400 ms): never stalled, and
      // its acks (which run the queue's dispatch, and so its flow check) come seldom.
      const sub = await subConn.createChannel();
      await sub.prefetch(10);
      let last: amqplib.ConsumeMessage | null = null;
      acker = setInterval(() => { if (last) sub.ack(last, true); last = null; }, 400);
      await sub.consume(queue, (m) => { last = m; });
      const q = queueOf(queue);
      const pub = await pubConn.createConfirmChannel();
      for (let i = 0; i < n; i++) pub.sendToQueue(queue, Buffer.alloc(1024, 120));
      const confirmed = pub.waitForConfirms();
      await until('the publisher held by credit flow', () => q.flow.blockedCount > 0);
      if (verb === 'purge') await adm.purgeQueue(queue);
      else await adm.deleteQueue(queue);
      // The reply is out: the hold must be gone already (else it lasts until the consumer's next
      // ack or the watchdog's tick, every stallMs).
      assert.equal(q.flow.blockedCount, 0, `publisher still held after ${verb}-ok`);
      await confirmed;
    } finally {
      clearInterval(acker);
      await Promise.all([pubConn, subConn, admConn].map((c) => c.close().catch(() => undefined)));
    }
  });
}
