import { ReplyTexts } from '../protocol/reply-codes.js';
import { atom, charList, formatTerm, type Term, tuple } from './erlang-terms.js';
import { MAX_EXPIRY_MS } from './queue-arguments.js';
import { type Checked, ok, preconditionFailed } from './reply.js';

// Message TTL: the per-message `expiration` property and the queue's message-ttl (RabbitMQ's
// rabbit_basic:parse_expiration, rabbit_channel check_expiration_header, rabbit_amqqueue_process
// calculate_msg_expiry / drop_expired_msgs). Times are milliseconds since the epoch, from the
// caller's clock, so tests (and a simulator) can drive them.

/** Erlang's string:to_integer/1: optional sign, ASCII digits, the rest returned; no whitespace skipped. */
function erlangToInteger(text: string): { value: bigint; rest: string } | undefined {
  const match = /^[+-]?[0-9]+/.exec(text);
  if (match === null) return undefined;
  return { value: BigInt(match[0]), rest: text.slice(match[0].length) };
}

function expirationError(text: string): Term | undefined {
  const parsed = erlangToInteger(text);
  if (parsed === undefined) return atom('no_integer');
  if (parsed.rest !== '') return tuple(atom('leftover_string'), charList(Buffer.from(parsed.rest, 'utf8')));
  if (parsed.value < 0n) return tuple(atom('value_negative'), parsed.value);
  if (parsed.value > MAX_EXPIRY_MS) return tuple(atom('value_too_large'), parsed.value);
  return undefined;
}

/**
 * The per-message TTL in ms of a basic.publish's `expiration` property (undefined = none), or
 * RabbitMQ's 406: "PRECONDITION_FAILED - invalid expiration 'abc': no_integer"; other reasons are
 * {value_negative,-5}, {value_too_large,N} (over ten years) and {leftover_string,"abc"} for "12abc"
 * (rabbit_basic:parse_expiration). Broker: call on every basic.publish, before routing
 * (rabbit_channel check_expiration_header); the error closes the channel.
 */
export function parseExpiration(expiration: string | undefined): Checked<number | undefined> {
  if (expiration === undefined) return ok(undefined);
  const error = expirationError(expiration);
  if (error !== undefined) return { ok: false, error: preconditionFailed(ReplyTexts.invalidExpiration(expiration, formatTerm(error))) };
  return ok(Number(erlangToInteger(expiration)!.value));
}

/**
 * When a message enqueued at `enqueuedAtMs` expires: after the lower of the queue's message-ttl and
 * the message's own expiration (rabbit_amqqueue_process calculate_msg_expiry: lists:min of the
 * two, either may be undefined); undefined = never. The deadline is fixed at enqueue and kept when
 * the message is requeued (the original expiry stays in its message_properties).
 * Broker: call once per message as it enters a queue; store the result with the message.
 */
export function messageDeadline(enqueuedAtMs: number, queueTtlMs: number | undefined,
  messageTtlMs: number | undefined): number | undefined {
  if (queueTtlMs === undefined && messageTtlMs === undefined) return undefined;
  const ttl = queueTtlMs === undefined ? messageTtlMs! : messageTtlMs === undefined ? queueTtlMs : Math.min(queueTtlMs, messageTtlMs);
  return enqueuedAtMs + ttl;
}

/** drop_expired_msgs' predicate: Now >= Expiry. A message without deadline never expires. */
export function isExpired(deadlineMs: number | undefined, nowMs: number): boolean {
  return deadlineMs !== undefined && nowMs >= deadlineMs;
}

/**
 * How many messages to drop from the head of the ready list: RabbitMQ only expires at the head
 * (BQ:dropwhile), so an expired message behind a live one stays (and is counted) until it reaches
 * the head. `deadlines` is the ready list's deadlines from the head. Each dropped message is
 * dead-lettered with reason `expired` when the queue has a DLX, else discarded.
 * Broker: call after every enqueue, fetch, requeue and on a timer set for the head's deadline.
 */
export function countExpiredAtHead(deadlines: Iterable<number | undefined>, nowMs: number): number {
  let count = 0;
  for (const deadline of deadlines) {
    if (!isExpired(deadline, nowMs)) break;
    count++;
  }
  return count;
}

/**
 * A queue whose message-ttl is 0 and which has no dead-letter exchange discards a message that no
 * consumer can take at once instead of enqueueing it (rabbit_amqqueue_process deliver_or_enqueue,
 * the #q{ttl = 0, dlx = undefined} clause): "expire unless deliverable immediately". With a DLX the
 * message is enqueued and expires (dead-lettered) at once. Broker: ask before enqueueing an
 * undelivered message, with the effective (policy-merged) settings.
 */
export function discardsUndeliverable(effective: { messageTtl?: number; deadLetterExchange?: string }): boolean {
  return effective.messageTtl === 0 && effective.deadLetterExchange === undefined;
}

/**
 * When a queue with x-expires (or an `expires` policy; effective value = the lower) is deleted:
 * `expiresMs` after it was last used, and only while it has no consumers (rabbit_amqqueue_process
 * ensure_expiry_timer: the timer runs only with no consumers; basic.get, queue.declare — passive
 * too — and the last consumer going away restart it). undefined = never (no x-expires, or consumers
 * attached). Broker: recompute on each of those events and arm one timer per queue.
 */
export function queueExpiryDeadline(lastUsedMs: number, expiresMs: number | undefined, consumerCount: number): number | undefined {
  if (expiresMs === undefined || consumerCount > 0) return undefined;
  return lastUsedMs + expiresMs;
}
