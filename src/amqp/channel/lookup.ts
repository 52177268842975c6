import type { AmqpQueue } from '../broker/queue.js';
import { AmqpError } from '../connection/errors.js';
import { ReplyCodes, ReplyTexts } from '../protocol/reply-codes.js';
import type { Channel } from './channel.js';

/** "" means the last queue declared on this channel (rabbit_channel expand_queue_name_shortcut). */
export function queueName(ch: Channel, name: string): string {
  if (name !== '') return name;
  if (ch.lastQueue === null) throw AmqpError.of(ReplyCodes.NOT_FOUND, 'no previously declared queue');
  return ch.lastQueue;
}

/** An exclusive queue of another connection → 405 RESOURCE_LOCKED (rabbit_amqqueue check_exclusive_access). */
export function checkExclusive(ch: Channel, q: AmqpQueue): void {
  if (q.def.exclusiveOwner !== null && q.def.exclusiveOwner !== ch.conn.id) {
    throw AmqpError.text(ReplyCodes.RESOURCE_LOCKED, ReplyTexts.exclusiveLocked(q.name, ch.vhost.name));
  }
}

/** The queue a method names: 404 when missing, 405 when another connection owns it. */
export function findQueue(ch: Channel, rawName: string): AmqpQueue {
  const name = queueName(ch, rawName);
  const q = ch.vhost.queues.get(name);
  if (!q) throw AmqpError.text(ReplyCodes.NOT_FOUND, ReplyTexts.noQueue(name, ch.vhost.name));
  checkExclusive(ch, q);
  return q;
}
