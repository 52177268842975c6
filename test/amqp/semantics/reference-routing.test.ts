// Differential test of topic and headers matching: queues bound to a topic and a headers exchange
// of the real RabbitMQ 3.10.8 receive exactly the messages topicMatches / headersMatch select, and
// bad x-match values close the channel with validateHeadersBinding's text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BasicProperties } from '../../../src/amqp/protocol/content.js';
import type { FieldTable } from '../../../src/amqp/protocol/field-table.js';
import { compileHeadersBinding, headersMatch, sortHeaders, topicMatches, validateHeadersBinding } from '../../../src/amqp/semantics/routing.js';
import { type RawAmqpClient, useReferenceClient } from './raw-amqp-client.js';
import { S, V } from './values.js';

let client: RawAmqpClient;
useReferenceClient((_rabbit, c) => { client = c; });

async function ok(channel: number, method: string, args: Record<string, unknown>): Promise<void> {
  const reply = await client.call(channel, method, args as never);
  assert.notEqual(reply.spec.name, 'close', `${method}: ${String(reply.args.replyText)}`);
}

const declareExchange = (channel: number, exchange: string, type: string) =>
  ok(channel, 'exchange.declare', { exchange, type, passive: false, durable: false, autoDelete: false, internal: false, nowait: false, arguments: [] });

/** Binds one queue per binding, publishes every message with confirms, and returns which
 *  message indexes each queue received. */
async function route(exchange: string, type: string, bindings: readonly { key: string; args: FieldTable }[],
  messages: readonly { key: string; properties: BasicProperties }[]): Promise<number[][]> {
  const channel = await client.openChannel();
  await declareExchange(channel, exchange, type);
  for (const [i, binding] of bindings.entries()) {
    const queue = `${exchange}-q${i}`;
    await ok(channel, 'queue.declare', { queue, passive: false, durable: false, exclusive: false, autoDelete: false, nowait: false, arguments: [] });
    await ok(channel, 'queue.bind', { queue, exchange, routingKey: binding.key, nowait: false, arguments: binding.args });
  }
  await ok(channel, 'confirm.select', { nowait: false });
  messages.forEach((m, i) => client.publish(channel, exchange, m.key, m.properties, Buffer.from(String(i))));
  await client.waitForAcks(channel, 1n, BigInt(messages.length));
  const received: number[][] = [];
  for (const i of bindings.keys()) {
    const got: number[] = [];
    for (let m = await client.get(channel, `${exchange}-q${i}`, true); m; m = await client.get(channel, `${exchange}-q${i}`, true)) got.push(Number(m.body.toString()));
    received.push(got);
  }
  return received;
}

test('topic bindings: the real server delivers exactly what topicMatches selects', async () => {
  const patterns = ['#', '*', 'a.*', 'a.#', '#.c', 'a.#.c', '*.#.*', '', 'a.b', '#.#', '*.b.*', 'a.*.#'];
  const keys = ['', 'a', 'a.b', 'a.b.c', 'a.c', 'x.b.y', 'a.', '.', 'c', 'a.x.y.c', 'b'];
  const real = await route('topic-x', 'topic', patterns.map((key) => ({ key, args: [] })), keys.map((key) => ({ key, properties: {} })));
  const ours = patterns.map((p) => keys.flatMap((k, i) => (topicMatches(p, k) ? [i] : [])));
  assert.deepEqual(real, ours);
});

test('headers bindings: the real server delivers exactly what headersMatch selects', async () => {
  const bindings: FieldTable[] = [
    [['format', S('pdf')], ['type', S('report')]],
    [['x-match', S('any')], ['format', S('zip')], ['type', S('report')]],
    [['format', S('pdf')], ['x-tag', S('other')]],
    [['x-match', S('all-with-x')], ['format', S('pdf')], ['x-tag', S('t')]],
    [['x-match', S('any-with-x')], ['x-tag', S('t')]],
    [['type', V.V()]],
    [['n', V.I(1)]],
    [['n', V.d(1)]],
    [['n', S('1')]],
    [],
    [['x-match', S('any')]],
    [['x-match', S('any')], ['b', V.t(true)], ['z', V.V()]],
  ];
  const headers: (FieldTable | undefined)[] = [
    [['format', S('pdf')], ['type', S('report')], ['n', V.l(1n)], ['x-tag', S('t')]],
    [['type', S('log')], ['format', S('zip')]],
    [['n', V.b(1)], ['b', V.t(true)]],
    [['n', V.f(1)], ['z', V.I(0)]],
    [['format', S('pdf')], ['type', S('report')], ['x-tag', S('other')]],
    undefined,
    [],
  ];
  const real = await route('headers-x', 'headers', bindings.map((args) => ({ key: '', args })),
    headers.map((h) => ({ key: '', properties: h === undefined ? {} : { headers: h } })));
  const ours = bindings.map((args) => headers.flatMap((h, i) => (headersMatch(compileHeadersBinding(args), sortHeaders(h)) ? [i] : [])));
  assert.deepEqual(real, ours);
});

test('a bad x-match closes the channel with validateHeadersBinding\'s text', async () => {
  const setup = await client.openChannel();
  await declareExchange(setup, 'headers-bad', 'headers');
  await ok(setup, 'queue.declare', { queue: 'headers-bad-q', passive: false, durable: false, exclusive: false, autoDelete: false, nowait: false, arguments: [] });
  for (const args of [[['x-match', S('foo')]], [['x-match', V.I(5)]]] as FieldTable[]) {
    const channel = await client.openChannel();
    const reply = await client.call(channel, 'queue.bind', { queue: 'headers-bad-q', exchange: 'headers-bad', routingKey: '', nowait: false, arguments: args });
    assert.equal(reply.spec.name, 'close');
    client.send(channel, 'channel.close-ok');
    assert.deepEqual(validateHeadersBinding(args), { code: reply.args.replyCode, text: reply.args.replyText });
  }
});
