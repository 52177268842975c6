/**
 * Writes Kafka's primitive types into a growable buffer (Java: org.apache.kafka.common.protocol.
 * Writable). Values that cannot be represented (a string longer than int16, a number that is not
 * an int16, null where not nullable) fail with KafkaProtocolError rather than writing a frame the
 * client would misread.
 */
import { KafkaProtocolError } from './protocol-error.js';

const INITIAL_CAPACITY = 256;
/** Below this, referenced bytes are copied anyway: a separate chunk costs more than a small copy. */
export const REFERENCE_MIN_BYTES = 4096;

function checkInt(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new KafkaProtocolError(`${what}: ${value} is not an integer in [${min}, ${max}]`);
  }
}

export class Writer {
  private buf: Buffer;
  private pos = 0;
  /** Pieces before the current segment: views of `buf` (owned, patchable) and referenced buffers. */
  private readonly chunks: { bytes: Buffer; owned: boolean }[] = [];
  private chunkedBytes = 0;
  /** Where the current segment starts in `buf`. */
  private segmentStart = 0;

  constructor(capacity = INITIAL_CAPACITY) { this.buf = Buffer.allocUnsafe(capacity); }

  /** Bytes written so far, referenced ones included. */
  get length(): number { return this.chunkedBytes + this.pos - this.segmentStart; }

  private ensure(n: number): number {
    if (this.pos + n > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(grown, 0, 0, this.pos);
      this.buf = grown;
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** The bytes written so far in one Buffer (referenced bytes are copied in): valid until the next write. */
  finish(): Buffer {
    const current = this.buf.subarray(this.segmentStart, this.pos);
    if (this.chunks.length === 0) return current;
    return Buffer.concat([...this.chunks.map((c) => c.bytes), current], this.length);
  }

  /**
   * The bytes written so far as a list of Buffers for socket.writev/cork, referenced bytes (Fetch
   * records) included without a copy.
   */
  finishChunks(): Buffer[] {
    const out = this.chunks.map((c) => c.bytes);
    if (this.pos > this.segmentStart) out.push(this.buf.subarray(this.segmentStart, this.pos));
    return out;
  }

  /**
   * Appends `bytes` by reference: finishChunks() returns them as their own chunk, so the caller must
   * not change them until the chunks are written. Small ones are copied.
   */
  reference(bytes: Buffer): this {
    if (bytes.length < REFERENCE_MIN_BYTES) return this.raw(bytes);
    if (this.pos > this.segmentStart) this.pushChunk(this.buf.subarray(this.segmentStart, this.pos), true);
    this.pushChunk(bytes, false);
    this.segmentStart = this.pos;
    return this;
  }

  private pushChunk(bytes: Buffer, owned: boolean): void {
    this.chunks.push({ bytes, owned });
    this.chunkedBytes += bytes.length;
  }

  /** Overwrites an int32 already written at `offset` (frame sizes, lengths known afterwards). */
  patchInt32(offset: number, value: number): void {
    checkInt(value, -(2 ** 31), 2 ** 31 - 1, 'int32');
    const outside = () => new KafkaProtocolError(`patch at ${offset} outside the ${this.length} bytes written by this writer`);
    if (offset < 0) throw outside();
    let start = 0;
    for (const chunk of this.chunks) {
      if (offset < start + chunk.bytes.length) {
        // Only bytes this writer wrote can be patched, and all four in one piece.
        if (!chunk.owned || offset + 4 > start + chunk.bytes.length) throw outside();
        chunk.bytes.writeInt32BE(value, offset - start);
        return;
      }
      start += chunk.bytes.length;
    }
    const at = this.segmentStart + offset - start;
    if (at + 4 > this.pos) throw outside();
    this.buf.writeInt32BE(value, at);
  }

  int8(v: number): this { checkInt(v, -128, 127, 'int8'); const at = this.ensure(1); this.buf.writeInt8(v, at); return this; }
  int16(v: number): this { checkInt(v, -32768, 32767, 'int16'); const at = this.ensure(2); this.buf.writeInt16BE(v, at); return this; }
  int32(v: number): this { checkInt(v, -(2 ** 31), 2 ** 31 - 1, 'int32'); const at = this.ensure(4); this.buf.writeInt32BE(v, at); return this; }
  uint16(v: number): this { checkInt(v, 0, 0xffff, 'uint16'); const at = this.ensure(2); this.buf.writeUInt16BE(v, at); return this; }
  uint32(v: number): this { checkInt(v, 0, 0xffff_ffff, 'uint32'); const at = this.ensure(4); this.buf.writeUInt32BE(v, at); return this; }
  float64(v: number): this { const at = this.ensure(8); this.buf.writeDoubleBE(v, at); return this; }
  bool(v: boolean): this { const at = this.ensure(1); this.buf[at] = v ? 1 : 0; return this; }

  int64(v: bigint): this {
    if (typeof v !== 'bigint' || v < -(1n << 63n) || v >= 1n << 63n) throw new KafkaProtocolError(`int64: ${String(v)} out of range`);
    const at = this.ensure(8); this.buf.writeBigInt64BE(v, at);
    return this;
  }

  uuid(v: string): this {
    const bytes = Buffer.from(v, 'base64url');
    if (bytes.length !== 16 || bytes.toString('base64url') !== v) throw new KafkaProtocolError(`uuid: ${v} is not 16 bytes in base64url`);
    return this.raw(bytes);
  }

  raw(bytes: Uint8Array): this { const at = this.ensure(bytes.length); this.buf.set(bytes, at); return this; }

  unsignedVarint(v: number): this {
    checkInt(v, 0, 0xffff_ffff, 'unsigned varint');
    while (v >= 0x80) {
      const at = this.ensure(1);
      this.buf[at] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    const last = this.ensure(1);
    this.buf[last] = v;
    return this;
  }

  varint(v: number): this {
    checkInt(v, -(2 ** 31), 2 ** 31 - 1, 'varint');
    return this.unsignedVarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  varlong(v: bigint): this {
    if (v < -(1n << 63n) || v >= 1n << 63n) throw new KafkaProtocolError(`varlong: ${v} out of range`);
    let u = v >= 0n ? v << 1n : ((-v) << 1n) - 1n;
    while (u >= 0x80n) {
      const at = this.ensure(1);
      this.buf[at] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    const last = this.ensure(1);
    this.buf[last] = Number(u);
    return this;
  }

  private lengthPrefix(len: number | null, compact: boolean, wide: boolean): void {
    if (compact) this.unsignedVarint(len === null ? 0 : len + 1);
    else if (wide) this.int32(len ?? -1);
    else this.int16(len ?? -1);
  }

  /** STRING / NULLABLE_STRING (int16 length) or their COMPACT forms (uvarint length + 1). */
  string(v: string | null, compact = false): this {
    if (v === null) { this.lengthPrefix(null, compact, false); return this; }
    if (typeof v !== 'string') throw new KafkaProtocolError(`string: got ${typeof v}`);
    const bytes = Buffer.from(v, 'utf8');
    if (!compact && bytes.length > 0x7fff) throw new KafkaProtocolError(`string of ${bytes.length} bytes exceeds int16`);
    this.lengthPrefix(bytes.length, compact, false);
    return this.raw(bytes);
  }

  /** BYTES / NULLABLE_BYTES (int32 length) or COMPACT_BYTES (uvarint length + 1). */
  bytes(v: Uint8Array | null, compact = false): this {
    if (v !== null && !(v instanceof Uint8Array)) throw new KafkaProtocolError(`bytes: got ${typeof v}`);
    this.lengthPrefix(v === null ? null : v.length, compact, true);
    return v === null ? this : this.raw(v);
  }

  /** RECORDS: laid out as bytes, but the batches are referenced, not copied (see reference()). */
  records(v: Buffer | null, compact = false): this {
    if (v !== null && !Buffer.isBuffer(v)) throw new KafkaProtocolError(`records: got ${typeof v}`);
    this.lengthPrefix(v === null ? null : v.length, compact, true);
    return v === null ? this : this.reference(v);
  }

  /** ARRAY count (int32, -1 = null) or COMPACT_ARRAY count (uvarint count + 1, 0 = null). */
  arrayLength(n: number | null, compact: boolean): this {
    this.lengthPrefix(n, compact, true);
    return this;
  }

  array<T>(items: readonly T[] | null, compact: boolean, writeElement: (w: Writer, item: T) => void): this {
    this.arrayLength(items === null ? null : items.length, compact);
    for (const item of items ?? []) writeElement(this, item);
    return this;
  }

  /** TAGGED_FIELDS with none set: a single zero count. */
  noTaggedFields(): this { return this.unsignedVarint(0); }
}
