// Queue features against the AMQP target (differential with JUNCTION_AMQP_TARGET=reference), with
// amqplib: message TTL and per-message expiration, x-expires, max-length with each overflow mode,
// dead-lettering with its x-death headers as the client decodes them, priority, single active
// consumer, CC/BCC, argument validation and equivalence, and a policy changing a live queue.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type amqplib from 'amqplib';
import type { AmqpTarget } from '../../helpers/amqp-target.js';
import { fileURLToPath } from 'node:url';
import { runPython } from '../../helpers/python.js';
import { assertChannelClosed, bodies, collect, delay, quietChannel, quietConfirmChannel, type Conn, useAmqpTarget } from '../../helpers/amqp-client.js';

const PY_DIR = fileURLToPath(new URL('../../../../test/compat/amqp/py/', import.meta.url));
let target: AmqpTarget;
let conn: Conn;
useAmqpTarget((t, c) => { target = t; conn = c; });

/** Poll basic.get until a message comes (RabbitMQ's queue processes act asynchronously). */
async function getWithin(ch: amqplib.Channel, queue: string, ms = 3000): Promise<amqplib.GetMessage> {
  const until = Date.now() + ms;
  for (;;) {
    const m = await ch.get(queue, { noAck: true });
    if (m !== false) return m;
    if (Date.now() > until) throw new Error(`nothing arrived in ${queue} within ${ms} ms`);
    await delay(20);
  }
}

async function countWithin(ch: amqplib.Channel, queue: string, expected: number, ms = 3000): Promise<number> {
  const until = Date.now() + ms;
  for (;;) {
    const { messageCount } = await ch.checkQueue(queue);
    if (messageCount === expected || Date.now() > until) return messageCount;
    await delay(20);
  }
}

type Death = Record<string, unknown>;
const deaths = (m: amqplib.Message): Death[] => m.properties.headers!['x-death'] as unknown as Death[];

/** An x-death entry without its time (seconds since the epoch, checked to be now). */
function withoutTime(d: Death): Death {
  const { time, ...rest } = d;
  const seconds = typeof time === 'object' && time !== null ? Number((time as { value: number }).value) : Number(time);
  assert.ok(Math.abs(seconds - Date.now() / 1000) < 30, `x-death time ${String(time)}`);
  return rest;
}

test('x-message-ttl expires messages into the DLX with x-death reason expired and x-first-death-*', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('f-ttl-dlq', { autoDelete: false });
  await ch.assertQueue('f-ttl', { arguments: { 'x-message-ttl': 100, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'f-ttl-dlq' } });
  ch.sendToQueue('f-ttl', Buffer.from('old'), { headers: { zeta: 1, alpha: 'a' } });
  await ch.waitForConfirms();
  const m = await getWithin(ch, 'f-ttl-dlq');
  assert.equal(m.content.toString(), 'old');
  assert.equal(m.fields.exchange, '');
  assert.equal(m.fields.routingKey, 'f-ttl-dlq');
  const headers = m.properties.headers!;
  // RabbitMQ leaves the headers sorted by name after dead-lettering.
  assert.deepEqual(Object.keys(headers), ['alpha', 'x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason', 'zeta']);
  assert.equal(headers['x-first-death-reason'], 'expired');
  assert.equal(headers['x-first-death-queue'], 'f-ttl');
  assert.equal(headers['x-first-death-exchange'], '');
  assert.deepEqual(deaths(m).map(withoutTime), [{ count: 1, reason: 'expired', queue: 'f-ttl', exchange: '', 'routing-keys': ['f-ttl'] }]);
  assert.equal(await countWithin(ch, 'f-ttl', 0), 0);
  await ch.deleteQueue('f-ttl');
  await ch.deleteQueue('f-ttl-dlq');
  await ch.close();
});

test('per-message expiration: expired at the head, original-expiration in x-death; a bad one is 406', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('f-exp-dlq');
  await ch.assertQueue('f-exp', { arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'f-exp-dlq' } });
  ch.sendToQueue('f-exp', Buffer.from('short'), { expiration: '50' });
  ch.sendToQueue('f-exp', Buffer.from('stays'));
  await ch.waitForConfirms();
  const m = await getWithin(ch, 'f-exp-dlq');
  assert.equal(m.content.toString(), 'short');
  assert.equal(m.properties.expiration, undefined);
  assert.deepEqual(deaths(m).map(withoutTime), [{ count: 1, reason: 'expired', queue: 'f-exp', exchange: '', 'routing-keys': ['f-exp'], 'original-expiration': '50' }]);
  assert.equal(((await ch.get('f-exp', { noAck: true })) as amqplib.GetMessage).content.toString(), 'stays');
  await ch.deleteQueue('f-exp');
  await ch.deleteQueue('f-exp-dlq');
  const bad = await quietChannel(conn);
  bad.sendToQueue('f-nowhere', Buffer.from('x'), { expiration: '12abc' });
  await assertChannelClosed(bad.checkQueue('f-nowhere'), 406, `PRECONDITION_FAILED - invalid expiration '12abc': {leftover_string,"abc"}`);
  await ch.close();
});

test('x-message-ttl 0 without a DLX: delivered to a waiting consumer, else dropped', async () => {
  const ch = await quietChannel(conn);
  await ch.assertQueue('f-ttl0', { arguments: { 'x-message-ttl': 0 } });
  ch.sendToQueue('f-ttl0', Buffer.from('nobody'));
  assert.equal(await countWithin(ch, 'f-ttl0', 0), 0);
  const got = collect(ch, 'f-ttl0', 1, { noAck: true });
  await delay(50);
  ch.sendToQueue('f-ttl0', Buffer.from('taken'));
  assert.deepEqual(bodies(await got), ['taken']);
  await ch.deleteQueue('f-ttl0');
  await ch.close();
});

test('x-expires deletes a queue unused for that long; a consumer keeps it', async () => {
  const ch = await quietChannel(conn);
  await ch.assertQueue('f-expires', { arguments: { 'x-expires': 300 } });
  await ch.assertQueue('f-expires-used', { arguments: { 'x-expires': 300 } });
  const { consumerTag } = await ch.consume('f-expires-used', () => undefined);
  await delay(900);
  const probe = await quietChannel(conn);
  await assertChannelClosed(probe.checkQueue('f-expires'), 404, "NOT_FOUND - no queue 'f-expires' in vhost '/'");
  assert.equal((await ch.checkQueue('f-expires-used')).consumerCount, 1);
  await ch.cancel(consumerTag);
  await ch.deleteQueue('f-expires-used');
  await ch.close();
});

test('x-max-length drop-head drops the oldest into the DLX as maxlen', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('f-len-dlq');
  await ch.assertQueue('f-len', { arguments: { 'x-max-length': 2, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'f-len-dlq' } });
  for (const b of ['1', '2', '3']) ch.sendToQueue('f-len', Buffer.from(b));
  await ch.waitForConfirms();
  const dropped = await getWithin(ch, 'f-len-dlq');
  assert.equal(dropped.content.toString(), '1');
  assert.deepEqual(deaths(dropped).map(withoutTime), [{ count: 1, reason: 'maxlen', queue: 'f-len', exchange: '', 'routing-keys': ['f-len'] }]);
  assert.equal(await countWithin(ch, 'f-len', 2), 2);
  assert.deepEqual([await getWithin(ch, 'f-len'), await getWithin(ch, 'f-len')].map((m) => m.content.toString()), ['2', '3']);
  await ch.deleteQueue('f-len');
  await ch.deleteQueue('f-len-dlq');
  await ch.close();
});

/** Publish with confirms; resolves true when acked, false when nacked. */
function publishConfirmed(ch: amqplib.ConfirmChannel, queue: string, body: string): Promise<boolean> {
  return new Promise((resolve) => ch.sendToQueue(queue, Buffer.from(body), {}, (err) => resolve(err == null)));
}

test('x-overflow reject-publish nacks confirming publishers; reject-publish-dlx dead-letters the refused message', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('f-rej', { arguments: { 'x-max-length-bytes': 5, 'x-overflow': 'reject-publish' } });
  assert.deepEqual([await publishConfirmed(ch, 'f-rej', 'abc'), await publishConfirmed(ch, 'f-rej', 'def'), await publishConfirmed(ch, 'f-rej', 'gh')],
    [true, false, true]);
  assert.equal(await countWithin(ch, 'f-rej', 2), 2);
  await ch.assertQueue('f-rejdlx-dlq');
  await ch.assertQueue('f-rejdlx', { arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish-dlx', 'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': 'f-rejdlx-dlq' } });
  assert.deepEqual([await publishConfirmed(ch, 'f-rejdlx', 'in'), await publishConfirmed(ch, 'f-rejdlx', 'out')], [true, false]);
  const m = await getWithin(ch, 'f-rejdlx-dlq');
  assert.equal(m.content.toString(), 'out');
  assert.equal(deaths(m)[0]!.reason, 'maxlen');
  for (const q of ['f-rej', 'f-rejdlx', 'f-rejdlx-dlq']) await ch.deleteQueue(q);
  await ch.close();
});

test('reject and nack without requeue dead-letter as rejected; a second death counts up', async () => {
  const ch = await quietChannel(conn);
  await ch.assertExchange('f-dlx', 'direct');
  await ch.assertQueue('f-rejq');
  await ch.assertQueue('f-dl-target');
  await ch.bindQueue('f-dl-target', 'f-dlx', 'f-rejq');
  await ch.assertQueue('f-src', { arguments: { 'x-dead-letter-exchange': 'f-dlx', 'x-dead-letter-routing-key': 'f-rejq' } });
  await ch.bindQueue('f-src', 'f-dlx', 'again');
  ch.sendToQueue('f-src', Buffer.from('no'), { headers: { CC: ['f-nobody'] } });
  let m = await getWithinAck(ch, 'f-src');
  ch.reject(m, false);
  m = await getWithin(ch, 'f-dl-target');
  // The DL routing key replaces the keys, so the CC header is dropped; x-death routing-keys keep it.
  assert.equal(m.properties.headers!.CC, undefined);
  assert.equal(m.fields.exchange, 'f-dlx');
  assert.deepEqual(deaths(m).map(withoutTime), [{ count: 1, reason: 'rejected', queue: 'f-src', exchange: '', 'routing-keys': ['f-src', 'f-nobody'] }]);
  // Back into f-src by hand and nacked again: the {f-src, rejected} entry counts up.
  ch.publish('f-dlx', 'again', m.content, { headers: m.properties.headers });
  m = await getWithinAck(ch, 'f-src');
  ch.nack(m, false, false);
  m = await getWithin(ch, 'f-dl-target');
  assert.deepEqual(deaths(m).map(withoutTime), [{ count: 2, reason: 'rejected', queue: 'f-src', exchange: '', 'routing-keys': ['f-src', 'f-nobody'] }]);
  for (const q of ['f-src', 'f-rejq', 'f-dl-target']) await ch.deleteQueue(q);
  await ch.deleteExchange('f-dlx');
  await ch.close();
});

async function getWithinAck(ch: amqplib.Channel, queue: string): Promise<amqplib.GetMessage> {
  for (let i = 0; i < 150; i++) {
    const m = await ch.get(queue, { noAck: false });
    if (m !== false) return m;
    await delay(20);
  }
  throw new Error(`nothing in ${queue}`);
}

test('a TTL cycle back into the same queue is dropped (cycle detection), not looped', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('f-cycle', { arguments: { 'x-message-ttl': 50, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'f-cycle' } });
  ch.sendToQueue('f-cycle', Buffer.from('loop'));
  await ch.waitForConfirms();
  await delay(400);
  assert.equal(await countWithin(ch, 'f-cycle', 0), 0);
  await ch.deleteQueue('f-cycle');
  await ch.close();
});

test('x-max-priority: higher priorities first, FIFO within one, none counts as 0', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('f-prio', { arguments: { 'x-max-priority': 5 } });
  const sent: [string, number | undefined][] = [['p1', 1], ['none', undefined], ['p9', 9], ['p3a', 3], ['p3b', 3], ['p5', 5]];
  for (const [body, priority] of sent) ch.sendToQueue('f-prio', Buffer.from(body), priority === undefined ? {} : { priority });
  await ch.waitForConfirms();
  // p9 is above the maximum, so it counts as 5; published before p5, it comes first.
  assert.deepEqual(bodies(await collect(ch, 'f-prio', 6, { noAck: true })), ['p9', 'p5', 'p3a', 'p3b', 'p1', 'none']);
  await ch.deleteQueue('f-prio');
  await ch.close();
});

test('x-single-active-consumer: one consumer gets everything; the next takes over when it goes', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('f-sac', { arguments: { 'x-single-active-consumer': true } });
  const first: string[] = [];
  const second: string[] = [];
  const a = await ch.consume('f-sac', (m) => { if (m) first.push(m.content.toString()); }, { noAck: true });
  await ch.consume('f-sac', (m) => { if (m) second.push(m.content.toString()); }, { noAck: true });
  for (const b of ['1', '2', '3']) ch.sendToQueue('f-sac', Buffer.from(b));
  await ch.waitForConfirms();
  await delay(150);
  assert.deepEqual([first, second], [['1', '2', '3'], []]);
  await ch.cancel(a.consumerTag);
  for (const b of ['4', '5']) ch.sendToQueue('f-sac', Buffer.from(b));
  await ch.waitForConfirms();
  await delay(150);
  assert.deepEqual([first, second], [['1', '2', '3'], ['4', '5']]);
  await ch.deleteQueue('f-sac');
  await ch.close();
});

test('CC and BCC route to more queues; BCC is removed before delivery, CC kept', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertExchange('f-cc', 'direct');
  for (const q of ['f-cc-a', 'f-cc-b', 'f-cc-c']) {
    await ch.assertQueue(q);
    await ch.bindQueue(q, 'f-cc', q.slice(-1));
  }
  ch.publish('f-cc', 'a', Buffer.from('m'), { headers: { CC: ['b'], BCC: ['c'], other: 1 } });
  await ch.waitForConfirms();
  for (const q of ['f-cc-a', 'f-cc-b', 'f-cc-c']) {
    const m = await getWithin(ch, q);
    assert.equal(m.fields.routingKey, 'a');
    assert.deepEqual(m.properties.headers, { CC: ['b'], other: 1 });
    await ch.deleteQueue(q);
  }
  await ch.deleteExchange('f-cc');
  await ch.close();
});

test('queue arguments are validated and compared on redeclare with RabbitMQ texts; headers x-match too', async () => {
  let ch = await quietChannel(conn);
  await assertChannelClosed(ch.assertQueue('f-bad', { arguments: { 'x-message-ttl': -1 } }), 406,
    "PRECONDITION_FAILED - invalid arg 'x-message-ttl' for queue 'f-bad' in vhost '/': {value_negative,-1}");
  ch = await quietChannel(conn);
  await assertChannelClosed(ch.assertQueue('f-bad', { arguments: { 'x-overflow': 'sideways' } }), 406,
    "PRECONDITION_FAILED - invalid arg 'x-overflow' for queue 'f-bad' in vhost '/': invalid_overflow");
  ch = await quietChannel(conn);
  await ch.assertQueue('f-eq', { arguments: { 'x-max-length': 10 } });
  await assertChannelClosed(ch.assertQueue('f-eq', { arguments: { 'x-max-length': 11 } }), 406,
    "PRECONDITION_FAILED - inequivalent arg 'x-max-length' for queue 'f-eq' in vhost '/': received '11' but current is '10'");
  ch = await quietChannel(conn);
  await assertChannelClosed(ch.bindQueue('f-eq', 'amq.headers', '', { 'x-match': 'some' }), 406,
    'PRECONDITION_FAILED - Invalid x-match field value <<"some">>; expected all, any, all-with-x, or any-with-x');
  ch = await quietChannel(conn);
  await ch.deleteQueue('f-eq');
  await ch.close();
});

test('a policy changes a live queue: max-length drops the head at once, its DLX applies, deleting it lifts the limit', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertQueue('f-pol-dlq');
  await ch.assertQueue('f-pol-live');
  for (const b of ['1', '2', '3', '4']) ch.sendToQueue('f-pol-live', Buffer.from(b));
  await ch.waitForConfirms();
  await target.setPolicy({ name: 'f-pol', pattern: '^f-pol-live$', applyTo: 'queues',
    definition: { 'max-length': 1, 'dead-letter-exchange': '', 'dead-letter-routing-key': 'f-pol-dlq' } });
  assert.equal(await countWithin(ch, 'f-pol-live', 1), 1);
  assert.equal(await countWithin(ch, 'f-pol-dlq', 3), 3);
  const first = await getWithin(ch, 'f-pol-dlq');
  assert.equal(first.content.toString(), '1');
  assert.equal(deaths(first)[0]!.reason, 'maxlen');
  await target.deletePolicy('f-pol');
  for (const b of ['5', '6']) ch.sendToQueue('f-pol-live', Buffer.from(b));
  await ch.waitForConfirms();
  assert.equal(await countWithin(ch, 'f-pol-live', 3), 3);
  await ch.deleteQueue('f-pol-live');
  await ch.deleteQueue('f-pol-dlq');
  await ch.close();
});

test('pika sees the dead-lettered copy: DL routing key, headers sorted, expiration moved into x-death', async () => {
  const out = JSON.parse(await runPython(`${PY_DIR}pika_dead_letter.py`, [target.url, 'f-pika'], 30_000)) as {
    body: string; routingKey: string; expiration: string | null; headerNames: string[]; xDeath: Death[];
  };
  assert.equal(out.body, 'bye');
  assert.equal(out.routingKey, 'f-pika-dlq');
  assert.equal(out.expiration, null);
  assert.deepEqual(out.headerNames, ['a', 'b', 'x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason']);
  assert.deepEqual(out.xDeath.map(withoutTime),
    [{ count: 1, reason: 'rejected', queue: 'f-pika', exchange: '', 'routing-keys': ['f-pika'], 'original-expiration': '60000' }]);
});

test('an alternate-exchange policy catches what a live exchange cannot route', async () => {
  const ch = await quietConfirmChannel(conn);
  await ch.assertExchange('f-pol-ex', 'direct');
  await ch.assertQueue('f-pol-ae-q');
  await ch.bindQueue('f-pol-ae-q', 'amq.fanout', '');
  await target.setPolicy({ name: 'f-pol-ae', pattern: '^f-pol-ex$', applyTo: 'exchanges', definition: { 'alternate-exchange': 'amq.fanout' } });
  ch.publish('f-pol-ex', 'unbound', Buffer.from('caught'));
  await ch.waitForConfirms();
  assert.equal((await getWithin(ch, 'f-pol-ae-q')).content.toString(), 'caught');
  await target.deletePolicy('f-pol-ae');
  ch.publish('f-pol-ex', 'unbound', Buffer.from('lost'));
  await ch.waitForConfirms();
  await delay(100);
  assert.equal((await ch.checkQueue('f-pol-ae-q')).messageCount, 0);
  await ch.deleteQueue('f-pol-ae-q');
  await ch.deleteExchange('f-pol-ex');
  await ch.close();
});
