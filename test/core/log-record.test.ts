import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { decodeRecord, encodeRecord, RECORD_HEADER_BYTES } from '../../src/core/log/record.js';
import { prng } from './fixtures/log-helpers.js';

const MAX = 1 << 20;

test('record round trip keeps offset, span, payload and size', () => {
  for (const [offset, span, payload] of [
    [0, 1, Buffer.alloc(0)],
    [42, 1, Buffer.from('hello')],
    [2 ** 40 + 7, 500, randomBytes(3000)],
    [Number.MAX_SAFE_INTEGER - 10, 0xffff_ffff, Buffer.from([0])],
  ] as const) {
    const buf = encodeRecord(offset, span, payload);
    assert.equal(buf.length, RECORD_HEADER_BYTES + payload.length);
    const r = decodeRecord(buf, 0, MAX);
    assert.ok(r.ok, `decode failed: ${JSON.stringify(r)}`);
    assert.equal(r.record.offset, offset);
    assert.equal(r.record.span, span);
    assert.deepEqual(r.record.payload, payload);
    assert.equal(r.record.size, buf.length);
  }
});

test('records decode back to back at their positions', () => {
  const a = encodeRecord(0, 1, Buffer.from('a'));
  const b = encodeRecord(1, 3, Buffer.from('bbbb'));
  const both = Buffer.concat([a, b]);
  const first = decodeRecord(both, 0, MAX);
  assert.ok(first.ok);
  const second = decodeRecord(both, first.record.size, MAX);
  assert.ok(second.ok);
  assert.equal(second.record.offset, 1);
  assert.equal(second.record.payload.toString(), 'bbbb');
});

test('decode reports why: incomplete, bad-length, bad-crc, bad-span', () => {
  const rec = encodeRecord(5, 1, Buffer.from('payload'));
  assert.deepEqual(decodeRecord(rec.subarray(0, 3), 0, MAX), { ok: false, reason: 'incomplete' });
  assert.deepEqual(decodeRecord(rec.subarray(0, rec.length - 1), 0, MAX), { ok: false, reason: 'incomplete' });
  assert.deepEqual(decodeRecord(rec, 0, 3), { ok: false, reason: 'bad-length' });
  const short = Buffer.from(rec); short.writeUInt32BE(15, 0);
  assert.deepEqual(decodeRecord(short, 0, MAX), { ok: false, reason: 'bad-length' });
  const flipped = Buffer.from(rec); flipped[rec.length - 1]! ^= 1;
  assert.deepEqual(decodeRecord(flipped, 0, MAX), { ok: false, reason: 'bad-crc' });
  assert.deepEqual(decodeRecord(encodeRecord(5, 0, Buffer.from('x')), 0, MAX), { ok: false, reason: 'bad-span' });
  assert.deepEqual(decodeRecord(rec, rec.length + 10, MAX), { ok: false, reason: 'incomplete' });
});

test('fuzz: random bytes never throw and never decode as a record with a wrong CRC', () => {
  const rand = prng(0xC0FFEE);
  for (let i = 0; i < 20_000; i++) {
    const len = Math.floor(rand() * 64);
    const buf = Buffer.alloc(len);
    for (let j = 0; j < len; j++) buf[j] = Math.floor(rand() * 256);
    // Half the time make the length field plausible, so the CRC check is what must reject it.
    if (len >= 4 && rand() < 0.5) buf.writeUInt32BE(Math.max(16, len - 4 - Math.floor(rand() * 3)), 0);
    const pos = Math.floor(rand() * 4);
    const r = decodeRecord(buf, pos, MAX);
    if (r.ok) {
      // Only possible if the random bytes happen to carry the right CRC: check it independently.
      const again = encodeRecord(r.record.offset, r.record.span, r.record.payload);
      assert.deepEqual(buf.subarray(pos, pos + r.record.size), again, `seed case ${i}`);
    }
  }
});

test('fuzz: mutated valid records (bit flips, truncation, length tampering) are never ok', () => {
  const rand = prng(1234);
  let checked = 0;
  for (let i = 0; i < 5_000; i++) {
    const payload = Buffer.alloc(Math.floor(rand() * 200));
    for (let j = 0; j < payload.length; j++) payload[j] = Math.floor(rand() * 256);
    const rec = encodeRecord(Math.floor(rand() * 1e12), 1 + Math.floor(rand() * 1000), payload);
    const kind = i % 4;
    let mutated: Buffer;
    if (kind === 0) {
      // One to three bit flips anywhere except the length field: CRC-32C detects every error of
      // up to 3 bits in messages of this size (Hamming distance ≥ 4), so none may pass.
      mutated = Buffer.from(rec);
      const flips = 1 + Math.floor(rand() * 3);
      const bits = new Set<number>();
      while (bits.size < flips) bits.add(32 + Math.floor(rand() * (rec.length * 8 - 32)));
      for (const b of bits) mutated[b >> 3]! ^= 1 << (b & 7);
    } else if (kind === 1) {
      mutated = rec.subarray(0, Math.floor(rand() * rec.length));
    } else if (kind === 2) {
      // Length field tampered, bytes after it unchanged (plus some trailing garbage).
      mutated = Buffer.concat([rec, Buffer.alloc(8, 0xab)]);
      let len = rec.readUInt32BE(0);
      while (len === rec.readUInt32BE(0)) len = 16 + Math.floor(rand() * (payload.length + 24));
      mutated.writeUInt32BE(len, 0);
    } else {
      // Length field bit flip: any value, including ones beyond maxRecordBytes.
      mutated = Buffer.from(rec);
      mutated[Math.floor(rand() * 4)]! ^= 1 << Math.floor(rand() * 8);
    }
    const r = decodeRecord(mutated, 0, MAX);
    assert.equal(r.ok, false, `mutation kind ${kind} case ${i} decoded as ok`);
    checked++;
  }
  assert.equal(checked, 5_000);
});
