import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZkCodecError } from '../../../src/zk/codec/errors.js';
import { DEFAULT_MAX_BUFFER, encodeFrame, FrameReader } from '../../../src/zk/codec/frames.js';

const frames = [Buffer.from('abc'), Buffer.alloc(0), Buffer.from('0123456789'), Buffer.alloc(300, 1)];
const stream = Buffer.concat(frames.map(encodeFrame));

test('one chunk with several frames yields every body in order', () => {
  const r = new FrameReader();
  assert.deepEqual(r.push(stream), frames);
  assert.equal(r.pending, 0);
});

test('split at every offset (and at every pair of offsets) gives the same frames', () => {
  for (let i = 0; i <= stream.length; i++) {
    const r = new FrameReader();
    const got = [...r.push(stream.subarray(0, i)), ...r.push(stream.subarray(i))];
    assert.deepEqual(got, frames, `split at ${i}`);
  }
  for (let i = 0; i <= stream.length; i += 3) {
    for (let j = i; j <= stream.length; j += 5) {
      const r = new FrameReader();
      const got = [...r.push(stream.subarray(0, i)), ...r.push(stream.subarray(i, j)), ...r.push(stream.subarray(j))];
      assert.deepEqual(got, frames, `split at ${i},${j}`);
    }
  }
});

test('byte by byte', () => {
  const r = new FrameReader();
  const got: Buffer[] = [];
  for (const b of stream) got.push(...r.push(Buffer.from([b])));
  assert.deepEqual(got, frames);
  assert.equal(r.pending, 0);
});

test('a partial frame stays pending', () => {
  const r = new FrameReader();
  assert.deepEqual(r.push(stream.subarray(0, 9)), [Buffer.from('abc')]);
  assert.equal(r.pending, 2);
});

test('length > jute.maxbuffer or < 0 is "Len error" (too-large); exactly maxbuffer is fine', () => {
  const len = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
  const isTooLarge = (e: unknown) => e instanceof ZkCodecError && e.reason === 'too-large' && e.action === 'close';
  assert.throws(() => new FrameReader().push(len(DEFAULT_MAX_BUFFER + 1)), isTooLarge);
  assert.throws(() => new FrameReader().push(len(-1)), isTooLarge);
  assert.throws(() => new FrameReader(100).push(len(101)), isTooLarge);
  // The check fires on the length alone, before the body arrives (as NIOServerCnxn.readLength).
  assert.deepEqual(new FrameReader().push(len(DEFAULT_MAX_BUFFER)), []);
  assert.deepEqual(new FrameReader(100).push(Buffer.concat([len(100), Buffer.alloc(100)])), [Buffer.alloc(100)]);
  // A length split across chunks is checked once complete.
  const r = new FrameReader(10);
  assert.deepEqual(r.push(len(11).subarray(0, 2)), []);
  assert.throws(() => r.push(len(11).subarray(2)), isTooLarge);
});
