import { randomBytes } from 'node:crypto';
import { Definitions } from './definitions.js';
import type { AmqpMessage } from './message.js';
import type { MessageStore } from './message-store.js';
import type { AmqpQueue, QueueDefinition } from './queue.js';
import { VirtualHost } from './vhost.js';

/** A direct reply-to consumer (amq.rabbitmq.reply-to): replies skip queues and go to it at once. */
export interface ReplyToTarget {
  deliverReply(message: AmqpMessage): void;
}

/** What makes the broker durable (durable/durable-broker.ts): disk stores for durable queues,
 *  and the files of a deleted queue removed. */
export interface BrokerDurability {
  storeFor(def: QueueDefinition): MessageStore | undefined;
  queueDeleted(queue: AmqpQueue): void;
}

/** RabbitMQ's 22-character base64url suffix of server-generated names (rabbit_guid:binary). */
export function generatedName(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('base64url')}`;
}

/**
 * The broker's in-memory model: virtual hosts with their exchanges, queues and bindings, changed
 * only through `definitions`. Phase 1 knows only the default vhost.
 */
export class Broker {
  readonly vhosts = new Map<string, VirtualHost>();
  readonly definitions: Definitions;
  private readonly replyTargets = new Map<string, ReplyToTarget>();
  durability: BrokerDurability | null = null;
  /** Writes of definition commands not yet durable: the channel that caused them holds its
   *  connection's output until they are (a declare-ok means the declare survives a crash). */
  private pendingWrites: Promise<void>[] = [];
  /** Disk removals of acked persistent messages not yet known durable: the next synchronous
   *  method's reply waits for them, so a client that acked and then made a round trip knows the
   *  acks will not come back after a crash (a pure consumer's acks are never waited for). */
  private pendingRemovals: Promise<unknown>[] = [];

  constructor(readonly defaultVhost: string) {
    this.vhosts.set(defaultVhost, new VirtualHost(defaultVhost));
    this.definitions = new Definitions((name) => this.vhosts.get(name), {
      queueDeleted: (q) => this.queueDeleted(q),
      storeFor: (def) => this.durability?.storeFor(def),
    });
  }

  /** Whether connection.open may name this vhost. The user store's vhosts replace this in phase 2. */
  vhostExists(name: string): boolean { return this.vhosts.has(name); }

  vhost(name: string): VirtualHost | undefined { return this.vhosts.get(name); }

  /** A connection went: its exclusive queues go with it (rabbit_amqqueue on_node_down / owner exit). */
  connectionClosed(connectionId: number): void {
    for (const vhost of this.vhosts.values()) {
      for (const q of [...vhost.queues.values()]) {
        if (q.def.exclusiveOwner === connectionId) this.definitions.apply({ type: 'queue.delete', vhost: vhost.name, name: q.name });
      }
    }
  }

  registerReplyTarget(target: ReplyToTarget): string {
    const key = generatedName('');
    this.replyTargets.set(key, target);
    return key;
  }

  replyTarget(key: string): ReplyToTarget | undefined { return this.replyTargets.get(key); }

  unregisterReplyTarget(key: string): void { this.replyTargets.delete(key); }

  /** A definitions write the current method caused (durable/durable-broker.ts notes them). */
  noteWrite(write: Promise<void>): void { this.pendingWrites.push(write); }

  /** The writes noted since the last call, as one promise; null when none. */
  takePendingWrites(): Promise<unknown> | null {
    if (this.pendingWrites.length === 0) return null;
    const writes = this.pendingWrites;
    this.pendingWrites = [];
    return writes.length === 1 ? writes[0]! : Promise.all(writes);
  }

  noteRemoval(removal: Promise<unknown>): void {
    this.pendingRemovals.push(removal);
    // Bounded: a consumer that only acks never takes them.
    if (this.pendingRemovals.length >= 4096) this.pendingRemovals = [Promise.all(this.pendingRemovals)];
  }

  takePendingRemovals(): Promise<unknown> | null {
    if (this.pendingRemovals.length === 0) return null;
    const removals = this.pendingRemovals;
    this.pendingRemovals = [];
    return Promise.all(removals);
  }

  private queueDeleted(q: AmqpQueue): void {
    for (const c of [...q.consumers]) c.cancelledByQueue(q);
    q.consumers.length = 0;
    this.durability?.queueDeleted(q);
  }

  stats(): { queues: number; exchanges: number; messages: number } {
    let queues = 0;
    let exchanges = 0;
    let messages = 0;
    for (const v of this.vhosts.values()) {
      queues += v.queues.size;
      exchanges += v.exchanges.size;
      for (const q of v.queues.values()) messages += q.messageCount;
    }
    return { queues, exchanges, messages };
  }
}
