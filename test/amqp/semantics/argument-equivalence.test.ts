import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkArgumentsEquivalent, checkExchangeEquivalent, checkQueueFlagsEquivalent } from '../../../src/amqp/semantics/argument-equivalence.js';
import { S, V } from './values.js';

const text = (r: { text: string } | null) => r?.text ?? null;

test('a changed value: both sides as bare values ([LIVE] text)', () => {
  assert.equal(text(checkArgumentsEquivalent('q1', '/', [['x-message-ttl', V.I(60000)]], [['x-message-ttl', V.I(1000)]])),
    "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'q1' in vhost '/': received '1000' but current is '60000'");
});

test('a missing side: none, and the other side with its RabbitMQ type name', () => {
  assert.equal(text(checkArgumentsEquivalent('q', '/', [['x-message-ttl', V.I(5)]], [])),
    "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'q' in vhost '/': received none but current is the value '5' of type 'signedint'");
  assert.equal(text(checkArgumentsEquivalent('q', '/', [], [['x-dead-letter-exchange', S('d')]])),
    "PRECONDITION_FAILED - inequivalent arg 'x-dead-letter-exchange' for queue 'q' in vhost '/': received the value 'd' of type 'longstr' but current is none");
});

test('integers compare by value whatever the tag; int against float does not', () => {
  assert.equal(checkArgumentsEquivalent('q', '/', [['x-max-length', V.b(5)]], [['x-max-length', V.l(5n)]]), null);
  assert.match(text(checkArgumentsEquivalent('q', '/', [['x-max-length', V.I(5)]], [['x-max-length', V.d(5)]]))!, /received '5.0' but current is '5'$/);
});

test('only the classic queue arguments are compared, in their order; x-queue-type classic equals none', () => {
  assert.equal(checkArgumentsEquivalent('q', '/', [['x-custom', V.I(1)]], [['x-custom', V.I(2)]]), null);
  assert.equal(checkArgumentsEquivalent('q', '/', [['x-queue-type', S('classic')]], []), null);
  assert.match(text(checkArgumentsEquivalent('q', '/', [['x-max-length', V.I(1)], ['x-expires', V.I(5)]], []))!, /'x-expires'/);
});

test('durable/auto_delete and exchange type/flags come first', () => {
  assert.equal(text(checkQueueFlagsEquivalent('q', '/', { durable: true, autoDelete: false }, { durable: false, autoDelete: false })),
    "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'q' in vhost '/': received 'false' but current is 'true'");
  const flags = { type: 'direct', durable: true, autoDelete: false, internal: false, args: [] };
  assert.equal(text(checkExchangeEquivalent('amq.direct', '/', flags, { ...flags, type: 'topic' })),
    "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'amq.direct' in vhost '/': received 'topic' but current is 'direct'");
  assert.match(text(checkExchangeEquivalent('x', '/', { ...flags, args: [['alternate-exchange', S('a')]] }, flags))!,
    /inequivalent arg 'alternate-exchange' for exchange 'x' in vhost '\/': received none but current is the value 'a' of type 'longstr'$/);
  assert.equal(checkExchangeEquivalent('x', '/', flags, { ...flags }), null);
});
