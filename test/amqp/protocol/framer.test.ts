// The server's frame reader (src/amqp/connection/framer.ts, AMQP 0-9-1 §4.2.3) on its own: any
// chunking, the end octet, frame_max before and after tune. The protocol header is the
// connection's preface (test/compat/amqp/hostile.test.ts checks it on both targets).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AmqpFrameError, AmqpFramer } from '../../../src/amqp/connection/framer.js';
import { AmqpCodecError } from '../../../src/amqp/protocol/errors.js';
import { HEARTBEAT_FRAME, type RawFrame, encodeContentFrames, encodeFrame, encodeMethodFrame, parseFrame } from '../../../src/amqp/protocol/frames.js';
import { FrameSplitter } from '../../helpers/amqp-frames.js';

const frames = [
  encodeMethodFrame(0, 'connection.tune-ok', { channelMax: 2047, frameMax: 131072, heartbeat: 60 }),
  encodeMethodFrame(0, 'connection.open', { virtualHost: '/' }),
  HEARTBEAT_FRAME,
  ...encodeContentFrames(1, 'basic.publish', { routingKey: 'q' }, { deliveryMode: 2 }, Buffer.alloc(300, 7), 128),
  encodeFrame(3, 1, Buffer.alloc(3000, 1)),
];
const stream = Buffer.concat(frames);

/** Each frame rebuilt from the payload the framer returned and the type and channel beside it. */
const rebuilt = (raw: RawFrame[]) => raw.map((f) => encodeFrame(f.type, f.channel, f.payload));
const kinds = (raw: RawFrame[]) => raw.map((f) => parseFrame(f).kind).join(',');

test('one chunk with many frames, and every split point into two chunks', () => {
  assert.deepEqual(rebuilt(new FrameSplitter().push(stream)), frames);
  for (let cut = 0; cut <= stream.length; cut++) {
    const d = new FrameSplitter();
    const out = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
    assert.deepEqual(rebuilt(out), frames, `cut at ${cut}`);
    assert.equal(d.buffered, 0);
  }
  assert.equal(kinds(new FrameSplitter().push(stream)), 'method,method,heartbeat,method,header,body,body,body,body');
});

test('byte by byte, and in chunks of 7', () => {
  for (const step of [1, 7]) {
    const d = new FrameSplitter();
    const out: RawFrame[] = [];
    for (let at = 0; at < stream.length; at += step) out.push(...d.push(stream.subarray(at, at + step)));
    assert.deepEqual(rebuilt(out), frames, `step ${step}`);
  }
});

test('a wrong frame-end octet is refused (the connection answers 501 FRAME_ERROR)', () => {
  const bad = Buffer.from(HEARTBEAT_FRAME); bad[7] = 0xcd;
  const framer = new AmqpFramer();
  framer.append(bad);
  assert.throws(() => framer.next(), (e: unknown) => e instanceof AmqpFrameError && /invalid frame end marker 0xcd/.test(e.detail));
});

test('frame_max: 4096 before tune, the negotiated value after, with RabbitMQ\'s 8-byte fudge', () => {
  const frameOf = (size: number) => Buffer.concat([Buffer.from([3, 0, 1, 0, 0, size >> 8, size & 255]), Buffer.alloc(size), Buffer.from([0xce])]);
  const d = new FrameSplitter(4096);
  assert.equal(d.push(frameOf(4096 - 8 + 8)).length, 1); // limit + fudge still accepted
  assert.throws(() => d.push(frameOf(4097)), (e: unknown) => e instanceof AmqpFrameError && /frame_too_large/.test(e.detail));
  const tuned = new FrameSplitter(8192);
  assert.equal(tuned.push(frameOf(8000)).length, 1);
  // The size is checked from the 7-byte header alone: nothing more needs to arrive.
  assert.throws(() => tuned.push(Buffer.from([3, 0, 1, 0, 0, 0x30, 0])), AmqpFrameError);
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
