import { FrameError } from '../../core/errors.js';
import type { Framer } from '../../core/net/framer.js';
import { FRAME_END, FRAME_HEADER_SIZE, FRAME_MIN_SIZE, FRAME_OVERHEAD } from '../protocol/frames.js';
import { FRAME_SIZE_FUDGE } from '../protocol/stream-decoder.js';

/** A frame the framer refuses; the connection answers connection.close 501 FRAME_ERROR with `detail`. */
export class AmqpFrameError extends FrameError {
  constructor(readonly detail: string, length: number, maxFrameBytes: number) {
    super(detail, length, maxFrameBytes);
  }
}

/**
 * AMQP 0-9-1 frames (§4.2.3: type u8, channel u16, size u32, payload, 0xCE) for core/net's
 * Connection, one at a time so reading can pause mid-chunk. Returns the whole frame (header and
 * end octet included) as a view of the received bytes. The protocol header is not its business:
 * the connection inspects it as the preface. Before tune-ok the limit is 4096 (rabbit_reader
 * initial frame_max); RabbitMQ accepts ?FRAME_SIZE_FUDGE bytes more than the negotiated limit.
 */
export class AmqpFramer implements Framer {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  /** Largest frame, header and end octet included; 0 = no limit. */
  frameMax = FRAME_MIN_SIZE;

  get buffered(): number { return this.bufferedBytes; }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
  }

  next(): Buffer | null {
    if (this.bufferedBytes < FRAME_HEADER_SIZE) return null;
    const head = this.chunks[0]!.length >= FRAME_HEADER_SIZE ? this.chunks[0]! : this.join();
    const size = head.readUInt32BE(3);
    if (this.frameMax !== 0 && size > this.frameMax - FRAME_OVERHEAD + FRAME_SIZE_FUDGE) {
      throw new AmqpFrameError(`frame_too_large: payload ${size} bytes, maximum ${this.frameMax - FRAME_OVERHEAD}`, size, this.frameMax);
    }
    const total = size + FRAME_OVERHEAD;
    if (this.bufferedBytes < total) return null;
    const frame = this.take(total);
    if (frame[total - 1] !== FRAME_END) {
      throw new AmqpFrameError(`invalid frame end marker 0x${frame[total - 1]!.toString(16)}`, size, this.frameMax);
    }
    return frame;
  }

  private join(): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bufferedBytes);
    this.chunks = [all];
    return all;
  }

  private take(n: number): Buffer {
    const first = this.chunks[0]!.length >= n ? this.chunks[0]! : this.join();
    const out = first.subarray(0, n);
    const rest = first.subarray(n);
    if (rest.length > 0) this.chunks[0] = rest; else this.chunks.shift();
    this.bufferedBytes -= n;
    return out;
  }
}
