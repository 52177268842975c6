import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaProtocolError } from '../../src/kafka/protocol/protocol-error.js';
import { Reader, ZERO_UUID } from '../../src/kafka/protocol/reader.js';
import { Writer } from '../../src/kafka/protocol/writer.js';

const hex = (s: string) => Buffer.from(s.replace(/ /g, ''), 'hex');
const written = (f: (w: Writer) => void) => { const w = new Writer(1); f(w); return w.finish().toString('hex'); };
const fails = (f: () => unknown, pattern?: RegExp) => assert.throws(f, (e: unknown) => {
  assert.ok(e instanceof KafkaProtocolError, `KafkaProtocolError, got ${String(e)}`);
  if (pattern) assert.match(e.message, pattern);
  return true;
});

// Encodings from the protocol guide (kafka.apache.org/protocol) and ByteUtilsTest in apache/kafka.
test('unsigned varint: LEB128, 7 bits per byte, at most 5 bytes', () => {
  const cases: [number, string][] = [[0, '00'], [1, '01'], [127, '7f'], [128, '8001'], [300, 'ac02'], [16383, 'ff7f'],
    [16384, '808001'], [0x7fffffff, 'ffffffff07'], [0xffffffff, 'ffffffff0f']];
  for (const [value, bytes] of cases) {
    assert.equal(written((w) => w.unsignedVarint(value)), bytes, `write ${value}`);
    const r = new Reader(hex(bytes));
    assert.equal(r.unsignedVarint(), value, `read ${bytes}`);
    assert.equal(r.remaining, 0);
  }
  fails(() => new Reader(hex('8080808080')).unsignedVarint(), /longer than 5 bytes/);
  fails(() => new Reader(hex('ffffffff1f')).unsignedVarint(), /32 bits/);
  fails(() => new Reader(hex('80')).unsignedVarint(), /need 1 bytes/);
  fails(() => new Writer().unsignedVarint(-1));
});

test('varint and varlong are zig-zag', () => {
  const ints: [number, string][] = [[0, '00'], [-1, '01'], [1, '02'], [-2, '03'], [63, '7e'], [-64, '7f'], [64, '8001'],
    [2147483647, 'feffffff0f'], [-2147483648, 'ffffffff0f']];
  for (const [value, bytes] of ints) {
    assert.equal(written((w) => w.varint(value)), bytes);
    assert.equal(new Reader(hex(bytes)).varint(), value);
  }
  const longs: [bigint, string][] = [[0n, '00'], [-1n, '01'], [1n, '02'], [300n, 'd804'],
    [9223372036854775807n, 'feffffffffffffffff01'], [-9223372036854775808n, 'ffffffffffffffffff01']];
  for (const [value, bytes] of longs) {
    assert.equal(written((w) => w.varlong(value)), bytes);
    assert.equal(new Reader(hex(bytes)).varlong(), value);
  }
  fails(() => new Reader(hex('ffffffffffffffffffff01')).varlong(), /longer than 10 bytes/);
  fails(() => new Writer().varlong(1n << 63n));
});

test('fixed-width integers, boolean, float64 and uuid', () => {
  const w = new Writer(1);
  w.int8(-2).int16(-300).int32(-70000).int64(-5n).uint16(65535).uint32(0xfffffffe).bool(true).float64(0.5).uuid(ZERO_UUID);
  const bytes = w.finish();
  assert.equal(bytes.toString('hex'), 'fe' + 'fed4' + 'fffeee90' + 'fffffffffffffffb' + 'ffff' + 'fffffffe' + '01' +
    '3fe0000000000000' + '00'.repeat(16));
  const r = new Reader(bytes);
  assert.deepEqual([r.int8(), r.int16(), r.int32(), r.int64(), r.uint16(), r.uint32(), r.bool(), r.float64(), r.uuid()],
    [-2, -300, -70000, -5n, 65535, 0xfffffffe, true, 0.5, ZERO_UUID]);
  const id = Buffer.from('0123456789abcdef0123456789abcdef', 'hex').toString('base64url');
  assert.equal(new Reader(new Writer().uuid(id).finish()).uuid(), id);
  assert.equal(new Reader(hex('02')).bool(), true, 'any non-zero byte is true');
  fails(() => new Writer().int16(32768), /int16/);
  fails(() => new Writer().int32(1.5), /int32/);
  fails(() => new Writer().int64(1n << 63n), /int64/);
  fails(() => new Writer().uuid('short'), /uuid/);
  fails(() => new Reader(hex('000000')).int32(), /int32: need 4 bytes at offset 0, 3 remain/);
});

test('strings and bytes: classic (int16/int32 length, -1 null) and compact (uvarint length+1, 0 null)', () => {
  assert.equal(written((w) => w.string('héj')), '0004' + Buffer.from('héj').toString('hex'));
  assert.equal(written((w) => w.string(null)), 'ffff');
  assert.equal(written((w) => w.string('abc', true)), '04616263');
  assert.equal(written((w) => w.string(null, true)), '00');
  assert.equal(written((w) => w.string('', true)), '01');
  assert.equal(written((w) => w.bytes(hex('0102'))), '000000020102');
  assert.equal(written((w) => w.bytes(null)), 'ffffffff');
  assert.equal(written((w) => w.bytes(hex('0102'), true)), '030102');
  assert.equal(new Reader(hex('0003616263')).string(), 'abc');
  assert.equal(new Reader(hex('ffff')).nullableString(), null);
  assert.equal(new Reader(hex('04616263')).compactString(), 'abc');
  assert.equal(new Reader(hex('00')).compactNullableString(), null);
  assert.equal(new Reader(hex('ffffffff')).nullableBytes(), null);
  assert.deepEqual(new Reader(hex('030102')).compactBytes(), hex('0102'));
  assert.deepEqual(new Reader(hex('000000020102')).bytes(), hex('0102'));
  assert.equal(new Reader(hex('00')).compactNullableBytes(), null);
  fails(() => new Reader(hex('ffff')).string(), /not nullable/);
  fails(() => new Reader(hex('00')).compactString(), /not nullable/);
  fails(() => new Reader(hex('fffe')).nullableString(), /bad length -2/);
  fails(() => new Reader(hex('0005616263')).string(), /length 5 but 3 bytes remain/);
  fails(() => new Reader(hex('7fffffff')).bytes(), /length 2147483647 but 0 bytes remain/);
  fails(() => new Reader(hex('ffffffff0f')).compactBytes(), /bytes remain/);
  fails(() => new Writer().string('x'.repeat(32768)), /exceeds int16/);
  assert.equal(new Writer().string('x'.repeat(40000), true).length, 3 + 40000, 'compact strings have no int16 limit');
});

test('arrays: int32 or compact counts, null arrays, counts checked against remaining bytes', () => {
  assert.equal(written((w) => w.array([1, 2], false, (x, v) => x.int16(v))), '0000000200010002');
  assert.equal(written((w) => w.array([1, 2], true, (x, v) => x.int16(v))), '0300010002');
  assert.equal(written((w) => w.array(null, false, () => {})), 'ffffffff');
  assert.equal(written((w) => w.array(null, true, () => {})), '00');
  assert.deepEqual(new Reader(hex('0000000200010002')).array(false, (r) => r.int16()), [1, 2]);
  assert.deepEqual(new Reader(hex('0300010002')).array(true, (r) => r.int16()), [1, 2]);
  assert.equal(new Reader(hex('ffffffff')).nullableArray(false, (r) => r.int16()), null);
  assert.equal(new Reader(hex('00')).nullableArray(true, (r) => r.int16()), null);
  fails(() => new Reader(hex('ffffffff')).array(false, (r) => r.int16()), /not nullable/);
  // A count larger than the bytes left is refused before any element is read or allocated.
  fails(() => new Reader(hex('7fffffff00')).array(false, () => { throw new Error('element read'); }), /length 2147483647 but 1 bytes remain/);
  fails(() => new Reader(hex('ffffffff0f')).nullableArray(true, (r) => r.int8()), /bytes remain/);
});

test('tagged fields: known tags read from their payload, unknown ones skipped, order and sizes enforced', () => {
  // Two tags: 0 with an int16, 5 unknown with 3 bytes; then one more byte that follows the tag section.
  const bytes = hex('02' + '00' + '02' + '0007' + '05' + '03' + 'aabbcc' + '2a');
  const seen: [number, number][] = [];
  const r = new Reader(bytes);
  r.taggedFields((tag, payload) => { if (tag !== 0) return false; seen.push([tag, payload.int16()]); return true; });
  assert.deepEqual(seen, [[0, 7]]);
  assert.equal(r.int8(), 42);
  assert.equal(written((w) => w.noTaggedFields()), '00');
  fails(() => new Reader(hex('02' + '05' + '00' + '01' + '00')).taggedFields(), /must ascend/);
  fails(() => new Reader(hex('01' + '00' + '05' + '00')).taggedFields(), /bytes remain/);
  fails(() => new Reader(hex('01' + '00' + '03' + '000700')).taggedFields((_t, p) => { p.int16(); return true; }), /1 bytes left/);
  fails(() => new Reader(hex('ff')).taggedFields(), /need 1 bytes/);
});

test('the writer grows from any capacity and patches int32 lengths', () => {
  const w = new Writer(1);
  w.int32(0);
  for (let i = 0; i < 1000; i++) w.int32(i);
  w.patchInt32(0, w.length - 4);
  const r = new Reader(w.finish());
  assert.equal(r.int32(), 4000);
  for (let i = 0; i < 1000; i++) assert.equal(r.int32(), i);
  fails(() => w.patchInt32(w.length - 2, 1), /outside/);
});

test('referenced bytes become their own chunk, uncopied; finish() copies them in; patches reach owned chunks', () => {
  const big = Buffer.alloc(5000, 0xab);
  const w = new Writer(8);
  w.int32(0).int16(7).reference(big).int16(9);
  for (let i = 0; i < 100; i++) w.int32(i); // grows the buffer after the first segment was cut
  w.patchInt32(0, w.length - 4);
  assert.equal(w.length, 4 + 2 + 5000 + 2 + 400);
  const chunks = w.finishChunks();
  assert.equal(chunks.length, 3);
  assert.equal(chunks[1], big, 'the caller\'s Buffer itself, not a copy');
  assert.equal(chunks[0]!.toString('hex'), '0000151c' + '0007', 'size 5404 patched into the first chunk');
  const whole = w.finish();
  assert.ok(whole.equals(Buffer.concat(chunks)));
  assert.equal(whole.readInt32BE(0), whole.length - 4);
  fails(() => w.patchInt32(10, 1), /outside/); // inside the referenced chunk
  fails(() => w.patchInt32(whole.length - 2, 1), /outside/);
  const small = new Writer();
  small.reference(Buffer.alloc(10, 1));
  assert.equal(small.finishChunks().length, 1, 'small buffers are copied');
  w.patchInt32(4 + 2 + 5000 + 2, 42);
  assert.equal(w.finish().readInt32BE(4 + 2 + 5000 + 2), 42, 'patch in the segment after a reference');
});

test('a reader never moves backwards or outside its range', () => {
  const r = new Reader(hex('0102030405'), 1, 3);
  fails(() => r.raw(-1), /need -1 bytes/);
  assert.equal(r.offset, 1);
  assert.deepEqual(r.raw(2), hex('0203'));
  fails(() => r.int8(), /need 1 bytes at offset 3, 0 remain/);
  fails(() => new Reader(hex('01'), 2), /outside 1 bytes/);
  fails(() => new Reader(hex('01'), 0, 2), /outside 1 bytes/);
});
