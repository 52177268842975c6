/**
 * Reads Kafka's primitive types from one Buffer (kafka.apache.org/protocol "Protocol Primitive
 * Types"; Java: org.apache.kafka.common.protocol.Readable / ByteBufferAccessor). Every read checks
 * the remaining bytes first, so a hostile length fails with KafkaProtocolError before anything is
 * allocated, and no loop runs longer than the bytes that remain.
 */
import { KafkaProtocolError } from './protocol-error.js';

/** The all-zero UUID, Kafka's Uuid.ZERO_UUID, in its string form (base64url, no padding). */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

export class Reader {
  private pos: number;

  constructor(private readonly buf: Buffer, offset = 0, private readonly end = buf.length) {
    this.pos = offset;
  }

  get offset(): number { return this.pos; }
  get remaining(): number { return this.end - this.pos; }

  private need(n: number, what: string): number {
    if (n > this.end - this.pos) {
      throw new KafkaProtocolError(`${what}: need ${n} bytes at offset ${this.pos}, ${this.remaining} remain`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(): number { return this.buf.readInt8(this.need(1, 'int8')); }
  int16(): number { return this.buf.readInt16BE(this.need(2, 'int16')); }
  int32(): number { return this.buf.readInt32BE(this.need(4, 'int32')); }
  int64(): bigint { return this.buf.readBigInt64BE(this.need(8, 'int64')); }
  uint16(): number { return this.buf.readUInt16BE(this.need(2, 'uint16')); }
  uint32(): number { return this.buf.readUInt32BE(this.need(4, 'uint32')); }
  float64(): number { return this.buf.readDoubleBE(this.need(8, 'float64')); }
  /** Kafka's BOOLEAN: 0 is false, any other byte is true. */
  bool(): boolean { return this.buf[this.need(1, 'boolean')] !== 0; }

  /** UUID: 16 raw bytes, returned as Kafka's Uuid.toString() (base64url without padding). */
  uuid(): string { return this.raw(16, 'uuid').toString('base64url'); }

  /** `n` raw bytes as a view into the frame (no copy). */
  raw(n: number, what = 'bytes'): Buffer {
    const at = this.need(n, what);
    return this.buf.subarray(at, at + n);
  }

  /** UNSIGNED_VARINT: LEB128, at most 5 bytes for 32 bits (ByteUtils.readUnsignedVarint). */
  unsignedVarint(): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.buf[this.need(1, 'varint')]!;
      value += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        if (value > 0xffff_ffff) throw new KafkaProtocolError(`varint ${value} does not fit 32 bits`);
        return value;
      }
    }
    throw new KafkaProtocolError(`varint longer than 5 bytes at offset ${this.pos}`);
  }

  /** VARINT: zig-zag over an unsigned varint (used inside records). */
  varint(): number {
    const u = this.unsignedVarint();
    return (u % 2 === 0) ? u / 2 : -(u + 1) / 2;
  }

  /** VARLONG: zig-zag over up to 10 LEB128 bytes. */
  varlong(): bigint {
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.buf[this.need(1, 'varlong')]!;
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) {
        if (value >= 1n << 64n) throw new KafkaProtocolError('varlong does not fit 64 bits');
        return (value >> 1n) ^ -(value & 1n);
      }
    }
    throw new KafkaProtocolError(`varlong longer than 10 bytes at offset ${this.pos}`);
  }

  /** A length read from the frame, checked against what remains: -1 means null where allowed. */
  private length(len: number, nullable: boolean, what: string): number | null {
    if (len === -1 && nullable) return null;
    if (len < 0) throw new KafkaProtocolError(`${what}: ${len === -1 ? 'null where the field is not nullable' : `bad length ${len}`}`);
    if (len > this.remaining) throw new KafkaProtocolError(`${what}: length ${len} but ${this.remaining} bytes remain`);
    return len;
  }

  private text(len: number | null): string | null {
    return len === null ? null : this.raw(len, 'string').toString('utf8');
  }

  /** STRING / NULLABLE_STRING: int16 length, -1 = null. */
  nullableString(): string | null { return this.text(this.length(this.int16(), true, 'string')); }
  string(): string { return this.text(this.length(this.int16(), false, 'string'))!; }
  /** COMPACT_(NULLABLE_)STRING: unsigned varint length + 1, 0 = null. */
  compactNullableString(): string | null { return this.text(this.length(this.unsignedVarint() - 1, true, 'compact string')); }
  compactString(): string { return this.text(this.length(this.unsignedVarint() - 1, false, 'compact string'))!; }

  /** BYTES / NULLABLE_BYTES / RECORDS: int32 length, -1 = null; a view into the frame. */
  nullableBytes(): Buffer | null {
    const len = this.length(this.int32(), true, 'bytes');
    return len === null ? null : this.raw(len);
  }
  bytes(): Buffer { return this.raw(this.length(this.int32(), false, 'bytes')!); }
  compactNullableBytes(): Buffer | null {
    const len = this.length(this.unsignedVarint() - 1, true, 'compact bytes');
    return len === null ? null : this.raw(len);
  }
  compactBytes(): Buffer { return this.raw(this.length(this.unsignedVarint() - 1, false, 'compact bytes')!); }

  /**
   * ARRAY count (int32, -1 = null) or COMPACT_ARRAY count (uvarint count + 1, 0 = null). As in
   * Kafka's generated readers, a count above the remaining bytes is refused before any element
   * is read, which also bounds the element loop.
   */
  arrayLength(compact: boolean, nullable: boolean): number | null {
    const len = compact ? this.unsignedVarint() - 1 : this.int32();
    return this.length(len, nullable, compact ? 'compact array' : 'array');
  }

  array<T>(compact: boolean, readElement: (r: Reader) => T): T[] {
    const n = this.arrayLength(compact, false)!;
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = readElement(this);
    return out;
  }

  nullableArray<T>(compact: boolean, readElement: (r: Reader) => T): T[] | null {
    const n = this.arrayLength(compact, true);
    if (n === null) return null;
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = readElement(this);
    return out;
  }

  /**
   * TAGGED_FIELDS: uvarint count, then per field uvarint tag, uvarint size, payload. `onTag` gets a
   * Reader limited to the payload and returns false for a tag it does not know; such payloads are
   * skipped, as Kafka's generated code keeps them as unknown tagged fields. Tags must ascend.
   */
  taggedFields(onTag: (tag: number, payload: Reader) => boolean = () => false): void {
    const count = this.unsignedVarint();
    if (count > this.remaining) throw new KafkaProtocolError(`${count} tagged fields but ${this.remaining} bytes remain`);
    let previous = -1;
    for (let i = 0; i < count; i++) {
      const tag = this.unsignedVarint();
      if (tag <= previous) throw new KafkaProtocolError(`tagged field ${tag} after ${previous}: tags must ascend`);
      previous = tag;
      const size = this.length(this.unsignedVarint(), false, `tagged field ${tag}`)!;
      const start = this.need(size, `tagged field ${tag}`);
      const payload = new Reader(this.buf, start, start + size);
      if (onTag(tag, payload) && payload.remaining !== 0) {
        throw new KafkaProtocolError(`tagged field ${tag}: ${payload.remaining} bytes left after its value`);
      }
    }
  }
}
