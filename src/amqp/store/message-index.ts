/** One live message as the broker sees it after recovery (no body: it stays on disk). */
export interface IndexEntry {
  /** Where read() and remove() find it: its offset in the queue's message log. */
  location: number;
  bodySize: number;
  priority: number;
  /** Expiry deadline (epoch ms), null when none. */
  expiresAt: number | null;
  /** Requeued at least once; after a crash every recovered message (RabbitMQ's rabbit_variable_queue
   *  does not trust delivery marks then), after a clean stop only those the index file marks. */
  redelivered: boolean;
  /** Delivered and not acked yet (never true right after recovery). */
  delivered: boolean;
}

const REMOVED = 1;
const REDELIVERED = 2;
/** Delivered to a consumer, not acked yet: not ready, still live (RabbitMQ's "unacked"). */
const DELIVERED = 4;
/** A transient message paged to the log: never recovered, its removal needs no ack record. */
const TRANSIENT = 8;
/** A chunk starts this small (a queue holding a handful of messages costs a few hundred bytes)
 *  and doubles until it holds MAX_CHUNK entries; then a new chunk starts. */
const FIRST_CHUNK = 16;
const MAX_CHUNK = 8192;

/** Entries in offset order, column by column in typed arrays: 14 bytes a message (22 with a deadline). */
class Chunk {
  offsets: Float64Array;
  sizes: Uint32Array;
  priorities: Uint8Array;
  flags: Uint8Array;
  /** Allocated when the first message with a deadline arrives in this chunk. */
  deadlines: Float64Array | null = null;
  count = 0;
  live = 0;
  /** Entries before this one are removed. */
  head = 0;

  constructor(capacity: number) {
    this.offsets = new Float64Array(capacity);
    this.sizes = new Uint32Array(capacity);
    this.priorities = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  get capacity(): number { return this.offsets.length; }

  grow(capacity: number): void {
    const copy = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => { const b = make(capacity); b.set(a); return b; };
    this.offsets = copy(this.offsets, (n) => new Float64Array(n));
    this.sizes = copy(this.sizes, (n) => new Uint32Array(n));
    this.priorities = copy(this.priorities, (n) => new Uint8Array(n));
    this.flags = copy(this.flags, (n) => new Uint8Array(n));
    if (this.deadlines) this.deadlines = copy(this.deadlines, (n) => new Float64Array(n));
  }

  /** First entry at or after `offset` (count when none). */
  lowerBound(offset: number): number {
    let lo = this.head, hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid]! < offset) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  indexOf(offset: number): number {
    let lo = this.head, hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.offsets[mid]!;
      if (at === offset) return mid;
      if (at < offset) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  bytes(): number {
    return this.offsets.byteLength + this.sizes.byteLength + this.priorities.byteLength + this.flags.byteLength + (this.deadlines?.byteLength ?? 0);
  }
}

/**
 * The in-memory index of one queue's live messages, in queue (offset) order — what lets a queue
 * larger than memory keep only ~14 bytes a message in RAM while bodies stay on disk (LavinMQ keeps
 * a segment position per message in the same spirit). Entries are appended in increasing offset
 * order; removal marks an entry and frees whole chunks once their every entry is removed.
 */
export class MessageIndex {
  private chunks: Chunk[] = [];
  private liveCount = 0;
  private liveBodyBytes = 0;
  private deliveredCount = 0;
  /** No ready entry lies below this offset: where nextReady() starts looking. */
  private readyFrom = 0;

  /** `maxChunk`: entries per full chunk (tests make it small to cross chunk boundaries often). */
  constructor(private readonly maxChunk = MAX_CHUNK) {}

  get size(): number { return this.liveCount; }
  /** Live and not delivered (RabbitMQ's messages_ready). */
  get readyCount(): number { return this.liveCount - this.deliveredCount; }
  /** Delivered, waiting for an ack (messages_unacknowledged). */
  get deliveredSize(): number { return this.deliveredCount; }
  get bodyBytes(): number { return this.liveBodyBytes; }

  /** Bytes of the typed arrays that hold the index. */
  get memoryBytes(): number {
    let bytes = 0;
    for (const c of this.chunks) bytes += c.bytes();
    return bytes;
  }

  /** `held`: entered as delivered — a durable queue keeps this message in its in-memory window,
   *  so nextReady() (its paged tail) skips it; a restart makes it ready again. `transient`: a
   *  transient message paged to the log (isTransient). */
  push(offset: number, bodySize: number, priority: number, expiresAt: number | null, redelivered: boolean, held = false, transient = false): void {
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || chunk.count === this.maxChunk) this.chunks.push(chunk = new Chunk(Math.min(FIRST_CHUNK, this.maxChunk)));
    else if (chunk.count === chunk.capacity) chunk.grow(Math.min(this.maxChunk, chunk.capacity * 2));
    const i = chunk.count++;
    chunk.offsets[i] = offset;
    chunk.sizes[i] = bodySize;
    chunk.priorities[i] = priority;
    chunk.flags[i] = (redelivered ? REDELIVERED : 0) | (held ? DELIVERED : 0) | (transient ? TRANSIENT : 0);
    if (held) this.deliveredCount++;
    if (expiresAt !== null) {
      chunk.deadlines ??= new Float64Array(chunk.capacity);
      chunk.deadlines[i] = expiresAt;
    }
    chunk.live++;
    this.liveCount++;
    this.liveBodyBytes += bodySize;
  }

  private find(offset: number): { chunk: Chunk; i: number } | null {
    let lo = 0, hi = this.chunks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid]!;
      if (offset < chunk.offsets[0]!) hi = mid - 1;
      else if (offset > chunk.offsets[chunk.count - 1]!) lo = mid + 1;
      else {
        const i = chunk.indexOf(offset);
        return i < 0 || (chunk.flags[i]! & REMOVED) !== 0 ? null : { chunk, i };
      }
    }
    return null;
  }

  has(offset: number): boolean { return this.find(offset) !== null; }

  /** Live and entered as transient. */
  isTransient(offset: number): boolean {
    const found = this.find(offset);
    return found !== null && (found.chunk.flags[found.i]! & TRANSIENT) !== 0;
  }

  /** Mark removed; false when not live (unknown or removed already). */
  remove(offset: number): boolean {
    const found = this.find(offset);
    if (!found) return false;
    const { chunk, i } = found;
    if ((chunk.flags[i]! & DELIVERED) !== 0) this.deliveredCount--;
    chunk.flags[i]! |= REMOVED;
    chunk.live--;
    this.liveCount--;
    this.liveBodyBytes -= chunk.sizes[i]!;
    while (chunk.head < chunk.count && (chunk.flags[chunk.head]! & REMOVED) !== 0) chunk.head++;
    // Free a chunk once nothing in it is live, wherever it is (acks out of order); the last one
    // stays, appends go on filling it.
    if (chunk.live === 0) {
      const last = this.chunks[this.chunks.length - 1];
      this.chunks = this.chunks.filter((c) => c.live > 0 || c === last);
    }
    return true;
  }

  /** The oldest ready message (queue order), null when none is ready. */
  nextReady(): IndexEntry | null {
    const lo = this.firstChunkReaching(this.readyFrom);
    for (let k = lo; k < this.chunks.length; k++) {
      const c = this.chunks[k]!;
      for (let i = k === lo ? c.lowerBound(this.readyFrom) : c.head; i < c.count; i++) {
        if ((c.flags[i]! & (REMOVED | DELIVERED)) !== 0) continue;
        this.readyFrom = c.offsets[i]!;
        return entryAt(c, i);
      }
    }
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.count > 0) this.readyFrom = last.offsets[last.count - 1]! + 1;
    return null;
  }

  /** A ready message was handed to a consumer: unacked until removed or requeued. */
  markDelivered(offset: number): boolean {
    const found = this.find(offset);
    if (!found || (found.chunk.flags[found.i]! & DELIVERED) !== 0) return false;
    found.chunk.flags[found.i]! |= DELIVERED;
    this.deliveredCount++;
    return true;
  }

  /** An unacked message back to ready in its original position, marked redelivered
   *  (basic.reject/nack with requeue, basic.recover, channel closed); `redelivered` false: it
   *  never reached a consumer (a paged read-ahead whose read failed puts it back unmarked). */
  requeue(offset: number, redelivered = true): boolean {
    const found = this.find(offset);
    if (!found || (found.chunk.flags[found.i]! & DELIVERED) === 0) return false;
    found.chunk.flags[found.i] = (found.chunk.flags[found.i]! & ~DELIVERED) | (redelivered ? REDELIVERED : 0);
    this.deliveredCount--;
    if (offset < this.readyFrom) this.readyFrom = offset;
    return true;
  }

  /** Note that a live message went to a consumer and came back (requeued in the broker's memory,
   *  where the index does not follow it): a clean stop's index file keeps the mark. */
  markRedelivered(offset: number): boolean {
    const found = this.find(offset);
    if (!found) return false;
    found.chunk.flags[found.i]! |= REDELIVERED;
    return true;
  }

  /** Whether a live message has an offset in [from, to): binary search to the first chunk that
   *  reaches `from`, then a scan that stops at the first live entry (compaction asks this of
   *  each closed message segment). */
  anyLiveIn(from: number, to: number): boolean {
    for (let k = this.firstChunkReaching(from); k < this.chunks.length; k++) {
      const c = this.chunks[k]!;
      if (c.live === 0) continue;
      for (let i = c.lowerBound(from); i < c.count; i++) {
        if (c.offsets[i]! >= to) return false;
        if ((c.flags[i]! & REMOVED) === 0) return true;
      }
    }
    return false;
  }

  /** The offsets of the live messages in [from, to), ascending, when their bodies plus `overhead`
   *  bytes each come to at most `maxBytes`; null (as soon as it is known) when they come to more.
   *  What a compaction keeps of a closed message segment worth rewriting. */
  liveOffsetsIn(from: number, to: number, maxBytes: number, overhead: number): number[] | null {
    const out: number[] = [];
    let bytes = 0;
    for (let k = this.firstChunkReaching(from); k < this.chunks.length; k++) {
      const c = this.chunks[k]!;
      if (c.live === 0) continue;
      for (let i = c.lowerBound(from); i < c.count; i++) {
        if (c.offsets[i]! >= to) return out;
        if ((c.flags[i]! & REMOVED) !== 0) continue;
        bytes += c.sizes[i]! + overhead;
        if (bytes > maxBytes) return null;
        out.push(c.offsets[i]!);
      }
    }
    return out;
  }

  /** Index of the first chunk whose last entry is at or after `offset` (binary search). */
  private firstChunkReaching(offset: number): number {
    let lo = 0, hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.chunks[mid]!;
      if (c.count === 0 || c.offsets[c.count - 1]! < offset) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Offset of the oldest live message, null when none. */
  firstLive(): number | null {
    for (const c of this.chunks) if (c.live > 0) return c.offsets[c.head]!;
    return null;
  }

  /** Visit live persistent entries (transient ones are never recovered) in queue order without
   *  making objects (deadline 0 = none); returns how many it visited. */
  forEachLivePersistent(visit: (offset: number, bodySize: number, priority: number, deadline: number, redelivered: boolean) => void): number {
    let visited = 0;
    for (const c of this.chunks) {
      for (let i = c.head; i < c.count; i++) {
        const flags = c.flags[i]!;
        if ((flags & (REMOVED | TRANSIENT)) !== 0) continue;
        visited++;
        visit(c.offsets[i]!, c.sizes[i]!, c.priorities[i]!, c.deadlines ? c.deadlines[i]! : 0, (flags & REDELIVERED) !== 0);
      }
    }
    return visited;
  }

  /** Live entries in queue order (one object per entry, made as iterated). */
  *entries(): Generator<IndexEntry> {
    for (const c of this.chunks) {
      for (let i = c.head; i < c.count; i++) {
        if ((c.flags[i]! & REMOVED) === 0) yield entryAt(c, i);
      }
    }
  }

  clear(): void {
    this.chunks = [];
    this.liveCount = 0;
    this.liveBodyBytes = 0;
    this.deliveredCount = 0;
    this.readyFrom = 0;
  }
}

function entryAt(c: Chunk, i: number): IndexEntry {
  const flags = c.flags[i]!;
  const deadline = c.deadlines ? c.deadlines[i]! : 0;
  return {
    location: c.offsets[i]!, bodySize: c.sizes[i]!, priority: c.priorities[i]!, expiresAt: deadline === 0 ? null : deadline,
    redelivered: (flags & REDELIVERED) !== 0, delivered: (flags & DELIVERED) !== 0,
  };
}
