import { AmqpCodecError } from './errors.js';
import { ReplyCodes } from './reply-codes.js';

/** Growable big-endian buffer for encoding frames (AMQP 0-9-1 §4.2.5). */
export class AmqpWriter {
  private buf: Buffer;
  private length = 0;
  constructor(initial = 256) { this.buf = Buffer.allocUnsafe(initial); }

  get size(): number { return this.length; }

  private room(n: number): number {
    if (this.length + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  u8(v: number): this { this.buf.writeUInt8(v, this.room(1)); return this; }
  i8(v: number): this { this.buf.writeInt8(v, this.room(1)); return this; }
  u16(v: number): this { this.buf.writeUInt16BE(v, this.room(2)); return this; }
  i16(v: number): this { this.buf.writeInt16BE(v, this.room(2)); return this; }
  u32(v: number): this { this.buf.writeUInt32BE(v, this.room(4)); return this; }
  i32(v: number): this { this.buf.writeInt32BE(v, this.room(4)); return this; }
  u64(v: bigint): this { this.buf.writeBigUInt64BE(v, this.room(8)); return this; }
  i64(v: bigint): this { this.buf.writeBigInt64BE(v, this.room(8)); return this; }
  f32(v: number): this { this.buf.writeFloatBE(v, this.room(4)); return this; }
  f64(v: number): this { this.buf.writeDoubleBE(v, this.room(8)); return this; }
  bytes(b: Uint8Array): this { this.buf.set(b, this.room(b.length)); return this; }

  shortstr(s: string): this {
    const b = Buffer.from(s, 'utf8');
    // A shortstr is at most 255 bytes; refusing here keeps a bad reply-text from corrupting the stream.
    if (b.length > 255) throw new AmqpCodecError(ReplyCodes.INTERNAL_ERROR, `shortstr of ${b.length} bytes`);
    return this.u8(b.length).bytes(b);
  }

  longstr(b: Uint8Array | string): this {
    const bytes = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
    return this.u32(bytes.length).bytes(bytes);
  }

  /** Reserve a u32 length, run `body`, then patch the length with the bytes it wrote. */
  sized(body: () => void): this {
    const at = this.room(4);
    body();
    this.buf.writeUInt32BE(this.length - at - 4, at);
    return this;
  }

  patchU32(at: number, v: number): void { this.buf.writeUInt32BE(v, at); }

  toBuffer(): Buffer { return Buffer.from(this.buf.subarray(0, this.length)); }
}
