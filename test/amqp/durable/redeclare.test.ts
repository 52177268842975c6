// A durable queue deleted and declared again under the same name at once (a client resetting its
// topology, as bench:amqp-race does before every row) gets a store of its own: the new queue
// holds none of the old queue's messages, its publishes are confirmed, and after a restart only
// its own messages come back. The old store's files are removed in the background (closed logs,
// a journal checkpoint, the directory renamed aside); with every fdatasync held, that removal is
// still under way when the new queue is declared, so the new store must not open the directory
// meanwhile — it would load the old messages, and the rename would take its files away.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import amqplib from 'amqplib';
import { gatedFdatasync } from '../../helpers/gated-fdatasync.js';
import { startTestServer, tempDir } from '../../helpers/junction.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function drain(ch: amqplib.Channel, queue: string): Promise<string[]> {
  const got: string[] = [];
  for (let m = await ch.get(queue); m !== false; m = await ch.get(queue)) {
    got.push(m.content.toString());
    ch.ack(m);
  }
  return got;
}

test('amqplib: a durable queue deleted and declared again while its files are still being removed holds only its new messages, before and after a restart', { timeout: 60_000 }, async () => {
  const dataDir = tempDir();
  const sync = gatedFdatasync();
  let server = await startTestServer({ enabled: ['amqp'], dataDir, fdatasync: sync.fdatasync });
  const url = () => `amqp://guest:guest@127.0.0.1:${server.ports.amqp}`;
  let conn = await amqplib.connect(url());
  try {
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('q', { durable: true });
    for (let i = 0; i < 5; i++) ch.publish('', 'q', Buffer.from(`old-${i}`), { persistent: true });
    await ch.waitForConfirms();

    // Delete on one channel and declare again on another, without waiting: both -oks wait for the
    // definitions write, and the old store's removal waits for its checkpoint, all held here.
    sync.close();
    const other = await conn.createConfirmChannel();
    const deleted = ch.deleteQueue('q');
    const declared = other.assertQueue('q', { durable: true });
    for (const deadline = Date.now() + 5_000; sync.waiting() === 0 && Date.now() < deadline;) await sleep(5);
    assert.ok(sync.waiting() > 0, 'the delete waits in fdatasync');
    await sleep(50); // the new queue's store is created meanwhile
    sync.open();
    assert.equal((await deleted).messageCount, 5);
    await declared;

    const confirms: Promise<void>[] = [];
    for (let i = 0; i < 3; i++) {
      confirms.push(new Promise((resolve, reject) => other.publish('', 'q', Buffer.from(`new-${i}`), { persistent: true },
        (err) => (err ? reject(new Error(`new-${i} nacked: ${String(err)}`)) : resolve()))));
    }
    await Promise.all(confirms);
    assert.equal((await other.checkQueue('q')).messageCount, 3, 'only the new queue\'s messages');
    await conn.close();

    await server.stop();
    server = await startTestServer({ enabled: ['amqp'], dataDir });
    conn = await amqplib.connect(url());
    const after = await conn.createChannel();
    assert.deepEqual(await drain(after, 'q'), ['new-0', 'new-1', 'new-2'], 'after a restart: the new messages, none of the old');
  } finally {
    sync.open();
    await conn.close().catch(() => undefined);
    await server.destroy();
  }
});
