import type { FieldTable } from '../protocol/field-table.js';
import type { PolicyApplyTo } from '../semantics/policies.js';
import type { PlainJson } from '../store/field-table-json.js';
import { bindingId, Exchange, type ExchangeType } from './exchange.js';
import type { MessageStore } from './message-store.js';
import { AmqpQueue, type QueueDefinition } from './queue.js';
import type { VirtualHost } from './vhost.js';

/**
 * Every change of exchanges, queues and bindings, as plain JSON-able commands: what a durable
 * command store (amqp-store, phase 2) logs and replays. Exclusive queues are never stored (they
 * die with their connection), so their declare carries the owner beside the command.
 */
export type DefinitionCommand =
  | { type: 'exchange.declare'; vhost: string; name: string; exchangeType: ExchangeType; durable: boolean; autoDelete: boolean;
    internal: boolean; arguments: FieldTable }
  | { type: 'exchange.delete'; vhost: string; name: string }
  | { type: 'queue.declare'; vhost: string; name: string; durable: boolean; autoDelete: boolean; arguments: FieldTable }
  | { type: 'queue.delete'; vhost: string; name: string }
  | { type: 'binding.add' | 'binding.remove'; vhost: string; source: string; destinationKind: 'queue' | 'exchange';
    destination: string; routingKey: string; arguments: FieldTable }
  | { type: 'policy.set'; vhost: string; name: string; pattern: string; applyTo: PolicyApplyTo; priority: number;
    definition: { [key: string]: PlainJson } }
  | { type: 'policy.delete'; vhost: string; name: string };

/** What stays outside the command: the owner of an exclusive queue. */
export interface CommandExtras { readonly exclusiveOwner?: number }

/** Told about changes the model makes as a consequence (a deleted queue's consumers). */
export interface DefinitionEvents {
  queueCreated?(queue: AmqpQueue): void;
  queueDeleted?(queue: AmqpQueue): void;
  /** The message store of a new queue (a durable queue's disk store); in memory when undefined. */
  storeFor?(def: QueueDefinition): MessageStore | undefined;
}

/**
 * The one place definitions change. Validation (passive, equivalence, reserved names, ownership)
 * is the caller's: a command reaching apply() is valid against the current state, so a replay
 * applies the same commands to the same result. Consequences (the bindings of a deleted queue, an
 * auto-delete exchange losing its last binding) are derived inside apply(), so a replay reproduces
 * them and only the commands given are logged (onApplied). Deletions the broker decides itself
 * (an auto-delete queue's last consumer left, an exclusive queue's owner closed) are commands too.
 */
export class Definitions {
  /** Every command applied, in order, for a store to log (set by phase 2; none in memory). */
  onApplied: ((cmd: DefinitionCommand, extras: CommandExtras) => void) | null = null;

  constructor(private readonly vhostOf: (name: string) => VirtualHost | undefined, private readonly events: DefinitionEvents = {}) {}

  apply(cmd: DefinitionCommand, extras: CommandExtras = {}): void {
    const vhost = this.vhostOf(cmd.vhost);
    if (!vhost) return;
    switch (cmd.type) {
      case 'exchange.declare':
        if (!vhost.exchanges.has(cmd.name)) {
          vhost.addExchange(new Exchange({
            name: cmd.name, type: cmd.exchangeType, durable: cmd.durable, autoDelete: cmd.autoDelete, internal: cmd.internal, arguments: cmd.arguments,
          }));
        }
        break;
      case 'exchange.delete': this.deleteExchange(vhost, cmd.name); break;
      case 'queue.declare':
        if (!vhost.queues.has(cmd.name)) {
          const def: QueueDefinition = {
            vhost: cmd.vhost, name: cmd.name, durable: cmd.durable, autoDelete: cmd.autoDelete, arguments: cmd.arguments,
            exclusiveOwner: extras.exclusiveOwner ?? null,
          };
          const q = new AmqpQueue(def, this.events.storeFor?.(def));
          vhost.addQueue(q);
          this.events.queueCreated?.(q);
        }
        break;
      case 'queue.delete': this.deleteQueue(vhost, cmd.name); break;
      case 'binding.add':
        vhost.addBinding({ ...cmd, id: bindingId(cmd.destinationKind, cmd.destination, cmd.routingKey, cmd.arguments) });
        break;
      case 'binding.remove': this.removeBinding(vhost, cmd.source, bindingId(cmd.destinationKind, cmd.destination, cmd.routingKey, cmd.arguments)); break;
      case 'policy.set': {
        const { type: _type, vhost: _vhost, ...policy } = cmd;
        vhost.policies.set(cmd.name, policy);
        vhost.applyPolicies();
        break;
      }
      case 'policy.delete':
        if (vhost.policies.delete(cmd.name)) vhost.applyPolicies();
        break;
    }
    this.onApplied?.(cmd, extras);
  }

  private deleteExchange(vhost: VirtualHost, name: string): void {
    const ex = vhost.exchanges.get(name);
    if (!ex) return;
    vhost.exchanges.delete(name);
    for (const b of [...ex.bindings.values()]) vhost.removeBinding(name, b.id);
    for (const b of vhost.bindingsToDestination('exchange', name)) this.removeBinding(vhost, b.source, b.id);
  }

  private deleteQueue(vhost: VirtualHost, name: string): void {
    const q = vhost.queues.get(name);
    if (!q) return;
    vhost.queues.delete(name);
    q.deleted = true;
    for (const b of vhost.bindingsToDestination('queue', name)) this.removeBinding(vhost, b.source, b.id);
    this.events.queueDeleted?.(q);
  }

  /** RabbitMQ deletes an auto-delete exchange when its last binding (as source) goes. */
  private removeBinding(vhost: VirtualHost, source: string, id: string): void {
    if (!vhost.removeBinding(source, id)) return;
    const ex = vhost.exchanges.get(source);
    if (ex && ex.def.autoDelete && ex.bindings.size === 0) this.deleteExchange(vhost, source);
  }
}
