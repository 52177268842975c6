/**
 * Turning a received byte stream into frames. A connection asks for one frame at a time, so it can
 * stop in the middle of a received chunk (backpressure) and keep the rest for later.
 */
import { FrameError } from '../errors.js';

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
 * it. Returns frame bodies, without the prefix. Chunks are kept as they arrive and joined only
 * when a frame spans several, so a large frame delivered in many small chunks is copied once.
 */
export class LengthPrefixedFramer implements Framer {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  /** Body length of the frame being collected, once its prefix has arrived; -1 before. */
  private expected = -1;

  /** A length < 0 or > maxFrameBytes throws FrameError as soon as the prefix is complete, before
   *  any of the body is buffered. */
  constructor(public maxFrameBytes: number) {}

  get buffered(): number { return this.bufferedBytes; }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
  }

  next(): Buffer | null {
    if (this.expected < 0) {
      if (this.bufferedBytes < FRAME_HEADER_BYTES) return null;
      this.expected = this.readLength();
    }
    if (this.bufferedBytes < FRAME_HEADER_BYTES + this.expected) return null;
    const frame = this.take(FRAME_HEADER_BYTES + this.expected).subarray(FRAME_HEADER_BYTES);
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
    const head = this.chunks[0]!.length >= FRAME_HEADER_BYTES ? this.chunks[0]! : this.join();
    const len = head.readInt32BE(0);
    if (len < 0 || len > this.maxFrameBytes) {
      throw new FrameError(`frame length ${len} is negative or above the maximum of ${this.maxFrameBytes}`, len, this.maxFrameBytes);
    }
    return len;
  }

  private join(): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bufferedBytes);
    this.chunks = [all];
    return all;
  }

  /** Remove and return the first n buffered bytes. */
  private take(n: number): Buffer {
    const first = this.chunks[0]!.length >= n ? this.chunks[0]! : this.join();
    const out = first.subarray(0, n);
    const rest = first.subarray(n);
    if (rest.length > 0) this.chunks[0] = rest; else this.chunks.shift();
    this.bufferedBytes -= n;
    return out;
  }
}

/** Prefix a body with its 4-byte big-endian length. */
export function encodeFrame(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, FRAME_HEADER_BYTES);
  return out;
}
