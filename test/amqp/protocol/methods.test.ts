import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AmqpCodecError } from '../../../src/amqp/protocol/errors.js';
import { decodeMethodPayload, encodeMethodPayload, methodByName, methodSpec, replySpec } from '../../../src/amqp/protocol/methods.js';
import { METHOD_SPECS } from '../../../src/amqp/protocol/spec-table.js';
import { sampleArgs } from './sample-args.js';

test('every method of the spec round-trips with sample values, byte for byte', () => {
  for (const spec of METHOD_SPECS) {
    for (const seed of [0, 1]) {
      const args = sampleArgs(spec, seed);
      const bytes = encodeMethodPayload(spec, args);
      const decoded = decodeMethodPayload(bytes);
      assert.equal(decoded.spec, spec, `${spec.className}.${spec.name}`);
      assert.deepEqual(decoded.args, args, `${spec.className}.${spec.name}`);
      assert.deepEqual(encodeMethodPayload(decoded.spec, decoded.args), bytes);
    }
  }
});

test('the table has every class the brief names, with the spec ids', () => {
  const classes = new Map<string, number>();
  for (const m of METHOD_SPECS) classes.set(m.className, m.classId);
  assert.deepEqual(Object.fromEntries(classes), {
    connection: 10, channel: 20, access: 30, exchange: 40, queue: 50, basic: 60, tx: 90, confirm: 85,
  });
  assert.equal(METHOD_SPECS.length, 66);
  // Spec oddities the table must carry: exchange.unbind-ok is 51; queue.unbind has no nowait bit.
  assert.equal(replySpec(methodByName('exchange.unbind'))?.name, 'unbind-ok');
  assert.equal(methodByName('exchange.unbind').reply, 51);
  assert.ok(!methodByName('queue.unbind').args.some(([n]) => n === 'nowait'));
  assert.equal(replySpec(methodByName('basic.get'))?.name, 'get-ok');
  assert.equal(replySpec(methodByName('basic.publish')), undefined);
  assert.deepEqual(METHOD_SPECS.filter((m) => m.content).map((m) => m.name), ['publish', 'return', 'deliver', 'get-ok']);
  for (const m of METHOD_SPECS) {
    if (m.reply !== null) assert.ok(methodSpec(m.classId, m.reply), `${m.className}.${m.name} reply exists`);
  }
});

test('queue.declare decodes from bytes written by hand: bits packed LSB first after the name', () => {
  const bytes = Buffer.from([
    0, 50, 0, 10, // queue.declare
    0, 0, // ticket
    2, 0x71, 0x31, // "q1"
    0b00010110, // durable(2) | exclusive(4) | nowait(16)
    0, 0, 0, 0, // arguments {}
  ]);
  const { spec, args } = decodeMethodPayload(bytes);
  assert.equal(`${spec.className}.${spec.name}`, 'queue.declare');
  assert.deepEqual(args, { ticket: 0, queue: 'q1', passive: false, durable: true, exclusive: true, autoDelete: false, nowait: true, arguments: [] });
  assert.deepEqual(encodeMethodPayload('queue.declare', args), bytes);
});

test('basic.consume and basic.publish bits, connection.tune from RabbitMQ defaults', () => {
  const consume = encodeMethodPayload('basic.consume', { queue: 'q', noAck: true, nowait: true });
  assert.deepEqual(consume, Buffer.from([0, 60, 0, 20, 0, 0, 1, 0x71, 0, 0b1010, 0, 0, 0, 0]));
  const publish = encodeMethodPayload('basic.publish', { exchange: '', routingKey: 'k', mandatory: true });
  assert.deepEqual(publish, Buffer.from([0, 60, 0, 40, 0, 0, 0, 1, 0x6b, 1]));
  const tune = decodeMethodPayload(Buffer.from([0, 10, 0, 30, 0x07, 0xff, 0, 2, 0, 0, 0, 60]));
  assert.deepEqual(tune.args, { channelMax: 2047, frameMax: 131072, heartbeat: 60 });
  // Methods without arguments are just the two ids.
  assert.deepEqual(encodeMethodPayload('tx.select'), Buffer.from([0, 90, 0, 10]));
  // A bit after a non-bit argument starts a new octet (basic.deliver: redelivered after delivery-tag).
  const deliver = encodeMethodPayload('basic.deliver', { consumerTag: 'c', deliveryTag: 7n, redelivered: true, exchange: 'e', routingKey: 'r' });
  assert.deepEqual(deliver, Buffer.from([0, 60, 0, 60, 1, 0x63, 0, 0, 0, 0, 0, 0, 0, 7, 1, 1, 0x65, 1, 0x72]));
});

test('unknown methods are COMMAND_INVALID, truncated or padded payloads FRAME_ERROR', () => {
  assert.throws(() => decodeMethodPayload(Buffer.from([0, 60, 0, 99])),
    (e: unknown) => e instanceof AmqpCodecError && e.replyCode === 503 && e.classId === 60 && e.methodId === 99);
  assert.throws(() => decodeMethodPayload(Buffer.from([0, 10, 0, 30, 0, 1])),
    (e: unknown) => e instanceof AmqpCodecError && e.replyCode === 501 && /^FRAME_ERROR - /.test(e.replyText));
  assert.throws(() => decodeMethodPayload(Buffer.from([0, 90, 0, 10, 0])),
    (e: unknown) => e instanceof AmqpCodecError && e.replyCode === 501);
  assert.throws(() => decodeMethodPayload(Buffer.from([0])), AmqpCodecError);
});
