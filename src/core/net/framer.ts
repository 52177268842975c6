/**
 * Turning a received byte stream into frames. A connection asks for one frame at a time, so it can
 * stop in the middle of a received chunk (backpressure) and keep the rest for later.
 */
import { FrameError } from '../errors.js';
import { ChunkQueue } from './chunk-queue.js';

/** Splits a byte stream into frames; unread bytes stay inside until asked for. */
export interface Framer {
  /** Bytes received and not yet returned as a frame. */
  readonly buffered: number;
  append(chunk: Buffer): void;
  /**
   * The next complete frame, or null until more bytes arrive. Throws FrameError on a header the
   * protocol refuses; the framer is unusable afterwards (the connection closes).
   */
  next(): Buffer | null;
}

/** Size of the length prefix of a LengthPrefixedFramer frame. */
export const FRAME_HEADER_BYTES = 4;

/**
 * Frames made of a 4-byte big-endian signed length and that many bytes: ZooKeeper
 * (NIOServerCnxn.readLength / ClientCnxnSocket.readLength) and Kafka (NetworkReceive) both use
 * it. Returns frame bodies, without the prefix (received bytes in a ChunkQueue: a frame spanning
 * many chunks is copied once).
 */
export class LengthPrefixedFramer implements Framer {
  private readonly bytes = new ChunkQueue();
  /** Body length of the frame being collected, once its prefix has arrived; -1 before. */
  private expected = -1;

  /** A length < 0 or > maxFrameBytes throws FrameError as soon as the prefix is complete, before
   *  any of the body is buffered. */
  constructor(public maxFrameBytes: number) {}

  get buffered(): number { return this.bytes.length; }

  append(chunk: Buffer): void { this.bytes.append(chunk); }

  next(): Buffer | null {
    if (this.expected < 0) {
      if (this.bytes.length < FRAME_HEADER_BYTES) return null;
      this.expected = this.readLength();
    }
    if (this.bytes.length < FRAME_HEADER_BYTES + this.expected) return null;
    this.bytes.skip(FRAME_HEADER_BYTES);
    const frame = this.bytes.take(this.expected);
    this.expected = -1;
    return frame;
  }

  /** Append `chunk` and return every frame now complete, in order (for readers that never pause). */
  push(chunk: Buffer): Buffer[] {
    this.append(chunk);
    const frames: Buffer[] = [];
    for (let frame = this.next(); frame !== null; frame = this.next()) frames.push(frame);
    return frames;
  }

  private readLength(): number {
    const len = this.bytes.int32BE(0);
    if (len < 0 || len > this.maxFrameBytes) {
      throw new FrameError(`frame length ${len} is negative or above the maximum of ${this.maxFrameBytes}`, len, this.maxFrameBytes);
    }
    return len;
  }
}

/** Prefix a body with its 4-byte big-endian length. */
export function encodeFrame(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, FRAME_HEADER_BYTES);
  return out;
}
