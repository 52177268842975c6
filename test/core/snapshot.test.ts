import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSnapshot, SnapshotStore } from '../../src/core/snapshot/snapshot-store.js';
import { cleanup, tmp } from './fixtures/log-helpers.js';

const name = (offset: number) => `${String(offset).padStart(20, '0')}.snap`;

test('save/latest round trip, empty store has none', async () => {
  const dir = tmp('junction-snap-');
  try {
    const store = new SnapshotStore(dir);
    assert.equal(await store.latest(), null);
    await store.save(10, Buffer.from('{"a":1}'));
    await store.save(25, Buffer.from('{"a":2}'));
    const snap = await store.latest();
    assert.equal(snap!.offset, 25);
    assert.equal(snap!.data.toString(), '{"a":2}');
    assert.deepEqual(store.offsets(), [10, 25]);
    const empty = await new SnapshotStore(join(dir, 'sub')).save(3, Buffer.alloc(0)).then(() => readSnapshot(join(dir, 'sub', name(3))));
    assert.deepEqual(empty, { offset: 3, data: Buffer.alloc(0) });
  } finally { cleanup(dir); }
});

test('a damaged newest snapshot falls back to the older one', async () => {
  const damages: Array<[string, (b: Buffer) => Buffer]> = [
    ['bit flip in data', (b) => { b[b.length - 1]! ^= 1; return b; }],
    ['truncated', (b) => b.subarray(0, b.length - 2)],
    ['bad magic', (b) => { b[0] = 0x58; return b; }],
    ['too short for a header', (b) => b.subarray(0, 10)],
    ['length field too big', (b) => { b.writeUInt32BE(b.readUInt32BE(20) + 1, 20); return b; }],
    ['empty', () => Buffer.alloc(0)],
  ];
  for (const [what, damage] of damages) {
    const dir = tmp('junction-snap-');
    try {
      const store = new SnapshotStore(dir);
      await store.save(10, Buffer.from('older'));
      await store.save(20, Buffer.from('newer'));
      const path = join(dir, name(20));
      writeFileSync(path, damage(readFileSync(path)));
      const snap = await store.latest();
      assert.equal(snap?.offset, 10, what);
      assert.equal(snap?.data.toString(), 'older', what);
    } finally { cleanup(dir); }
  }
});

test('keep-N pruning keeps the newest N files', async () => {
  const dir = tmp('junction-snap-');
  try {
    const store = new SnapshotStore(dir, 3);
    for (const o of [5, 1, 9, 30, 12]) await store.save(o, Buffer.from(String(o)));
    assert.deepEqual(readdirSync(dir).sort(), [name(9), name(12), name(30)]);
    assert.equal((await store.latest())!.data.toString(), '30');
  } finally { cleanup(dir); }
});

test('a leftover .tmp (crash mid-save) is ignored, and removed by the next save', async () => {
  const dir = tmp('junction-snap-');
  try {
    const store = new SnapshotStore(dir);
    await store.save(10, Buffer.from('whole'));
    // A crash after writing the temp file but before rename: newer offset, partial content.
    writeFileSync(join(dir, `${name(99)}.tmp`), Buffer.from('JSNAP001 partial'));
    const snap = await store.latest();
    assert.equal(snap!.offset, 10);
    assert.equal(snap!.data.toString(), 'whole');
    assert.deepEqual(readdirSync(dir).sort(), [name(10), `${name(99)}.tmp`], 'reading changes nothing');
    await store.save(11, Buffer.from('next'));
    assert.deepEqual(readdirSync(dir).sort(), [name(10), name(11)]);
  } finally { cleanup(dir); }
});

test('an image saved in pieces reads back as their concatenation (CRC over all of them)', async () => {
  const dir = tmp();
  try {
    const store = new SnapshotStore(dir);
    const pieces = [Buffer.from('head'), Buffer.alloc(3 << 20, 7), ...Array.from({ length: 5000 }, (_, i) => Buffer.from(`p${i};`))];
    await store.save(42, pieces);
    const snap = await store.latest();
    assert.equal(snap?.offset, 42);
    assert.ok(snap!.data.equals(Buffer.concat(pieces)));
  } finally {
    cleanup(dir);
  }
});
