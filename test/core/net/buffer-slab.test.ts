// BufferSlab (src/core/net/buffer-slab.ts): buffers carved one after another from shared slabs,
// never overlapping; a slab too full for the next one is left to the buffers carved from it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BufferSlab } from '../../../src/core/net/buffer-slab.js';

test('BufferSlab: consecutive buffers share a slab without overlapping; a new slab when one is full; large ones get their own', () => {
  const slab = new BufferSlab(1024, 256);
  const a = slab.take(100);
  const b = slab.take(200);
  assert.equal(a.buffer, b.buffer, 'one slab');
  assert.equal(b.byteOffset, a.byteOffset + 100, 'carved one after another');
  a.fill(1);
  b.fill(2);
  assert.ok(a.every((x) => x === 1) && b.every((x) => x === 2), 'disjoint');
  const rest: Buffer[] = [];
  for (let i = 0; i < 3; i++) rest.push(slab.take(240)); // 300 + 720 = 1020 of 1024
  assert.ok(rest.every((r) => r.buffer === a.buffer));
  const next = slab.take(10);
  assert.notEqual(next.buffer, a.buffer, 'the 4 bytes left are not enough: a new slab');
  assert.equal(next.length, 10);
  const large = slab.take(257);
  assert.equal(large.length, 257);
  assert.equal(large.byteOffset, 0);
  assert.equal(large.buffer.byteLength, 257, 'above largestCarved: an ArrayBuffer of its own');
  assert.equal(slab.take(10).buffer, next.buffer, 'the current slab goes on after a large one');
});
