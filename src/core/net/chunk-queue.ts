/**
 * Received bytes kept as the chunks they arrived in, joined only when a read spans several, so a
 * large frame delivered in many small chunks is copied once. What a Framer reads frames from
 * (the length-prefixed framer of ZooKeeper and Kafka, the AMQP framer).
 */
export class ChunkQueue {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;

  /** Bytes received and not yet taken. */
  get length(): number { return this.bufferedBytes; }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
  }

  /** A buffer starting at the first unread byte and holding at least n bytes (n ≤ length). */
  head(n: number): Buffer {
    return this.chunks[0]!.length >= n ? this.chunks[0]! : this.join();
  }

  /** Remove and return the first n bytes (n ≤ length), a view of the received bytes. */
  take(n: number): Buffer {
    const first = this.head(n);
    const out = first.subarray(0, n);
    const rest = first.subarray(n);
    if (rest.length > 0) this.chunks[0] = rest; else this.chunks.shift();
    this.bufferedBytes -= n;
    return out;
  }

  private join(): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bufferedBytes);
    this.chunks = [all];
    return all;
  }
}
