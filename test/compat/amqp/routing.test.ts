// Exchanges and routing against the AMQP target (differential with JUNCTION_AMQP_TARGET=reference):
// the predeclared exchanges, direct/fanout/topic/headers, exchange-to-exchange bindings,
// alternate-exchange, internal exchanges, mandatory returns, and the errors RabbitMQ answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AmqpTarget } from '../../helpers/amqp-target.js';
import { assertChannelClosed, connect, quietChannel, type Conn, useAmqpTarget } from '../../helpers/amqp-client.js';

let target: AmqpTarget;
let conn: Conn;
useAmqpTarget((t, c) => { target = t; conn = c; });

/** Declare exclusive queues q0..qn-1 and return their names. */
async function queues(ch: Awaited<ReturnType<typeof quietChannel>>, prefix: string, n: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push((await ch.assertQueue(`${prefix}-${i}`, { exclusive: true })).queue);
  return names;
}

/** Which of these queues hold a message now (basic.get each, acked). */
async function holders(ch: Awaited<ReturnType<typeof quietChannel>>, names: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const q of names) {
    const m = await ch.get(q, { noAck: true });
    if (m) out.push(q);
  }
  return out;
}

test('the predeclared exchanges exist (passive declare) with their types', async () => {
  const ch = await quietChannel(conn);
  for (const [name, type] of [['amq.direct', 'direct'], ['amq.fanout', 'fanout'], ['amq.topic', 'topic'], ['amq.headers', 'headers'],
    ['amq.match', 'headers'], ['amq.rabbitmq.trace', 'topic']] as const) {
    await ch.checkExchange(name);
    // Redeclaring with the same type is fine; another type is 406 (captured from RabbitMQ).
    if (name !== 'amq.rabbitmq.trace') await ch.assertExchange(name, type, { durable: true });
  }
  await assertChannelClosed(ch.assertExchange('amq.direct', 'topic', { durable: true }), 406,
    "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'amq.direct' in vhost '/': received 'topic' but current is 'direct'");
});

test('direct, fanout and topic exchanges route by key; * is one word, # zero or more', async () => {
  const ch = await quietChannel(conn);
  const [a, b, c, d] = await queues(ch, 'route', 4) as [string, string, string, string];
  await ch.assertExchange('r-topic', 'topic', { autoDelete: true });
  await ch.bindQueue(a, 'r-topic', 'stock.*.nyse');
  await ch.bindQueue(b, 'r-topic', 'stock.#');
  await ch.bindQueue(c, 'r-topic', '#');
  await ch.bindQueue(d, 'r-topic', '*.*');
  const cases: [string, string[]][] = [
    ['stock.ibm.nyse', [a, b, c]], ['stock', [b, c]], ['stock.x', [b, c, d]], ['', [c]], ['other.thing.here', [c]],
  ];
  for (const [key, expected] of cases) {
    ch.publish('r-topic', key, Buffer.from(key));
    await ch.checkQueue(a); // a round trip: the publish has been routed
    assert.deepEqual(await holders(ch, [a, b, c, d]), expected, `key '${key}'`);
  }
  await ch.bindQueue(a, 'amq.direct', 'k1');
  await ch.bindQueue(b, 'amq.direct', 'k1');
  await ch.bindQueue(c, 'amq.direct', 'k2');
  ch.publish('amq.direct', 'k1', Buffer.from('x'));
  await ch.checkQueue(a);
  assert.deepEqual(await holders(ch, [a, b, c, d]), [a, b]);
  await ch.assertExchange('r-fanout', 'fanout', { autoDelete: true });
  await ch.bindQueue(b, 'r-fanout', 'ignored');
  await ch.bindQueue(d, 'r-fanout', '');
  ch.publish('r-fanout', 'whatever', Buffer.from('x'));
  await ch.checkQueue(a);
  assert.deepEqual(await holders(ch, [a, b, c, d]), [b, d]);
  await ch.close();
});

test('headers exchange: x-match all and any, x- arguments ignored', async () => {
  const ch = await quietChannel(conn);
  const [all, any] = await queues(ch, 'hdr', 2) as [string, string];
  await ch.bindQueue(all, 'amq.headers', '', { 'x-match': 'all', format: 'pdf', type: 'report' });
  await ch.bindQueue(any, 'amq.headers', '', { 'x-match': 'any', format: 'pdf', type: 'report' });
  const cases: [Record<string, unknown>, string[]][] = [
    [{ format: 'pdf', type: 'report' }, [all, any]], [{ format: 'pdf' }, [any]], [{ format: 'zip' }, []], [{}, []],
  ];
  for (const [headers, expected] of cases) {
    ch.publish('amq.headers', '', Buffer.from('x'), { headers });
    await ch.checkQueue(all);
    assert.deepEqual(await holders(ch, [all, any]), expected, JSON.stringify(headers));
  }
  await ch.close();
});

test('exchange-to-exchange bindings route on, a queue gets a message once, alternate-exchange takes the unroutable', async () => {
  const ch = await quietChannel(conn);
  const [q1, q2, unrouted] = await queues(ch, 'e2e', 3) as [string, string, string];
  await ch.assertExchange('e2e-src', 'direct', { autoDelete: true, alternateExchange: 'e2e-alt' });
  await ch.assertExchange('e2e-dst', 'fanout', { autoDelete: true });
  await ch.assertExchange('e2e-alt', 'fanout', { autoDelete: true });
  await ch.bindExchange('e2e-dst', 'e2e-src', 'k');
  await ch.bindQueue(q1, 'e2e-dst', '');
  await ch.bindQueue(q1, 'e2e-src', 'k');
  await ch.bindQueue(q2, 'e2e-dst', '');
  await ch.bindQueue(unrouted, 'e2e-alt', '');
  ch.publish('e2e-src', 'k', Buffer.from('x'));
  await ch.checkQueue(q1);
  assert.equal((await ch.checkQueue(q1)).messageCount, 1);
  assert.deepEqual(await holders(ch, [q1, q2, unrouted]), [q1, q2]);
  ch.publish('e2e-src', 'nobody', Buffer.from('y'));
  await ch.checkQueue(q1);
  assert.deepEqual(await holders(ch, [q1, q2, unrouted]), [unrouted]);
  await ch.close();
});

test('mandatory and unroutable: basic.return 312 NO_ROUTE with the content', async () => {
  const ch = await quietChannel(conn);
  const returned = new Promise<{ code: number; text: string; key: string; body: string }>((resolve) => {
    ch.on('return', (m: { fields: { replyCode: number; replyText: string; routingKey: string }; content: Buffer }) =>
      resolve({ code: m.fields.replyCode, text: m.fields.replyText, key: m.fields.routingKey, body: m.content.toString() }));
  });
  ch.publish('amq.direct', 'no-such-key', Buffer.from('lost'), { mandatory: true });
  assert.deepEqual(await returned, { code: 312, text: 'NO_ROUTE', key: 'no-such-key', body: 'lost' });
  await ch.close();
});

test('internal exchanges take no publishes; amq.* and the default exchange are protected', async () => {
  let ch = await quietChannel(conn);
  await ch.assertExchange('r-internal', 'fanout', { internal: true, autoDelete: true });
  ch.publish('r-internal', '', Buffer.from('x'));
  await assertChannelClosed(ch.checkQueue('nothing-here-either'), 403,
    "ACCESS_REFUSED - cannot publish to internal exchange 'r-internal' in vhost '/'");
  ch = await quietChannel(conn);
  await assertChannelClosed(ch.assertExchange('amq.mine', 'direct'), 403,
    "ACCESS_REFUSED - exchange name 'amq.mine' contains reserved prefix 'amq.*'");
  ch = await quietChannel(conn);
  await assertChannelClosed(ch.deleteExchange('amq.direct'), 403,
    "ACCESS_REFUSED - deletion of system exchange 'amq.direct' in vhost '/' not allowed");
  ch = await quietChannel(conn);
  await ch.assertQueue('r-default', { exclusive: true });
  await assertChannelClosed(ch.bindQueue('r-default', '', 'x'), 403, 'ACCESS_REFUSED - operation not permitted on the default exchange');
  ch = await quietChannel(conn);
  ch.publish('no-such-exchange', '', Buffer.from('x'));
  await assertChannelClosed(ch.checkQueue('r-default'), 404, "NOT_FOUND - no exchange 'no-such-exchange' in vhost '/'");
  ch = await quietChannel(conn);
  await assertChannelClosed(ch.checkExchange('no-such-exchange'), 404, "NOT_FOUND - no exchange 'no-such-exchange' in vhost '/'");
});

test('an unknown exchange type closes the connection with 503 COMMAND_INVALID', async () => {
  const other = await connect(target.url);
  const closed = new Promise<Error>((resolve) => other.on('error', resolve));
  const ch = await quietChannel(other);
  await assert.rejects(ch.assertExchange('r-bad-type', 'no-such-type'));
  const err = await closed;
  assert.match(err.message, /503 \(COMMAND-INVALID\) with message "COMMAND_INVALID - unknown exchange type 'no-such-type'"/);
});

test('auto-delete exchange goes with its last binding; exchange.delete if-unused refuses while bound', async () => {
  const ch = await quietChannel(conn);
  const [q] = await queues(ch, 'ad', 1) as [string];
  await ch.assertExchange('r-autodel', 'direct', { autoDelete: true });
  await ch.bindQueue(q, 'r-autodel', 'k');
  await assertChannelClosed(ch.deleteExchange('r-autodel', { ifUnused: true }), 406,
    "PRECONDITION_FAILED - exchange 'r-autodel' in vhost '/' in use");
  const ch2 = await quietChannel(conn);
  await ch2.unbindQueue(q, 'r-autodel', 'k');
  await assertChannelClosed(ch2.checkExchange('r-autodel'), 404, "NOT_FOUND - no exchange 'r-autodel' in vhost '/'");
});
