// Units of the AMQP broker model and connection pieces: the topic trie against a reference
// matcher, the message store's requeue order, tune negotiation and credentials.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryMessageStore } from '../../src/amqp/broker/message-store.js';
import type { AmqpMessage } from '../../src/amqp/broker/message.js';
import { TopicTrie } from '../../src/amqp/semantics/topic-trie.js';
import { Broker } from '../../src/amqp/broker/broker.js';
import { AmqpError } from '../../src/amqp/connection/errors.js';
import { negotiate, parseStartOk } from '../../src/amqp/connection/handshake.js';
import { writeTableBody } from '../../src/amqp/protocol/field-table.js';
import { AmqpWriter } from '../../src/amqp/protocol/writer.js';
import { seededRandom } from '../helpers/seeded-random.js';

/** The topic rule written the slow, obvious way (regex per pattern), to check the trie against. */
function topicMatches(pattern: string, key: string): boolean {
  const match = (p: string[], k: string[]): boolean => {
    if (p.length === 0) return k.length === 0;
    const [head, ...rest] = p;
    if (head === '#') return match(rest, k) || (k.length > 0 && match(p, k.slice(1)));
    if (k.length === 0) return false;
    return (head === '*' || head === k[0]) && match(rest, k.slice(1));
  };
  // RabbitMQ's split_topic_key: the empty key has no words (so `*` does not match it).
  return match(pattern.split('.'), key === '' ? [] : key.split('.'));
}

test('the topic trie matches exactly what the topic rule says, for random patterns and keys', () => {
  const random = seededRandom(42);
  const words = ['a', 'b', 'c', '*', '#'];
  const pick = (n: number, pool: string[]) => Array.from({ length: n }, () => pool[Math.floor(random() * pool.length)]!).join('.');
  const trie = new TopicTrie<string>();
  const patterns = new Set<string>();
  for (let i = 0; i < 300; i++) patterns.add(pick(1 + Math.floor(random() * 4), words));
  for (const p of patterns) trie.add(p, p);
  for (let i = 0; i < 500; i++) {
    const key = random() < 0.05 ? '' : pick(1 + Math.floor(random() * 5), ['a', 'b', 'c']);
    const got = new Set<string>();
    trie.match(key, got);
    const expected = [...patterns].filter((p) => topicMatches(p, key)).sort();
    assert.deepEqual([...got].sort(), expected, `key '${key}'`);
  }
  for (const p of patterns) trie.remove(p, p);
  const none = new Set<string>();
  trie.match('a.b', none);
  assert.equal(none.size, 0);
});

const msg = (body: string): AmqpMessage => ({ exchange: '', routingKey: 'q', properties: {}, header: Buffer.alloc(0), body: Buffer.from(body) });

test('the message store hands out in order and puts requeued messages back at their original position', () => {
  const store = new MemoryMessageStore();
  for (const b of ['1', '2', '3', '4', '5']) store.enqueue(msg(b));
  const taken = [store.next()!, store.next()!, store.next()!, store.next()!];
  store.requeue(taken[2]!);
  store.requeue(taken[0]!);
  assert.equal(store.readyCount, 3);
  assert.equal(store.readyBytes, 3);
  const order = [store.next()!, store.next()!, store.next()!];
  assert.deepEqual(order.map((e) => e.message.body.toString()), ['1', '3', '5']);
  assert.deepEqual(order.map((e) => e.redelivered), [true, true, false]);
  assert.equal(store.next(), undefined);
  store.enqueue(msg('6'));
  assert.equal(store.purge(), 1);
  assert.equal(store.readyCount, 0);
});

test('tune-ok negotiation follows rabbit_reader: 0 or above the server value is 530, the client heartbeat is taken', () => {
  const server = { channelMax: 2047, frameMax: 131072, heartbeat: 60 };
  assert.deepEqual(negotiate({ channelMax: 100, frameMax: 8192, heartbeat: 0 }, server), { channelMax: 100, frameMax: 8192, heartbeat: 0 });
  const refused = (args: Record<string, number>) => {
    try { negotiate(args, server); } catch (err) { return (err as AmqpError).replyCode; }
    return 0;
  };
  assert.equal(refused({ channelMax: 0, frameMax: 8192, heartbeat: 10 }), 530);
  assert.equal(refused({ channelMax: 10, frameMax: 200000, heartbeat: 10 }), 530);
  assert.equal(refused({ channelMax: 10, frameMax: 1000, heartbeat: 10 }), 530);
});

test('start-ok: PLAIN and AMQPLAIN credentials, capabilities kept; bad responses and mechanisms refused', () => {
  const caps = [['capabilities', { type: 'F' as const, value: [['connection.blocked', { type: 't' as const, value: true }]] as const }]] as const;
  const plain = parseStartOk({ mechanism: 'PLAIN', response: Buffer.from('\u0000alice\u0000s3cret'), clientProperties: caps as never, locale: 'en_US' });
  assert.deepEqual([plain.username, plain.password, [...plain.capabilities]], ['alice', 's3cret', ['connection.blocked']]);
  const w = new AmqpWriter();
  writeTableBody(w, [['LOGIN', { type: 'S', value: Buffer.from('bob') }], ['PASSWORD', { type: 'S', value: Buffer.from('pw') }]]);
  const amqplain = parseStartOk({ mechanism: 'AMQPLAIN', response: w.toBuffer(), clientProperties: [], locale: '' });
  assert.deepEqual([amqplain.username, amqplain.password], ['bob', 'pw']);
  assert.throws(() => parseStartOk({ mechanism: 'PLAIN', response: Buffer.from('nonul'), clientProperties: [], locale: '' }),
    (err: AmqpError) => err.replyCode === 502);
  assert.throws(() => parseStartOk({ mechanism: 'EXTERNAL', response: Buffer.alloc(0), clientProperties: [], locale: '' }),
    (err: AmqpError) => err.replyCode === 503);
});

test('definitions: every change is a JSON-able command; deleting a queue drops its bindings and an auto-delete exchange (derived, not logged)', () => {
  const broker = new Broker('/');
  const log: string[] = [];
  // JSON round trip: what a command store would write.
  broker.definitions.onApplied = (cmd) => log.push(JSON.stringify(cmd));
  const d = broker.definitions;
  d.apply({ type: 'exchange.declare', vhost: '/', name: 'x', exchangeType: 'topic', durable: true, autoDelete: true, internal: false, arguments: [] });
  d.apply({ type: 'queue.declare', vhost: '/', name: 'q', durable: true, autoDelete: false, arguments: [] });
  d.apply({ type: 'binding.add', vhost: '/', source: 'x', destinationKind: 'queue', destination: 'q', routingKey: 'a.#', arguments: [] });
  const vhost = broker.vhost('/')!;
  assert.deepEqual([...vhost.route('x', 'a.b', undefined)].map((q) => q.name), ['q']);
  d.apply({ type: 'queue.delete', vhost: '/', name: 'q' });
  assert.equal(vhost.exchanges.has('x'), false, 'auto-delete exchange went with its last binding');
  assert.deepEqual(log.map((l) => JSON.parse(l).type), ['exchange.declare', 'queue.declare', 'binding.add', 'queue.delete']);
});
