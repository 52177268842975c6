import { AmqpCodecError, AmqpProtocolHeaderError } from './errors.js';
import { FRAME_END, FRAME_HEADER_SIZE, FRAME_MIN_SIZE, FRAME_OVERHEAD, PROTOCOL_HEADER, type RawFrame } from './frames.js';
import { ReplyCodes } from './reply-codes.js';

/** RabbitMQ tolerates clients overshooting frame_max by this much (rabbit_reader ?FRAME_SIZE_FUDGE). */
export const FRAME_SIZE_FUDGE = FRAME_OVERHEAD;

/** "AMQP" 1 1 0 9: RabbitMQ's own old 0-9 header, accepted as 0-9-1 (rabbit_reader version_negotiation). */
const LEGACY_0_9_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 1, 1, 0, 9]);

export interface StreamDecoderOptions {
  /** Expect the 8-byte protocol header first (the server side of a connection). Default true. */
  readonly expectProtocolHeader?: boolean;
  /** Largest frame accepted, header and end octet included; 0 = no limit. Default 4096 (pre-tune). */
  readonly frameMax?: number;
}

/**
 * Cuts a TCP byte stream into frames (AMQP 0-9-1 §4.2.3): any chunking, partial frames, many frames
 * per chunk. Errors are fatal for the connection: AmqpProtocolHeaderError (answer `reply`, close)
 * or AmqpCodecError FRAME_ERROR 501 (bad end octet, frame over frame_max).
 */
export class AmqpStreamDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private awaitingHeader: boolean;
  private frameMax: number;
  private failed: Error | undefined;

  constructor(options: StreamDecoderOptions = {}) {
    this.awaitingHeader = options.expectProtocolHeader ?? true;
    this.frameMax = options.frameMax ?? FRAME_MIN_SIZE;
  }

  /** The limit after tune-ok (connection.tune-ok frame-max; 0 = none). */
  setFrameMax(frameMax: number): void { this.frameMax = frameMax; }

  /** Feeds a chunk; returns the frames it completed. After an error every call rethrows it. */
  push(chunk: Buffer): RawFrame[] {
    if (this.failed) throw this.failed;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    try {
      return this.drain();
    } catch (err) {
      this.failed = err as Error;
      throw err;
    }
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number { return this.pending.length; }

  private drain(): RawFrame[] {
    const frames: RawFrame[] = [];
    let at = 0;
    if (this.awaitingHeader) {
      at = this.checkProtocolHeader();
      if (at === 0) return frames;
    }
    while (this.pending.length - at >= FRAME_HEADER_SIZE) {
      const size = this.pending.readUInt32BE(at + 3);
      this.checkSize(size);
      const end = at + FRAME_HEADER_SIZE + size;
      if (this.pending.length < end + 1) break;
      if (this.pending[end] !== FRAME_END) {
        throw new AmqpCodecError(ReplyCodes.FRAME_ERROR, `invalid frame end marker 0x${this.pending[end]!.toString(16)}`);
      }
      frames.push({
        type: this.pending[at]!, channel: this.pending.readUInt16BE(at + 1),
        // Copy so a retained payload does not pin the whole read buffer.
        payload: Buffer.from(this.pending.subarray(at + FRAME_HEADER_SIZE, end)),
      });
      at = end + 1;
    }
    this.pending = this.pending.subarray(at);
    return frames;
  }

  /** Returns 8 once a valid header is complete, 0 while it is still arriving; throws on a mismatch. */
  private checkProtocolHeader(): number {
    const n = Math.min(this.pending.length, PROTOCOL_HEADER.length);
    const got = this.pending.subarray(0, n);
    const matches = (h: Buffer) => got.equals(h.subarray(0, n));
    // Refuse as soon as the bytes cannot become a header we speak (an HTTP GET, a TLS hello, 0-8…).
    if (!matches(PROTOCOL_HEADER) && !matches(LEGACY_0_9_HEADER)) {
      throw new AmqpProtocolHeaderError(Buffer.from(got), PROTOCOL_HEADER);
    }
    if (n < PROTOCOL_HEADER.length) return 0;
    this.awaitingHeader = false;
    return PROTOCOL_HEADER.length;
  }

  private checkSize(size: number): void {
    if (this.frameMax === 0) return;
    const limit = this.frameMax - FRAME_OVERHEAD;
    if (size > limit + FRAME_SIZE_FUDGE) {
      // rabbit_reader: fatal_frame_error({frame_too_large, PayloadSize, FrameMax - ?EMPTY_FRAME_SIZE}).
      throw new AmqpCodecError(ReplyCodes.FRAME_ERROR, `frame_too_large: payload ${size} bytes, maximum ${limit}`);
    }
  }
}
