import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameError } from '../../../src/core/errors.js';
import { encodeFrame, LengthPrefixedFramer } from '../../../src/core/net/framer.js';

const MAX = 1000;
const frames = [Buffer.from('abc'), Buffer.alloc(0), Buffer.from('0123456789'), Buffer.alloc(300, 1), Buffer.from([0xff])];
const stream = Buffer.concat(frames.map(encodeFrame));

/** Feed `parts` one by one, pulling every frame after each. */
function readAll(parts: Buffer[], framer = new LengthPrefixedFramer(MAX)): Buffer[] {
  const got: Buffer[] = [];
  for (const part of parts) got.push(...framer.push(part));
  assert.equal(framer.buffered, 0, 'nothing left over');
  return got;
}

const len = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const isFrameError = (length: number) => (e: unknown) => e instanceof FrameError && e.length === length && e.maxFrameBytes === MAX;

test('encodeFrame: 4-byte big-endian length, then the body', () => {
  assert.deepEqual(encodeFrame(Buffer.from('hi')), Buffer.from([0, 0, 0, 2, 0x68, 0x69]));
  assert.deepEqual(encodeFrame(Buffer.alloc(0)), Buffer.from([0, 0, 0, 0]));
});

test('one chunk holding several frames gives every body in order, empty bodies included', () => {
  assert.deepEqual(readAll([stream]), frames);
});

test('split at every offset gives the same frames', () => {
  for (let i = 0; i <= stream.length; i++) {
    assert.deepEqual(readAll([stream.subarray(0, i), stream.subarray(i)]), frames, `split at ${i}`);
  }
});

test('split at every pair of offsets of a small stream gives the same frames', () => {
  const small = Buffer.concat([Buffer.from('ab'), Buffer.alloc(0), Buffer.from('xyz')].map(encodeFrame));
  const expected = [Buffer.from('ab'), Buffer.alloc(0), Buffer.from('xyz')];
  for (let i = 0; i <= small.length; i++) {
    for (let j = i; j <= small.length; j++) {
      const got = readAll([small.subarray(0, i), small.subarray(i, j), small.subarray(j)]);
      assert.deepEqual(got, expected, `split at ${i},${j}`);
    }
  }
});

test('byte by byte', () => {
  assert.deepEqual(readAll([...stream].map((b) => Buffer.from([b]))), frames);
});

test('next() hands out one frame at a time and keeps the rest (a paused connection stops mid-chunk)', () => {
  const framer = new LengthPrefixedFramer(MAX);
  framer.append(stream);
  assert.deepEqual(framer.next(), frames[0]);
  assert.equal(framer.buffered, stream.length - 7);
  assert.deepEqual(framer.next(), frames[1]);
  framer.append(encodeFrame(Buffer.from('late')));
  assert.deepEqual([framer.next(), framer.next(), framer.next(), framer.next()], [frames[2], frames[3], frames[4], Buffer.from('late')]);
  assert.equal(framer.next(), null);
  assert.equal(framer.buffered, 0);
});

test('a partial frame stays buffered until its last byte arrives', () => {
  const framer = new LengthPrefixedFramer(MAX);
  assert.deepEqual(framer.push(stream.subarray(0, 9)), [Buffer.from('abc')]);
  assert.equal(framer.buffered, 2);
  assert.equal(framer.next(), null);
});

test('a length above the maximum or below 0 is a FrameError; exactly the maximum is fine', () => {
  assert.throws(() => new LengthPrefixedFramer(MAX).push(len(MAX + 1)), isFrameError(MAX + 1));
  assert.throws(() => new LengthPrefixedFramer(MAX).push(len(-1)), isFrameError(-1));
  assert.throws(() => new LengthPrefixedFramer(MAX).push(len(-0x80000000)), isFrameError(-0x80000000));
  assert.deepEqual(new LengthPrefixedFramer(MAX).push(Buffer.concat([len(MAX), Buffer.alloc(MAX, 7)])), [Buffer.alloc(MAX, 7)]);
});

test('the length is refused as soon as its 4 bytes are there, before any of the body', () => {
  const framer = new LengthPrefixedFramer(MAX);
  assert.deepEqual(framer.push(Buffer.concat([encodeFrame(Buffer.from('ok')), len(MAX + 1).subarray(0, 2)])), [Buffer.from('ok')]);
  assert.throws(() => framer.push(len(MAX + 1).subarray(2)), isFrameError(MAX + 1));
});
