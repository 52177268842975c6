import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldTable } from '../../../src/amqp/protocol/field-table.js';
import { alternateExchangeArgument, validateExchangeArguments, validateQueueArguments } from '../../../src/amqp/semantics/queue-arguments.js';
import { S, V } from './values.js';

const errorText = (args: FieldTable, queue = 'q') => {
  const result = validateQueueArguments(queue, '/', args);
  assert.equal(result.ok, false, 'expected a refusal');
  return result.ok ? '' : `${result.error.code} ${result.error.text}`;
};

test('numeric arguments: RabbitMQ 3.10.8 texts for negative, mistyped, zero and too large values', () => {
  assert.equal(errorText([['x-max-length', V.I(-1)]]), "406 PRECONDITION_FAILED - invalid arg 'x-max-length' for queue 'q' in vhost '/': {value_negative,-1}");
  // [LIVE] capture in research amqp.md §4
  assert.equal(errorText([['x-message-ttl', S('1000')]], 'q-bad2'),
    "406 PRECONDITION_FAILED - invalid arg 'x-message-ttl' for queue 'q-bad2' in vhost '/': \"expected integer, got longstr\"");
  assert.equal(errorText([['x-max-priority', V.s(300)]]), "406 PRECONDITION_FAILED - invalid arg 'x-max-priority' for queue 'q' in vhost '/': {max_value_exceeded,300}");
  assert.match(errorText([['x-expires', V.b(0)]]), /: \{value_zero,0\}$/);
  assert.match(errorText([['x-message-ttl', V.l(315360000001n)]]), /: \{value_too_large,315360000001\}$/);
  assert.match(errorText([['x-max-length-bytes', V.d(1.5)]]), /: "expected integer, got double"$/);
  assert.match(errorText([['x-max-length', V.D(1, 5)]]), /: "expected integer, got decimal"$/);
});

test('string and boolean arguments', () => {
  assert.match(errorText([['x-overflow', S('drop-tail')]]), /'x-overflow' .*: invalid_overflow$/);
  assert.match(errorText([['x-overflow', V.I(1)]]), /: \{unacceptable_type,signedint\}$/);
  assert.match(errorText([['x-queue-mode', S('fast')]]), /: "unsupported queue mode 'fast'"$/);
  assert.match(errorText([['x-single-active-consumer', V.I(1)]]), /: \{unacceptable_type,signedint\}$/);
  assert.match(errorText([['x-dead-letter-routing-key', S('k')]]), /: routing_key_but_no_dlx_defined$/);
  assert.equal(errorText([['x-dead-letter-exchange', V.t(true)]]),
    "406 PRECONDITION_FAILED - invalid type 'bool' for arg 'x-dead-letter-exchange' in queue 'q' in vhost '/'");
});

test('quorum and stream queues are refused with a channel error, never declared as classic', () => {
  for (const type of ['quorum', 'stream']) {
    assert.equal(errorText([['x-queue-type', S(type)]]),
      `406 PRECONDITION_FAILED - invalid arg 'x-queue-type' for queue 'q' in vhost '/': "unsupported queue type '${type}'"`);
  }
  assert.equal(errorText([['x-delivery-limit', V.I(3)]]),
    "406 PRECONDITION_FAILED - invalid arg 'x-delivery-limit' for queue 'q' in vhost '/' of queue type rabbit_classic_queue");
});

test('the first failing check is reported, in RabbitMQ order (DLX type, queue type, then declare_args order)', () => {
  assert.match(errorText([['x-max-length', V.I(-1)], ['x-expires', V.I(-1)]]), /'x-expires'/);
  assert.match(errorText([['x-max-length', V.I(-1)], ['x-queue-type', S('foo')]]), /'x-queue-type'/);
  assert.match(errorText([['x-queue-type', S('foo')], ['x-dead-letter-exchange', V.I(1)]]), /invalid type 'signedint'/);
});

test('accepted arguments give typed settings, from any integer tag; unknown x- arguments are ignored', () => {
  const result = validateQueueArguments('q', '/', [
    ['x-message-ttl', V.b(100)], ['x-expires', V.u(60000)], ['x-max-length', V.L(10n)], ['x-max-length-bytes', V.i(4096)],
    ['x-overflow', S('reject-publish')], ['x-dead-letter-exchange', S('dlx')], ['x-dead-letter-routing-key', S('rk')],
    ['x-max-priority', V.B(10)], ['x-single-active-consumer', V.t(true)], ['x-queue-mode', S('lazy')],
    ['x-queue-version', V.I(2)], ['x-queue-type', S('classic')], ['x-queue-master-locator', S('min-masters')], ['x-whatever', V.V()],
  ]);
  assert.deepEqual(result, { ok: true, value: {
    messageTtl: 100, expires: 60000, maxLength: 10, maxLengthBytes: 4096, overflow: 'reject-publish',
    deadLetterExchange: 'dlx', deadLetterRoutingKey: 'rk', maxPriority: 10, singleActiveConsumer: true,
    queueMode: 'lazy', queueVersion: 2, queueMasterLocator: 'min-masters',
  } });
  const empty = validateQueueArguments('q', '/', []);
  assert.deepEqual(empty.ok && empty.value.singleActiveConsumer, false);
});

test('exchange arguments: alternate-exchange must be a longstr', () => {
  assert.equal(validateExchangeArguments('x', '/', [['alternate-exchange', S('ae')]]), null);
  assert.deepEqual(validateExchangeArguments('x', 'v', [['alternate-exchange', V.I(5)]]),
    { code: 406, text: "PRECONDITION_FAILED - invalid type 'signedint' for arg 'alternate-exchange' in exchange 'x' in vhost 'v'" });
  assert.equal(alternateExchangeArgument([['alternate-exchange', S('ae')]]), 'ae');
  assert.equal(alternateExchangeArgument([]), undefined);
});
