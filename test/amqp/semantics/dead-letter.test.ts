import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldTable, FieldValue } from '../../../src/amqp/protocol/field-table.js';
import { deadLetterMessage, isDeadLetterCycle, type RoutedMessage } from '../../../src/amqp/semantics/dead-letter.js';
import { S, V } from './values.js';

const NOW = 1_700_000_000_123;
const death = (msg: RoutedMessage, queue: string, reason: 'rejected' | 'expired' | 'maxlen' | 'delivery_limit', rk?: string, nowMs = NOW) =>
  deadLetterMessage(msg, { reason, queue, deadLetterExchange: 'dlx', deadLetterRoutingKey: rk, nowMs });
const header = (msg: RoutedMessage, name: string) => msg.properties.headers?.find(([k]) => k === name)?.[1];
function deaths(msg: RoutedMessage): FieldTable[] {
  const value = header(msg, 'x-death');
  assert.equal(value?.type, 'A');
  return value?.type === 'A' ? value.value.map((d) => (d.type === 'F' ? d.value : [])) : [];
}

test('the first death: x-death entry in RabbitMQ field order, x-first-death-*, sorted headers, expiration moved', () => {
  const msg: RoutedMessage = {
    properties: { contentType: 'text/plain', expiration: '60000', headers: [['zeta', S('z')], ['CC', V.A([S('cc1')])], ['BCC', V.A([S('b')])]] },
    exchange: 'orders', routingKeys: ['rk1', 'cc1', 'b'],
  };
  const out = death(msg, 'q1', 'rejected');
  assert.equal(out.exchange, 'dlx');
  assert.deepEqual(out.routingKeys, ['rk1', 'cc1', 'b']);
  assert.equal(out.properties.expiration, undefined);
  assert.equal(out.properties.contentType, 'text/plain');
  assert.deepEqual(out.properties.headers!.map(([k]) => k),
    ['BCC', 'CC', 'x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason', 'zeta']);
  assert.deepEqual(header(out, 'x-first-death-queue'), S('q1'));
  assert.deepEqual(header(out, 'x-first-death-reason'), S('rejected'));
  assert.deepEqual(header(out, 'x-first-death-exchange'), S('orders'));
  assert.deepEqual(deaths(out), [[
    ['count', V.l(1n)], ['reason', S('rejected')], ['queue', S('q1')], ['time', V.T(1_700_000_000n)], ['exchange', S('orders')],
    ['routing-keys', V.A([S('rk1'), S('cc1'), S('b')])], ['original-expiration', S('60000')],
  ]]);
});

test('headers sort bytewise on UTF-8 names, as Erlang compares binaries', () => {
  const out = death({ properties: { headers: [['\u{1F600}', V.I(1)], ['\uFF5A', V.I(2)], ['\u00E9', V.I(3)], ['a', V.I(4)]] }, exchange: '', routingKeys: ['k'] }, 'q', 'expired');
  // UTF-8 first bytes: a 61, é C3, ｚ EF, 😀 F0 (JS string order would put 😀 before ｚ).
  assert.deepEqual(out.properties.headers!.map(([k]) => k).filter((k) => !k.startsWith('x-')), ['a', '\u00E9', '\uFF5A', '\u{1F600}']);
});

test('a dead-letter routing key replaces the routing keys and removes CC', () => {
  const out = death({ properties: { headers: [['CC', V.A([S('c')])]] }, exchange: '', routingKeys: ['k', 'c'] }, 'q', 'maxlen', 'dl');
  assert.deepEqual(out.routingKeys, ['dl']);
  assert.equal(header(out, 'CC'), undefined);
  assert.deepEqual(deaths(out)[0]!.find(([k]) => k === 'routing-keys')?.[1], V.A([S('k'), S('c')]));
});

test('the same {queue, reason} again counts up and keeps its first fields; x-first-death-* never change', () => {
  const first = death({ properties: {}, exchange: 'e1', routingKeys: ['k1'] }, 'a', 'expired', undefined, NOW);
  const second = death(first, 'b', 'expired', undefined, NOW + 5000);
  const third = death(second, 'a', 'expired', undefined, NOW + 9000);
  const entries = deaths(third);
  assert.equal(entries.length, 2);
  // Updated entries come out sorted by key (rabbit_misc:sort_field_table).
  assert.deepEqual(entries[0], [
    ['count', V.l(2n)], ['exchange', S('e1')], ['queue', S('a')], ['reason', S('expired')],
    ['routing-keys', V.A([S('k1')])], ['time', V.T(1_700_000_000n)],
  ]);
  assert.deepEqual(entries[1]!.find(([k]) => k === 'queue')?.[1], S('b'));
  assert.deepEqual(header(third, 'x-first-death-queue'), S('a'));
  // The second death's exchange is the DLX it came through.
  assert.deepEqual(entries[1]!.find(([k]) => k === 'exchange')?.[1], S('dlx'));
});

test('a different reason in the same queue is a new entry', () => {
  const first = death({ properties: {}, exchange: '', routingKeys: ['q'] }, 'q', 'expired');
  const second = death(first, 'q', 'rejected');
  assert.deepEqual(deaths(second).map((e) => e.find(([k]) => k === 'reason')?.[1]), [S('rejected'), S('expired')]);
});

test('legacy duplicate entries are merged, with the count of duplicates when they lack one', () => {
  const entry = (queue: string): FieldValue => V.F([['queue', S(queue)], ['reason', S('expired')]]);
  const msg: RoutedMessage = { properties: { headers: [['x-death', V.A([entry('a'), entry('a'), entry('b')])]] }, exchange: '', routingKeys: ['k'] };
  const out = death(msg, 'c', 'expired');
  const counts = deaths(out).map((e) => [e.find(([k]) => k === 'queue')?.[1], e.find(([k]) => k === 'count')?.[1]]);
  assert.deepEqual(counts, [[S('c'), V.l(1n)], [S('b'), V.l(1n)], [S('a'), V.l(2n)]]);
});

test('an x-death header of the wrong type is replaced', () => {
  const out = death({ properties: { headers: [['x-death', S('junk')]] }, exchange: '', routingKeys: ['k'] }, 'q', 'rejected');
  assert.equal(deaths(out).length, 1);
  assert.equal(header(out, 'x-first-death-queue'), undefined);
});

test('cycle detection: an automatic loop back into a queue is a cycle, a loop with a rejection is not', () => {
  const once = death({ properties: {}, exchange: '', routingKeys: ['a'] }, 'a', 'expired');
  assert.equal(isDeadLetterCycle('expired', once.properties, 'a'), true);
  assert.equal(isDeadLetterCycle('expired', once.properties, 'b'), false);
  assert.equal(isDeadLetterCycle('rejected', once.properties, 'a'), false);
  const viaReject = death(death({ properties: {}, exchange: '', routingKeys: ['a'] }, 'a', 'rejected'), 'b', 'expired');
  assert.equal(isDeadLetterCycle('expired', viaReject.properties, 'a'), false);
  assert.equal(isDeadLetterCycle('expired', viaReject.properties, 'b'), true);
  assert.equal(isDeadLetterCycle('maxlen', {}, 'a'), false);
});
