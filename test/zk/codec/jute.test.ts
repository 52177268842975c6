import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZkCodecError } from '../../../src/zk/codec/errors.js';
import { JuteReader, JuteWriter, NULL_BUFFER, STAT_SIZE } from '../../../src/zk/codec/jute.js';
import type { Stat } from '../../../src/zk/codec/types.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const codecError = (reason: string) => (e: unknown) => e instanceof ZkCodecError && e.reason === reason;

const STAT: Stat = {
  czxid: 2, mzxid: 0x1_0000_0003, ctime: 1_700_000_000_123, mtime: 1_700_000_000_456,
  version: 3, cversion: -1, aversion: 2, ephemeralOwner: 0x1005d3341001fn, dataLength: 5, numChildren: 0, pzxid: 2,
};

test('primitives are big-endian as DataOutput writes them', () => {
  const w = new JuteWriter(4).writeInt(-2).writeLong(-1).writeLong(0x0102030405060708n).writeBool(true)
    .writeLong(0x1_0000_0003);
  assert.deepEqual(w.toBody(), hex('fffffffe ffffffffffffffff 0102030405060708 01 0000000100000003'));
  const r = new JuteReader(w.toBody());
  assert.equal(r.readInt(), -2);
  assert.equal(r.readLongNumber(), -1);
  assert.equal(r.readLong(), 0x0102030405060708n);
  assert.equal(r.readBool(), true);
  assert.equal(r.readLongNumber(), 0x1_0000_0003);
  assert.equal(r.remaining, 0);
});

test('readBool: any non-zero byte is true (DataInput.readBoolean)', () => {
  assert.equal(new JuteReader(hex('7f')).readBool(), true);
  assert.equal(new JuteReader(hex('00')).readBool(), false);
});

test('buffers and ustrings: length -1 is null, UTF-8 bytes counted', () => {
  const w = new JuteWriter().writeBuffer(null).writeUstring(null).writeUstring('/ä').writeBuffer(hex('0a0b'));
  assert.deepEqual(w.toBody(), hex('ffffffff ffffffff 00000003 2fc3a4 00000002 0a0b'));
  const r = new JuteReader(w.toBody());
  assert.equal(r.readBufferOrNull(), null);
  assert.equal(r.readUstringOrNull(), null);
  assert.equal(r.readUstring(), '/ä');
  assert.deepEqual(r.readBuffer(), hex('0a0b'));
  // The typed readers: null reads as empty (kazoo writes every empty string as null).
  assert.deepEqual(new JuteReader(hex('ffffffff')).readBuffer(), Buffer.alloc(0));
  assert.equal(new JuteReader(hex('ffffffff')).readUstring(), '');
  // A null buffer reads as the NULL_BUFFER sentinel, written back as null; other empties as 0.
  assert.equal(new JuteReader(hex('ffffffff')).readBuffer(), NULL_BUFFER);
  assert.deepEqual(new JuteWriter().writeBuffer(NULL_BUFFER).writeBuffer(Buffer.alloc(0)).toBody(), hex('ffffffff 00000000'));
});

test('a length below -1 is "Unreasonable length"; one past the end is truncated', () => {
  assert.throws(() => new JuteReader(hex('fffffffe')).readBuffer(), codecError('bad-length'));
  assert.throws(() => new JuteReader(hex('00000005 6162')).readUstring(), codecError('truncated'));
  assert.throws(() => new JuteReader(hex('000000')).readInt(), codecError('truncated'));
  assert.throws(() => new JuteReader(hex('00000000000000')).readLong(), codecError('truncated'));
  assert.throws(() => new JuteReader(Buffer.alloc(0)).readBool(), codecError('truncated'));
});

test('vectors: -1 and other negative counts are empty; impossible counts fail before allocating', () => {
  assert.deepEqual(new JuteReader(hex('ffffffff')).readUstringVector(), []);
  assert.deepEqual(new JuteReader(hex('fffffffb')).readAclVector(), []);
  assert.throws(() => new JuteReader(hex('7fffffff 00000000')).readUstringVector(), codecError('truncated'));
  assert.throws(() => new JuteReader(hex('00000002 00000000')).readUstringVector(), codecError('truncated'));
  const w = new JuteWriter().writeUstringVector(['a', 'bc']);
  assert.deepEqual(new JuteReader(w.toBody()).readUstringVector(), ['a', 'bc']);
});

test('ACL vector, Id, Stat and ClientInfo round-trip with ZooKeeper layouts', () => {
  const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }, { perms: 1, id: { scheme: 'digest', id: 'u:h' } }];
  const w = new JuteWriter(8).writeAclVector(acl).writeStat(STAT).writeClientInfoVector([{ authScheme: 'ip', user: '127.0.0.1' }]);
  // OPEN_ACL_UNSAFE as kazoo sends it in create-request.bin.
  assert.deepEqual(w.toBody().subarray(0, 4 + 4 + 9 + 10), hex('00000002 0000001f 00000005 776f726c64 00000006 616e796f6e65'));
  const r = new JuteReader(w.toBody());
  assert.deepEqual(r.readAclVector(), acl);
  const at = r.offset;
  assert.deepEqual(r.readStat(), STAT);
  assert.equal(r.offset - at, STAT_SIZE);
  assert.deepEqual(r.readClientInfoVector(), [{ authScheme: 'ip', user: '127.0.0.1' }]);
  assert.equal(r.remaining, 0);
});

test('JuteWriter grows and frames with a 4-byte length prefix', () => {
  const w = new JuteWriter(1);
  const big = Buffer.alloc(10_000, 7);
  w.writeBuffer(big).writeInt(1);
  const frame = w.toFrame();
  assert.equal(frame.readInt32BE(0), 4 + 10_000 + 4);
  assert.equal(frame.length, 4 + 4 + 10_000 + 4);
  assert.equal(w.length, 10_008);
  assert.deepEqual(new JuteReader(w.toBody()).readBuffer(), big);
});
