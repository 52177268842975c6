import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countExpiredAtHead, discardsUndeliverable, isExpired, messageDeadline, parseExpiration, queueExpiryDeadline } from '../../../src/amqp/semantics/expiration.js';

const refusal = (expiration: string) => {
  const result = parseExpiration(expiration);
  return result.ok ? null : result.error;
};

test('parseExpiration: decimal milliseconds, or RabbitMQ 3.10.8 refusal texts', () => {
  assert.deepEqual(parseExpiration(undefined), { ok: true, value: undefined });
  assert.deepEqual(parseExpiration('60000'), { ok: true, value: 60000 });
  assert.deepEqual(parseExpiration('+5'), { ok: true, value: 5 });
  assert.deepEqual(parseExpiration('007'), { ok: true, value: 7 });
  assert.deepEqual(refusal('abc'), { code: 406, text: "PRECONDITION_FAILED - invalid expiration 'abc': no_integer" });
  assert.equal(refusal('-5')?.text, "PRECONDITION_FAILED - invalid expiration '-5': {value_negative,-5}");
  assert.equal(refusal('12abc')?.text, `PRECONDITION_FAILED - invalid expiration '12abc': {leftover_string,"abc"}`);
  assert.equal(refusal(' 5')?.text, "PRECONDITION_FAILED - invalid expiration ' 5': no_integer");
  assert.equal(refusal('')?.text, "PRECONDITION_FAILED - invalid expiration '': no_integer");
  assert.equal(refusal('315360000001')?.text, "PRECONDITION_FAILED - invalid expiration '315360000001': {value_too_large,315360000001}");
});

test('the deadline is the lower of queue TTL and message TTL, fixed at enqueue', () => {
  assert.equal(messageDeadline(1000, undefined, undefined), undefined);
  assert.equal(messageDeadline(1000, 500, undefined), 1500);
  assert.equal(messageDeadline(1000, undefined, 200), 1200);
  assert.equal(messageDeadline(1000, 500, 200), 1200);
  assert.equal(messageDeadline(1000, 100, 200), 1100);
  assert.equal(messageDeadline(1000, 0, 200), 1000);
});

test('expiry: now >= deadline, only at the head', () => {
  assert.equal(isExpired(undefined, 1e15), false);
  assert.equal(isExpired(100, 99), false);
  assert.equal(isExpired(100, 100), true);
  // An expired message behind a live one stays until it reaches the head.
  assert.equal(countExpiredAtHead([10, 20, 500, 30], 100), 2);
  assert.equal(countExpiredAtHead([500, 10], 100), 0);
  assert.equal(countExpiredAtHead([undefined, 10], 100), 0);
  assert.equal(countExpiredAtHead([], 100), 0);
});

test('TTL 0 without DLX discards what cannot be delivered at once', () => {
  assert.equal(discardsUndeliverable({ messageTtl: 0 }), true);
  assert.equal(discardsUndeliverable({ messageTtl: 0, deadLetterExchange: 'dlx' }), false);
  assert.equal(discardsUndeliverable({ messageTtl: 1 }), false);
  assert.equal(discardsUndeliverable({}), false);
});

test('x-expires counts from the last use, and not while consumers are attached', () => {
  assert.equal(queueExpiryDeadline(1000, 60000, 0), 61000);
  assert.equal(queueExpiryDeadline(1000, 60000, 1), undefined);
  assert.equal(queueExpiryDeadline(1000, undefined, 0), undefined);
});
