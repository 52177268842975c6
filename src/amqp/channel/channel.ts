import type { RabbitAccess } from '../../core/auth/vhost-access.js';
import type { Broker } from '../broker/broker.js';
import type { AmqpMessage, QueuedMessage } from '../broker/message.js';
import type { DurableWaits } from '../broker/durable-waits.js';
import type { AmqpQueue } from '../broker/queue.js';
import { MessageCounters } from '../broker/stats.js';
import type { VirtualHost } from '../broker/vhost.js';
import type { FlowBlockable } from '../broker/queue-flow.js';
import { AmqpError } from '../connection/errors.js';
import { encodeMethodFrame, FrameType } from '../protocol/frames.js';
import { type DecodedMethod, type MethodArgs, methodSpec } from '../protocol/methods.js';
import { MethodDecoder } from '../protocol/method-decoder.js';
import type { MethodSpec } from '../protocol/method-spec.js';
import { ReplyCodes, ReplyTexts } from '../protocol/reply-codes.js';
import { BASIC_METHODS } from './basic-methods.js';
import { ContentAssembler, type AssembledContent } from './content.js';
import type { Consumer } from './consumer.js';
import { DEFINITION_METHODS } from './definition-methods.js';
import { Publisher } from './publisher.js';

/** What a channel needs of its connection (FlowBlockable: publisher flow control). */
export interface ChannelHost extends FlowBlockable {
  readonly id: number;
  readonly broker: Broker;
  readonly vhost: VirtualHost;
  readonly user: string;
  /** Permission checks of the user store; null with --auth off (everything allowed). */
  readonly access: RabbitAccess | null;
  readonly frameMax: number;
  readonly maxMessageSize: number;
  /** consumer_timeout in ms; 0 = never. */
  readonly consumerTimeoutMs: number;
  hasCapability(name: string): boolean;
  write(bytes: Buffer): void;
  /** basic.deliver (60/60) with the message's content. */
  writeDelivery(channel: number, consumerTag: Buffer, deliveryTag: number, redelivered: boolean, message: AmqpMessage): void;
  /** The durable writes this connection's requests caused, which its replies wait for. */
  readonly waits: DurableWaits;
  /** Hold this connection's output until `until` settles (durable definitions, tx.commit). */
  holdOutputUntil(until: Promise<unknown>, what: string): void;
  /** Output known only later (basic.get on a paging queue): what follows waits behind it. */
  writeLater(bytes: Promise<Buffer | null>): void;
  /** Hard error: connection.close with the code (a queue's messages could not be read). */
  closeWithError(error: AmqpError): void;
  writable(): boolean;
  whenWritable(fn: () => void): void;
  channelClosed(id: number): void;
}

/** A method handler: the args, the content for basic.publish; returns nothing (answers itself). */
export type MethodHandler = (ch: Channel, args: MethodArgs, content: AssembledContent | null) => void;

/** An unacked delivery (or basic.get with ack) on this channel. */
export interface Unacked {
  readonly tag: number;
  readonly queue: AmqpQueue;
  readonly entry: QueuedMessage;
  readonly consumer: Consumer | null;
  /** When it was delivered (ms since the epoch), for consumer_timeout. */
  readonly deliveredAt: number;
}

/**
 * One channel (rabbit_channel): content assembly, method dispatch, consumers and their unacked
 * deliveries (tags per channel from 1), prefetch, publisher confirms and transactions. A soft
 * error sends channel.close and discards everything until close-ok (§4.2.2).
 */
export class Channel {
  private state: 'open' | 'closing' = 'open';
  private readonly content: ContentAssembler;
  readonly consumers = new Map<string, Consumer>();
  /** Insertion order is delivery-tag order: `multiple` acks walk it from the start. */
  readonly unacked = new Map<number, Unacked>();
  private lastDeliveryTag = 0;
  /** basic.qos global=false: the limit of each consumer created afterwards (RabbitMQ's meaning). */
  consumerPrefetch = 0;
  /** basic.qos global=true: one limit shared by the channel's consumers. */
  channelPrefetch = 0;
  /** Unacked deliveries to consumers (basic.get excluded: QoS does not apply to it). */
  consumerUnacked = 0;
  /** The name of the last queue declared here, for the "" shortcut (expand_shortcuts). */
  lastQueue: string | null = null;
  readonly publisher: Publisher;
  /** The direct reply-to key of this channel's amq.rabbitmq.reply-to consumer. */
  replyToKey: string | null = null;
  replyToTag: string | null = null;
  private ackTimer: NodeJS.Timeout | null = null;
  private readonly methods = new MethodDecoder();
  /** Granted permission checks, newest first (channel/access.ts). */
  readonly permissionCache: string[] = [];
  /** This channel's message_stats (management API). */
  readonly stats = new MessageCounters();

  constructor(readonly id: number, readonly conn: ChannelHost) {
    this.content = new ContentAssembler(() => conn.maxMessageSize);
    this.publisher = new Publisher(this);
  }

  get open(): boolean { return this.state === 'open'; }
  get vhost(): VirtualHost { return this.conn.vhost; }
  get broker(): Broker { return this.conn.broker; }

  nextDeliveryTag(): number { return ++this.lastDeliveryTag; }

  /** A delivery now waits for its ack: track it (and arm the consumer_timeout check). */
  addUnacked(u: Unacked): void {
    this.unacked.set(u.tag, u);
    if (this.ackTimer === null && this.conn.consumerTimeoutMs > 0) this.armAckTimer(u.deliveredAt);
  }

  /**
   * consumer_timeout (rabbit_channel evaluate_consumer_timeout): when the oldest unacked delivery
   * (basic.get with ack too) is older than the timeout, the channel is closed with 406. RabbitMQ
   * looks on its channel tick (channel_tick_interval, 60 s); Junction looks at the deadline itself.
   */
  private armAckTimer(oldestAt: number): void {
    const timeout = this.conn.consumerTimeoutMs;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null;
      if (!this.open) return;
      let oldest: Unacked | undefined;
      for (const u of this.unacked.values()) if (oldest === undefined || u.deliveredAt < oldest.deliveredAt) oldest = u;
      if (oldest === undefined) return;
      if (Date.now() - oldest.deliveredAt <= timeout) {
        this.armAckTimer(oldest.deliveredAt);
        return;
      }
      this.closeWithError(AmqpError.of(ReplyCodes.PRECONDITION_FAILED, `delivery acknowledgement on channel ${this.id} timed out. `
        + `Timeout value used: ${timeout} ms. This timeout value can be configured, see consumers doc guide to learn more`));
    }, Math.min(Math.max(0, oldestAt + timeout + 1 - Date.now()), 2_147_483_647));
    this.ackTimer.unref();
  }

  send(method: string, args: MethodArgs = {}): void {
    this.conn.write(encodeMethodFrame(this.id, method, args));
  }

  /** Answer a synchronous method unless the client asked for nowait. */
  reply(args: MethodArgs, method: string, replyArgs: MethodArgs = {}): void {
    if (args.nowait !== true) this.send(method, replyArgs);
  }

  handleFrame(type: number, payload: Buffer): void {
    if (this.state === 'closing') {
      this.whileClosing(type, payload);
      return;
    }
    if (type !== FrameType.METHOD) {
      const done = this.content.frame(type, payload);
      if (done) this.dispatch(done.method, done);
      return;
    }
    this.content.methodFrame();
    const method = this.methods.decode(payload);
    if (method.spec.content) this.content.begin(method);
    else this.dispatch(method, null);
  }

  private dispatch(method: DecodedMethod, content: AssembledContent | null): void {
    const { spec } = method;
    const handler = handlerOf(spec);
    const waits = this.conn.waits;
    const outer = this.broker.enter(waits);
    try {
      if (!handler) throw AmqpError.of(ReplyCodes.COMMAND_INVALID, 'unimplemented method');
      if (spec.sync) {
        // This connection's acks before a round trip are durable before its reply (DurableWaits).
        const removals = waits.takeRemovals();
        if (removals) this.conn.holdOutputUntil(removals, 'message store ack write');
      }
      handler(this, method.args, content);
      const writes = waits.takeWrites();
      if (writes) this.conn.holdOutputUntil(writes, 'definitions store write');
    } catch (err) {
      if (err instanceof AmqpError && err.classId === 0 && err.methodId === 0) throw err.withMethod(spec.classId, spec.methodId);
      throw err;
    } finally {
      this.broker.leave(outer);
    }
  }

  /**
   * After our channel.close only close / close-ok count (§4.2.2), but content framing is still
   * enforced, as RabbitMQ's reader assembles commands before the channel drops them: a publish
   * without its header is 505 here too.
   */
  private whileClosing(type: number, payload: Buffer): void {
    if (type !== FrameType.METHOD) {
      this.content.frame(type, payload);
      return;
    }
    this.content.methodFrame();
    if (payload.length < 4) return;
    const classId = payload.readUInt16BE(0);
    const methodId = payload.readUInt16BE(2);
    if (classId === 20 && (methodId === 40 || methodId === 41)) {
      if (methodId === 40) this.send('channel.close-ok');
      this.conn.channelClosed(this.id);
      return;
    }
    const spec = methodSpec(classId, methodId);
    if (spec?.content) this.content.begin({ spec, args: {} });
  }

  /** Soft error: channel.close with the code and failing method, then wait for close-ok. */
  closeWithError(error: AmqpError): void {
    if (this.state === 'closing') return;
    this.state = 'closing';
    this.teardown();
    this.send('channel.close', { replyCode: error.replyCode, replyText: error.text, classId: error.classId, methodId: error.methodId });
  }

  /** The client closed the channel: requeue, cancel, answer close-ok. */
  clientClose(): void {
    this.teardown();
    this.send('channel.close-ok');
    this.conn.channelClosed(this.id);
  }

  /**
   * The channel is going: consumers leave their queues (auto-delete queues may go), unacked
   * deliveries return to their queues at their original positions, redelivered.
   */
  teardown(): void {
    this.state = 'closing';
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    const touched = new Set<AmqpQueue>();
    for (const c of [...this.consumers.values()]) c.detach();
    this.consumers.clear();
    for (const u of this.unacked.values()) {
      u.queue.requeue(u.entry);
      touched.add(u.queue);
    }
    this.unacked.clear();
    this.consumerUnacked = 0;
    this.publisher.teardown();
    if (this.replyToKey !== null) this.broker.unregisterReplyTarget(this.replyToKey);
    for (const q of touched) q.dispatch();
  }

  /** Take deliveries out of the unacked set (ack, nack, reject): tag 0 with multiple = all;
   *  an unknown tag is 406 (rabbit_channel collect_acks). Prefetch room is freed at once. */
  takeUnacked(tag: number, multiple: boolean): Unacked[] {
    const taken: Unacked[] = [];
    if (multiple && (tag === 0 || this.unacked.has(tag))) {
      for (const [t, u] of this.unacked) {
        if (tag !== 0 && t > tag) break;
        taken.push(u);
      }
    } else {
      const u = this.unacked.get(tag);
      if (!u) throw AmqpError.text(ReplyCodes.PRECONDITION_FAILED, ReplyTexts.unknownDeliveryTag(tag));
      taken.push(u);
    }
    for (const u of taken) {
      this.unacked.delete(u.tag);
      if (u.consumer) {
        u.consumer.unacked--;
        this.consumerUnacked--;
      }
    }
    return taken;
  }

  /** A transaction rolled back: these deliveries are outstanding again, in tag order. */
  restoreUnacked(u: Unacked): void {
    const all = [...this.unacked.values(), u].sort((a, b) => a.tag - b.tag);
    this.unacked.clear();
    for (const x of all) this.unacked.set(x.tag, x);
    if (u.consumer) {
      u.consumer.unacked++;
      this.consumerUnacked++;
    }
  }

  /** Run the queues of this channel's consumers again (room was freed by acks or flow). */
  dispatchAll(): void {
    const queues = new Set<AmqpQueue>();
    for (const c of this.consumers.values()) queues.add(c.queue);
    for (const q of queues) q.dispatch();
  }
}

const CHANNEL_METHODS: Record<string, MethodHandler> = {
  'channel.close': (ch) => ch.clientClose(),
  'channel.close-ok': () => { /* a late close-ok of a close we did not send: nothing to do */ },
  'channel.open': () => { throw AmqpError.of(ReplyCodes.CHANNEL_ERROR, "second 'channel.open' seen"); },
  'channel.flow': (ch, args) => {
    // RabbitMQ 3.x refuses flow active=false from clients (rabbit_channel: not_implemented).
    if (args.active !== true) throw AmqpError.of(ReplyCodes.NOT_IMPLEMENTED, 'active=false');
    ch.send('channel.flow-ok', { active: true });
  },
  'channel.flow-ok': () => { /* answer to a server flow we never send */ },
};

/** Handlers by method spec, resolved once per method rather than by name on every frame. */
const handlers = new Map<MethodSpec, MethodHandler | null>();

function handlerOf(spec: MethodSpec): MethodHandler | null {
  let handler = handlers.get(spec);
  if (handler === undefined) {
    const name = `${spec.className}.${spec.name}`;
    handler = CHANNEL_METHODS[name] ?? DEFINITION_METHODS[name] ?? BASIC_METHODS[name] ?? null;
    handlers.set(spec, handler);
  }
  return handler;
}
