import type { OverflowMode } from './queue-arguments.js';

// Length limits of a classic queue as rabbit_amqqueue_process (RabbitMQ 3.10.8) applies them:
// will_overflow/2 and maybe_deliver_or_enqueue/3 for reject-publish(-dlx), over_max_length/1 and
// maybe_drop_head/2 for drop-head. Both limits count READY messages only (BQ:len and
// message_bytes_ready), and a message's size is its body size (iolist_size of the payload).

export interface QueueLoad {
  /** Ready messages (not the unacknowledged ones). */
  readonly readyCount: number;
  /** Sum of the body sizes of the ready messages. */
  readonly readyBytes: number;
}

export interface LengthLimits {
  readonly maxLength?: number;
  readonly maxLengthBytes?: number;
  /** Effective overflow mode; RabbitMQ's default is drop-head. */
  readonly overflow?: OverflowMode;
}

export type PublishDecision =
  /** Deliver or enqueue; with drop-head, then drop countHeadDrops(...) messages from the head. */
  | { readonly kind: 'accept' }
  /**
   * Refuse the message: it is not enqueued. `nack`: the publisher uses confirms, so this publish is
   * answered with basic.nack (rabbit_classic_queue:send_rejection); without confirms the message is
   * silently dropped. `deadLetter`: reject-publish-dlx — dead-letter it with reason maxlen first
   * (when the DLX exists). The message still counts as routed: mandatory gets no basic.return
   * (send_mandatory runs before the limit check). When a publish goes to several queues and one
   * refuses it, the publisher gets basic.nack for it.
   */
  | { readonly kind: 'reject'; readonly nack: boolean; readonly deadLetter: boolean };

const over = (limit: number | undefined, value: number) => limit !== undefined && value > limit;

/**
 * will_overflow: would one more message of `bodyBytes` take the queue over a limit?
 * (ready + 1 > max-length, or ready bytes + body > max-length-bytes).
 */
export function wouldOverflow(load: QueueLoad, limits: LengthLimits, bodyBytes: number): boolean {
  return over(limits.maxLength, load.readyCount + 1) || over(limits.maxLengthBytes, load.readyBytes + bodyBytes);
}

/**
 * What a queue does with an incoming message (maybe_deliver_or_enqueue): with reject-publish or
 * reject-publish-dlx and a message that would overflow the queue, refuse it — even if a consumer
 * is waiting, the check comes first; otherwise accept (drop-head never refuses, it makes room after
 * enqueueing). Broker: call per message per target queue, before delivering or enqueueing, with
 * the effective (policy-merged) limits and `confirm` = the publishing channel is in confirm mode.
 * Cost: a few comparisons.
 */
export function decidePublish(load: QueueLoad, limits: LengthLimits, bodyBytes: number, confirm: boolean): PublishDecision {
  const mode = limits.overflow ?? 'drop-head';
  if (mode === 'drop-head' || !wouldOverflow(load, limits, bodyBytes)) return { kind: 'accept' };
  return { kind: 'reject', nack: confirm, deadLetter: mode === 'reject-publish-dlx' };
}

/**
 * maybe_drop_head: with drop-head, how many messages to remove from the head so that the queue is
 * within its limits again (ready count ≤ max-length and ready bytes ≤ max-length-bytes); each is
 * dead-lettered with reason maxlen when the queue has a DLX, else discarded. Zero for the
 * reject-publish modes. `headSizes` yields the ready messages' body sizes from the head (only as
 * many are read as are dropped). With max-length 0 a message enqueued is dropped at once; one
 * handed straight to a consumer is never counted.
 * Broker: call after enqueueing a message, after requeueing, and when a policy changes the limits.
 */
export function countHeadDrops(load: QueueLoad, limits: LengthLimits, headSizes: Iterable<number>): number {
  if ((limits.overflow ?? 'drop-head') !== 'drop-head') return 0;
  let { readyCount: count, readyBytes: bytes } = load;
  let dropped = 0;
  const sizes = headSizes[Symbol.iterator]();
  while (count > 0 && (over(limits.maxLength, count) || over(limits.maxLengthBytes, bytes))) {
    const next = sizes.next();
    if (next.done) break;
    count--;
    bytes -= next.value;
    dropped++;
  }
  return dropped;
}
