import type { AmqpMessage } from '../broker/message.js';
import type { AmqpQueue } from '../broker/queue.js';
import { type FieldTable, tableGet } from '../protocol/field-table.js';
import { AmqpError } from '../connection/errors.js';
import { decodeBasicProperties, encodeContentHeader } from '../protocol/content.js';
import { encodeMethodPayload, type MethodArgs } from '../protocol/methods.js';
import { ReplyCodes, ReplyTexts } from '../protocol/reply-codes.js';
import { parseExpiration } from '../semantics/expiration.js';
import type { Channel, Unacked } from './channel.js';
import { ConfirmTracker } from './confirm-tracker.js';
import type { AssembledContent } from './content.js';
import { checkAccess } from './access.js';
import { encodeContent } from './delivery.js';

/** rabbit_basic:header_routes: the publish key, then the longstr items of the CC and BCC array
 *  headers; undefined when the message has neither (the common case costs one scan). */
function headerRoutes(routingKey: string, headers: FieldTable | undefined): string[] | undefined {
  if (headers === undefined || !headers.some(([k]) => k === 'CC' || k === 'BCC')) return undefined;
  const keys = [routingKey];
  for (const name of ['CC', 'BCC']) {
    const value = tableGet(headers, name);
    if (value?.type === 'A') for (const item of value.value) if (item.type === 'S') keys.push(item.value.toString('utf8'));
  }
  return keys;
}

export const REPLY_TO_QUEUE = 'amq.rabbitmq.reply-to';
const REPLY_TO_PREFIX = `${REPLY_TO_QUEUE}.`;

interface TxPublish { readonly message: AmqpMessage; readonly mandatory: boolean }

/** Publish sequence numbers first..last, all waiting for the one promise `stored`. */
interface StoreGroup { readonly stored: Promise<unknown>; readonly first: number; last: number }

/**
 * The publishing side of a channel: basic.publish routed into queues, basic.return for a
 * mandatory message routed nowhere, publisher confirms and transactions (rabbit_channel).
 *
 * Confirms: every publish in confirm mode gets a sequence number, settled once the message is
 * accepted by all its queues — at once for in-memory queues and transient messages; for a
 * persistent message in durable queues once every queue's disk append resolved (fsynced under
 * --fsync), nacked if one failed (rabbit_channel: confirm after the message store's sync). Acks go
 * out at the end of the event-loop turn through the ConfirmTracker (many publishes in one
 * basic.ack multiple=true, as LavinMQ batches them; never over a seq not yet durable).
 */
export class Publisher {
  confirmMode = false;
  txMode = false;
  private publishSeq = 0;
  private readonly confirms = new ConfirmTracker();
  private flushScheduled = false;
  /** How many queues route() put the last message in (0 for a direct reply-to). */
  private routedQueues = 0;
  /** The newest group of publishes waiting for the same disk write (settleWhenStored). */
  private storing: StoreGroup | null = null;
  private txPublishes: TxPublish[] = [];
  /** What a queued message's onConsumed hook reaches this publisher by; cut at teardown. */
  private readonly link: { publisher: Publisher | null } = { publisher: this };
  /** route()'s set of target queues through a named exchange, reused (emptied after each route,
   *  so it holds no deleted queue). The default exchange needs none: it names one queue. */
  private readonly queues = new Set<AmqpQueue>();
  /** Deliveries acked inside a transaction: settled at commit, unacked again at rollback. */
  txAcks: Unacked[] = [];
  txRejects: { u: Unacked; requeue: boolean }[] = [];

  constructor(private readonly ch: Channel) {}

  publish(args: MethodArgs, content: AssembledContent): void {
    if (args.immediate === true) throw AmqpError.of(ReplyCodes.NOT_IMPLEMENTED, 'immediate=true');
    const message = this.message(args, content);
    const mandatory = args.mandatory === true;
    if (this.txMode) {
      this.txPublishes.push({ message, mandatory });
      return;
    }
    const outcome = this.route(message, mandatory);
    if (!this.confirmMode) return;
    const seq = ++this.publishSeq;
    this.confirms.publish(seq, outcome !== true);
    if (outcome === true) this.settledNow();
    else if (outcome === false) this.settled(seq, false);
    else {
      this.settleWhenStored(seq, outcome);
      // RabbitMQ's confirm contract (its AMQP 0-9-1 extension, class confirm): a message is
      // confirmed once every queue it was routed to has either stored it or delivered it and
      // had it acknowledged; its msg_store confirms a message removed before it was written
      // (rabbit_variable_queue msgs_written_to_disk `ignored`). A consumer that acks before the
      // commit cycle's fdatasync returns so releases the publisher earlier. Only for a message
      // in one queue: with several, each would have to be tracked. The hook holds the link, not
      // the publisher, so a message queued long after its channel closed does not keep it.
      if (this.routedQueues === 1) {
        const link = this.link;
        message.onConsumed = () => link.publisher?.settled(seq, true);
      }
    }
  }

  /** Confirm `seq` once its disk writes resolve. Consecutive publishes of one commit batch share
   *  the promise (QueueMessageStore.appendHeld): they join one group, settled by one callback. */
  private settleWhenStored(seq: number, stored: Promise<unknown>): void {
    const g = this.storing;
    if (g !== null && g.stored === stored && g.last === seq - 1) {
      g.last = seq;
      return;
    }
    const group: StoreGroup = this.storing = { stored, first: seq, last: seq };
    const settle = (ok: boolean): void => {
      if (this.storing === group) this.storing = null;
      for (let s = group.first; s <= group.last; s++) this.settled(s, ok);
    };
    stored.then(() => settle(true), () => settle(false));
  }

  private settledNow(): void {
    this.countConfirm();
    this.scheduleFlush();
  }

  /** A write resolved (ok) or failed, or a queue refused the message (reject-publish): nacked. */
  private settled(seq: number, ok: boolean): void {
    // false: answered already (consumed before its write returned: confirmed then).
    if (!this.confirms.settle(seq, ok)) return;
    if (ok) this.countConfirm();
    this.scheduleFlush();
  }

  private countConfirm(): void {
    this.ch.vhost.stats.confirm++;
    this.ch.stats.confirm++;
  }

  private message(args: MethodArgs, content: AssembledContent): AmqpMessage {
    const ch = this.ch;
    const exchange = args.exchange as string;
    const routingKey = args.routingKey as string;
    checkAccess(ch, 'write', 'exchange', exchange);
    if (exchange !== '') {
      const ex = ch.vhost.exchanges.get(exchange);
      if (!ex) throw AmqpError.text(ReplyCodes.NOT_FOUND, ReplyTexts.noExchange(exchange, ch.vhost.name));
      if (ex.def.internal) throw AmqpError.of(ReplyCodes.ACCESS_REFUSED, `cannot publish to internal exchange '${exchange}' in vhost '${ch.vhost.name}'`);
    }
    let properties = decodeBasicProperties(content.header);
    let header = content.header;
    // rabbit_channel check_expiration_header: a bad expiration closes the channel before routing.
    const ttl = parseExpiration(properties.expiration);
    if (!ttl.ok) throw AmqpError.text(ttl.error.code, ttl.error.text);
    if (properties.replyTo === REPLY_TO_QUEUE) {
      // Direct reply-to: the requester's channel must consume the pseudo-queue; the reply-to is
      // rewritten to the address of that consumer.
      if (ch.replyToKey === null) throw AmqpError.text(ReplyCodes.PRECONDITION_FAILED, ReplyTexts.noFastReplyConsumer());
      properties = { ...properties, replyTo: REPLY_TO_PREFIX + ch.replyToKey };
      header = encodeContentHeader({ classId: 60, weight: 0, bodySize: BigInt(content.body.length), properties });
    }
    const routingKeys = headerRoutes(routingKey, properties.headers);
    // onConsumed is in the literal so that setting it later (publish) keeps the object's shape.
    if (routingKeys === undefined) return { exchange, routingKey, properties, header, body: content.body, onConsumed: undefined };
    if (tableGet(properties.headers!, 'BCC') !== undefined) {
      // The BCC header is taken off before any queue sees the message (rabbit_basic strip_header).
      properties = { ...properties, headers: properties.headers!.filter(([k]) => k !== 'BCC') };
      header = encodeContentHeader({ classId: 60, weight: 0, bodySize: BigInt(content.body.length), properties });
    }
    return { exchange, routingKey, properties, header, body: content.body, routingKeys, onConsumed: undefined };
  }

  /** Route into the queues: true when accepted now, false when a queue refused it (reject-publish:
   *  the publish is nacked), or the promise of the disk writes when a queue stores it (persistent
   *  message, durable queue). */
  private route(message: AmqpMessage, mandatory: boolean): boolean | Promise<unknown> {
    const ch = this.ch;
    this.routedQueues = 0;
    if (message.exchange === '' && message.routingKey.startsWith(REPLY_TO_PREFIX)) {
      const target = ch.broker.replyTarget(message.routingKey.slice(REPLY_TO_PREFIX.length));
      if (target) {
        target.deliverReply(message);
        return true;
      }
    }
    // The default exchange routes to the queue named by the key: no Set. V8's Set.clear()
    // allocates a new table; clearing one before and after every publish cost 9 % of the server's
    // CPU per message in the publish-only and transient 1→1 rows (3 alternated rounds each).
    let only: AmqpQueue | undefined;
    let queues: Set<AmqpQueue> | undefined;
    if (message.exchange === '' && message.routingKeys === undefined) only = ch.vhost.queues.get(message.routingKey);
    else {
      queues = this.queues;
      if (queues.size > 0) queues.clear(); // a queue's publish threw last time
      if (message.routingKeys === undefined) ch.vhost.route(message.exchange, message.routingKey, message.properties.headers, queues);
      else for (const key of message.routingKeys) ch.vhost.route(message.exchange, key, message.properties.headers, queues);
    }
    const routed = only !== undefined ? 1 : queues?.size ?? 0;
    const stats = ch.vhost.stats;
    stats.publish++;
    ch.stats.publish++;
    const ex = ch.vhost.exchanges.get(message.exchange);
    if (ex) ex.stats.publishIn++;
    if (routed === 0) {
      if (mandatory) { stats.returnUnroutable++; ch.stats.returnUnroutable++; } else { stats.dropUnroutable++; ch.stats.dropUnroutable++; }
      if (mandatory) this.returnMessage(message);
      return true;
    }
    if (ex) ex.stats.publishOut++;
    this.routedQueues = routed;
    if (only !== undefined) return this.publishTo(only, message);
    let accepted = true;
    let stored: Promise<unknown> | undefined;
    let more: Promise<unknown>[] | undefined;
    for (const q of queues!) {
      const outcome = this.publishTo(q, message);
      if (outcome === false) accepted = false;
      else if (outcome !== true) {
        if (stored === undefined) stored = outcome;
        else (more ??= [stored]).push(outcome);
      }
    }
    queues!.clear();
    if (!accepted) return false;
    return more ? Promise.all(more) : stored ?? true;
  }

  private publishTo(q: AmqpQueue, message: AmqpMessage): boolean | Promise<unknown> {
    q.stats.publish++;
    const outcome = q.publish(message, this.confirmMode);
    // Credit flow: this connection stops being read while the queue's consumers lag.
    q.flow.published(this.ch.conn);
    return outcome;
  }

  /** basic.return 312 NO_ROUTE with the whole content, before the message's confirm. */
  private returnMessage(message: AmqpMessage): void {
    const method = encodeMethodPayload('basic.return', {
      replyCode: ReplyCodes.NO_ROUTE, replyText: 'NO_ROUTE', exchange: message.exchange, routingKey: message.routingKey,
    });
    this.ch.conn.write(encodeContent(this.ch.id, method, message, this.ch.conn.frameMax));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => this.flushConfirms());
  }

  private flushConfirms(): void {
    this.flushScheduled = false;
    if (!this.ch.open || !this.confirms.pending) return;
    for (const f of this.confirms.flush()) {
      this.ch.send(f.method, f.method === 'basic.ack'
        ? { deliveryTag: BigInt(f.deliveryTag), multiple: f.multiple }
        : { deliveryTag: BigInt(f.deliveryTag), multiple: f.multiple, requeue: false });
    }
  }

  confirmSelect(args: MethodArgs): void {
    if (this.txMode) throw AmqpError.text(ReplyCodes.PRECONDITION_FAILED, ReplyTexts.txToConfirm());
    this.confirmMode = true;
    this.ch.reply(args, 'confirm.select-ok');
  }

  txSelect(): void {
    if (this.confirmMode) throw AmqpError.of(ReplyCodes.PRECONDITION_FAILED, 'cannot switch from confirm to tx mode');
    this.txMode = true;
    this.ch.send('tx.select-ok');
  }

  txCommit(): void {
    if (!this.txMode) throw AmqpError.of(ReplyCodes.PRECONDITION_FAILED, 'channel is not transactional');
    const publishes = this.txPublishes;
    const acks = this.txAcks;
    const rejects = this.txRejects;
    this.txPublishes = [];
    this.txAcks = [];
    this.txRejects = [];
    const writes: Promise<unknown>[] = [];
    for (const p of publishes) {
      const stored = this.route(p.message, p.mandatory);
      if (stored instanceof Promise) writes.push(stored);
    }
    for (const u of acks) u.queue.settle(u.entry);
    for (const { u, requeue } of rejects) {
      if (requeue) u.queue.requeue(u.entry); else u.queue.reject(u.entry);
    }
    // commit-ok once the committed persistent messages are on disk (rabbit_channel tx commit
    // waits for the queues' confirms).
    if (writes.length > 0) this.ch.conn.holdOutputUntil(Promise.all(writes), 'message store write');
    this.ch.send('tx.commit-ok');
    for (const { u } of rejects) u.queue.dispatch();
  }

  txRollback(): void {
    if (!this.txMode) throw AmqpError.of(ReplyCodes.PRECONDITION_FAILED, 'channel is not transactional');
    this.txPublishes = [];
    // Acked-in-transaction deliveries are outstanding again (rabbit_channel tx rollback).
    const back = [...this.txAcks, ...this.txRejects.map((r) => r.u)];
    this.txAcks = [];
    this.txRejects = [];
    for (const u of back) this.ch.restoreUnacked(u);
    this.ch.send('tx.rollback-ok');
  }

  /** The channel closes: an uncommitted transaction is dropped, its acked deliveries requeued. */
  teardown(): void {
    this.link.publisher = null;
    this.txPublishes = [];
    for (const u of [...this.txAcks, ...this.txRejects.map((r) => r.u)]) u.queue.requeue(u.entry);
    this.txAcks = [];
    this.txRejects = [];
  }
}
