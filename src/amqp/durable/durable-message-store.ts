import type { Logger } from '../../core/logger.js';
import type { AmqpMessage, QueuedMessage } from '../broker/message.js';
import type { MessageStore } from '../broker/message-store.js';
import { encodeContentHeader } from '../protocol/content.js';
import type { StoredMessage } from '../store/message-record.js';
import { QueueMessageStore } from '../store/queue-store.js';
import type { QueueStorage } from './queue-storage.js';

/** delivery-mode 2: RabbitMQ writes these to a durable queue's message store. */
const PERSISTENT = 2;

/** A queued message with what the disk store knows of it. */
interface StoredEntry extends QueuedMessage {
  /** Its location once the append resolved (recovered messages have it from the start). */
  location?: number;
  /** The store generation it was appended in: a purge starts a new one (locations restart). */
  generation?: number;
}

/**
 * A durable queue's messages: the queue order and every message in memory (MemoryMessageStore),
 * persistent ones also appended to the queue's QueueMessageStore (RabbitMQ 3.10 classic queue:
 * delivery-mode 2 in a durable queue is written to disk, transient ones stay in memory and are
 * gone after a restart). A message is deliverable at once, before its append resolves, as in
 * RabbitMQ; an ack of it is written only after the append (remove chained on the append).
 * Recovered messages come back in their order, redelivered.
 */
export class DurableMessageStore implements MessageStore {
  private disk: QueueMessageStore | null = null;
  private readonly opened: Promise<QueueMessageStore>;
  /** Appends wait for a running purge (the purge clears the store's index). */
  private purging: Promise<void> | null = null;
  private generation = 0;
  /** Persistent messages handed out and not yet settled or requeued. */
  private unackedStored = 0;

  /** Told of each disk removal (ack), for the broker to make the next round trip wait for it. */
  onRemoval: ((removal: Promise<unknown>) => void) | null = null;

  /** `memory`: the queue's in-memory order (FIFO, or by priority: memoryStoreFor). */
  private constructor(storage: QueueStorage, readonly vhost: string, readonly queue: string, private readonly memory: MessageStore,
    private readonly logger: Logger) {
    this.opened = QueueMessageStore.open(storage, vhost, queue).then((disk) => {
      this.disk = disk;
      return disk;
    });
    this.opened.catch((err: Error) => logger.error({ vhost, queue, err: err.message }, 'amqp queue store failed to open'));
  }

  /** A store for a queue declared now (its files are opened in the background, appends wait). */
  static create(storage: QueueStorage, vhost: string, queue: string, memory: MessageStore, logger: Logger): DurableMessageStore {
    return new DurableMessageStore(storage, vhost, queue, memory, logger);
  }

  /** A store with what earlier runs left loaded: every live message, in order, redelivered. */
  static async recover(storage: QueueStorage, vhost: string, queue: string, memory: MessageStore, logger: Logger): Promise<DurableMessageStore> {
    const store = new DurableMessageStore(storage, vhost, queue, memory, logger);
    const disk = await store.opened;
    for (const { location, expiresAt } of [...disk.entries()]) {
      const stored = await disk.read(location);
      if (!stored) continue;
      const message: AmqpMessage = {
        exchange: stored.exchange, routingKey: stored.routingKey, properties: stored.properties, body: stored.body,
        header: encodeContentHeader({ classId: 60, weight: 0, bodySize: BigInt(stored.body.length), properties: stored.properties }),
      };
      const entry: StoredEntry = store.memory.enqueue(message, expiresAt ?? undefined);
      entry.redelivered = true;
      entry.location = location;
      entry.generation = store.generation;
    }
    return store;
  }

  get readyCount(): number { return this.memory.readyCount; }
  get readyBytes(): number { return this.memory.readyBytes; }
  /** Messages on disk (live in the queue's store), for tests and status. */
  get storedCount(): number { return this.disk?.messageCount ?? 0; }

  enqueue(message: AmqpMessage, expiresAt?: number): QueuedMessage {
    const entry: StoredEntry = this.memory.enqueue(message, expiresAt);
    if (message.properties.deliveryMode !== PERSISTENT) return entry;
    const generation = entry.generation = this.generation;
    // The deadline is stored with the message, so a TTL survives a restart (one object per
    // message only when it has one: the record head is cached per message object).
    const stored = this.append(expiresAt === undefined ? message : { ...message, expiresAt });
    entry.stored = stored;
    stored.then((location) => { entry.location = location; }, (err: Error) => {
      // The publisher (if confirming) gets a nack; a non-confirming one cannot be told (RabbitMQ
      // would crash the queue). The message stays in memory.
      if (generation === this.generation) this.logger.error({ vhost: this.vhost, queue: this.queue, err: err.message }, 'amqp message store append failed');
    });
    return entry;
  }

  private append(message: StoredMessage): Promise<number> {
    const disk = this.disk;
    if (disk && !this.purging) return disk.append(message);
    const before = this.purging ?? this.opened;
    return before.then(() => this.disk!.append(message));
  }

  peek(): QueuedMessage | undefined { return this.memory.peek(); }

  next(): QueuedMessage | undefined {
    const entry = this.memory.next();
    if (entry?.stored !== undefined || (entry as StoredEntry | undefined)?.location !== undefined) this.unackedStored++;
    return entry;
  }

  requeue(entry: QueuedMessage): void {
    if (isStored(entry)) this.unackedStored--;
    this.memory.requeue(entry);
  }

  /** Acked or dropped: removed from disk once its append resolved (never before). */
  settle(entry: QueuedMessage): void {
    if (!isStored(entry)) return;
    this.unackedStored--;
    const e = entry as StoredEntry;
    const generation = e.generation;
    const remove = (location: number): Promise<unknown> => {
      if (generation !== this.generation) return Promise.resolve();
      const removal = this.disk!.remove(location);
      removal.catch((err: Error) => {
        this.logger.error({ vhost: this.vhost, queue: this.queue, err: err.message }, 'amqp message store remove failed');
      });
      return removal;
    };
    const removal = e.location !== undefined ? remove(e.location) : e.stored!.then(remove, () => { /* never stored: nothing to remove */ });
    this.onRemoval?.(removal);
  }

  /**
   * queue.purge drops the ready messages. With no persistent message out for an ack the store's
   * files go at once (QueueMessageStore.purge: renamed aside, deleted); otherwise the ready
   * persistent ones are removed one by one, so the unacked ones stay on disk.
   */
  purge(): number {
    if (this.unackedStored > 0) {
      let n = 0;
      for (let e = this.memory.next(); e; e = this.memory.next()) {
        n++;
        if (isStored(e)) {
          this.unackedStored++;
          this.settle(e);
        }
      }
      return n;
    }
    const n = this.memory.purge();
    this.generation++;
    const previous = this.purging ?? this.opened;
    const purging: Promise<void> = previous.then(() => this.disk!.purge()).then(() => undefined, (err: Error) => {
      this.logger.error({ vhost: this.vhost, queue: this.queue, err: err.message }, 'amqp queue store purge failed');
    }).finally(() => { if (this.purging === purging) this.purging = null; });
    this.purging = purging;
    return n;
  }

  /** The queue was deleted: its files go (after pending appends; a later append fails). */
  async delete(): Promise<void> {
    this.memory.purge();
    this.generation++;
    await this.purging;
    const disk = await this.opened;
    await disk.delete();
  }

  async close(): Promise<void> {
    await this.purging;
    const disk = await this.opened;
    await disk.close();
  }
}

function isStored(entry: QueuedMessage): boolean {
  return entry.stored !== undefined || (entry as StoredEntry).location !== undefined;
}
