import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfirmTracker } from '../../../src/amqp/channel/confirm-tracker.js';

const ack = (deliveryTag: number, multiple: boolean) => ({ method: 'basic.ack', deliveryTag, multiple });
const nack = (deliveryTag: number) => ({ method: 'basic.nack', deliveryTag, multiple: false });

test('settled-at-once confirms go out as one multiple ack', () => {
  const t = new ConfirmTracker();
  for (let seq = 1; seq <= 5; seq++) t.publish(seq, false);
  assert.deepEqual(t.flush(), [ack(5, true)]);
  t.publish(6, false);
  assert.deepEqual(t.flush(), [ack(6, false)]);
  assert.equal(t.pending, false);
});

test('a multiple ack never covers a seq still waiting for its write; later ones are acked singly', () => {
  const t = new ConfirmTracker();
  t.publish(1, false);
  t.publish(2, true);
  t.publish(3, false);
  t.publish(4, false);
  assert.deepEqual(t.flush(), [ack(1, false), ack(3, false), ack(4, false)]);
  t.settle(2, true);
  // 1 was answered already, 3 and 4 singly: 2 alone.
  assert.deepEqual(t.flush(), [ack(2, false)]);
  t.publish(5, true);
  t.publish(6, false);
  t.publish(7, false);
  assert.deepEqual(t.flush(), [ack(6, false), ack(7, false)]);
  t.settle(5, true);
  // 6 and 7 were acked singly: 5 alone, and everything up to 7 is answered.
  assert.deepEqual(t.flush(), [ack(5, false)]);
  t.publish(8, true);
  t.publish(9, true);
  t.settle(9, true);
  assert.deepEqual(t.flush(), [ack(9, false)]);
  t.settle(8, true);
  assert.deepEqual(t.flush(), [ack(8, false)]);
});

test('a failed write is nacked singly and no later multiple ack reaches over it', () => {
  const t = new ConfirmTracker();
  t.publish(1, true);
  t.publish(2, true);
  t.publish(3, true);
  t.settle(1, false);
  t.settle(2, true);
  t.settle(3, true);
  assert.deepEqual(t.flush(), [nack(1), ack(2, false), ack(3, false)]);
  t.publish(4, true);
  t.publish(5, true);
  t.settle(2, true); // settled twice: ignored
  t.settle(4, true);
  t.settle(5, true);
  assert.deepEqual(t.flush(), [ack(5, true)]);
});

test('a nack above the answered prefix keeps the following acks single until the prefix passes it', () => {
  const t = new ConfirmTracker();
  t.publish(1, true);
  t.publish(2, true);
  t.publish(3, true);
  t.settle(2, false);
  assert.deepEqual(t.flush(), [nack(2)]);
  t.settle(1, true);
  t.settle(3, true);
  assert.deepEqual(t.flush(), [ack(1, false), ack(3, false)]);
});

test('settling a seq answered already changes nothing and says so (a message consumed before its write returned)', () => {
  const t = new ConfirmTracker();
  t.publish(1, true);
  t.publish(2, true);
  assert.equal(t.settle(2, true), true);
  assert.deepEqual(t.flush(), [ack(2, false)]);
  assert.equal(t.settle(2, true), false, 'its write returning later');
  assert.equal(t.settle(2, false), false, 'or failing later');
  assert.equal(t.pending, false);
  assert.equal(t.settle(1, true), true);
  assert.deepEqual(t.flush(), [ack(1, false)]);
});
