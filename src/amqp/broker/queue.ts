import type { FieldTable } from '../protocol/field-table.js';
import type { AmqpMessage, QueuedMessage } from './message.js';
import { MemoryMessageStore, type MessageStore } from './message-store.js';

/** What a queue needs of a consumer; channels implement it. */
export interface QueueConsumer {
  readonly tag: string;
  readonly exclusive: boolean;
  /** Room under its prefetch limits (and its connection is not backed up). */
  canTake(): boolean;
  /** Hand the message over (basic.deliver); an ack-mode consumer keeps it unacked. */
  deliver(queue: AmqpQueue, entry: QueuedMessage): void;
  /** The queue went away (deleted): consumer_cancel_notify. */
  cancelledByQueue(queue: AmqpQueue): void;
}

export interface QueueDefinition {
  readonly vhost: string;
  readonly name: string;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly arguments: FieldTable;
  /** Id of the owning connection of an exclusive queue, null otherwise. */
  readonly exclusiveOwner: number | null;
}

/**
 * A classic queue: its messages (behind MessageStore), its consumers served round-robin within
 * their prefetch limits (rabbit_amqqueue_process deliver_msgs_to_consumers), and the counts
 * queue.declare-ok and the management API report.
 */
export class AmqpQueue {
  readonly store: MessageStore;
  readonly consumers: QueueConsumer[] = [];
  /** Delivered to consumers or basic.get with ack, not yet acked or requeued. */
  unacked = 0;
  /** Auto-delete applies only once the queue has had a consumer (RabbitMQ queues.md). */
  hadConsumer = false;
  deleted = false;
  private turn = 0;
  private dispatching = false;

  /** `store`: a durable queue's disk-backed store (durable/durable-message-store.ts); in memory otherwise. */
  constructor(readonly def: QueueDefinition, store?: MessageStore) {
    this.store = store ?? new MemoryMessageStore();
  }

  get name(): string { return this.def.name; }
  get messageCount(): number { return this.store.readyCount; }

  get exclusiveConsumer(): boolean { return this.consumers.length === 1 && this.consumers[0]!.exclusive; }

  addConsumer(c: QueueConsumer): void {
    this.consumers.push(c);
    this.hadConsumer = true;
    this.dispatch();
  }

  /** Returns true when that was the last consumer of an auto-delete queue (the caller deletes it). */
  removeConsumer(c: QueueConsumer): boolean {
    const at = this.consumers.indexOf(c);
    if (at >= 0) this.consumers.splice(at, 1);
    return this.def.autoDelete && this.hadConsumer && this.consumers.length === 0;
  }

  /** Returns the promise of the message's disk write when the store keeps it (persistent message,
   *  durable queue), for the publisher's confirm; the message is deliverable at once either way. */
  enqueue(message: AmqpMessage): Promise<number> | undefined {
    const entry = this.store.enqueue(message);
    this.dispatch();
    return entry.stored;
  }

  requeue(entry: QueuedMessage): void {
    this.unacked--;
    if (this.deleted) return;
    this.store.requeue(entry);
  }

  settle(entry: QueuedMessage): void {
    this.unacked--;
    this.store.settle(entry);
  }

  /** Hand ready messages to consumers that have room, round-robin, until either runs out. */
  dispatch(): void {
    if (this.dispatching || this.deleted) return;
    this.dispatching = true;
    try {
      while (this.store.readyCount > 0 && this.consumers.length > 0) {
        const consumer = this.nextConsumerWithRoom();
        if (!consumer) return;
        const entry = this.store.next()!;
        this.unacked++;
        consumer.deliver(this, entry);
      }
    } finally {
      this.dispatching = false;
    }
  }

  private nextConsumerWithRoom(): QueueConsumer | undefined {
    const n = this.consumers.length;
    for (let i = 0; i < n; i++) {
      const c = this.consumers[(this.turn + i) % n]!;
      if (c.canTake()) {
        this.turn = (this.turn + i + 1) % n;
        return c;
      }
    }
    return undefined;
  }
}
