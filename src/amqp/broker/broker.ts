import { randomBytes } from 'node:crypto';
import type { Policy } from '../semantics/policies.js';
import { Definitions } from './definitions.js';
import type { AmqpMessage } from './message.js';
import type { PlainJson } from '../store/field-table-json.js';
import type { MessageStore } from './message-store.js';
import type { AmqpQueue, QueueDefinition } from './queue.js';
import type { DurableWaits } from './durable-waits.js';
import { addCounters, BrokerStats, MessageCounters } from './stats.js';
import { DEFAULT_EXCHANGES, VirtualHost } from './vhost.js';

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
  /** Exclusive queues by owning connection: a close finds its own without scanning every queue (10k queues, 1k connections). */
  private readonly exclusiveQueues = new Map<number, Set<AmqpQueue>>();
  /** Churn counters (management churn_rates); message counters are each vhost's (messageTotals). */
  readonly stats = new BrokerStats();
  /** Message counts of deleted vhosts: the node's totals never go down (Prometheus counters). */
  private readonly retired = new MessageCounters();
  durability: BrokerDurability | null = null;
  /** Where the writes of the request being handled are noted (enter()); null between requests:
   *  a write no request caused (an x-expires timer, a connection's exclusive queues going) is
   *  waited for by nobody. */
  private waits: DurableWaits | null = null;

  constructor(readonly defaultVhost: string) {
    this.vhosts.set(defaultVhost, this.newVhost(defaultVhost));
    // A vhost of the user store gets its model on first use (connection.open, a management
    // declare, a replayed command): callers check that it exists in the store first.
    this.definitions = new Definitions((name) => this.ensureVhost(name), {
      queueCreated: (q) => this.queueCreated(q),
      queueDeleted: (q) => this.queueDeleted(q),
      storeFor: (def) => this.durability?.storeFor(def),
    });
  }

  /** A vhost whose queues expiring (x-expires) are deleted through Definitions, as a command. */
  private newVhost(name: string): VirtualHost {
    return new VirtualHost(name, (q) => this.definitions.apply({ type: 'queue.delete', vhost: name, name: q.name }));
  }

  /**
   * Create or replace a policy (rabbitmqctl set_policy, PUT /api/policies/{vhost}/{name}): a
   * policy.set command, so a durable Definitions store logs it; the vhost's queues and exchanges
   * take their new effective settings at once. The caller validates it first (validatePolicy).
   */
  setPolicy(vhost: string, policy: Policy): void {
    this.definitions.apply({
      type: 'policy.set', vhost, name: policy.name, pattern: policy.pattern, applyTo: policy.applyTo, priority: policy.priority,
      definition: policy.definition as { [key: string]: PlainJson },
    });
  }

  deletePolicy(vhost: string, name: string): void {
    this.definitions.apply({ type: 'policy.delete', vhost, name });
  }

  policies(vhost: string): Policy[] {
    return [...this.vhosts.get(vhost)?.policies.values() ?? []];
  }

  /** Whether connection.open may name this vhost. The user store's vhosts replace this in phase 2. */
  vhostExists(name: string): boolean { return this.vhosts.has(name); }

  vhost(name: string): VirtualHost | undefined { return this.vhosts.get(name); }

  /** The model of a vhost that exists in the user store, made with its default exchanges on first use. */
  ensureVhost(name: string): VirtualHost {
    let vhost = this.vhosts.get(name);
    if (!vhost) this.vhosts.set(name, vhost = this.newVhost(name));
    return vhost;
  }

  /** The node's message counters: every vhost's, and those of vhosts deleted since start. */
  messageTotals(): MessageCounters {
    const totals = new MessageCounters();
    addCounters(totals, this.retired);
    for (const vhost of this.vhosts.values()) addCounters(totals, vhost.stats);
    return totals;
  }

  /** rabbit_vhost:delete: the vhost's queues and exchanges go through definitions (so a store logs
   *  them), then its model. Its connections are closed by the caller. */
  dropVhost(name: string): void {
    const vhost = this.vhosts.get(name);
    if (!vhost) return;
    for (const q of [...vhost.queues.keys()]) this.definitions.apply({ type: 'queue.delete', vhost: name, name: q });
    for (const x of [...vhost.exchanges.values()]) {
      if (!DEFAULT_EXCHANGES.some((d) => d.name === x.name)) this.definitions.apply({ type: 'exchange.delete', vhost: name, name: x.name });
    }
    for (const policy of [...vhost.policies.keys()]) this.definitions.apply({ type: 'policy.delete', vhost: name, name: policy });
    if (name === this.defaultVhost) return;
    addCounters(this.retired, vhost.stats);
    this.vhosts.delete(name);
  }

  /** A connection went: its exclusive queues go with it (rabbit_amqqueue on_node_down / owner exit). */
  connectionClosed(connectionId: number): void {
    const owned = this.exclusiveQueues.get(connectionId);
    if (!owned) return;
    for (const q of [...owned]) this.definitions.apply({ type: 'queue.delete', vhost: q.def.vhost, name: q.name });
    this.exclusiveQueues.delete(connectionId);
  }

  private queueCreated(q: AmqpQueue): void {
    const owner = q.def.exclusiveOwner;
    if (owner === null) return;
    let owned = this.exclusiveQueues.get(owner);
    if (!owned) this.exclusiveQueues.set(owner, owned = new Set());
    owned.add(q);
  }

  registerReplyTarget(target: ReplyToTarget): string {
    const key = generatedName('');
    this.replyTargets.set(key, target);
    return key;
  }

  replyTarget(key: string): ReplyToTarget | undefined { return this.replyTargets.get(key); }

  unregisterReplyTarget(key: string): void { this.replyTargets.delete(key); }

  /** A client request is being handled: the durable writes it causes, until leave(), are noted in
   *  `waits` (the client's), which its replies wait for. Returns what leave() restores. (Not a
   *  callback: this runs for every AMQP method, publishes included.) */
  enter(waits: DurableWaits): DurableWaits | null {
    const outer = this.waits;
    this.waits = waits;
    return outer;
  }

  leave(outer: DurableWaits | null): void { this.waits = outer; }

  /** A definitions write the current request caused (durable/durable-broker.ts notes them). */
  noteWrite(write: Promise<void>): void { this.waits?.noteWrite(write); }

  /** A disk removal (ack) the current request caused. */
  noteRemoval(removal: Promise<unknown>): void { this.waits?.noteRemoval(removal); }

  private queueDeleted(q: AmqpQueue): void {
    q.destroy();
    const owner = q.def.exclusiveOwner;
    if (owner !== null) this.exclusiveQueues.get(owner)?.delete(q);
    this.stats.queueDeleted++;
    for (const c of [...q.consumers]) c.cancelledByQueue(q);
    q.consumers.length = 0;
    this.durability?.queueDeleted(q);
  }

  counts(): { queues: number; exchanges: number; messages: number } {
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
