// Issue 10 §5: one Junction (a child process, as deployed) holds 1k AMQP connections, each with a
// channel and heartbeats on, and 10k queues (half durable); a sample of them still publishes and
// gets, nobody is dropped for missed heartbeats, the server's RSS is reported, and closing all 1k
// is clean and quick (a close no longer scans every queue: Broker.exclusiveQueues).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import amqplib from 'amqplib';
import { delay } from '../helpers/amqp-client.js';
import { killHard, startChildServer } from '../helpers/child-server.js';

const CONNECTIONS = 1000;
const QUEUES = 10_000;
/** Seconds; amqplib sends its heartbeats, the server checks for two missed ones every 2.5 s. */
const HEARTBEAT = 5;

const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function inBatches<T>(n: number, batch: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += batch) out.push(...await Promise.all(Array.from({ length: Math.min(batch, n - i) }, (_, k) => make(i + k))));
  return out;
}

test(`${CONNECTIONS} connections with heartbeats and ${QUEUES} queues on one Junction: all serve, RSS reported, a close of all is clean`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'junction-amqp-scale-'));
  const server = await startChildServer(['--enable', 'amqp', '--data-dir', dir]);
  try {
    const pid = server.child.pid!;
    const idle = rssMiB(pid);
    const url = `amqp://guest:guest@127.0.0.1:${server.ports.amqp}?heartbeat=${HEARTBEAT}`;
    const dropped: number[] = [];
    const conns = await inBatches(CONNECTIONS, 50, async (i) => {
      const conn = await amqplib.connect(url);
      conn.on('close', () => dropped.push(i));
      conn.on('error', () => {});
      const ch = await conn.createChannel();
      // Each owns an exclusive queue, deleted when it closes.
      return { conn, ch, exclusive: (await ch.assertQueue('', { exclusive: true })).queue };
    });
    const withConnections = rssMiB(pid);
    // Declared over 20 channels, in parallel: even-numbered durable, odd transient.
    const declarers = conns.slice(0, 20);
    await Promise.all(declarers.map(async ({ ch }, d) => {
      for (let i = d; i < QUEUES; i += declarers.length) await ch.assertQueue(`scale-${i}`, { durable: i % 2 === 0 });
    }));
    const withQueues = rssMiB(pid);
    // A sample: connection c publishes to queue q, another connection gets it back.
    for (let s = 0; s < 100; s++) {
      const q = `scale-${(s * 997) % QUEUES}`;
      const from = conns[(s * 7) % CONNECTIONS]!;
      const to = conns[(s * 13 + 1) % CONNECTIONS]!;
      from.ch.sendToQueue(q, Buffer.from(`sample ${s}`));
      let got: amqplib.GetMessage | false = false;
      for (let tries = 0; !got && tries < 100; tries++) got = await to.ch.get(q, { noAck: true }) || (await delay(10), false);
      assert.ok(got, `sample ${s} on ${q}`);
      assert.equal(got.content.toString(), `sample ${s}`);
    }
    // Two heartbeat timeouts pass: nobody is closed for missed heartbeats while 1k timers run.
    await delay(2 * HEARTBEAT * 1000 + 1000);
    assert.deepEqual(dropped, []);
    assert.equal((await conns[CONNECTIONS - 1]!.ch.checkQueue(`scale-${QUEUES - 1}`)).messageCount, 0);
    const t0 = performance.now();
    for (let i = 0; i < CONNECTIONS; i += 100) await Promise.all(conns.slice(i, i + 100).map(({ conn }) => conn.close()));
    const closeMs = performance.now() - t0;
    assert.equal(dropped.length, CONNECTIONS);
    const again = await amqplib.connect(url);
    const ch = await again.createChannel();
    assert.equal((await ch.checkQueue('scale-0')).messageCount, 0, 'the queues outlive the connections');
    for (const { exclusive } of [conns[0]!, conns[CONNECTIONS - 1]!]) {
      const probe = await again.createChannel();
      probe.on('error', () => {});
      await assert.rejects(probe.checkQueue(exclusive), /404/, 'an exclusive queue goes with its connection');
    }
    await again.close();
    t.diagnostic(`Junction RSS: idle ${idle.toFixed(1)} MiB, with ${CONNECTIONS} connections ${withConnections.toFixed(1)} MiB, ` +
      `with ${QUEUES} queues ${withQueues.toFixed(1)} MiB; closing all ${CONNECTIONS}: ${closeMs.toFixed(0)} ms`);

  } finally {
    await killHard(server);
    rmSync(dir, { recursive: true, force: true });
  }
});
