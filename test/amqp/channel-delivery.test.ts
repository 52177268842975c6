// encodeDelivery and encodeDeliveryInto (src/amqp/channel/delivery.ts), basic.deliver with its arguments written in place,
// against the general path (deliverPayload + encodeContent) and against the frames decoded back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AmqpMessage } from '../../src/amqp/broker/message.js';
import { contentSize, deliverArgsLength, deliverPayload, encodeContent, encodeDelivery, encodeDeliveryInto } from '../../src/amqp/channel/delivery.js';
import { encodeContentHeader } from '../../src/amqp/protocol/content.js';
import { decodeMethodPayload } from '../../src/amqp/protocol/methods.js';

function message(exchange: string, routingKey: string, body: Buffer): AmqpMessage {
  const properties = { contentType: 'text/plain', deliveryMode: 2 };
  return { exchange, routingKey, properties, body, header: encodeContentHeader({ classId: 60, weight: 0, bodySize: BigInt(body.length), properties }) };
}

const cases: [string, AmqpMessage, number][] = [
  ['1 KB body, default exchange', message('', 'race-t', Buffer.alloc(1024, 7)), 131072],
  ['empty body', message('amq.direct', 'k', Buffer.alloc(0)), 131072],
  ['UTF-8 exchange and key, body cut by frame_max', message('échange', 'clé.ñ.日本', Buffer.from('x'.repeat(10_000))), 4096],
  ['frame_max 0 (no limit)', message('ex', 'rk', Buffer.alloc(300_000, 1)), 0],
];

for (const [name, m, frameMax] of cases) {
  test(`encodeDelivery equals deliverPayload + encodeContent: ${name}`, () => {
    const tag = Buffer.from('amq.ctag-Zqk1wN0Kx', 'utf8');
    for (const [deliveryTag, redelivered] of [[1, false], [2 ** 40 + 5, true]] as const) {
      const fast = encodeDelivery(9, tag, deliveryTag, redelivered, m, frameMax);
      const general = encodeContent(9, deliverPayload(tag, deliveryTag, redelivered, m.exchange, m.routingKey), m, frameMax);
      assert.ok(fast.equals(general), `${deliveryTag}/${redelivered}`);
      // Built in place in a shared buffer (the connection's output), between other bytes.
      const argsLength = deliverArgsLength(tag, m);
      const size = contentSize(argsLength, m, frameMax);
      const shared = Buffer.alloc(size + 10, 0xab);
      encodeDeliveryInto(shared, 5, argsLength, 9, tag, deliveryTag, redelivered, m, frameMax);
      assert.ok(shared.subarray(5, 5 + size).equals(general), `in place: ${deliveryTag}/${redelivered}`);
      assert.ok(shared.subarray(0, 5).every((b) => b === 0xab) && shared.subarray(5 + size).every((b) => b === 0xab), 'nothing written outside');
    }
  });
}

test('encodeDelivery: the method frame decodes to basic.deliver with every argument', () => {
  const m = message('échange', 'clé', Buffer.from('hello'));
  const out = encodeDelivery(3, Buffer.from('ctag'), 2 ** 33 + 1, true, m, 131072);
  assert.equal(out[0], 1);
  assert.equal(out.readUInt16BE(1), 3);
  const size = out.readUInt32BE(3);
  assert.equal(out[7 + size], 0xce);
  const method = decodeMethodPayload(out.subarray(7, 7 + size));
  assert.equal(`${method.spec.className}.${method.spec.name}`, 'basic.deliver');
  assert.deepEqual({ ...method.args }, { consumerTag: 'ctag', deliveryTag: BigInt(2 ** 33 + 1), redelivered: true, exchange: 'échange', routingKey: 'clé' });
});
