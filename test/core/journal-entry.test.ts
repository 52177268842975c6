// The journal entry codec (src/core/storage/journal/entry.ts, docs/storage.md "Journal"): pure,
// so it is tested byte by byte and fuzzed with a fixed seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { decodeRecord, encodeRecord, encodeRecordHeader, encodeRecordInto, recordSize } from '../../src/core/log/record.js';
import { decodeEntry, ENTRY_RECORD_BYTES, entryHeader, groupRecords, journalKey, logDirOf } from '../../src/core/storage/journal/entry.js';
import { prng } from './fixtures/log-helpers.js';

function entry(key: string, records: Buffer[]): Buffer {
  return Buffer.concat([entryHeader(key), ...records]);
}

test('an entry round trip keeps the key and every log record byte for byte', () => {
  const records = [encodeRecord(7, 1, Buffer.from('a')), encodeRecord(8, 5, Buffer.alloc(0)), encodeRecord(13, 1, Buffer.from([0, 255, 1]))];
  const decoded = decodeEntry(entry('kafka/orders-0/log', records));
  assert.ok(decoded.ok, JSON.stringify(decoded));
  assert.equal(decoded.entry.key, 'kafka/orders-0/log');
  assert.deepEqual(decoded.entry.records.map((r) => [r.offset, r.span]), [[7, 1], [8, 5], [13, 1]]);
  decoded.entry.records.forEach((r, i) => assert.ok(r.raw.equals(records[i]!), `record ${i} raw bytes`));
  assert.equal(decodeEntry(entry('/var/lib/zk/log', records.slice(0, 1))).ok, true, 'absolute keys too');
});

test('decodeEntry says why an entry is not one', () => {
  const rec = encodeRecord(0, 1, Buffer.from('x'));
  const cases: Array<[Buffer, RegExp]> = [
    [Buffer.alloc(2), /shorter than an entry header/],
    [Buffer.concat([Buffer.from([2, 0, 1, 0x61]), rec]), /unknown entry kind 2/],
    [Buffer.from([1, 0, 0]), /bad key length 0/],
    [Buffer.from([1, 0, 9, 0x61]), /bad key length 9/],
    [Buffer.concat([Buffer.from([1, 0, 1, 0xff]), rec]), /not a path in UTF-8/],
    [entryHeader('k'), /no log records/],
    [entry('k', [rec.subarray(0, rec.length - 1)]), /log record 0 at entry byte 4: incomplete/],
    [entry('k', [rec, encodeRecord(5, 1, Buffer.from('y'))]), /log record 1 has offset 5, expected 1/],
  ];
  for (const [payload, reason] of cases) {
    const r = decodeEntry(payload);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, reason);
  }
});

test('records are grouped into entries of at most ENTRY_RECORD_BYTES; a larger record gets its own, a record\'s pieces stay together', () => {
  const small = Buffer.alloc(ENTRY_RECORD_BYTES / 4);
  const big = Buffer.alloc(ENTRY_RECORD_BYTES + 1);
  const groups = groupRecords([[small], [small], [small], [small], [small], [big], [small]]);
  assert.deepEqual(groups.map((g) => g.length), [4, 1, 1, 1]);
  assert.deepEqual(groupRecords([]), []);
  // A record of several pieces stays whole in one group, its pieces in order.
  const head = Buffer.alloc(20, 1);
  const split = groupRecords([[small], [small], [small], [head, small]]);
  assert.deepEqual(split.map((g) => g.length), [3, 2]);
  assert.equal(split[1]![0], head);
});

test('encodeRecordHeader followed by the payload is a valid record: its CRC covers offset, span and payload', () => {
  for (const payload of [Buffer.alloc(0), Buffer.from('x'), Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251))]) {
    const head = encodeRecordHeader(7, 3, payload);
    assert.equal(head.length, recordSize(0));
    assert.equal(head.readUInt32BE(4), crc32c(Buffer.concat([head.subarray(8), payload])), 'CRC-32C of everything after the CRC field');
    const decoded = decodeRecord(Buffer.concat([head, payload]), 0, 1 << 20);
    assert.ok(decoded.ok);
    assert.deepEqual([decoded.record.offset, decoded.record.span, decoded.record.size], [7, 3, recordSize(payload.length)]);
    assert.ok(decoded.record.payload.equals(payload));
  }
});

test('encodeRecordInto writes what encodeRecord writes, from pieces, at a position', () => {
  const pieces = [Buffer.from('head'), Buffer.alloc(0), Buffer.from('tail-bytes')];
  const target = Buffer.alloc(5 + recordSize(14) + 3, 0xee);
  assert.equal(encodeRecordInto(target, 5, 99, 2, pieces), recordSize(14));
  assert.ok(target.subarray(5, 5 + recordSize(14)).equals(encodeRecord(99, 2, Buffer.concat(pieces))));
  assert.equal(target[4], 0xee);
  assert.equal(target[5 + recordSize(14)], 0xee, 'nothing written past the record');
});

test('journal keys: relative to the data dir with / separators, absolute outside it', () => {
  const data = '/srv/junction/data';
  assert.equal(journalKey(data, join(data, 'kafka', 't-0', 'log')), 'kafka/t-0/log');
  assert.equal(journalKey(data, '/var/lib/zookeeper/log'), '/var/lib/zookeeper/log');
  assert.equal(journalKey(data, '/srv/junction/data-other/log'), '/srv/junction/data-other/log');
  assert.equal(logDirOf(data, 'kafka/t-0/log'), join(data, 'kafka', 't-0', 'log'));
  assert.equal(logDirOf(data, '/var/lib/zookeeper/log'), '/var/lib/zookeeper/log');
});

test('fuzz: decodeEntry never throws and accepts only well-formed entries (seed 1234)', () => {
  const rand = prng(1234);
  const valid = entry('amqp/%2F/q1/log', [encodeRecord(3, 1, Buffer.from('body-1')), encodeRecord(4, 2, Buffer.from('body-2'))]);
  for (let i = 0; i < 20_000; i++) {
    const buf = Buffer.from(valid);
    const flips = 1 + Math.floor(rand() * 3);
    for (let f = 0; f < flips; f++) buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
    const cut = rand() < 0.2 ? buf.subarray(0, Math.floor(rand() * buf.length)) : buf;
    const r = decodeEntry(cut);
    if (!r.ok) continue;
    // Whatever decoded must be a header plus CRC-valid records that fill the payload exactly.
    let pos = 3 + Buffer.byteLength(r.entry.key);
    for (const rec of r.entry.records) {
      const again = decodeRecord(cut, pos, 1 << 30);
      assert.ok(again.ok && again.record.offset === rec.offset);
      pos += rec.size;
    }
    assert.equal(pos, cut.length);
  }
});
