/**
 * Jute binary encoding (org.apache.jute.BinaryInputArchive / BinaryOutputArchive), the record
 * layer of every ZooKeeper frame. Records are declared in zookeeper-jute/src/main/resources/
 * zookeeper.jute: int = 4 bytes big-endian, long = 8, boolean = 1 byte, buffer/ustring = int
 * length + bytes (-1 = null), vector = int count + elements (-1 = null).
 */
import { ZkCodecError } from './errors.js';
import type { ACL, ClientInfo, Id, Stat } from './types.js';

/** The one Buffer that stands for a jute null buffer (length -1); compare by identity. */
export const NULL_BUFFER: Buffer = Buffer.alloc(0);

/** Serialized size of org.apache.zookeeper.data.Stat: 6 longs + 5 ints. */
export const STAT_SIZE = 68;

/** Reads one record body; never reads past the buffer, fails only with ZkCodecError. */
export class JuteReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  get offset(): number { return this.pos; }
  get remaining(): number { return this.buf.length - this.pos; }

  private need(n: number, what: string): void {
    if (this.buf.length - this.pos < n) {
      throw new ZkCodecError('truncated', `${what}: need ${n} bytes at offset ${this.pos}, have ${this.remaining}`);
    }
  }

  readInt(): number {
    this.need(4, 'int');
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  readLong(): bigint {
    this.need(8, 'long');
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A long as a number, for zxids and times (standalone values stay far below 2^53). */
  readLongNumber(): number {
    this.need(8, 'long');
    const hi = this.buf.readInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return hi * 0x1_0000_0000 + lo;
  }

  /** DataInput.readBoolean: any non-zero byte is true. */
  readBool(): boolean {
    this.need(1, 'boolean');
    return this.buf[this.pos++] !== 0;
  }

  /** BinaryInputArchive.readBuffer: -1 is null; below -1 is "Unreasonable length". */
  readBufferOrNull(): Buffer | null {
    const len = this.readInt();
    if (len === -1) return null;
    if (len < 0) throw new ZkCodecError('bad-length', `buffer length ${len}`);
    this.need(len, 'buffer');
    const v = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return v;
  }

  /** A buffer where null reads as NULL_BUFFER: empty, but written back as null (-1), so a znode
   *  created with null data returns null data, as on ZooKeeper (zkCli prints "null"). */
  readBuffer(): Buffer {
    return this.readBufferOrNull() ?? NULL_BUFFER;
  }

  /** BinaryInputArchive.readString: UTF-8, -1 is null. */
  readUstringOrNull(): string | null {
    const bytes = this.readBufferOrNull();
    return bytes === null ? null : bytes.toString('utf8');
  }

  /** A ustring read as '' when null (length -1): kazoo writes every empty string as null (e.g.
   *  the id of an `auth` ACL), and ZooKeeper's jute reads it without complaint. */
  readUstring(): string {
    return this.readUstringOrNull() ?? '';
  }

  /**
   * A vector's element count. -1 (null) and any other negative count read as empty, as
   * BinaryInputArchive.BinaryIndex.done() is `nelems <= 0`. A count that cannot fit in what is
   * left is rejected before anything is allocated.
   */
  private readCount(minElementSize: number, what: string): number {
    const n = this.readInt();
    if (n <= 0) return 0;
    if (n > this.remaining / minElementSize) {
      throw new ZkCodecError('truncated', `${what}: ${n} elements cannot fit in ${this.remaining} bytes`);
    }
    return n;
  }

  readUstringVector(): string[] {
    const n = this.readCount(4, 'vector<ustring>');
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.readUstring();
    return out;
  }

  readId(): Id {
    return { scheme: this.readUstring(), id: this.readUstring() };
  }

  readAcl(): ACL {
    const perms = this.readInt();
    return { perms, id: this.readId() };
  }

  readAclVector(): ACL[] {
    const n = this.readCount(12, 'vector<ACL>');
    const out: ACL[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.readAcl();
    return out;
  }

  readStat(): Stat {
    this.need(STAT_SIZE, 'Stat');
    return {
      czxid: this.readLongNumber(), mzxid: this.readLongNumber(),
      ctime: this.readLongNumber(), mtime: this.readLongNumber(),
      version: this.readInt(), cversion: this.readInt(), aversion: this.readInt(),
      ephemeralOwner: this.readLong(), dataLength: this.readInt(), numChildren: this.readInt(),
      pzxid: this.readLongNumber(),
    };
  }

  readClientInfoVector(): ClientInfo[] {
    const n = this.readCount(8, 'vector<ClientInfo>');
    const out: ClientInfo[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = { authScheme: this.readUstring(), user: this.readUstring() };
    return out;
  }
}

/**
 * Growable jute writer. The first 4 bytes are reserved for the frame length, so a finished
 * record leaves as one buffer with no copy (`toFrame`) or without the prefix (`toBody`).
 */
export class JuteWriter {
  private buf: Buffer;
  private pos = 4;

  constructor(initialCapacity = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(initialCapacity, 16));
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  writeInt(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  /** A jute long from a bigint (session ids) or an integral number (zxids, times, -1). */
  writeLong(v: bigint | number): this {
    this.ensure(8);
    if (typeof v === 'bigint') {
      this.buf.writeBigInt64BE(BigInt.asIntN(64, v), this.pos);
    } else {
      const hi = Math.floor(v / 0x1_0000_0000);
      this.buf.writeInt32BE(hi, this.pos);
      this.buf.writeUInt32BE(v - hi * 0x1_0000_0000, this.pos + 4);
    }
    this.pos += 8;
    return this;
  }

  writeBool(v: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
    return this;
  }

  /** BinaryOutputArchive.writeBuffer: null is length -1. */
  writeBuffer(v: Buffer | null): this {
    if (v === null || v === NULL_BUFFER) return this.writeInt(-1);
    this.writeInt(v.length);
    this.ensure(v.length);
    v.copy(this.buf, this.pos);
    this.pos += v.length;
    return this;
  }

  /** BinaryOutputArchive.writeString: UTF-8 bytes, null is length -1. */
  writeUstring(v: string | null): this {
    if (v === null) return this.writeInt(-1);
    const len = Buffer.byteLength(v, 'utf8');
    this.writeInt(len);
    this.ensure(len);
    this.buf.write(v, this.pos, len, 'utf8');
    this.pos += len;
    return this;
  }

  writeUstringVector(v: readonly string[]): this {
    this.writeInt(v.length);
    for (const s of v) this.writeUstring(s);
    return this;
  }

  writeId(v: Id): this {
    return this.writeUstring(v.scheme).writeUstring(v.id);
  }

  writeAclVector(v: readonly ACL[]): this {
    this.writeInt(v.length);
    for (const acl of v) this.writeInt(acl.perms).writeId(acl.id);
    return this;
  }

  writeStat(s: Stat): this {
    return this.writeLong(s.czxid).writeLong(s.mzxid).writeLong(s.ctime).writeLong(s.mtime)
      .writeInt(s.version).writeInt(s.cversion).writeInt(s.aversion)
      .writeLong(s.ephemeralOwner).writeInt(s.dataLength).writeInt(s.numChildren).writeLong(s.pzxid);
  }

  writeClientInfoVector(v: readonly ClientInfo[]): this {
    this.writeInt(v.length);
    for (const c of v) this.writeUstring(c.authScheme).writeUstring(c.user);
    return this;
  }

  /** Bytes written so far, without the length prefix. */
  get length(): number { return this.pos - 4; }

  /** The record without a length prefix (shares memory with the writer). */
  toBody(): Buffer {
    return this.buf.subarray(4, this.pos);
  }

  /** The record as a wire frame: 4-byte big-endian length + body. */
  toFrame(): Buffer {
    this.buf.writeInt32BE(this.pos - 4, 0);
    return this.buf.subarray(0, this.pos);
  }
}
