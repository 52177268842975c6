/**
 * Per-message cost of the AMQP semantics functions (`npm run bench:amqp-semantics`): what the broker
 * will call for each publish (expiration parse, deadline, overflow decision), each dead-letter
 * (x-death rewrite, cycle check) and each priority-queue push/shift/requeue. No reference runs here
 * (RabbitMQ does the same work inside its queue processes); it prints operations per second, to
 * compare runs before and after a change.
 */
import type { BasicProperties } from '../src/amqp/protocol/content.js';
import { deadLetterMessage, isDeadLetterCycle, type RoutedMessage } from '../src/amqp/semantics/dead-letter.js';
import { messageDeadline, parseExpiration } from '../src/amqp/semantics/expiration.js';
import { decidePublish } from '../src/amqp/semantics/overflow.js';
import { PriorityReadyQueue } from '../src/amqp/semantics/priority.js';
import { validateQueueArguments } from '../src/amqp/semantics/queue-arguments.js';
import { compileHeadersBinding, headersMatch, sortHeaders } from '../src/amqp/semantics/routing.js';
import { TopicTrie } from '../src/amqp/semantics/topic-trie.js';

function opsPerSecond(seconds: number, op: (i: number) => unknown): number {
  let count = 0;
  const t0 = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  let sink: unknown;
  while (process.hrtime.bigint() - t0 < limit) {
    for (let i = 0; i < 64; i++) sink = op(count++);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return count / (Number(process.hrtime.bigint() - t0) / 1e9);
}

const S = (text: string) => ({ type: 'S' as const, value: Buffer.from(text) });
const properties: BasicProperties = {
  contentType: 'application/json', deliveryMode: 2, expiration: '60000',
  headers: [['trace-id', S('abc123')], ['CC', { type: 'A', value: [S('audit')] }], ['retries', { type: 'I', value: 0 }]],
};
const message: RoutedMessage = { properties, exchange: 'orders', routingKeys: ['orders.eu', 'audit'] };
const onceDead = deadLetterMessage(message, { reason: 'rejected', queue: 'q1', deadLetterExchange: 'dlx', nowMs: Date.now() });

interface Msg { seq: number; priority: number; size: number }
const pq = new PriorityReadyQueue<Msg>({ maxPriority: 10, priorityOf: (m) => m.priority, sizeOf: (m) => m.size, seqOf: (m) => m.seq });

const topic = new TopicTrie<number>();
topic.add('orders.*.#.created', 1);
const headersBinding = compileHeadersBinding([['x-match', S('all')], ['format', S('pdf')], ['type', S('report')]]);
const messageHeaders: BasicProperties['headers'] = [['type', S('report')], ['format', S('pdf')], ['trace-id', S('abc')]];

const rows: [string, number][] = [
  ['topic match (trie, 5-word key, # in pattern)', opsPerSecond(1, () => topic.match('orders.eu.de.berlin.created', new Set()))],
  ['headers match (sort 3 headers + x-match all)', opsPerSecond(1, () => headersMatch(headersBinding, sortHeaders(messageHeaders)))],
  ['parseExpiration("60000")', opsPerSecond(1, () => parseExpiration('60000'))],
  ['messageDeadline', opsPerSecond(1, (i) => messageDeadline(i, 30000, 60000))],
  ['decidePublish (reject-publish, below limit)', opsPerSecond(1, (i) => decidePublish({ readyCount: i % 1000, readyBytes: i }, { maxLength: 10_000, overflow: 'reject-publish' }, 1024, true))],
  ['deadLetterMessage (first death)', opsPerSecond(1, (i) => deadLetterMessage(message, { reason: 'expired', queue: 'q1', deadLetterExchange: 'dlx', nowMs: i }))],
  ['deadLetterMessage (second death, same queue)', opsPerSecond(1, (i) => deadLetterMessage(onceDead, { reason: 'rejected', queue: 'q1', deadLetterExchange: 'dlx', nowMs: i }))],
  ['isDeadLetterCycle', opsPerSecond(1, () => isDeadLetterCycle('expired', onceDead.properties, 'q1'))],
  ['PriorityReadyQueue push + shift (10 levels)', opsPerSecond(1, (i) => { pq.push({ seq: i, priority: i % 11, size: 1 }); return pq.shift(); })],
  ['PriorityReadyQueue shift + requeue', opsPerSecond(1, () => { const m = pq.shift(); if (m) pq.requeue(m); return m; })],
  ['validateQueueArguments (4 args, per declare)', opsPerSecond(1, () => validateQueueArguments('q', '/', [
    ['x-message-ttl', { type: 'I', value: 60000 }], ['x-max-length', { type: 'I', value: 1000 }],
    ['x-dead-letter-exchange', S('dlx')], ['x-overflow', S('reject-publish')]]))],
];
for (let i = 0; i < 1000; i++) pq.push({ seq: 1e9 + i, priority: i % 11, size: 1 });

console.log('| operation | ops/s |');
console.log('|---|---:|');
for (const [name, ops] of rows) console.log(`| ${name} | ${Math.round(ops).toLocaleString('en-US')} |`);
