import { encodeContentHeader } from '../protocol/content.js';
import type { FieldTable } from '../protocol/field-table.js';
import { type DeadLetterReason, deadLetterMessage, isDeadLetterCycle } from '../semantics/dead-letter.js';
import { effectiveAlternateExchange, matchPolicy, type Policy } from '../semantics/policies.js';
import { alternateExchangeArgument } from '../semantics/queue-arguments.js';
import { type Binding, Exchange, type ExchangeDefinition } from './exchange.js';
import type { AmqpMessage } from './message.js';
import type { AmqpQueue, QueueHost } from './queue.js';
import { MessageCounters } from './stats.js';

/** RabbitMQ declares these in every vhost (rabbit_vhost declare_default_exchanges), all durable. */
export const DEFAULT_EXCHANGES: readonly Omit<ExchangeDefinition, 'arguments' | 'durable' | 'autoDelete'>[] = [
  { name: '', type: 'direct', internal: false },
  { name: 'amq.direct', type: 'direct', internal: false },
  { name: 'amq.fanout', type: 'fanout', internal: false },
  { name: 'amq.topic', type: 'topic', internal: false },
  { name: 'amq.headers', type: 'headers', internal: false },
  { name: 'amq.match', type: 'headers', internal: false },
  { name: 'amq.rabbitmq.trace', type: 'topic', internal: true },
];

const destKey = (kind: string, name: string) => `${kind}\u0000${name}`;

/**
 * One virtual host's exchanges, queues, bindings and policies, routing through them, and
 * dead-lettering (the host of its queues).
 */
export class VirtualHost implements QueueHost {
  readonly exchanges = new Map<string, Exchange>();
  readonly queues = new Map<string, AmqpQueue>();
  /** Policies by name (rabbit_policy), changed only through Definitions' policy.* commands. */
  readonly policies = new Map<string, Policy>();
  /** Bindings by destination, to drop them when a queue or exchange goes. */
  private readonly bindingsTo = new Map<string, Set<Binding>>();
  /** Its channels' message counters, kept after they close (the vhost's message_stats). */
  readonly stats = new MessageCounters();

  /** `onQueueExpired`: a queue's x-expires ran out; the broker deletes it through Definitions. */
  constructor(readonly name: string, private readonly onQueueExpired: (queue: AmqpQueue) => void = () => undefined) {
    for (const e of DEFAULT_EXCHANGES) {
      this.exchanges.set(e.name, new Exchange({ ...e, durable: true, autoDelete: false, arguments: [] }));
    }
  }

  addQueue(q: AmqpQueue): void {
    this.queues.set(q.name, q);
    q.attach(this, matchPolicy(this.policies.values(), 'queue', q.name));
  }

  addExchange(ex: Exchange): void {
    this.exchanges.set(ex.name, ex);
    this.applyExchangePolicy(ex);
  }

  /** Policies changed: every queue and exchange runs with its (possibly new) policy. */
  applyPolicies(): void {
    for (const q of this.queues.values()) q.applyPolicy(matchPolicy(this.policies.values(), 'queue', q.name));
    for (const ex of this.exchanges.values()) this.applyExchangePolicy(ex);
  }

  private applyExchangePolicy(ex: Exchange): void {
    const policy = ex.name === '' ? undefined : matchPolicy(this.policies.values(), 'exchange', ex.name);
    ex.alternateExchange = effectiveAlternateExchange(alternateExchangeArgument(ex.def.arguments), policy);
  }

  expired(queue: AmqpQueue): void { this.onQueueExpired(queue); }

  /**
   * rabbit_dead_letter:publish: the message with its x-death bookkeeping, routed through the
   * queue's DLX with the DL routing key (or its own keys), to every queue except those where it
   * would cycle; no confirms, no mandatory. Discarded when the DLX does not exist.
   */
  deadLetter(queue: AmqpQueue, message: AmqpMessage, reason: DeadLetterReason): void {
    const dlx = queue.settings.deadLetterExchange;
    if (dlx === undefined || !this.exchanges.has(dlx)) return;
    const routed = deadLetterMessage(
      { properties: message.properties, exchange: message.exchange, routingKeys: message.routingKeys ?? [message.routingKey] },
      { reason, queue: queue.name, deadLetterExchange: dlx, deadLetterRoutingKey: queue.settings.deadLetterRoutingKey, nowMs: queue.now() },
    );
    const header = encodeContentHeader({ classId: 60, weight: 0, bodySize: BigInt(message.body.length), properties: routed.properties });
    const out: AmqpMessage = {
      exchange: dlx, routingKey: routed.routingKeys[0] ?? '', properties: routed.properties, header, body: message.body,
      ...(routed.routingKeys.length > 1 ? { routingKeys: routed.routingKeys } : {}),
    };
    const targets = new Set<AmqpQueue>();
    for (const key of routed.routingKeys) this.route(dlx, key, routed.properties.headers, targets);
    for (const q of targets) if (!isDeadLetterCycle(reason, routed.properties, q.name)) q.publish(out, false);
  }

  addBinding(b: Binding): boolean {
    if (!this.exchanges.get(b.source)!.addBinding(b)) return false;
    const key = destKey(b.destinationKind, b.destination);
    let set = this.bindingsTo.get(key);
    if (!set) this.bindingsTo.set(key, set = new Set());
    set.add(b);
    return true;
  }

  removeBinding(source: string, id: string): Binding | undefined {
    const b = this.exchanges.get(source)?.removeBinding(id);
    if (!b) return undefined;
    const key = destKey(b.destinationKind, b.destination);
    const set = this.bindingsTo.get(key);
    set?.delete(b);
    if (set?.size === 0) this.bindingsTo.delete(key);
    return b;
  }

  /** Bindings whose destination is this queue or exchange. */
  bindingsToDestination(kind: 'queue' | 'exchange', name: string): Binding[] {
    return [...this.bindingsTo.get(destKey(kind, name)) ?? []];
  }

  /**
   * The queues a message reaches (rabbit_exchange:route): each queue once, however many bindings
   * lead there; exchange-to-exchange bindings followed (each exchange visited once); an exchange
   * that routes nowhere tries its alternate-exchange.
   */
  route(exchange: string, routingKey: string, headers: FieldTable | undefined, out = new Set<AmqpQueue>()): Set<AmqpQueue> {
    if (exchange === '') {
      const q = this.queues.get(routingKey);
      if (q) out.add(q);
      return out;
    }
    const visited = new Set<string>();
    this.routeVia(exchange, routingKey, headers, out, visited);
    return out;
  }

  private routeVia(name: string, routingKey: string, headers: FieldTable | undefined, out: Set<AmqpQueue>, visited: Set<string>): void {
    if (visited.has(name)) return;
    visited.add(name);
    const ex = this.exchanges.get(name);
    if (!ex) return;
    const matched = new Set<Binding>();
    ex.match(routingKey, headers, matched);
    const before = out.size;
    for (const b of matched) {
      if (b.destinationKind === 'queue') {
        const q = this.queues.get(b.destination);
        if (q) out.add(q);
      } else {
        this.routeVia(b.destination, routingKey, headers, out, visited);
      }
    }
    if (out.size === before && ex.alternateExchange !== undefined) this.routeVia(ex.alternateExchange, routingKey, headers, out, visited);
  }
}
