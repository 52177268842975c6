import type { Socket } from 'node:net';

/** Bytes of the buffer that reserve() fills: many small messages (an AMQP delivery is 1–2 KB) per
 *  write, and one allocation for all of them. */
const SLAB_BYTES = 64 * 1024;

/**
 * Writes made in one event-loop turn leave in one write syscall: the first write of a turn corks
 * the socket and the uncork runs on the next tick, so a pipelined batch of replies (or of a
 * client's requests) becomes one writev instead of one syscall and one TCP segment each.
 *
 * A writer that builds its bytes in place (reserve + commit) writes them into one shared buffer
 * instead of a buffer of its own: a turn's deliveries reach the socket as one buffer, without a
 * Buffer object and a stream write request each (bench:amqp-race rows, 4 alternated rounds: server
 * CPU per message 21.1 → 19.9 µs persistent with confirms, 7.95 → 7.73 µs transient 1→1).
 */
export class CorkedWriter {
  private corked = false;
  private slab: Buffer | null = null;
  /** slab[start, used) is committed and not yet handed to the socket. */
  private start = 0;
  private used = 0;
  /** Where the bytes of the last reserve() go in its buffer. */
  at = 0;
  private readonly uncork = (): void => {
    this.corked = false;
    this.flushSlab();
    this.socket.uncork();
  };

  constructor(private readonly socket: Socket) {}

  /** Bytes committed and not yet given to the socket (written at the end of this turn). */
  get pending(): number { return this.used - this.start; }

  /** Queue bytes for this turn's write; returns socket.write's answer (false = above its mark). */
  write(bytes: Buffer): boolean {
    this.cork();
    this.flushSlab();
    return this.socket.write(bytes);
  }

  /** A buffer with room for `bytes` at `this.at`: fill them, then commit(bytes), before any other write. */
  reserve(bytes: number): Buffer {
    this.cork();
    let slab = this.slab;
    if (slab === null || slab.length - this.used < bytes) {
      this.flushSlab();
      slab = this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, bytes));
      this.start = this.used = 0;
    }
    this.at = this.used;
    return slab;
  }

  commit(bytes: number): void { this.used += bytes; }

  /** Hand what reserve() built to the socket now (before the socket is ended). */
  flush(): void { this.flushSlab(); }

  private cork(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(this.uncork);
  }

  private flushSlab(): void {
    if (this.used === this.start) return;
    // Destroyed or ended later in the turn than the bytes were built (the connection was dropped):
    // they go nowhere. An orderly close flushes first (Connection.endSocket).
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.write(this.slab!.subarray(this.start, this.used));
    this.start = this.used;
  }
}
