import { type FieldTable, writeTableBody } from '../protocol/field-table.js';
import { AmqpWriter } from '../protocol/writer.js';
import { compileHeadersBinding, type HeadersBinding, headersMatch, sortHeaders } from '../semantics/routing.js';
import { TopicTrie } from '../semantics/topic-trie.js';
import { MessageCounters } from './stats.js';

export type ExchangeType = 'direct' | 'fanout' | 'topic' | 'headers';
export const EXCHANGE_TYPES: readonly string[] = ['direct', 'fanout', 'topic', 'headers'];

export interface Binding {
  readonly source: string;
  readonly destinationKind: 'queue' | 'exchange';
  readonly destination: string;
  readonly routingKey: string;
  readonly arguments: FieldTable;
  /** Identity of the binding (RabbitMQ: source, destination, key and arguments). */
  readonly id: string;
}

/** A canonical text of a field table, so bindings that differ only in arguments stay apart. */
export function tableId(table: FieldTable): string {
  if (table.length === 0) return '';
  const w = new AmqpWriter(64);
  writeTableBody(w, table);
  return w.toBuffer().toString('hex');
}

export function bindingId(destinationKind: string, destination: string, routingKey: string, args: FieldTable): string {
  return `${destinationKind}\u0000${destination}\u0000${routingKey}\u0000${tableId(args)}`;
}

export interface ExchangeDefinition {
  readonly name: string;
  readonly type: ExchangeType;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly internal: boolean;
  readonly arguments: FieldTable;
}

/**
 * An exchange and its outgoing bindings, indexed by its type so routing does not scan them all:
 * direct by key, topic in a word trie, fanout all, headers by testing each binding's arguments.
 */
export class Exchange {
  readonly bindings = new Map<string, Binding>();
  /** publish_in / publish_out (management API). */
  readonly stats = new MessageCounters();
  private readonly byKey = new Map<string, Set<Binding>>();
  private readonly topics = new TopicTrie<Binding>();
  /** Its effective alternate-exchange: the argument, else its policy's (set by the vhost). */
  alternateExchange: string | undefined;
  /** Headers bindings compiled once (x-match kind, arguments sorted by name). */
  private readonly headerBindings = new Map<Binding, HeadersBinding>();

  constructor(readonly def: ExchangeDefinition) {}

  get name(): string { return this.def.name; }
  get type(): ExchangeType { return this.def.type; }

  addBinding(b: Binding): boolean {
    if (this.bindings.has(b.id)) return false;
    this.bindings.set(b.id, b);
    if (this.type === 'direct') {
      let set = this.byKey.get(b.routingKey);
      if (!set) this.byKey.set(b.routingKey, set = new Set());
      set.add(b);
    } else if (this.type === 'topic') {
      this.topics.add(b.routingKey, b);
    } else if (this.type === 'headers') {
      this.headerBindings.set(b, compileHeadersBinding(b.arguments));
    }
    return true;
  }

  removeBinding(id: string): Binding | undefined {
    const b = this.bindings.get(id);
    if (!b) return undefined;
    this.bindings.delete(id);
    if (this.type === 'direct') {
      const set = this.byKey.get(b.routingKey);
      set?.delete(b);
      if (set?.size === 0) this.byKey.delete(b.routingKey);
    } else if (this.type === 'topic') {
      this.topics.remove(b.routingKey, b);
    } else {
      this.headerBindings.delete(b);
    }
    return b;
  }

  /** Bindings matching this routing key and headers, added to `out`. */
  match(routingKey: string, headers: FieldTable | undefined, out: Set<Binding>): void {
    switch (this.type) {
      case 'direct': {
        const set = this.byKey.get(routingKey);
        if (set) for (const b of set) out.add(b);
        return;
      }
      case 'fanout':
        for (const b of this.bindings.values()) out.add(b);
        return;
      case 'topic':
        this.topics.match(routingKey, out);
        return;
      case 'headers': {
        if (this.headerBindings.size === 0) return;
        const sorted = sortHeaders(headers);
        for (const [b, compiled] of this.headerBindings) if (headersMatch(compiled, sorted)) out.add(b);
      }
    }
  }
}
