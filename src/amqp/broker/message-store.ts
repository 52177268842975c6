import type { AmqpMessage, QueuedMessage } from './message.js';

/**
 * A queue's messages behind the interface the channel code uses, so TTL, max-length, priority
 * and the disk store (phase 2) replace this class without touching channels. "Ready" messages
 * wait for a consumer; a message handed out by next() is unacked until settle() (ack, or dropped
 * by reject) or requeue() (back at its original position, redelivered).
 */
export interface MessageStore {
  /** Ready messages. */
  readonly readyCount: number;
  /** Body bytes of the ready messages. */
  readonly readyBytes: number;
  /** A new message at the tail; `expiresAt` (ms since the epoch) is kept with it for TTL. */
  enqueue(message: AmqpMessage, expiresAt?: number): QueuedMessage;
  /** The head of the ready messages, removed from them; undefined when none. */
  next(): QueuedMessage | undefined;
  /** The head of the ready messages, left in place (TTL and drop-head look at it first). */
  peek(): QueuedMessage | undefined;
  /** Put an unacked message back where it was (RabbitMQ: original position if possible). */
  requeue(entry: QueuedMessage): void;
  /** The message is done with (acked, or rejected without requeue). */
  settle(entry: QueuedMessage): void;
  /** Drop every ready message; returns how many. */
  purge(): number;
  /** The queue was deleted: its stored messages go too (a disk store removes its files). */
  delete(): Promise<void>;
  /** Shutdown: finish pending writes and release files (a disk store writes its index file). */
  close(): Promise<void>;
  /** A paging store (durable/durable-message-store.ts) keeps only a window of ready messages in
   *  memory: next() and peek() answer undefined while it is empty and a read-ahead runs, which
   *  calls this once messages are loaded (the queue resumes delivering). */
  onReady?: (() => void) | null;
  /** Ready messages exist but none is loaded: resolves once some are (basic.get waits); null
   *  when next() can answer now. */
  whenReady?(): Promise<void> | null;
  /** A paging store: drop the oldest message not in memory without loading it (drop-head with
   *  no dead-letter exchange); its body size, null when none is paged. */
  dropPagedHead?(): number | null;
}

/**
 * The in-memory store: ready messages in seq order in an array read from a moving head (O(1)
 * enqueue and next), a requeue inserted by binary search on seq (RabbitMQ requeues to the
 * original position; usually the head, so the search is short).
 */
export class MemoryMessageStore implements MessageStore {
  private items: QueuedMessage[] = [];
  private head = 0;
  private nextSeq = 1;
  private bytes = 0;

  get readyCount(): number { return this.items.length - this.head; }
  get readyBytes(): number { return this.bytes; }

  enqueue(message: AmqpMessage, expiresAt?: number): QueuedMessage {
    const entry: QueuedMessage = expiresAt === undefined
      ? { seq: this.nextSeq++, message, redelivered: false }
      : { seq: this.nextSeq++, message, redelivered: false, expiresAt };
    this.items.push(entry);
    this.bytes += message.body.length;
    return entry;
  }

  next(): QueuedMessage | undefined {
    if (this.head >= this.items.length) return undefined;
    const entry = this.items[this.head]!;
    this.items[this.head++] = undefined as unknown as QueuedMessage;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.bytes -= entry.message.body.length;
    return entry;
  }

  peek(): QueuedMessage | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  requeue(entry: QueuedMessage): void {
    entry.redelivered = true;
    this.bytes += entry.message.body.length;
    if (this.head > 0 && (this.head === this.items.length || this.items[this.head]!.seq > entry.seq)) {
      this.items[--this.head] = entry;
      return;
    }
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.seq < entry.seq) lo = mid + 1; else hi = mid;
    }
    this.items.splice(lo, 0, entry);
  }

  settle(entry: QueuedMessage): void { void entry; }

  delete(): Promise<void> { this.purge(); return Promise.resolve(); }

  close(): Promise<void> { return Promise.resolve(); }

  purge(): number {
    const n = this.readyCount;
    this.items = [];
    this.head = 0;
    this.bytes = 0;
    return n;
  }
}
