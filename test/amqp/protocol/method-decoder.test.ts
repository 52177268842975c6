// The channel's basic.publish decode cache: an identical publish reuses the last decoding, any
// change (exchange, routing key, flags) or any other method is decoded afresh, errors still throw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MethodDecoder } from '../../../src/amqp/protocol/method-decoder.js';
import { AmqpCodecError } from '../../../src/amqp/protocol/errors.js';
import { encodeMethodPayload } from '../../../src/amqp/protocol/methods.js';

test('basic.publish: the same bytes reuse the decoding; a changed routing key or flag is decoded afresh', () => {
  const d = new MethodDecoder();
  const a = encodeMethodPayload('basic.publish', { exchange: 'ex', routingKey: 'k1' });
  const first = d.decode(Buffer.from(a));
  assert.equal(d.decode(Buffer.from(a)), first);
  assert.deepEqual(first.args, { ticket: 0, exchange: 'ex', routingKey: 'k1', mandatory: false, immediate: false });
  const k2 = d.decode(encodeMethodPayload('basic.publish', { exchange: 'ex', routingKey: 'k2' }));
  assert.equal(k2.args.routingKey, 'k2');
  const mandatory = d.decode(encodeMethodPayload('basic.publish', { exchange: 'ex', routingKey: 'k2', mandatory: true }));
  assert.equal(mandatory.args.mandatory, true);
  assert.notEqual(d.decode(encodeMethodPayload('basic.publish', { exchange: 'ex', routingKey: 'k2' })), mandatory);
  // The cached copy is not a view of the caller's buffer: overwriting it changes nothing.
  const reused = Buffer.from(a);
  d.decode(reused);
  reused.fill(0, 6);
  assert.throws(() => d.decode(reused), AmqpCodecError, 'the zeroed bytes are decoded, not matched against a view of themselves');
});

test('other methods and malformed publishes go through the generic decoder', () => {
  const d = new MethodDecoder();
  const qos = encodeMethodPayload('basic.qos', { prefetchCount: 10 });
  assert.notEqual(d.decode(qos), d.decode(qos));
  const trailing = Buffer.concat([encodeMethodPayload('basic.publish', { routingKey: 'k' }), Buffer.from([0])]);
  assert.throws(() => d.decode(trailing), AmqpCodecError);
  assert.throws(() => d.decode(trailing), AmqpCodecError);
});
