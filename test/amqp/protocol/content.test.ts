import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BasicProperties, decodeContentHeader, encodeContentHeader, splitBody } from '../../../src/amqp/protocol/content.js';
import { AmqpCodecError } from '../../../src/amqp/protocol/errors.js';
import { encodeContentFrames, parseFrame } from '../../../src/amqp/protocol/frames.js';
import { FrameSplitter } from '../../helpers/amqp-frames.js';
import { EVERY_TAG_TABLE } from './sample-args.js';

const ALL: BasicProperties = {
  contentType: 'text/plain', contentEncoding: 'gzip', headers: EVERY_TAG_TABLE, deliveryMode: 2, priority: 9,
  correlationId: 'c-1', replyTo: 'amq.rabbitmq.reply-to', expiration: '60000', messageId: 'm-1',
  timestamp: 1700000000n, type: 't', userId: 'guest', appId: 'app', clusterId: 'cl',
};

test('a header with all 14 basic properties round-trips; flags are bit 15 down to bit 2', () => {
  const bytes = encodeContentHeader({ classId: 60, weight: 0, bodySize: 5n, properties: ALL });
  assert.equal(bytes.readUInt16BE(12), 0xfffc);
  assert.deepEqual(decodeContentHeader(bytes), { classId: 60, weight: 0, bodySize: 5n, properties: ALL });
  for (const [name, value] of Object.entries(ALL)) {
    const one = { [name]: value } as BasicProperties;
    const b = encodeContentHeader({ classId: 60, weight: 0, bodySize: 0n, properties: one });
    assert.deepEqual(decodeContentHeader(b).properties, one, name);
  }
});

test('a header decodes from bytes written by hand (delivery-mode 2, content-type)', () => {
  const bytes = Buffer.from([0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0x90, 0, 1, 0x78, 2]);
  assert.deepEqual(decodeContentHeader(bytes), { classId: 60, weight: 0, bodySize: 3n, properties: { contentType: 'x', deliveryMode: 2 } });
  assert.throws(() => decodeContentHeader(bytes.subarray(0, 16)), (e: unknown) => e instanceof AmqpCodecError && e.replyCode === 501);
  assert.throws(() => decodeContentHeader(Buffer.concat([bytes, Buffer.from([0])])), AmqpCodecError);
});

test('bodies are split into frame_max − 8 byte frames; an empty body has none', () => {
  assert.deepEqual(splitBody(Buffer.alloc(20), 18).map((b) => b.length), [10, 10]);
  assert.deepEqual(splitBody(Buffer.alloc(21), 18).map((b) => b.length), [10, 10, 1]);
  assert.deepEqual(splitBody(Buffer.alloc(0), 4096), []);
  assert.deepEqual(splitBody(Buffer.alloc(9), 0).map((b) => b.length), [9]);
  const frames = encodeContentFrames(1, 'basic.deliver', { consumerTag: 'c', deliveryTag: 1n }, {}, Buffer.alloc(10000, 1), 4096);
  assert.deepEqual(frames.map((f) => f.length), [frames[0]!.length, frames[1]!.length, 4096, 4096, 10000 - 2 * 4088 + 8]);
  const d = new FrameSplitter(4096);
  const parsed = d.push(Buffer.concat(frames)).map(parseFrame);
  assert.deepEqual(parsed.map((f) => f.kind), ['method', 'header', 'body', 'body', 'body']);
  const header = parsed[1]!;
  assert.ok(header.kind === 'header' && header.header.bodySize === 10000n);
});
