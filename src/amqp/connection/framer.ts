import { FrameError } from '../../core/errors.js';
import { ChunkQueue } from '../../core/net/chunk-queue.js';
import type { Framer } from '../../core/net/framer.js';
import { FRAME_END, FRAME_HEADER_SIZE, FRAME_MIN_SIZE, FRAME_OVERHEAD, FRAME_SIZE_FUDGE } from '../protocol/frames.js';

/** A frame the framer refuses; the connection answers connection.close 501 FRAME_ERROR with `detail`. */
export class AmqpFrameError extends FrameError {
  constructor(readonly detail: string, length: number, maxFrameBytes: number) {
    super(detail, length, maxFrameBytes);
  }
}

/**
 * AMQP 0-9-1 frames (§4.2.3: type u8, channel u16, size u32, payload, 0xCE) for core/net's
 * Connection, one at a time so reading can pause mid-chunk. Returns the frame's payload as a view
 * of the received bytes, its type and channel in `type` and `channel` until the next call (one
 * Buffer view per frame: the header is read in place). The protocol header is not its business:
 * the connection inspects it as the preface. Before tune-ok the limit is 4096 (rabbit_reader
 * initial frame_max); RabbitMQ accepts ?FRAME_SIZE_FUDGE bytes more than the negotiated limit.
 */
export class AmqpFramer implements Framer {
  private readonly bytes = new ChunkQueue();
  /** Largest frame, header and end octet included; 0 = no limit. */
  frameMax = FRAME_MIN_SIZE;
  /** Type and channel of the frame next() returned last. */
  type = 0;
  channel = 0;

  get buffered(): number { return this.bytes.length; }

  append(chunk: Buffer): void { this.bytes.append(chunk); }

  next(): Buffer | null {
    if (this.bytes.length < FRAME_HEADER_SIZE) return null;
    const size = this.bytes.uint32BE(3);
    if (this.frameMax !== 0 && size > this.frameMax - FRAME_OVERHEAD + FRAME_SIZE_FUDGE) {
      throw new AmqpFrameError(`frame_too_large: payload ${size} bytes, maximum ${this.frameMax - FRAME_OVERHEAD}`, size, this.frameMax);
    }
    const total = size + FRAME_OVERHEAD;
    if (this.bytes.length < total) return null;
    const end = this.bytes.uint8(total - 1);
    if (end !== FRAME_END) throw new AmqpFrameError(`invalid frame end marker 0x${end.toString(16)}`, size, this.frameMax);
    this.type = this.bytes.uint8(0);
    this.channel = this.bytes.uint16BE(1);
    this.bytes.skip(FRAME_HEADER_SIZE);
    const payload = this.bytes.take(size);
    this.bytes.skip(1);
    return payload;
  }
}
