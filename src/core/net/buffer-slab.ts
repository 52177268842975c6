/**
 * Buffers for received data a server keeps (an AMQP message's content, held until it is
 * consumed), carved one after another out of shared slabs: one ArrayBuffer per `slabBytes`
 * instead of Node's 8 KiB pool behind Buffer.allocUnsafe. Each ArrayBuffer costs an allocation,
 * V8's external-memory accounting and, as kept bytes grow, the collections that accounting
 * triggers: with 200,000 × 1 KB messages kept in a queue (bench:amqp-race, publish only),
 * creating pools was 18 % of the server's CPU; with 32 KiB slabs the server's CPU per message
 * in that row went from 8.5 to 7.9 µs (3 alternated rounds). A slab is freed once none of its
 * buffers is referenced, as a pool is: a message kept long pins its slab, so slabs stay small
 * (32 KiB, 4 pools). Anything larger than `largestCarved` gets an ArrayBuffer of its own.
 */
export class BufferSlab {
  private slab: Buffer | null = null;
  private used = 0;

  constructor(private readonly slabBytes = 32 * 1024, private readonly largestCarved = 4 * 1024) {}

  /** `bytes` uninitialized bytes (fill them all). */
  take(bytes: number): Buffer {
    if (bytes > this.largestCarved) return Buffer.allocUnsafeSlow(bytes);
    let slab = this.slab;
    if (slab === null || slab.length - this.used < bytes) {
      slab = this.slab = Buffer.allocUnsafeSlow(this.slabBytes);
      this.used = 0;
    }
    const out = slab.subarray(this.used, this.used + bytes);
    this.used += bytes;
    return out;
  }
}
