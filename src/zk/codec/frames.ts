/**
 * ZooKeeper client frames: a 4-byte big-endian length followed by that many bytes
 * (NIOServerCnxn.readLength / readPayload, ClientCnxnSocket.readLength).
 */
import { ZkCodecError } from './errors.js';

/** jute.maxbuffer's default (BinaryInputArchive.maxBuffer = 0xfffff). */
export const DEFAULT_MAX_BUFFER = 0xfffff;

/**
 * Splits a byte stream into frame bodies. Chunks are kept as they arrive and joined once a whole
 * frame is there, so a large frame delivered in many small chunks is copied once.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Body length of the frame being collected, once its 4-byte prefix has arrived. */
  private expected = -1;

  /** maxBuffer: ZooKeeper closes the connection for a length < 0 or > jute.maxbuffer ("Len error"). */
  constructor(readonly maxBuffer: number = DEFAULT_MAX_BUFFER) {}

  /** Bytes received but not yet returned as a frame. */
  get pending(): number { return this.buffered; }

  /** Feed received bytes; returns every frame body now complete, in order. */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length === 0) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) break;
        this.expected = this.readLength();
      }
      if (this.buffered < 4 + this.expected) break;
      const frame = this.take(4 + this.expected);
      frames.push(frame.subarray(4));
      this.expected = -1;
    }
    return frames;
  }

  private readLength(): number {
    const head = this.chunks[0].length >= 4 ? this.chunks[0] : this.join();
    const len = head.readInt32BE(0);
    if (len < 0 || len > this.maxBuffer) {
      // After this error the reader is unusable: ZooKeeper closes the connection.
      throw new ZkCodecError('too-large', `Len error: frame length ${len} is negative or above jute.maxbuffer=${this.maxBuffer}`);
    }
    return len;
  }

  private join(): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [all];
    return all;
  }

  /** Remove and return the first n buffered bytes. */
  private take(n: number): Buffer {
    const first = this.chunks[0].length >= n ? this.chunks[0] : this.join();
    const out = first.subarray(0, n);
    const rest = first.subarray(n);
    if (rest.length > 0) this.chunks[0] = rest; else this.chunks.shift();
    this.buffered -= n;
    return out;
  }
}

/** Prefix a body with its 4-byte big-endian length. */
export function encodeFrame(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}
