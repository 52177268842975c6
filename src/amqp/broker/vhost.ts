import type { FieldTable } from '../protocol/field-table.js';
import { fieldString, tableGet } from '../protocol/field-table.js';
import { type Binding, Exchange, type ExchangeDefinition } from './exchange.js';
import type { AmqpQueue } from './queue.js';

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

/** One virtual host's exchanges, queues and bindings, and routing through them. */
export class VirtualHost {
  readonly exchanges = new Map<string, Exchange>();
  readonly queues = new Map<string, AmqpQueue>();
  /** Bindings by destination, to drop them when a queue or exchange goes. */
  private readonly bindingsTo = new Map<string, Set<Binding>>();

  constructor(readonly name: string) {
    for (const e of DEFAULT_EXCHANGES) {
      this.exchanges.set(e.name, new Exchange({ ...e, durable: true, autoDelete: false, arguments: [] }));
    }
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
    if (out.size === before) {
      const alternate = fieldString(tableGet(ex.def.arguments, 'alternate-exchange'));
      if (alternate !== undefined) this.routeVia(alternate, routingKey, headers, out, visited);
    }
  }
}
