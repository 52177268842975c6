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
