import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AmqpCodecError, AmqpProtocolHeaderError } from '../../../src/amqp/protocol/errors.js';
import { HEARTBEAT_FRAME, PROTOCOL_HEADER, type RawFrame, encodeContentFrames, encodeFrame, encodeMethodFrame, parseFrame } from '../../../src/amqp/protocol/frames.js';
import { AmqpStreamDecoder } from '../../../src/amqp/protocol/stream-decoder.js';

const stream = Buffer.concat([
  PROTOCOL_HEADER,
  encodeMethodFrame(0, 'connection.tune-ok', { channelMax: 2047, frameMax: 131072, heartbeat: 60 }),
  encodeMethodFrame(0, 'connection.open', { virtualHost: '/' }),
  HEARTBEAT_FRAME,
  ...encodeContentFrames(1, 'basic.publish', { routingKey: 'q' }, { deliveryMode: 2 }, Buffer.alloc(300, 7), 128),
]);

const kinds = (frames: RawFrame[]) => frames.map((f) => parseFrame(f).kind).join(',');
const EXPECTED = 'method,method,heartbeat,method,header,body,body,body';

test('one chunk with many frames, and every split point into two chunks', () => {
  assert.equal(kinds(new AmqpStreamDecoder({ frameMax: 0 }).push(stream)), EXPECTED);
  for (let cut = 0; cut <= stream.length; cut++) {
    const d = new AmqpStreamDecoder({ frameMax: 0 });
    const frames = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
    assert.equal(kinds(frames), EXPECTED, `cut at ${cut}`);
    assert.equal(d.buffered, 0);
  }
});

test('byte by byte', () => {
  const d = new AmqpStreamDecoder({ frameMax: 0 });
  const frames: RawFrame[] = [];
  for (let i = 0; i < stream.length; i++) frames.push(...d.push(stream.subarray(i, i + 1)));
  assert.equal(kinds(frames), EXPECTED);
  assert.deepEqual(Buffer.concat(frames.filter((f) => f.type === 3).map((f) => f.payload)), Buffer.alloc(300, 7));
});

test('a wrong protocol header is refused with our header as the answer, as soon as it is wrong', () => {
  for (const wrong of [Buffer.from('GET / HTTP/1.1\r\n'), Buffer.from('AMQP\x00\x00\x08\x00'), Buffer.from([0x16, 3, 1])]) {
    const d = new AmqpStreamDecoder();
    assert.throws(() => d.push(wrong), (e: unknown) => e instanceof AmqpProtocolHeaderError && e.reply.equals(PROTOCOL_HEADER));
    assert.throws(() => d.push(HEARTBEAT_FRAME), AmqpProtocolHeaderError, 'a failed decoder stays failed');
  }
  const partial = new AmqpStreamDecoder();
  assert.deepEqual(partial.push(Buffer.from('AMQ')), []);
  // RabbitMQ's own 0-9 header "AMQP" 1 1 0 9 is accepted as 0-9-1.
  assert.equal(kinds(new AmqpStreamDecoder().push(Buffer.concat([Buffer.from([0x41, 0x4d, 0x51, 0x50, 1, 1, 0, 9]), HEARTBEAT_FRAME]))), 'heartbeat');
});

test('a wrong frame-end octet is FRAME_ERROR 501', () => {
  const bad = Buffer.from(HEARTBEAT_FRAME); bad[7] = 0xcd;
  const d = new AmqpStreamDecoder({ expectProtocolHeader: false });
  assert.throws(() => d.push(bad), (e: unknown) => e instanceof AmqpCodecError && e.replyCode === 501 && e.replyText.startsWith('FRAME_ERROR - '));
});

test('frame_max: 4096 before tune, the negotiated value after, with RabbitMQ\'s 8-byte fudge', () => {
  const frameOf = (size: number) => Buffer.concat([Buffer.from([3, 0, 1, 0, 0, size >> 8, size & 255]), Buffer.alloc(size), Buffer.from([0xce])]);
  const d = new AmqpStreamDecoder({ expectProtocolHeader: false });
  assert.equal(d.push(frameOf(4096 - 8 + 8)).length, 1); // limit + fudge still accepted
  assert.throws(() => d.push(frameOf(4097)), (e: unknown) => e instanceof AmqpCodecError && e.replyCode === 501 && /frame_too_large/.test(e.message));
  const tuned = new AmqpStreamDecoder({ expectProtocolHeader: false });
  tuned.setFrameMax(8192);
  assert.equal(tuned.push(frameOf(8000)).length, 1);
  // The size is checked from the 7-byte header alone: nothing more needs to arrive.
  assert.throws(() => tuned.push(Buffer.from([3, 0, 1, 0, 0, 0x30, 0])), AmqpCodecError);
});

test('heartbeats: on channel 0 only, with no payload', () => {
  assert.equal(parseFrame({ type: 8, channel: 0, payload: Buffer.alloc(0) }).kind, 'heartbeat');
  assert.throws(() => parseFrame({ type: 8, channel: 3, payload: Buffer.alloc(0) }), (e: unknown) => e instanceof AmqpCodecError && e.replyCode === 505);
  assert.throws(() => parseFrame({ type: 8, channel: 0, payload: Buffer.alloc(1) }), (e: unknown) => e instanceof AmqpCodecError && e.replyCode === 501);
  assert.throws(() => parseFrame({ type: 4, channel: 0, payload: Buffer.alloc(0) }), (e: unknown) => e instanceof AmqpCodecError && e.replyCode === 501);
});

test('the heartbeat frame is 08 00 00 00 00 00 00 CE (rabbit_binary_generator build_heartbeat_frame)', () => {
  assert.deepEqual(encodeFrame(8, 0, Buffer.alloc(0)), Buffer.from('08000000000000ce', 'hex'));
  assert.deepEqual(HEARTBEAT_FRAME, Buffer.from([8, 0, 0, 0, 0, 0, 0, 0xce]));
});
