import { generatedName } from '../broker/broker.js';
import type { AmqpMessage, QueuedMessage } from '../broker/message.js';
import type { AmqpQueue } from '../broker/queue.js';
import { countGet } from '../broker/stats.js';
import { AmqpError } from '../connection/errors.js';
import { encodeMethodFrame } from '../protocol/frames.js';
import { encodeMethodPayload, type MethodArgs } from '../protocol/methods.js';
import { ReplyCodes, ReplyTexts } from '../protocol/reply-codes.js';
import type { Channel, MethodHandler } from './channel.js';
import { Consumer } from './consumer.js';
import { deliverPayload, encodeContent } from './delivery.js';
import { checkAccess } from './access.js';
import { findQueue, queueName } from './lookup.js';
import { REPLY_TO_QUEUE } from './publisher.js';

const num = (v: unknown): number => Number(v as bigint | number);

function qos(ch: Channel, args: MethodArgs): void {
  const size = args.prefetchSize as number;
  if (size !== 0) throw AmqpError.text(ReplyCodes.NOT_IMPLEMENTED, ReplyTexts.prefetchSizeNotImplemented(size));
  const count = args.prefetchCount as number;
  if (args.global === true) ch.channelPrefetch = count; else ch.consumerPrefetch = count;
  ch.send('basic.qos-ok');
  ch.dispatchAll();
}

function consume(ch: Channel, args: MethodArgs): void {
  let tag = args.consumerTag as string;
  if (tag === '') tag = generatedName('amq.ctag-');
  // Reusing a tag is a connection error in RabbitMQ (530 NOT_ALLOWED).
  if (ch.consumers.has(tag) || (tag === ch.replyToTag && ch.replyToKey !== null)) {
    throw AmqpError.of(ReplyCodes.NOT_ALLOWED, `attempt to reuse consumer tag '${tag}'`);
  }
  if (args.queue === REPLY_TO_QUEUE) {
    consumeReplyTo(ch, args, tag);
    return;
  }
  checkAccess(ch, 'read', 'queue', queueName(ch, args.queue as string));
  const q = findQueue(ch, args.queue as string);
  const exclusive = args.exclusive === true;
  if (q.exclusiveConsumer || (exclusive && q.consumers.length > 0)) {
    throw AmqpError.of(ReplyCodes.ACCESS_REFUSED, `queue '${q.name}' in vhost '${ch.vhost.name}' in exclusive use`);
  }
  const consumer = new Consumer(ch, q, tag, args.noAck === true, exclusive, ch.consumerPrefetch);
  ch.consumers.set(tag, consumer);
  // consume-ok goes out before the first delivery.
  ch.reply(args, 'basic.consume-ok', { consumerTag: tag });
  q.addConsumer(consumer);
}

/** Direct reply-to: a no-ack consumer of the pseudo-queue; replies come straight to it. */
function consumeReplyTo(ch: Channel, args: MethodArgs, tag: string): void {
  if (args.noAck !== true) throw AmqpError.of(ReplyCodes.PRECONDITION_FAILED, 'reply consumer cannot acknowledge');
  if (ch.replyToKey !== null) throw AmqpError.of(ReplyCodes.PRECONDITION_FAILED, 'reply consumer already set');
  ch.replyToTag = tag;
  ch.replyToKey = ch.broker.registerReplyTarget({
    deliverReply: (message: AmqpMessage) => {
      if (!ch.open) return;
      const payload = deliverPayload(tag, ch.nextDeliveryTag(), false, message.exchange, message.routingKey);
      ch.conn.write(encodeContent(ch.id, payload, message, ch.conn.frameMax));
    },
  });
  ch.reply(args, 'basic.consume-ok', { consumerTag: tag });
}

function cancel(ch: Channel, args: MethodArgs): void {
  const tag = args.consumerTag as string;
  const consumer = ch.consumers.get(tag);
  if (consumer) {
    ch.consumers.delete(tag);
    // Its unacked deliveries stay on the channel, still ackable (RabbitMQ does not requeue on cancel).
    consumer.detach();
  } else if (tag === ch.replyToTag && ch.replyToKey !== null) {
    ch.broker.unregisterReplyTarget(ch.replyToKey);
    ch.replyToKey = null;
  }
  ch.reply(args, 'basic.cancel-ok', { consumerTag: tag });
}

/** basic.gets of a channel waiting for a paging queue's read-ahead: later ones answer after them. */
const waitingGets = new WeakMap<Channel, Promise<unknown>>();

function get(ch: Channel, args: MethodArgs): void {
  checkAccess(ch, 'read', 'queue', queueName(ch, args.queue as string));
  const q = findQueue(ch, args.queue as string);
  const before = waitingGets.get(ch);
  if (!before) {
    const entry = q.fetch();
    const loading = entry ? null : q.whenReady();
    if (!loading) {
      ch.conn.write(answerGet(ch, q, args, entry));
      return;
    }
    loading.catch(() => { /* fetchWhenLoaded waits again and reports a failed read */ });
  }
  // A durable queue's window is empty while messages wait on disk: answer once loaded, not
  // get-empty (the queue is not empty), keeping this channel's output in order.
  const answer = (before ?? Promise.resolve()).then(() => fetchWhenLoaded(q)).then((entry) => {
    if (ch.open) return answerGet(ch, q, args, entry);
    // The channel closed meanwhile: the message goes back (as its unacked ones did).
    if (entry) q.requeue(entry);
    return null;
  }, (err: Error) => {
    // The queue has messages it cannot read: get-empty would be a lie. RabbitMQ's queue process
    // crashes on a failed message store read and rabbit_reader closes the connection with 541.
    if (ch.open) ch.conn.closeWithError(AmqpError.of(ReplyCodes.INTERNAL_ERROR, `queue '${q.name}' in vhost '${q.def.vhost}': message store read failed: ${err.message}`));
    return null;
  });
  waitingGets.set(ch, answer);
  void answer.finally(() => { if (waitingGets.get(ch) === answer) waitingGets.delete(ch); });
  ch.conn.writeLater(answer);
}

/** The head once the queue's store has loaded some: consumers may take each batch first, so it
 *  waits again as long as messages wait on disk (every wait loads some or fails: it rejects then);
 *  undefined only once the queue has none (RabbitMQ answers get-empty only for an empty queue). */
async function fetchWhenLoaded(q: AmqpQueue): Promise<QueuedMessage | undefined> {
  for (;;) {
    const entry = q.fetch();
    if (entry) return entry;
    const loading = q.whenReady();
    if (!loading) return undefined;
    await loading;
  }
}

/** basic.get-ok with the message (counted, tagged), or basic.get-empty. */
function answerGet(ch: Channel, q: AmqpQueue, args: MethodArgs, entry: QueuedMessage | undefined): Buffer {
  if (!entry) {
    ch.vhost.stats.getEmpty++;
    ch.stats.getEmpty++;
    q.stats.getEmpty++;
    return encodeMethodFrame(ch.id, 'basic.get-empty', { clusterId: '' });
  }
  for (const stats of [ch.vhost.stats, ch.stats, q.stats]) countGet(stats, args.noAck === true, entry.redelivered);
  const tag = ch.nextDeliveryTag();
  if (args.noAck === true) q.settle(entry);
  else ch.addUnacked({ tag, queue: q, entry, consumer: null, deliveredAt: Date.now() });
  const m = entry.message;
  const payload = encodeMethodPayload('basic.get-ok', {
    deliveryTag: BigInt(tag), redelivered: entry.redelivered, exchange: m.exchange, routingKey: m.routingKey, messageCount: q.messageCount,
  });
  return encodeContent(ch.id, payload, m, ch.conn.frameMax);
}

function settle(ch: Channel, tag: number, multiple: boolean, requeue: boolean | null, transactional = true): void {
  const taken = ch.takeUnacked(tag, multiple);
  const pub = ch.publisher;
  if (pub.txMode && transactional) {
    for (const u of taken) {
      if (requeue === null) pub.txAcks.push(u); else pub.txRejects.push({ u, requeue });
    }
    return;
  }
  for (const u of taken) {
    // nack/reject without requeue dead-letters (reason rejected) when the queue has a DLX.
    if (requeue === true) u.queue.requeue(u.entry); else if (requeue === false) u.queue.reject(u.entry); else u.queue.settle(u.entry);
  }
  if (requeue === null) {
    ch.vhost.stats.ack += taken.length;
    ch.stats.ack += taken.length;
    for (const u of taken) u.queue.stats.ack++;
  }
  if (requeue) for (const u of taken) u.queue.dispatch();
  ch.dispatchAll();
}

function recover(ch: Channel, args: MethodArgs, answer: boolean): void {
  // RabbitMQ 3.x: requeue=false is not implemented (rabbit_channel basic.recover_async).
  if (args.requeue !== true) throw AmqpError.of(ReplyCodes.NOT_IMPLEMENTED, 'requeue=false');
  // Not part of a transaction: RabbitMQ requeues at once even on a tx channel.
  settle(ch, 0, true, true, false);
  if (answer) ch.send('basic.recover-ok');
}

export const BASIC_METHODS: Record<string, MethodHandler> = {
  'basic.qos': (ch, args) => qos(ch, args),
  'basic.consume': (ch, args) => consume(ch, args),
  'basic.cancel': (ch, args) => cancel(ch, args),
  'basic.publish': (ch, args, content) => ch.publisher.publish(args, content!),
  'basic.get': (ch, args) => get(ch, args),
  'basic.ack': (ch, args) => settle(ch, num(args.deliveryTag), args.multiple === true, null),
  'basic.nack': (ch, args) => settle(ch, num(args.deliveryTag), args.multiple === true, args.requeue === true),
  'basic.reject': (ch, args) => settle(ch, num(args.deliveryTag), false, args.requeue === true),
  'basic.recover': (ch, args) => recover(ch, args, true),
  'basic.recover-async': (ch, args) => recover(ch, args, false),
  // A client may answer our consumer_cancel_notify with cancel-ok; nothing to do.
  'basic.cancel-ok': () => undefined,
  'confirm.select': (ch, args) => ch.publisher.confirmSelect(args),
  'tx.select': (ch) => ch.publisher.txSelect(),
  'tx.commit': (ch) => ch.publisher.txCommit(),
  'tx.rollback': (ch) => ch.publisher.txRollback(),
};
