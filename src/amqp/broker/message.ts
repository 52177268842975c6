import type { BasicProperties } from '../protocol/content.js';

/**
 * One published message, shared (never copied) by every queue it is routed to: what a durable
 * store persists. `header` is the content-header payload as the publisher sent it (class id,
 * weight, body size, property flags, properties) and goes out unchanged in each delivery, so a
 * delivery re-encodes nothing but its method frame.
 */
export interface AmqpMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly properties: BasicProperties;
  readonly header: Buffer;
  readonly body: Buffer;
  /** Every routing key it was routed with when the publish carried CC/BCC headers (publish key,
   *  CC, BCC: rabbit_basic:make_message), for dead-lettering; undefined = [routingKey]. */
  readonly routingKeys?: readonly string[];
  /** Set by a confirming publisher while the message's one queue has not stored it yet: called
   *  when that queue is done with it (acked, rejected, delivered with no-ack), which confirms it
   *  (Publisher.publish). */
  onConsumed?: () => void;
}

/** A message as one queue holds it: its position there (for requeue at the original place). */
export interface QueuedMessage {
  readonly seq: number;
  readonly message: AmqpMessage;
  redelivered: boolean;
  /** When it expires (ms since the epoch; queue message-ttl or its expiration, fixed at enqueue). */
  readonly expiresAt?: number;
  /** A persistent message in a durable queue: resolves once it is durable in the queue's disk
   *  store (what a publisher confirm waits for; messages of one commit batch may share the
   *  promise); rejects if it could not be stored. */
  stored?: Promise<unknown>;
}
