import { StorageError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { AmqpMessage, QueuedMessage } from '../broker/message.js';
import { MemoryMessageStore, type MessageStore } from '../broker/message-store.js';
import type { StoredMessage } from '../store/message-record.js';
import { type Placement, QueueMessageStore } from '../store/queue-store.js';
import { PageWriter, type PagingHost } from './page-writer.js';
import { DEFAULT_WINDOW, type Landing, type Loaded, PagedTail, type Slot, type WindowLimits } from './paged-tail.js';
import type { QueueStorage } from './queue-storage.js';

/** delivery-mode 2: RabbitMQ writes these to a durable queue's message store. */
const PERSISTENT = 2;

/** A queued message with where the disk store placed it (Placement: its location, set as soon as
 *  the log assigns it — durable only once QueueMessageStore.isDurable says so; recovered messages
 *  have it from the start). */
interface StoredEntry extends QueuedMessage, Placement {
  /** The store generation it was appended in: a purge starts a new one (locations restart). */
  generation?: number;
}

/**
 * A durable queue's messages: persistent ones appended to the queue's QueueMessageStore (RabbitMQ
 * 3.10 classic queue: delivery-mode 2 in a durable queue is written to disk, transient ones stay
 * in memory — until paged, below — and are gone after a restart). A message is deliverable at once, before its append
 * resolves, as in RabbitMQ; an ack of it is written only after the append (remove chained on it).
 *
 * Paging (FIFO queues; priority queues keep every message in memory): only a bounded window of
 * ready messages is held in memory (`memory`, WindowLimits); once it is full, every message —
 * persistent or transient — exists only as an index entry on disk (PagedTail; appended by the
 * PageWriter, page-writer.ts; the body is dropped when the append resolves), in publish order. A transient one is confirmed at once (RabbitMQ
 * confirms a transient message on enqueue), never recovered, and its removal writes no ack record
 * (QueueMessageStore: isTransient); RabbitMQ's lazy classic queue pages transient messages to its
 * msg_store_transient in the same way (publish1, mode = lazy). As the window drains to half, a read-ahead
 * loads the next batch in order and calls onReady (rabbit_variable_queue: delta → q3). Recovery
 * reads only the index, then the first window's bodies; every recovered message is redelivered.
 */
export class DurableMessageStore implements MessageStore {
  private disk: QueueMessageStore | null = null;
  private opening: Promise<QueueMessageStore> | null = null;
  /** Appends wait for a running purge (the purge clears the store's index). */
  private purging: Promise<void> | null = null;
  private generation = 0;
  /** Persistent messages handed out and not yet settled or requeued. */
  private unackedStored = 0;
  /** What is not in the window; null: no paging (priority queue). */
  private readonly tail: PagedTail | null;
  /** Bumped by every purge and delete: a read-ahead or append started before drops its result. */
  private epoch = 0;
  /** The read-ahead under way; resolves with its failure (null when it loaded what it could). */
  private filling: Promise<Error | null> | null = null;
  private closed = false;
  /** The last append promise seen by appendHeld() (shared by the appends of one commit batch). */
  private lastStored: Promise<unknown> | null = null;
  /** The last removal promise seen by settle() (shared by the removals of one turn). */
  private lastRemoval: Promise<unknown> | null = null;
  /** Messages settled before their commit batch's append resolved, waiting for it together. */
  private removeAfter: { stored: Promise<unknown>; entries: StoredEntry[]; removal: Promise<unknown> } | null = null;
  /** Appends of messages behind the window (null: no paging, a priority queue). */
  private readonly pager: PageWriter | null;

  /** Messages became ready without a publish (a read-ahead finished): the queue delivers them. */
  onReady: (() => void) | null = null;

  /** Told of each disk removal (ack), for the broker to make the next round trip wait for it. */
  onRemoval: ((removal: Promise<unknown>) => void) | null = null;

  /** Told of a disk change the current request's own reply waits for: a purge that drops the
   *  queue's files (purge-ok, or the management API's 204, once they are gone for good). */
  onWrite: ((write: Promise<void>) => void) | null = null;

  private readonly volatile: boolean;

  /** `memory`: the queue's in-memory order (FIFO, or by priority: memoryStoreFor). `pressure`: a
   *  non-durable queue's store (createVolatile), paging past the window only while it says so. */
  private constructor(private readonly storage: QueueStorage, readonly vhost: string, readonly queue: string, private readonly memory: MessageStore,
    private readonly logger: Logger, private readonly window: WindowLimits, private readonly pressure: (() => boolean) | null = null,
    private readonly after: Promise<void> | undefined = undefined) {
    // Only a FIFO order pages: a priority queue's next message may be anywhere in the queue.
    this.tail = memory instanceof MemoryMessageStore ? new PagedTail() : null;
    this.pager = this.tail && new PageWriter(this.tail, this.pagingHost());
    this.volatile = pressure !== null;
    if (!this.volatile) void this.opened;
  }

  /** The queue's QueueMessageStore, opened on first use: at once for a durable queue (its files may
   *  hold messages), at the first page-out for a volatile one (an idle queue opens nothing). */
  private get opened(): Promise<QueueMessageStore> {
    if (this.opening) return this.opening;
    const { vhost, queue } = this;
    const open = (): Promise<QueueMessageStore> => QueueMessageStore.open(this.storage, vhost, queue, { volatile: this.volatile });
    const opening = this.opening = (this.after ? this.after.then(open) : open()).then((disk) => {
      this.disk = disk;
      return disk;
    });
    opening.catch((err: Error) => this.logger.error({ vhost, queue, err: err.message }, 'amqp queue store failed to open'));
    return opening;
  }

  /** A store for a queue declared now (its files are opened in the background, appends wait);
   *  not before `after`: the removal of a deleted queue's files in the same directory. */
  static create(storage: QueueStorage, vhost: string, queue: string, memory: MessageStore, logger: Logger,
    window: WindowLimits = DEFAULT_WINDOW, after?: Promise<void>): DurableMessageStore {
    return new DurableMessageStore(storage, vhost, queue, memory, logger, window, null, after);
  }

  /**
   * A non-durable FIFO queue's store (RabbitMQ pages a non-durable queue's messages to
   * msg_store_transient like a durable queue's transient ones): every message is transient here —
   * none is written while the window has room, none waits for the disk to be confirmed — and the
   * files, under a root the broker wipes at every start, are made only when the window first fills
   * while `pressure()` says memory is short (RabbitMQ's default-mode queue pages only then:
   * rabbit_memory_monitor lowers its target_ram_count); once paging, it goes on until the paged
   * messages are drained, so publish order holds.
   */
  static createVolatile(storage: QueueStorage, vhost: string, queue: string, memory: MemoryMessageStore, logger: Logger,
    window: WindowLimits, pressure: () => boolean, after?: Promise<void>): DurableMessageStore {
    return new DurableMessageStore(storage, vhost, queue, memory, logger, window, pressure, after);
  }

  /** A store with what earlier runs left: every live message, in order, redelivered — as index
   *  entries; the first window's bodies are read before it returns (a priority queue reads all). */
  static async recover(storage: QueueStorage, vhost: string, queue: string, memory: MessageStore, logger: Logger,
    window: WindowLimits = DEFAULT_WINDOW): Promise<DurableMessageStore> {
    const store = new DurableMessageStore(storage, vhost, queue, memory, logger, window);
    const disk = await store.opened;
    const tail = store.tail ?? new PagedTail();
    tail.count = disk.readyCount;
    tail.bytes = disk.bodyBytes;
    if (store.tail) {
      store.fill();
      await store.filling;
    } else {
      for (const loaded of await tail.read(disk, tail.take(disk, Infinity, Infinity))) store.enterWindow(loaded);
    }
    return store;
  }

  get readyCount(): number { return this.memory.readyCount + (this.tail?.count ?? 0); }
  get readyBytes(): number { return this.memory.readyBytes + (this.tail?.bytes ?? 0); }
  /** Ready messages held in memory (the window), for tests and status. */
  get windowCount(): number { return this.memory.readyCount; }
  /** Messages on disk (live in the queue's store), for tests and status. */
  get storedCount(): number { return this.disk?.messageCount ?? 0; }

  private windowFull(): boolean {
    return this.memory.readyCount >= this.window.messages || this.memory.readyBytes >= this.window.bytes;
  }

  enqueue(message: AmqpMessage, expiresAt?: number): QueuedMessage {
    const persistent = !this.volatile && message.properties.deliveryMode === PERSISTENT;
    const tail = this.tail;
    if (tail && (tail.count > 0 || (this.windowFull() && (this.pressure === null || this.pressure())))) return this.pager!.pageOut(message, expiresAt, persistent);
    const entry: StoredEntry = this.memory.enqueue(message, expiresAt);
    if (!persistent) return entry;
    entry.generation = this.generation;
    // The deadline is stored with the message, so a TTL survives a restart (one object per
    // message only when it has one: the record head is cached per message object).
    this.appendHeld(expiresAt === undefined ? message : { ...message, expiresAt }, entry);
    return entry;
  }

  /** Store a window message: entry.location at once, entry.stored the promise of its commit
   *  batch (shared with the batch's other messages: one failure log per batch). */
  private appendHeld(message: StoredMessage, entry: StoredEntry): void {
    const disk = this.disk;
    if (disk && !this.purging) disk.appendHeld(message, entry);
    else {
      const before = this.purging ?? this.opened;
      entry.stored = before.then(() => {
        this.disk!.appendHeld(message, entry);
        return entry.stored;
      });
    }
    const stored = entry.stored!;
    if (stored === this.lastStored) return;
    this.lastStored = stored;
    const generation = this.generation;
    stored.catch((err: Error) => {
      // The publisher (if confirming) gets a nack; a non-confirming one cannot be told (RabbitMQ
      // would crash the queue). The message stays in memory.
      if (generation === this.generation) this.logger.error({ vhost: this.vhost, queue: this.queue, err: err.message }, 'amqp message store append failed');
    });
  }

  /** What the page writer sees of this store: its state now (a purge or delete changes it). */
  private pagingHost(): PagingHost {
    const store = this;
    return {
      vhost: this.vhost, queue: this.queue, logger: this.logger,
      get disk() { return store.disk; },
      get appendable() { return store.purging ? null : store.disk; },
      get epoch() { return store.epoch; },
      get generation() { return store.generation; },
      removed: (removal) => store.onRemoval?.(removal),
      append: (message, opts) => {
        const disk = store.disk;
        if (disk && !store.purging) return disk.append(message, opts);
        return (store.purging ?? store.opened).then(() => store.disk!.append(message, opts));
      },
    };
  }

  /** A read-ahead message joins the window's tail (the window precedes the paged messages). */
  private enterWindow(loaded: Loaded): void {
    const entry: StoredEntry = this.memory.enqueue(loaded.message, loaded.expiresAt);
    entry.redelivered = loaded.redelivered;
    entry.location = loaded.location;
    entry.generation = this.generation;
    if (loaded.stored) entry.stored = loaded.stored;
  }

  /** Start a read-ahead unless one runs or nothing is paged. */
  private fill(): void {
    if (this.filling || !this.tail || this.tail.count === 0 || this.closed) return;
    this.filling = this.readAhead(this.tail).then(() => null, (err: Error) => {
      if (!this.closed) this.logger.error({ vhost: this.vhost, queue: this.queue, err: err.message }, 'amqp queue read-ahead failed');
      return err;
    }).finally(() => { this.filling = null; });
  }

  /** Load batches in queue order until the window is full or nothing is paged. */
  private async readAhead(tail: PagedTail): Promise<void> {
    const disk = await this.opened;
    while (!this.closed && tail.count > 0 && !this.windowFull()) {
      const epoch = this.epoch;
      const slots = tail.take(disk, this.window.messages - this.memory.readyCount, this.window.bytes - this.memory.readyBytes);
      if (slots.length === 0) {
        // Counted as paged but nothing to take: a waiting basic.get must not spin on it.
        if (tail.unlocated === 0) throw new StorageError(`queue ${this.queue}: ${tail.count} paged messages not in its index`);
        // Paged appends still waiting for the log to open: their entries come once it is.
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      const batch = tail.loading(slots);
      let loaded: Loaded[];
      try {
        loaded = await tail.read(disk, slots);
      } catch (err) {
        // Back to the tail, in order (but what drop-head took meanwhile), for the next read-ahead.
        if (epoch === this.epoch) {
          tail.putBack(disk, slots.slice(batch.dropped));
          this.removeDropped(disk, batch);
        } else tail.limbo = [];
        if (tail.landing === batch) tail.landing = null;
        throw err;
      }
      if (epoch !== this.epoch || this.closed) continue;
      this.removeDropped(disk, batch);
      for (const l of tail.landed(batch, loaded)) this.enterWindow(l);
      this.onReady?.();
    }
  }

  /**
   * drop-head reaching past the window (queue.ts, when no dead-letter exchange needs the bodies):
   * the oldest paged message is dropped unread, at once — RabbitMQ drops the real head wherever
   * it is (rabbit_variable_queue:drop/2 does not read a body it need not dead-letter), so the
   * queue never counts more than its max-length. Returns its body size; null when nothing is paged.
   */
  dropPagedHead(): number | null {
    const disk = this.disk;
    const batch = this.tail?.landing;
    const slot = disk && this.tail ? this.tail.dropHead(disk) : null;
    if (!disk || !slot) return null;
    // One of the batch being read leaves the index once the read is over (removeDropped).
    if (!batch?.slots.includes(slot)) this.removeStored(disk, slot);
    return slot.entry.bodySize;
  }

  /** The messages drop-head took from a batch while it was read: now off the disk. */
  private removeDropped(disk: QueueMessageStore, batch: Landing): void {
    for (let i = 0; i < batch.dropped; i++) this.removeStored(disk, batch.slots[i]!);
  }

  private removeStored(disk: QueueMessageStore, slot: Slot): void {
    const { location } = slot.entry;
    const generation = this.generation;
    // A pending append is removed once it resolved (never before: it would be written after).
    const removal = slot.pending
      ? slot.pending.stored.then(() => generation === this.generation && disk.remove(location), () => false)
      : disk.remove(location);
    this.onRemoval?.(removal);
  }

  /** Messages are ready but none in memory: resolves once the read-ahead has loaded some (or
   *  the queue was purged meanwhile); rejects when the read-ahead failed (messages exist but
   *  cannot be read: the caller must not answer as if the queue were empty). */
  whenReady(): Promise<void> | null {
    if (this.memory.readyCount > 0 || !this.tail || this.tail.count === 0) return null;
    this.fill();
    return this.filling?.then((err) => { if (err) throw err; }) ?? null;
  }

  peek(): QueuedMessage | undefined {
    const head = this.memory.peek();
    if (head === undefined) this.fill();
    return head;
  }

  next(): QueuedMessage | undefined {
    const entry = this.memory.next();
    if (entry?.stored !== undefined || (entry as StoredEntry | undefined)?.location !== undefined) this.unackedStored++;
    if (this.tail && this.tail.count > 0 && this.memory.readyCount * 2 <= this.window.messages) this.fill();
    return entry;
  }

  requeue(entry: QueuedMessage): void {
    if (isStored(entry)) {
      this.unackedStored--;
      this.markRedelivered(entry as StoredEntry);
    }
    this.memory.requeue(entry);
  }

  /** A stored message came back from a consumer: its index entry keeps that across a clean stop
   *  (RabbitMQ 3.10.8's queue index keeps delivery marks; a message never delivered comes back
   *  after a clean restart not redelivered). */
  private markRedelivered(e: StoredEntry): void {
    const generation = e.generation;
    const mark = (): void => { if (generation === this.generation && e.location !== undefined) this.disk?.markRedelivered(e.location); };
    if (e.location !== undefined) mark();
    else e.stored?.then(mark, () => { /* never stored */ });
  }

  /** Acked or dropped: removed from disk once its append resolved (never before: an ack record
   *  naming a location whose message a crash lost would remove the message that reuses it). */
  settle(entry: QueuedMessage): void {
    if (!isStored(entry)) return;
    this.unackedStored--;
    const e = entry as StoredEntry;
    const durable = e.location !== undefined && e.generation === this.generation && this.disk!.isDurable(e.location);
    const removal = durable || e.stored === undefined ? this.removeSettled(e) : this.removeWhenStored(e, e.stored);
    this.onRemoval?.(removal);
  }

  /** Remove a settled message whose append resolved (none if a purge since dropped the files). */
  private removeSettled(e: StoredEntry): Promise<unknown> {
    if (e.generation !== this.generation || e.location === undefined) return Promise.resolve();
    const removal = this.disk!.remove(e.location);
    // Removals of one turn share a promise (RemovalLog): log a failure once for them.
    if (removal !== this.lastRemoval) {
      this.lastRemoval = removal;
      removal.catch((err: Error) => {
        this.logger.error({ vhost: this.vhost, queue: this.queue, err: err.message }, 'amqp message store remove failed');
      });
    }
    return removal;
  }

  /** A message settled before its append resolved (a consumer acked it within the commit cycle):
   *  removed once it does. The messages of one commit batch share the append's promise and join
   *  one group, removed by one callback (no promise or closure per message). */
  private removeWhenStored(e: StoredEntry, stored: Promise<unknown>): Promise<unknown> {
    const group = this.removeAfter;
    if (group !== null && group.stored === stored) {
      group.entries.push(e);
      return group.removal;
    }
    const entries = [e];
    const removal = stored.then(() => {
      if (this.removeAfter?.stored === stored) this.removeAfter = null;
      const removals = new Set<Promise<unknown>>();
      for (const x of entries) removals.add(this.removeSettled(x));
      return removals.size === 1 ? removals.values().next().value : Promise.all(removals);
    }, () => { /* never stored: nothing to remove */ });
    this.removeAfter = { stored, entries, removal };
    return removal;
  }

  /**
   * queue.purge drops the ready messages. With no persistent message out for an ack the store's
   * files go at once (QueueMessageStore.purge: renamed aside, deleted); otherwise the ready
   * persistent ones are removed one by one, so the unacked ones stay on disk.
   */
  purge(): number {
    this.epoch++;
    if (this.unackedStored > 0) {
      let n = 0;
      for (let e = this.memory.next(); e; e = this.memory.next()) {
        n++;
        if (isStored(e)) {
          this.unackedStored++;
          this.settle(e);
        }
      }
      return n + this.purgeTail();
    }
    const n = this.memory.purge() + (this.tail?.reset() ?? 0);
    this.generation++;
    if (!this.opening) return n; // a volatile store that never paged: no files
    const previous = this.purging ?? this.opened;
    const purging: Promise<void> = previous.then(() => this.disk!.purge()).then(() => undefined, (err: Error) => {
      this.logger.error({ vhost: this.vhost, queue: this.queue, err: err.message }, 'amqp queue store purge failed');
    }).finally(() => { if (this.purging === purging) this.purging = null; });
    this.purging = purging;
    // Answered once done: a crash before the files are set aside would bring the messages back.
    if (!this.volatile) this.onWrite?.(purging);
    return n;
  }

  /** The paged messages of a purge that keeps the store (messages out for an ack): each paged
   *  entry removed from the index (appends still running: once they resolve, pageOut). */
  private purgeTail(): number {
    const tail = this.tail;
    const disk = this.disk;
    if (!tail || tail.count === 0) return 0;
    const removals: Promise<unknown>[] = [];
    if (disk) {
      const located = [...tail.limbo];
      for (let e = disk.nextReady(); e; e = disk.nextReady()) {
        disk.markDelivered(e.location);
        located.push(e.location);
      }
      for (const location of located) {
        const pending = tail.pending.get(location);
        removals.push(pending ? pending.stored.then(() => disk.remove(location), () => false) : disk.remove(location));
      }
    }
    if (removals.length > 0) this.onRemoval?.(Promise.all(removals));
    return tail.reset();
  }

  /** The queue was deleted: its files go (after pending appends; a later append fails). */
  async delete(): Promise<void> {
    this.epoch++;
    this.tail?.reset();
    this.memory.purge();
    this.generation++;
    await this.purging;
    if (!this.opening) return;
    const disk = await this.opened;
    await disk.delete();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.filling;
    await this.purging;
    if (!this.opening) return;
    const disk = await this.opened;
    await disk.close();
  }
}

function isStored(entry: QueuedMessage): boolean {
  return entry.stored !== undefined || (entry as StoredEntry).location !== undefined;
}
