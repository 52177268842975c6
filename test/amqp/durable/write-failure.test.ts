// A durable queue's disk refuses a write (here: the process may not grow a file past 3 MiB, so
// the message segment's writev fails with EFBIG): the persistent publishes of that commit and every
// later one to the queue are nacked — never acked — and the server, the connection and other queues
// keep working. Publishes of one commit batch share one promise (QueueMessageStore.appendHeld) and
// the publisher settles them as a group, so the group's failure must reach each of them.
// RabbitMQ's queue process crashes on a failed message-store write instead; see docs/compat/amqp.md.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { killHard, startChildServer } from '../../helpers/child-server.js';
import { connect, quietChannel, quietConfirmChannel } from '../../helpers/amqp-client.js';
import { tempDir } from '../../helpers/junction.js';

const LIMIT = 3 * 1024 * 1024;
const BODY = 256 * 1024;

test('a failed message-store write nacks the publishes it held, and everything else keeps working', { timeout: 60_000 }, async () => {
  const dataDir = tempDir();
  const server = await startChildServer(['--enable', 'amqp', '--data-dir', dataDir], {}, [], ['prlimit', `--fsize=${LIMIT}`, '--']);
  try {
    const conn = await connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
    const ch = await quietConfirmChannel(conn);
    await ch.assertQueue('full', { durable: true });
    // No consumer: only the message log is written (its own fdatasync, not the shared journal).
    const publish = (i: number) => new Promise<'ack' | 'nack'>((resolve) => {
      ch.sendToQueue('full', Buffer.alloc(BODY, i), { persistent: true }, (err) => resolve(err ? 'nack' : 'ack'));
    });
    // 1 MiB one by one (each its own commit), then 4 MiB at once: batches of several publishes
    // cross the limit.
    const outcomes: ('ack' | 'nack')[] = [];
    for (let i = 0; i < 4; i++) outcomes.push(await publish(i));
    outcomes.push(...await Promise.all(Array.from({ length: 16 }, (_, i) => publish(4 + i))));
    const acked = outcomes.filter((o) => o === 'ack').length;
    assert.ok(acked >= 4 && acked < outcomes.length, `what fits under the limit is acked, the rest is not: ${outcomes.join(',')}`);
    assert.deepEqual(outcomes, [...Array(acked).fill('ack'), ...Array(outcomes.length - acked).fill('nack')], 'acks then nacks, in publish order');
    const later = await new Promise<string>((resolve) => {
      ch.sendToQueue('full', Buffer.from('small'), { persistent: true }, (err) => resolve(err ? 'nack' : 'ack'));
    });
    assert.equal(later, 'nack', 'the failed log takes nothing more');

    // The same connection still routes transient messages, and a new channel works.
    const other = await quietChannel(conn);
    await other.assertQueue('fine', { durable: false });
    other.sendToQueue('fine', Buffer.from('still here'));
    let got: false | { content: Buffer } = false;
    for (let i = 0; i < 50 && !got; i++) {
      got = await other.get('fine', { noAck: true });
      if (!got) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(got, 'a transient message still goes through');
    assert.equal(got.content.toString(), 'still here');
    assert.equal(server.child.exitCode, null, 'the server is still running');
    assert.ok(server.output.some((l) => l.includes('EFBIG') || l.includes('append failed')), 'the failure is logged');
    await conn.close();
  } finally {
    await killHard(server);
  }
});

// A durable declare's definitions command cannot be written (the same file-size limit, reached by
// the definitions log): its declare-ok is never sent — the connection's output was held behind the
// write (Connection.holdOutputUntil) — and the connection closes with 541 instead; another
// connection is served.
test('a failed definitions write closes the connection with 541 instead of answering declare-ok', { timeout: 60_000 }, async () => {
  const dataDir = tempDir();
  const server = await startChildServer(['--enable', 'amqp', '--data-dir', dataDir], {}, [], ['prlimit', `--fsize=${LIMIT}`, '--']);
  try {
    const conn = await connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
    const closed = new Promise<string>((resolve) => conn.on('close', (err: unknown) => resolve(String(err))));
    conn.on('error', () => undefined);
    const ch = await quietChannel(conn);
    const junk = 'x'.repeat(3000);
    let declared = 0;
    let failure: unknown = null;
    while (failure === null && declared < 5000) {
      try {
        await ch.assertQueue(`big-${declared}`, { durable: true, arguments: { 'x-junk': junk } });
        declared++;
      } catch (err) {
        failure = err;
      }
    }
    assert.ok(failure !== null, `a declare failed (after ${declared} declared)`);
    assert.match(await closed, /541 \(INTERNAL-ERROR\).*definitions store write failed/);

    const other = await connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
    const och = await quietChannel(other);
    const ok = await och.assertQueue('', { exclusive: true });
    assert.match(ok.queue, /^amq\.gen-/, 'another connection is still served');
    await other.close();
    assert.equal(server.child.exitCode, null, 'the server is still running');
    assert.ok(server.output.some((l) => l.includes('amqp definitions store write failed')), 'the failure is logged');
  } finally {
    await killHard(server);
  }
});

test('past the window: once a paged write failed, persistent and transient publishes are nacked, what was acked is still delivered in order', { timeout: 60_000 }, async () => {
  const dataDir = tempDir();
  const server = await startChildServer(['--enable', 'amqp', '--data-dir', dataDir, '--amqp-queue-window-messages', '2'], {}, [], ['prlimit', `--fsize=${LIMIT}`, '--']);
  try {
    const conn = await connect(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
    const ch = await quietConfirmChannel(conn);
    await ch.assertQueue('paged-full', { durable: true });
    const publish = (i: number, persistent: boolean) => new Promise<'ack' | 'nack'>((resolve) => {
      ch.sendToQueue('paged-full', Buffer.alloc(BODY, i), { persistent }, (err) => resolve(err ? 'nack' : 'ack'));
    });
    // One by one: the two first fill the window, the rest are paged; the limit stops one of them.
    const acked: number[] = [];
    for (let i = 0; i < 20; i++) {
      if (await publish(i, true) === 'nack') break;
      acked.push(i);
    }
    assert.ok(acked.length >= 4 && acked.length < 20, `${acked.length} acked before the first nack`);
    assert.equal(await publish(100, false), 'nack', 'a transient one past the window waits for its write now: nacked, not lost after an ack');
    assert.equal(await publish(101, true), 'nack');
    // More refused appends in a row (each takes the offset the last one could not): none leaves
    // an entry behind in the index.
    assert.deepEqual(await Promise.all([102, 103, 104, 105].map((i) => publish(i, i % 2 === 0))), ['nack', 'nack', 'nack', 'nack']);
    assert.equal((await ch.checkQueue('paged-full')).messageCount, acked.length, 'the queue holds exactly what was acked');
    const got: number[] = [];
    for (let m = await ch.get('paged-full', { noAck: true }); m !== false; m = await ch.get('paged-full', { noAck: true })) got.push(m.content[0]!);
    assert.deepEqual(got, acked);
    assert.equal(server.child.exitCode, null, 'the server is still running');
    await conn.close();
  } finally {
    await killHard(server);
  }
});
