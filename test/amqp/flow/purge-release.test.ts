// Publisher credit flow and queue.purge, end to end with amqplib (Junction only, as
// credit-flow.test.ts: RabbitMQ's credit bounds its processes' mailboxes, not a queue depth). A
// publisher held because the queue's consumer lags is released by the purge itself — the queue is
// empty then — not by the 1 s stall watchdog (RabbitMQ: the purge empties the queue process's
// backlog and its credit goes back to the channels at once).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import amqplib from 'amqplib';
import { DEFAULT_FLOW_LIMITS } from '../../../src/amqp/broker/queue-flow.js';
import type { AmqpQueue } from '../../../src/amqp/broker/queue.js';
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
