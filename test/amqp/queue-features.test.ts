// Units of the broker's queue features with a driven clock and fake consumers: TTL at the head and
// on delivery, drop-head and reject-publish, dead-lettering through the vhost (cycles dropped),
// priority order with requeue, single active consumer takeover, x-expires, and policies applied
// to live queues and exchanges through Definitions commands.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Broker } from '../../src/amqp/broker/broker.js';
import type { AmqpMessage, QueuedMessage } from '../../src/amqp/broker/message.js';
import { PriorityMessageStore } from '../../src/amqp/broker/priority-store.js';
import type { AmqpQueue, QueueConsumer } from '../../src/amqp/broker/queue.js';
import type { FieldTable, FieldValue } from '../../src/amqp/protocol/field-table.js';

const S = (text: string): FieldValue => ({ type: 'S', value: Buffer.from(text) });
const I = (n: number): FieldValue => ({ type: 'I', value: n });

function message(body: string, extra: Partial<AmqpMessage> = {}): AmqpMessage {
  return { exchange: '', routingKey: 'q', properties: {}, header: Buffer.alloc(0), body: Buffer.from(body), ...extra };
}

/** A broker with one queue declared through Definitions, on a clock the test moves. */
function setup(args: FieldTable, name = 'q'): { broker: Broker; q: AmqpQueue; clock: { now: number } } {
  const broker = new Broker('/');
  broker.definitions.apply({ type: 'queue.declare', vhost: '/', name, durable: false, autoDelete: false, arguments: args });
  const q = broker.vhost('/')!.queues.get(name)!;
  const clock = { now: 1_000_000 };
  q.now = () => clock.now;
  return { broker, q, clock };
}

class FakeConsumer implements QueueConsumer {
  readonly got: string[] = [];
  room = Infinity;
  constructor(readonly tag: string, readonly exclusive = false) {}
  canTake(): boolean { return this.room > 0; }
  deliver(queue: AmqpQueue, entry: QueuedMessage): void {
    this.room--;
    this.got.push(entry.message.body.toString());
    queue.settle(entry);
  }
  cancelledByQueue(): void { /* not needed */ }
}

const drain = (q: AmqpQueue): string[] => {
  const out: string[] = [];
  for (let e = q.fetch(); e; e = q.fetch()) {
    out.push(e.message.body.toString());
    q.settle(e);
  }
  return out;
};

test('message TTL: the lower of queue TTL and expiration, dropped at the head only, kept on requeue', () => {
  const { q, clock } = setup([['x-message-ttl', I(100)]]);
  q.publish(message('a', { properties: { expiration: '500' } }), false);
  q.publish(message('b', { properties: { expiration: '10' } }), false);
  clock.now += 50;
  // b has expired but is behind a live a: it stays counted until it reaches the head.
  assert.equal(q.messageCount, 2);
  const a = q.fetch()!;
  assert.equal(a.message.body.toString(), 'a');
  assert.equal(q.messageCount, 1);
  assert.equal(q.fetch(), undefined, 'b expired at the head when fetched');
  clock.now += 60;
  q.requeue(a);
  assert.equal(q.fetch(), undefined, 'a keeps its deadline (enqueue + 100) when requeued');
});

test('drop-head keeps the newest within max-length and max-length-bytes; reject-publish refuses', () => {
  const { q } = setup([['x-max-length', I(3)], ['x-max-length-bytes', I(5)]]);
  for (const b of ['11', '22', '33', '44']) q.publish(message(b), false);
  // Three fit max-length but six bytes do not fit max-length-bytes 5.
  assert.deepEqual(drain(q), ['33', '44']);
  const r = setup([['x-max-length', I(1)], ['x-overflow', S('reject-publish')]]).q;
  assert.deepEqual([r.publish(message('x'), true), r.publish(message('y'), true)], [true, false]);
  assert.deepEqual(drain(r), ['x']);
});

test('dead-lettering goes through the DLX with the DL routing key; a pure TTL cycle is dropped', () => {
  const { broker, q, clock } = setup([['x-message-ttl', I(10)], ['x-dead-letter-exchange', S('')], ['x-dead-letter-routing-key', S('dlq')]]);
  broker.definitions.apply({ type: 'queue.declare', vhost: '/', name: 'dlq', durable: false, autoDelete: false, arguments: [] });
  const dlq = broker.vhost('/')!.queues.get('dlq')!;
  q.publish(message('m', { properties: { headers: [['h', I(1)]] } }), false);
  clock.now += 10;
  q.dispatch();
  const dead = dlq.fetch()!;
  assert.equal(dead.message.exchange, '');
  assert.equal(dead.message.routingKey, 'dlq');
  const headers = dead.message.properties.headers!;
  assert.deepEqual(headers.map(([k]) => k), ['h', 'x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason']);
  const loop = setup([['x-message-ttl', I(10)], ['x-dead-letter-exchange', S('')], ['x-dead-letter-routing-key', S('self')]], 'self');
  loop.q.publish(message('again'), false);
  // Rejected before the TTL: back in 'self' with a fresh deadline.
  loop.q.reject(loop.q.fetch()!);
  assert.equal(loop.q.messageCount, 1, 'a rejection back into the same queue is no cycle');
  loop.clock.now += 10;
  loop.q.dispatch();
  assert.equal(loop.q.messageCount, 0, 'an expiry back into the same queue is a cycle: dropped');
});

test('reject without requeue dead-letters as rejected; without a DLX it is discarded', () => {
  const { broker, q } = setup([['x-dead-letter-exchange', S('amq.fanout')]]);
  broker.definitions.apply({ type: 'queue.declare', vhost: '/', name: 'all', durable: false, autoDelete: false, arguments: [] });
  broker.definitions.apply({ type: 'binding.add', vhost: '/', source: 'amq.fanout', destinationKind: 'queue', destination: 'all', routingKey: '', arguments: [] });
  q.publish(message('no'), false);
  q.reject(q.fetch()!);
  const dead = broker.vhost('/')!.queues.get('all')!.fetch()!;
  assert.equal(dead.message.exchange, 'amq.fanout');
  const death = dead.message.properties.headers!.find(([k]) => k === 'x-death')![1];
  assert.equal(death.type, 'A');
  const plain = setup([]).q;
  plain.publish(message('gone'), false);
  plain.reject(plain.fetch()!);
  assert.equal(plain.messageCount, 0);
});

test('the priority store serves the highest first, FIFO within a priority, requeue at the original place', () => {
  const store = new PriorityMessageStore(3);
  const p = (body: string, priority?: number) => store.enqueue(message(body, { properties: priority === undefined ? {} : { priority } }));
  p('low'); p('high1', 3); p('mid', 2); p('high2', 7);
  const first = store.next()!;
  assert.equal(first.message.body.toString(), 'high1');
  assert.equal(store.peek()!.message.body.toString(), 'high2');
  store.requeue(first);
  assert.equal(store.readyBytes, 'low'.length + 'high1'.length + 'mid'.length + 'high2'.length);
  const order: string[] = [];
  for (let e = store.next(); e; e = store.next()) order.push(e.message.body.toString());
  assert.deepEqual(order, ['high1', 'high2', 'mid', 'low']);
});

test('single active consumer: only the first registered gets messages; the next takes over when it leaves', () => {
  const { q } = setup([['x-single-active-consumer', { type: 't', value: true }]]);
  const a = new FakeConsumer('a');
  const b = new FakeConsumer('b');
  q.addConsumer(a);
  q.addConsumer(b);
  for (const m of ['1', '2']) q.publish(message(m), false);
  a.room = 0;
  q.publish(message('3'), false);
  assert.deepEqual([a.got, b.got], [['1', '2'], []], 'b waits even while a has no room');
  q.removeConsumer(a);
  assert.deepEqual(b.got, ['3']);
});

test('x-expires: the host deletes the queue after it was unused that long, never while it has a consumer', async () => {
  const { broker, q } = setup([['x-expires', I(30)]]);
  q.now = Date.now; // real timers, real clock
  const c = new FakeConsumer('c');
  q.addConsumer(c);
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(broker.vhost('/')!.queues.has('q'), true);
  q.removeConsumer(c);
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(broker.vhost('/')!.queues.has('q'), false);
  assert.equal(q.deleted, true);
});

test('policies: set and delete through Definitions commands change live queues and alternate exchanges', () => {
  const { broker, q } = setup([['x-max-length', I(5)]], 'pol-q');
  const logged: string[] = [];
  broker.definitions.onApplied = (cmd) => logged.push(cmd.type);
  for (const m of ['1', '2', '3', '4']) q.publish(message(m), false);
  broker.setPolicy('/', { name: 'p', pattern: '^pol-', applyTo: 'queues', priority: 0, definition: { 'max-length': 2, 'message-ttl': 50 } });
  assert.equal(q.settings.maxLength, 2, 'the lower of argument and policy');
  assert.equal(q.settings.messageTtl, 50);
  assert.equal(q.messageCount, 2, 'drop-head ran at once');
  broker.setPolicy('/', { name: 'ae', pattern: '^pol-x$', applyTo: 'exchanges', priority: 1, definition: { 'alternate-exchange': 'amq.fanout' } });
  broker.definitions.apply({ type: 'exchange.declare', vhost: '/', name: 'pol-x', exchangeType: 'direct', durable: false, autoDelete: false, internal: false, arguments: [] });
  broker.definitions.apply({ type: 'binding.add', vhost: '/', source: 'amq.fanout', destinationKind: 'queue', destination: 'pol-q', routingKey: '', arguments: [] });
  assert.deepEqual([...broker.vhost('/')!.route('pol-x', 'nowhere', undefined)].map((x) => x.name), ['pol-q']);
  broker.deletePolicy('/', 'p');
  broker.deletePolicy('/', 'ae');
  assert.equal(q.settings.maxLength, 5);
  assert.equal(broker.vhost('/')!.route('pol-x', 'nowhere', undefined).size, 0);
  assert.deepEqual(broker.policies('/'), []);
  assert.deepEqual(logged, ['policy.set', 'policy.set', 'exchange.declare', 'binding.add', 'policy.delete', 'policy.delete']);
});
