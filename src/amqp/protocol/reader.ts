import { AmqpCodecError } from './errors.js';
import { ReplyCodes } from './reply-codes.js';

/**
 * Cursor over one frame payload (AMQP 0-9-1 §4.2.5, big-endian). Reading past the end is a
 * FRAME_ERROR, as RabbitMQ answers a payload it cannot decode (rabbit_reader, frame_error).
 */
export class AmqpReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number { return this.buf.length - this.offset; }

  private take(n: number): number {
    if (n > this.remaining) throw new AmqpCodecError(ReplyCodes.FRAME_ERROR, `payload truncated: need ${n} bytes, have ${this.remaining}`);
    const at = this.offset;
    this.offset += n;
    return at;
  }

  skip(n: number): void { this.take(n); }
  u8(): number { return this.buf.readUInt8(this.take(1)); }
  i8(): number { return this.buf.readInt8(this.take(1)); }
  u16(): number { return this.buf.readUInt16BE(this.take(2)); }
  i16(): number { return this.buf.readInt16BE(this.take(2)); }
  u32(): number { return this.buf.readUInt32BE(this.take(4)); }
  i32(): number { return this.buf.readInt32BE(this.take(4)); }
  u64(): bigint { return this.buf.readBigUInt64BE(this.take(8)); }
  i64(): bigint { return this.buf.readBigInt64BE(this.take(8)); }
  f32(): number { return this.buf.readFloatBE(this.take(4)); }
  f64(): number { return this.buf.readDoubleBE(this.take(8)); }
  bytes(n: number): Buffer { const at = this.take(n); return this.buf.subarray(at, at + n); }
  /** Decoded in place (no Buffer view per string: two per publish, exchange and routing key). */
  shortstr(): string { const n = this.u8(); const at = this.take(n); return this.buf.toString('utf8', at, at + n); }
  longstr(): Buffer { return this.bytes(this.u32()); }
}
