// Priority queues as rabbit_priority_queue (RabbitMQ 3.10.8) runs them: one sub-queue per priority
// 0..max, the highest non-empty one served first, FIFO within a priority, and a requeued message
// back at its original place among the messages of its priority (BQ:requeue per priority).

/** priorities/1: x-max-priority above 255 is treated as 255 (declare refuses it; this guards old data). */
export const MAX_PRIORITY_CAP = 255;

/**
 * A message's priority in a queue with x-max-priority `maxPriority` (rabbit_priority_queue
 * priority/2): no priority property → 0, above the maximum → the maximum.
 * Broker: call once per message as it enters a priority queue.
 */
export function effectivePriority(messagePriority: number | undefined, maxPriority: number): number {
  const max = Math.min(maxPriority, MAX_PRIORITY_CAP);
  if (messagePriority === undefined) return 0;
  return Math.min(messagePriority, max);
}

export interface PriorityQueueOptions<M> {
  /** The queue's x-max-priority (0..255). */
  readonly maxPriority: number;
  /** The message's priority property (undefined when absent). */
  readonly priorityOf: (message: M) => number | undefined;
  /** Body size in bytes, counted in `bytes` (as message_bytes_ready). */
  readonly sizeOf: (message: M) => number;
  /** The message's position in publish order (e.g. its store offset); increasing with each push. */
  readonly seqOf: (message: M) => number;
}

/** FIFO of one priority: pushed messages in seq order, plus requeued ones kept apart. Every requeued
 *  message was taken from this level before anything still in `fifo` was, so its seq is lower than
 *  theirs: serving `requeued` (lowest seq first) before `fifo` restores the original order without
 *  moving the (possibly long) FIFO. */
class PriorityLevel<M> {
  private fifo: M[] = [];
  private head = 0;
  /** Requeued messages, highest seq first, so the next one is popped from the end. */
  private readonly requeued: M[] = [];

  constructor(private readonly seqOf: (m: M) => number) {}

  get length(): number { return this.fifo.length - this.head + this.requeued.length; }

  push(message: M): void { this.fifo.push(message); }

  requeue(message: M): void {
    const seq = this.seqOf(message);
    let lo = 0;
    let hi = this.requeued.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqOf(this.requeued[mid]!) > seq) lo = mid + 1;
      else hi = mid;
    }
    this.requeued.splice(lo, 0, message);
  }

  peek(): M | undefined {
    return this.requeued.length > 0 ? this.requeued[this.requeued.length - 1] : this.fifo[this.head];
  }

  shift(): M | undefined {
    if (this.requeued.length > 0) return this.requeued.pop();
    if (this.head >= this.fifo.length) return undefined;
    const message = this.fifo[this.head]!;
    this.fifo[this.head++] = undefined as M;
    // Drop the consumed prefix once it is half the array, so memory follows the queue's length.
    if (this.head > 1024 && this.head * 2 > this.fifo.length) {
      this.fifo = this.fifo.slice(this.head);
      this.head = 0;
    }
    return message;
  }
}

/**
 * Ready messages of a priority queue. push/shift/requeue are O(1) amortised except requeue, which
 * is a binary search among the requeued-but-not-redelivered messages of that priority.
 * Broker: the per-queue ready list of a queue declared with x-max-priority.
 */
export class PriorityReadyQueue<M> {
  private readonly levels: PriorityLevel<M>[];
  private readonly max: number;
  private count = 0;
  private totalBytes = 0;

  constructor(private readonly options: PriorityQueueOptions<M>) {
    this.max = Math.min(Math.max(options.maxPriority, 0), MAX_PRIORITY_CAP);
    this.levels = Array.from({ length: this.max + 1 }, () => new PriorityLevel<M>(options.seqOf));
  }

  get length(): number { return this.count; }
  /** Body bytes of the ready messages (for x-max-length-bytes). */
  get bytes(): number { return this.totalBytes; }

  private levelOf(message: M): PriorityLevel<M> {
    return this.levels[effectivePriority(this.options.priorityOf(message), this.max)]!;
  }

  private added(message: M): void {
    this.count++;
    this.totalBytes += this.options.sizeOf(message);
  }

  /** A newly published message, behind all others of its priority. */
  push(message: M): void {
    this.levelOf(message).push(message);
    this.added(message);
  }

  /** A message given back (nack/reject requeue, recover, channel close): it goes back to its
   *  original position among the messages of its priority. */
  requeue(message: M): void {
    this.levelOf(message).requeue(message);
    this.added(message);
  }

  private topLevel(): PriorityLevel<M> | undefined {
    for (let p = this.max; p >= 0; p--) if (this.levels[p]!.length > 0) return this.levels[p];
    return undefined;
  }

  /** The next message to deliver (highest priority, oldest), without removing it (for TTL checks). */
  peek(): M | undefined {
    return this.topLevel()?.peek();
  }

  shift(): M | undefined {
    const message = this.topLevel()?.shift();
    if (message !== undefined) {
      this.count--;
      this.totalBytes -= this.options.sizeOf(message);
    }
    return message;
  }
}
