import { PriorityReadyQueue } from '../semantics/priority.js';
import type { AmqpMessage, QueuedMessage } from './message.js';
import type { MessageStore } from './message-store.js';

/**
 * The ready messages of a queue declared with x-max-priority (rabbit_priority_queue): one FIFO per
 * priority 0..max, the highest non-empty one served first, a requeued message back at its place
 * among those of its priority. The MessageStore the queue uses when it has a maximum priority.
 */
export class PriorityMessageStore implements MessageStore {
  private nextSeq = 1;
  private readonly ready: PriorityReadyQueue<QueuedMessage>;

  constructor(maxPriority: number) {
    this.ready = new PriorityReadyQueue<QueuedMessage>({
      maxPriority,
      priorityOf: (e) => e.message.properties.priority,
      sizeOf: (e) => e.message.body.length,
      seqOf: (e) => e.seq,
    });
  }

  get readyCount(): number { return this.ready.length; }
  get readyBytes(): number { return this.ready.bytes; }

  enqueue(message: AmqpMessage, expiresAt?: number): QueuedMessage {
    const entry: QueuedMessage = expiresAt === undefined
      ? { seq: this.nextSeq++, message, redelivered: false }
      : { seq: this.nextSeq++, message, redelivered: false, expiresAt };
    this.ready.push(entry);
    return entry;
  }

  next(): QueuedMessage | undefined { return this.ready.shift(); }

  peek(): QueuedMessage | undefined { return this.ready.peek(); }

  requeue(entry: QueuedMessage): void {
    entry.redelivered = true;
    this.ready.requeue(entry);
  }

  settle(entry: QueuedMessage): void { void entry; }

  purge(): number {
    const n = this.ready.length;
    while (this.ready.shift() !== undefined) { /* drop */ }
    return n;
  }
  delete(): Promise<void> { this.purge(); return Promise.resolve(); }

  close(): Promise<void> { return Promise.resolve(); }

}
