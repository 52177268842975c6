import { AmqpCodecError } from './errors.js';
import { ReplyCodes } from './reply-codes.js';

/** Growable big-endian buffer for encoding frames (AMQP 0-9-1 §4.2.5). */
export class AmqpWriter {
  private buf: Buffer;
  private length = 0;
  constructor(initial = 256) { this.buf = Buffer.allocUnsafe(initial); }

  get size(): number { return this.length; }

  /** Grows the buffer and returns where n bytes go. Callers take the offset before touching this.buf:
   *  `this.buf.x(v, this.room(n))` would write into the buffer this call just replaced. */
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

  u8(v: number): this { const at = this.room(1); this.buf.writeUInt8(v, at); return this; }
  i8(v: number): this { const at = this.room(1); this.buf.writeInt8(v, at); return this; }
  u16(v: number): this { const at = this.room(2); this.buf.writeUInt16BE(v, at); return this; }
  i16(v: number): this { const at = this.room(2); this.buf.writeInt16BE(v, at); return this; }
  u32(v: number): this { const at = this.room(4); this.buf.writeUInt32BE(v, at); return this; }
  i32(v: number): this { const at = this.room(4); this.buf.writeInt32BE(v, at); return this; }
  u64(v: bigint): this { const at = this.room(8); this.buf.writeBigUInt64BE(v, at); return this; }
  i64(v: bigint): this { const at = this.room(8); this.buf.writeBigInt64BE(v, at); return this; }
  f32(v: number): this { const at = this.room(4); this.buf.writeFloatBE(v, at); return this; }
  f64(v: number): this { const at = this.room(8); this.buf.writeDoubleBE(v, at); return this; }
  bytes(b: Uint8Array): this { const at = this.room(b.length); this.buf.set(b, at); return this; }

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


  toBuffer(): Buffer { return Buffer.from(this.buf.subarray(0, this.length)); }
}
