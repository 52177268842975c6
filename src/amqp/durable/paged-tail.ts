import type { AmqpMessage } from '../broker/message.js';
import type { IndexEntry } from '../store/message-index.js';
import type { QueueMessageStore } from '../store/queue-store.js';

/**
 * How much of a durable FIFO queue's ready messages is held in memory (message objects with their
 * bodies); the rest exists only as index entries of its QueueMessageStore. RabbitMQ's
 * rabbit_variable_queue moves messages from delta (on disk only) to q3 (in memory) one queue
 * index segment at a time — 2048 sequence ids, maybe_deltas_to_betas — and CQv2 (3.10,
 * `queue_version = 2`) keeps a similar bounded window; the byte bound keeps a queue of large
 * messages small too.
 */
export interface WindowLimits {
  /** Ready messages kept in memory (at most; a read-ahead refills below half of it). */
  messages: number;
  /** Body bytes of the ready messages kept in memory. */
  bytes: number;
}

export const DEFAULT_WINDOW: WindowLimits = { messages: 2048, bytes: 8 * 1024 * 1024 };

/** A paged message whose append has not resolved: read() cannot see it yet, so its body stays
 *  here until then (what makes it deliverable before it is durable, as today). */
export interface PendingSlot {
  readonly message: AmqpMessage;
  stored: Promise<unknown>;
  /** Taken into a read-ahead batch (its accounting moved to the window). */
  taken: boolean;
}

/** The paged appends of one commit batch (and one purge epoch): they share the batch's promise
 *  and are released together when it settles — no promise or closure per message. */
export interface PagedBatch {
  readonly stored: Promise<unknown>;
  readonly epoch: number;
  readonly generation: number;
  readonly locations: number[];
  readonly slots: PendingSlot[];
}

/** One paged message of a read-ahead batch (persistent or transient: both are in the log). */
export interface Slot { readonly entry: IndexEntry; readonly pending: PendingSlot | undefined }

/** A read-ahead's batch while it loads; drop-head may take its first `dropped` slots meanwhile. */
export interface Landing {
  readonly slots: readonly Slot[];
  dropped: number;
}

/** A message read ahead, ready to enter the window. */
export interface Loaded {
  readonly message: AmqpMessage;
  readonly expiresAt: number | undefined;
  readonly redelivered: boolean;
  /** Where it is in the queue's log. */
  readonly location: number;
  /** Its append, when it had not resolved as it was taken. */
  readonly stored: Promise<unknown> | undefined;
}

/**
 * The part of a durable queue's ready messages that is not in memory: index entries (the
 * QueueMessageStore's ready entries: the window's are entered "held"), persistent and transient
 * alike, in publish order. Counts what it holds (readyCount and readyBytes include it) and picks
 * the next batch, in queue order, for the window.
 */
export class PagedTail {
  count = 0;
  bytes = 0;
  /** Paged appends whose location is not known yet (the message log still opening). */
  unlocated = 0;
  private pendingSlots: Map<number, PendingSlot> | null = null;
  /** Paged messages whose append has not resolved, by location (made on first use: every FIFO
   *  queue — 10k idle ones too — has a PagedTail). */
  get pending(): Map<number, PendingSlot> { return this.pendingSlots ??= new Map(); }
  /** Locations taken by the read-ahead under way (a purge that keeps the store removes them). */
  limbo: number[] = [];
  /** The batch the read-ahead under way is loading (the head of what is paged). */
  landing: Landing | null = null;

  /** A paged message placed at `location` (its body kept until its append resolves). */
  addPending(location: number, slot: PendingSlot, batch: PagedBatch): void {
    this.count++;
    this.bytes += slot.message.body.length;
    this.pending.set(location, slot);
    batch.locations.push(location);
    batch.slots.push(slot);
  }

  /** The batch is written: its bodies can be read from disk now. */
  released(batch: PagedBatch): void {
    for (const location of batch.locations) this.pending.delete(location);
  }

  /** The batch failed: its messages are gone from the index (QueueMessageStore), so from the
   *  count too — but those a read-ahead took already, which the window counts now. */
  failed(batch: PagedBatch): void {
    batch.locations.forEach((location, i) => {
      this.pending.delete(location);
      const slot = batch.slots[i]!;
      if (slot.taken) return;
      this.count--;
      this.bytes -= slot.message.body.length;
    });
  }

  /** Take up to `room` messages / `roomBytes` bytes from the head, in queue order; stored ones
   *  are marked in the index as held (they are about to enter the window). */
  take(disk: QueueMessageStore, room: number, roomBytes: number): Slot[] {
    const out: Slot[] = [];
    let bytes = 0;
    while (out.length < room && bytes < roomBytes) {
      const next = disk.nextReady();
      if (!next) break;
      disk.markDelivered(next.location);
      const pending = this.pending.get(next.location);
      if (pending) pending.taken = true;
      else this.limbo.push(next.location);
      out.push({ entry: next, pending });
      bytes += next.bodySize;
    }
    return out;
  }

  /** A read-ahead took `slots` and starts reading them. */
  loading(slots: readonly Slot[]): Landing {
    return this.landing = { slots, dropped: 0 };
  }

  /** The batch is loaded: what drop-head did not take meanwhile enters the window (counted off). */
  landed(batch: Landing, loaded: Loaded[]): Loaded[] {
    if (this.landing === batch) this.landing = null;
    this.limbo = [];
    for (let i = batch.dropped; i < batch.slots.length; i++) {
      this.count--;
      this.bytes -= batch.slots[i]!.entry.bodySize;
    }
    if (batch.dropped === 0) return loaded;
    const gone = new Set(batch.slots.slice(0, batch.dropped).map((s) => s.entry.location));
    return loaded.filter((l) => !gone.has(l.location));
  }

  /**
   * drop-head past the window: the oldest paged message goes unread — the next one of the batch
   * being loaded, else the tail's head — and is counted off at once. The caller removes it from
   * the index (a read still to come then skips it). Null when nothing is paged.
   */
  dropHead(disk: QueueMessageStore): Slot | null {
    if (this.count === 0) return null;
    const batch = this.landing;
    const slot = batch && batch.dropped < batch.slots.length ? batch.slots[batch.dropped++]! : this.take(disk, 1, Infinity)[0];
    if (!slot) return null;
    this.count--;
    this.bytes -= slot.entry.bodySize;
    const at = this.limbo.lastIndexOf(slot.entry.location);
    if (at >= 0) this.limbo.splice(at, 1);
    return slot;
  }

  /**
   * A batch whose read failed goes back where it was taken from, in order, so the next read-ahead
   * takes it again (rabbit_variable_queue loses nothing when a read fails: the queue process
   * crashes and recovers from disk; here the queue lives on and retries): back to ready in the
   * index, without a redelivered mark (no consumer saw them), pending appends untaken.
   */
  putBack(disk: QueueMessageStore, slots: readonly Slot[]): void {
    for (const slot of slots) {
      if (slot.pending) slot.pending.taken = false;
      disk.requeue(slot.entry.location, slot.entry.redelivered);
    }
    this.limbo = [];
  }

  /** Bodies of a batch: from memory for pending appends, else read from disk in location order
   *  (sequential: the store reads ahead 1 MiB per miss). */
  async read(disk: QueueMessageStore, slots: readonly Slot[]): Promise<Loaded[]> {
    const out: Loaded[] = [];
    for (const slot of slots) {
      const { entry, pending } = slot;
      const expiresAt = entry.expiresAt ?? undefined;
      if (pending) {
        out.push({ message: pending.message, expiresAt, redelivered: entry.redelivered, location: entry.location, stored: pending.stored });
        continue;
      }
      const stored = await disk.read(entry.location);
      if (!stored) continue;
      const message: AmqpMessage = {
        exchange: stored.exchange, routingKey: stored.routingKey, properties: stored.properties, body: stored.body,
        header: stored.header,
      };
      out.push({ message, expiresAt, redelivered: entry.redelivered, location: entry.location, stored: undefined });
    }
    return out;
  }

  /** Everything is gone (purge, delete): returns how many messages it held. */
  reset(): number {
    const n = this.count;
    this.count = 0;
    this.bytes = 0;
    this.unlocated = 0;
    this.pendingSlots = null;
    this.limbo = [];
    this.landing = null;
    return n;
  }
}
