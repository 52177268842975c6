import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkQueue } from '../../../src/core/net/chunk-queue.js';
import { prng } from '../fixtures/log-helpers.js';

test('chunk queue: takes, skips and in-place reads match one flat buffer, whatever the chunking', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const rand = prng(seed);
    const stream = Buffer.from(Array.from({ length: 600 }, () => Math.floor(rand() * 256)));
    const q = new ChunkQueue();
    let fed = 0;
    let read = 0;
    while (read < stream.length) {
      if (fed < stream.length && (q.length < 8 || rand() < 0.4)) {
        const n = Math.min(stream.length - fed, Math.floor(rand() * 40));
        q.append(stream.subarray(fed, fed + n));
        fed += n;
        continue;
      }
      assert.equal(q.length, fed - read, `seed ${seed}: length`);
      const at = Math.floor(rand() * Math.max(1, q.length - 4));
      if (q.length >= at + 4) {
        assert.equal(q.uint8(at), stream[read + at], `seed ${seed}: uint8(${at})`);
        assert.equal(q.uint16BE(at), stream.readUInt16BE(read + at), `seed ${seed}: uint16BE(${at})`);
        assert.equal(q.uint32BE(at), stream.readUInt32BE(read + at), `seed ${seed}: uint32BE(${at})`);
        assert.equal(q.int32BE(at), stream.readInt32BE(read + at), `seed ${seed}: int32BE(${at})`);
      }
      const n = Math.floor(rand() * (q.length + 1));
      if (rand() < 0.3) q.skip(n);
      else assert.deepEqual(q.take(n), stream.subarray(read, read + n), `seed ${seed}: take(${n}) at ${read}`);
      read += n;
    }
    assert.equal(q.length, 0);
  }
});

test('chunk queue: a read across a chunk boundary joins only the bytes it needs; the rest of the chunk is not copied', () => {
  const first = Buffer.alloc(10, 1);
  const second = Buffer.alloc(1000, 2);
  const q = new ChunkQueue();
  q.append(first);
  q.append(second);
  const spanning = q.take(12);
  assert.deepEqual(spanning, Buffer.concat([first, second.subarray(0, 2)]));
  const next = q.take(100);
  assert.equal(next.buffer, second.buffer, 'the next frame is a view of the received chunk');
  assert.equal(next.byteOffset, second.byteOffset + 2);
  assert.equal(q.length, 898);
});
