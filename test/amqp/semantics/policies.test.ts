import assert from 'node:assert/strict';
import { test } from 'node:test';
import { effectiveAlternateExchange, effectiveQueueSettings, matchPolicy, type Policy, validatePolicy } from '../../../src/amqp/semantics/policies.js';

const policy = (name: string, pattern: string, priority: number, definition: Record<string, unknown>, applyTo: Policy['applyTo'] = 'all'): Policy =>
  ({ name, pattern, priority, definition, applyTo });

test('matchPolicy: apply-to, unanchored pattern, highest priority, first on a tie', () => {
  const policies = [
    policy('low', '^orders', 0, { 'max-length': 1 }),
    policy('high', 'ord', 5, { 'max-length': 2 }, 'queues'),
    policy('ex', '.*', 9, { 'alternate-exchange': 'ae' }, 'exchanges'),
    policy('tie', 'ord', 5, { 'max-length': 3 }),
  ];
  assert.equal(matchPolicy(policies, 'queue', 'orders.eu')?.name, 'high');
  assert.equal(matchPolicy(policies, 'queue', 'myorders')?.name, 'high');
  assert.equal(matchPolicy(policies, 'exchange', 'orders')?.name, 'ex');
  assert.equal(matchPolicy(policies, 'queue', 'payments'), undefined);
  assert.equal(matchPolicy([policy('bad', '(', 1, {})], 'queue', '('), undefined);
});

test('a policy with a quorum/stream-only key does not apply to classic queues', () => {
  const policies = [policy('qq', '.*', 10, { 'delivery-limit': 5 }), policy('cq', '.*', 1, { 'max-length': 5 })];
  assert.equal(matchPolicy(policies, 'queue', 'q')?.name, 'cq');
  assert.equal(matchPolicy(policies, 'exchange', 'x')?.name, 'qq');
});

test('effective settings: the lower of argument and policy for TTLs and limits, the argument for the rest', () => {
  const p = policy('p', '.*', 0, {
    'message-ttl': 1000, expires: 90000, 'max-length': 10, 'max-length-bytes': 100, 'dead-letter-exchange': 'pol-dlx',
    'dead-letter-routing-key': 'pol-rk', overflow: 'reject-publish', 'queue-mode': 'lazy',
  });
  assert.deepEqual(effectiveQueueSettings({ messageTtl: 5000, maxLength: 3, deadLetterExchange: 'arg-dlx', overflow: 'drop-head', singleActiveConsumer: false, maxPriority: 4 }, p), {
    messageTtl: 1000, expires: 90000, maxLength: 3, maxLengthBytes: 100, deadLetterExchange: 'arg-dlx', deadLetterRoutingKey: 'pol-rk',
    overflow: 'drop-head', queueMode: 'lazy', queueVersion: undefined, singleActiveConsumer: false, maxPriority: 4,
  });
  assert.deepEqual(effectiveQueueSettings({ singleActiveConsumer: true, messageTtl: 7 }, undefined),
    { singleActiveConsumer: true, messageTtl: 7, expires: undefined, maxLength: undefined, maxLengthBytes: undefined,
      deadLetterExchange: undefined, deadLetterRoutingKey: undefined, overflow: undefined, queueMode: undefined, queueVersion: undefined });
  assert.equal(effectiveAlternateExchange(undefined, policy('p', '.*', 0, { 'alternate-exchange': 'ae' })), 'ae');
  assert.equal(effectiveAlternateExchange('arg', policy('p', '.*', 0, { 'alternate-exchange': 'ae' })), 'arg');
});

test('validatePolicy: RabbitMQ reasons, HTML-escaped as the management API sends them', () => {
  assert.equal(validatePolicy({ pattern: '.*', definition: { 'max-length': 5 } }), null);
  assert.equal(validatePolicy({ pattern: '.*', definition: { 'message-ttl': 'abc' } }),
    'Validation failed\n\n&lt;&lt;"abc"&gt;&gt; is not a valid message TTL\n');
  assert.equal(validatePolicy({ pattern: '.*', definition: { 'max-priority': 10 } }),
    'Validation failed\n\n[{&lt;&lt;"max-priority"&gt;&gt;,10}] are not recognised policy settings\n');
  assert.equal(validatePolicy({ pattern: '.*', definition: { expires: 0, 'message-ttl': -1 } }), 'Validation failed\n\n0 is not a valid queue expiry\n');
  assert.equal(validatePolicy({ pattern: '.*', definition: {} }), 'Validation failed\n\nno policy provided\n');
  assert.equal(validatePolicy({ definition: {} }), '[{key_missing,pattern}]');
  assert.equal(validatePolicy({ pattern: 5, definition: { 'max-length': 1 }, priority: 'x', 'apply-to': 'nope' }),
    "Validation failed\n\napply-to 'nope' unrecognised; should be 'queues', 'exchanges' or 'all'\npattern should be a binary but was 5\npriority should be a number, actually was &lt;&lt;\"x\"&gt;&gt;\n");
  assert.match(validatePolicy({ pattern: '(', definition: { 'max-length': 1 } })!, /pattern should be regular expression but is invalid/);
});
