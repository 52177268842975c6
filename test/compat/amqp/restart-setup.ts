// What test/compat/amqp/restart.test.ts sets up before each restart of the AMQP target, and the
// real publisher it keeps publishing across the restart. Names carry the phase's prefix so the
// graceful and the kill phase (one target, one after the other) never share an object.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AmqpTarget } from '../../helpers/amqp-target.js';
import { connect, delay, quietConfirmChannel, type Conn } from '../../helpers/amqp-client.js';
import { PYTHON, runPython } from '../../helpers/python.js';

export const PIKA_DURABLE = fileURLToPath(new URL('../../../../test/amqp/durable/py/durable_pika.py', import.meta.url));
const PY = (name: string) => fileURLToPath(new URL(`../../../../test/compat/amqp/py/${name}`, import.meta.url));

/** The names of one phase's objects. */
export function namesFor(p: string) {
  return {
    dx: `${p}dx`, dx2: `${p}dx2`, tx: `${p}tx`, dq: `${p}dq`, dq2: `${p}dq2`, lq: `${p}lq`, tq: `${p}tq`, xq: `${p}xq`,
    ad: `${p}ad`, adc: `${p}adc`, pq: `${p}pq`, confirmed: `${p}confirmed`, policy: `${p}policy`,
  };
}
export type Names = ReturnType<typeof namesFor>;

/** The policy kept across the restart: lq holds at most one message (drop-head). */
export const lengthPolicy = (n: Names) => ({
  name: n.policy, pattern: `^${n.lq.replace(/\./g, '\\.')}$`, applyTo: 'queues' as const, definition: { 'max-length': 1 },
});

/**
 * Declare and fill, then return the connection that stays open across the restart, holding:
 * dq: p1 acked, p2 delivered and unacked, p3 p4 persistent and t1 transient ready; adc: its one
 * message delivered to a consumer, unacked. pika puts m0..m4 persistent and t transient in pq.
 */
export async function setUp(target: AmqpTarget, n: Names): Promise<Conn> {
  const conn = await connect(target.url);
  const ch = await quietConfirmChannel(conn);
  await ch.assertExchange(n.dx, 'topic', { durable: true });
  await ch.assertExchange(n.dx2, 'fanout', { durable: true });
  await ch.assertExchange(n.tx, 'fanout', { durable: false });
  for (const q of [n.dq, n.dq2, n.lq]) await ch.assertQueue(q, { durable: true });
  await ch.assertQueue(n.tq, { durable: false });
  await ch.assertQueue(n.xq, { durable: true, exclusive: true });
  for (const q of [n.ad, n.adc]) await ch.assertQueue(q, { durable: true, autoDelete: true });
  await ch.bindQueue(n.dq, n.dx, 'a.#');
  await ch.bindQueue(n.tq, n.dx, 'a.#');
  await ch.bindExchange(n.dx2, n.dx, 'b.#');
  await ch.bindQueue(n.dq2, n.dx2, '');
  await ch.bindQueue(n.dq2, n.tx, '');
  await target.setPolicy(lengthPolicy(n));
  for (const body of ['p1', 'p2', 'p3', 'p4']) ch.publish(n.dx, 'a.b', Buffer.from(body), { persistent: true });
  ch.publish(n.dx, 'a.b', Buffer.from('t1'), { persistent: false });
  ch.sendToQueue(n.ad, Buffer.from('ad1'), { persistent: true });
  ch.sendToQueue(n.adc, Buffer.from('adc1'), { persistent: true });
  await ch.waitForConfirms();
  const c2 = await conn.createChannel();
  const p1 = await c2.get(n.dq);
  assert.ok(p1 && p1.content.toString() === 'p1');
  c2.ack(p1);
  const p2 = await c2.get(n.dq);
  assert.ok(p2 && p2.content.toString() === 'p2' && !p2.fields.redelivered);
  const delivered = new Promise<void>((resolve) => { void c2.consume(n.adc, () => resolve()); });
  await delivered;
  // A round trip after the ack; the counts the restart is compared with.
  assert.deepEqual(await c2.checkQueue(n.dq), { queue: n.dq, messageCount: 3, consumerCount: 0 });
  assert.deepEqual(await c2.checkQueue(n.adc), { queue: n.adc, messageCount: 0, consumerCount: 1 });
  assert.deepEqual(await c2.checkQueue(n.tq), { queue: n.tq, messageCount: 5, consumerCount: 0 });
  assert.deepEqual(JSON.parse(await runPython(PIKA_DURABLE, ['publish', target.url, n.pq, '5'])), { published: true });
  return conn;
}

/** pika publishing persistent messages with confirms (kill9_publisher.py) until the server goes
 *  away; `confirmed` holds the ids whose basic.ack arrived. */
export interface ConfirmedPublisher { child: ChildProcess; confirmed: string[]; exited: Promise<unknown> }

export async function startConfirmedPublisher(url: string, queue: string, atLeast: number): Promise<ConfirmedPublisher> {
  await runPython(PY('kill9_declare.py'), [url, queue]);
  const child = spawn(PYTHON, [PY('kill9_publisher.py'), url, queue, 'pika'], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const exited = once(child, 'exit');
  const confirmed: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => confirmed.push(line));
  const deadline = Date.now() + 30_000;
  while (confirmed.length < atLeast && Date.now() < deadline && child.exitCode === null) await delay(20);
  assert.ok(confirmed.length >= atLeast, `the publisher got ${confirmed.length} confirms`);
  return { child, confirmed, exited };
}

/** Wait for the publisher to notice the stop and exit (SIGKILL after 15 s), then its final list. */
export async function publisherDone(pub: ConfirmedPublisher): Promise<string[]> {
  const timer = setTimeout(() => pub.child.kill('SIGKILL'), 15_000);
  await pub.exited;
  clearTimeout(timer);
  return pub.confirmed;
}
