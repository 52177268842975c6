import type { Logger } from '../../core/logger.js';
import type { AmqpMessage, QueuedMessage } from '../broker/message.js';
import type { StoredMessage } from '../store/message-record.js';
import type { AppendOptions, Placement, QueueMessageStore } from '../store/queue-store.js';
import type { PagedBatch, PagedTail, PendingSlot } from './paged-tail.js';

/** What the page writer sees of its DurableMessageStore, as it is at each call. */
export interface PagingHost {
  readonly vhost: string;
  readonly queue: string;
  readonly logger: Logger;
  /** The queue's store once open (null while it opens). */
  readonly disk: QueueMessageStore | null;
  /** The store when an append can go to it now (not while it opens or a purge runs). */
  readonly appendable: QueueMessageStore | null;
  /** Bumped by every purge and delete: a batch appended before drops its result. */
  readonly epoch: number;
  /** Bumped by a purge that removes the store's files (locations restart). */
  readonly generation: number;
  /** A disk removal the broker's next round trip must wait for (DurableMessageStore.onRemoval). */
  removed(removal: Promise<unknown>): void;
  /** An append in order with every other: now if appendable, else once the store opened or the
   *  purge ended. */
  append(message: StoredMessage, opts: AppendOptions): Promise<number>;
}

/**
 * The messages of a durable queue that arrive behind its full window (durable-message-store.ts,
 * "Paging"): each is appended as a ready index entry of the queue's QueueMessageStore and its body
 * kept in the PagedTail only until the append resolves. Appends of one commit batch share one
 * PagedBatch (no promise or closure per message); while the store opens or a purge runs, an append
 * waits with a promise of its own.
 */
export class PageWriter {
  /** A paged append failed and none has succeeded since (the log stays failed until a restart or
   *  purge): paged transient messages are then confirmed only once written, so a confirming
   *  publisher gets a nack for one that is lost instead of an ack. */
  private appendFailing = false;
  /** The commit batch the last paged appends joined (pageOut's fast path). */
  private pagedBatch: PagedBatch | null = null;

  constructor(private readonly tail: PagedTail, private readonly host: PagingHost) {}

  /**
   * A message behind a full window: appended as a ready index entry, its body kept (PendingSlot)
   * only until the append resolves; the queue's order is the index's. The returned entry of a
   * persistent message carries the append for the publisher's confirm; a transient one is
   * confirmed at once (rabbit_amqqueue_process:send_or_record_confirm waits — `eventually` — only
   * for a persistent message in a durable queue; any other is confirmed `immediately`), unless
   * appends are failing. A transient one whose append fails is lost
   * (logged), as RabbitMQ's queue loses its transient messages when its store write crashes it.
   */
  pageOut(message: AmqpMessage, expiresAt: number | undefined, persistent: boolean): QueuedMessage {
    const record = expiresAt === undefined ? message : { ...message, expiresAt };
    const placement: Placement = {};
    if (this.host.appendable?.appendPaged(record, placement)) return this.pagedAt(message, expiresAt, persistent, placement);
    return this.pageOutLater(record, message, expiresAt, persistent);
  }

  /** pageOut() with the log open: placed at once, in the commit batch's PagedBatch. */
  private pagedAt(message: AmqpMessage, expiresAt: number | undefined, persistent: boolean, placement: Placement): QueuedMessage {
    const stored = placement.stored!;
    const entry: QueuedMessage = expiresAt === undefined ? { seq: 0, message, redelivered: false } : { seq: 0, message, redelivered: false, expiresAt };
    if (placement.location === undefined) {
      // Not encodable (nothing was appended): refused — a confirming publisher gets a nack.
      stored.catch((err: Error) => this.host.logger.error({ vhost: this.host.vhost, queue: this.host.queue, err: err.message }, 'amqp message store append failed'));
      entry.stored = stored;
      return entry;
    }
    let batch = this.pagedBatch;
    if (!batch || batch.stored !== stored || batch.epoch !== this.host.epoch || batch.generation !== this.host.generation) {
      const b: PagedBatch = batch = this.pagedBatch = { stored, epoch: this.host.epoch, generation: this.host.generation, locations: [], slots: [] };
      stored.then(() => this.pagedBatchStored(b), (err: Error) => this.pagedBatchFailed(b, err));
    }
    this.tail.addPending(placement.location, { message, stored, taken: false }, batch);
    if (persistent || this.appendFailing) entry.stored = stored;
    return entry;
  }

  private pagedBatchStored(batch: PagedBatch): void {
    if (this.pagedBatch === batch) this.pagedBatch = null;
    this.appendFailing = false;
    if (batch.epoch === this.host.epoch) return this.tail.released(batch);
    // Purged while its appends ran, by a purge that kept the store's files: they go now.
    const disk = this.host.disk;
    if (batch.generation !== this.host.generation || !disk) return;
    for (const location of batch.locations) if (disk.has(location)) this.host.removed(disk.remove(location));
  }

  private pagedBatchFailed(batch: PagedBatch, err: Error): void {
    if (this.pagedBatch === batch) this.pagedBatch = null;
    if (batch.epoch !== this.host.epoch) return;
    this.tail.failed(batch);
    this.appendFailing = true;
    this.host.logger.error({ vhost: this.host.vhost, queue: this.host.queue, err: err.message, messages: batch.locations.length }, 'amqp message store append failed');
  }

  /** pageOut() while the log opens (or a purge runs): a promise of its own, located once appended. */
  private pageOutLater(record: StoredMessage, message: AmqpMessage, expiresAt: number | undefined, persistent: boolean): QueuedMessage {
    const epoch = this.host.epoch;
    const generation = this.host.generation;
    const slot: PendingSlot = { message, stored: null as unknown as Promise<number>, taken: false };
    let location = -1;
    this.tail.count++;
    this.tail.bytes += message.body.length;
    this.tail.unlocated++;
    const located = (at: number): void => {
      location = at;
      if (epoch !== this.host.epoch) return;
      this.tail.unlocated--;
      this.tail.pending.set(at, slot);
    };
    const stored = slot.stored = this.host.append(record, { located });
    const confirmOn = persistent || this.appendFailing ? stored : undefined;
    stored.then(() => {
      this.appendFailing = false;
      if (epoch === this.host.epoch) this.tail.pending.delete(location);
      // Purged while its append ran, by a purge that kept the store's files: it goes now.
      else if (generation === this.host.generation && this.host.disk?.has(location)) this.host.removed(this.host.disk.remove(location));
    }, (err: Error) => {
      if (epoch !== this.host.epoch) return;
      if (location < 0) this.tail.unlocated--;
      this.tail.pending.delete(location);
      if (!slot.taken) {
        this.tail.count--;
        this.tail.bytes -= message.body.length;
      }
      this.appendFailing = true;
      this.host.logger.error({ vhost: this.host.vhost, queue: this.host.queue, err: err.message, persistent }, 'amqp message store append failed');
    });
    const entry: QueuedMessage = expiresAt === undefined ? { seq: 0, message, redelivered: false } : { seq: 0, message, redelivered: false, expiresAt };
    if (confirmOn) entry.stored = confirmOn;
    return entry;
  }
}
