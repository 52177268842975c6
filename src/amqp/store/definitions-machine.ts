import type { StateMachine } from '../../core/state/state-machine.js';
import type { FieldTable } from '../protocol/field-table.js';
import { fieldTableKey, fieldTableToTagged, type PlainJson, type TaggedTable, taggedToFieldTable } from './field-table-json.js';

export interface ExchangeDefinition {
  name: string; exchangeType: string; durable: boolean; autoDelete: boolean; internal: boolean; arguments: FieldTable;
}
export interface QueueDefinition { name: string; durable: boolean; autoDelete: boolean; arguments: FieldTable }
export type DestinationKind = 'queue' | 'exchange';
export interface BindingDefinition {
  source: string; destinationKind: DestinationKind; destination: string; routingKey: string; arguments: FieldTable;
}
export interface PolicyDefinition {
  name: string; pattern: string; applyTo: string; priority: number; definition: { [key: string]: PlainJson };
}

/** Store name of the definitions (data/amqp/definitions/); queue stores live under amqp/queues/. */
export const DEFINITIONS_STORE = 'amqp/definitions';

/** The durable definitions of one vhost (what RabbitMQ keeps in Mnesia's rabbit_durable_* tables). */
export interface VhostDefinitions {
  exchanges: Map<string, ExchangeDefinition>;
  queues: Map<string, QueueDefinition>;
  /** Keyed by bindingKey(): RabbitMQ's binding identity (source, destination, key, sorted args). */
  bindings: Map<string, BindingDefinition>;
  policies: Map<string, PolicyDefinition>;
}

export interface DefinitionsState { vhosts: Map<string, VhostDefinitions> }

/** A command as the broker emits it: `arguments` are FieldTables. */
export type DefinitionCommand =
  | { type: 'exchange.declare'; vhost: string; name: string; exchangeType: string; durable: boolean; autoDelete: boolean; internal: boolean; arguments: FieldTable }
  | { type: 'exchange.delete'; vhost: string; name: string }
  | { type: 'queue.declare'; vhost: string; name: string; durable: boolean; autoDelete: boolean; arguments: FieldTable }
  | { type: 'queue.delete'; vhost: string; name: string }
  | { type: 'binding.add' | 'binding.remove'; vhost: string; source: string; destinationKind: DestinationKind; destination: string; routingKey: string; arguments: FieldTable }
  | { type: 'policy.set'; vhost: string; name: string; pattern: string; applyTo: string; priority: number; definition: { [key: string]: PlainJson } }
  | { type: 'policy.delete'; vhost: string; name: string }
  | { type: 'vhost.drop'; vhost: string };

type WithTagged<C> = C extends { arguments: FieldTable } ? Omit<C, 'arguments'> & { arguments: TaggedTable } : C;
/** The same command as the log holds it (JSON): `arguments` in the tagged form (field-table-json.ts). */
export type LoggedDefinitionCommand = WithTagged<DefinitionCommand>;

/** What apply returns: whether the state changed, or why the command could not be applied. */
export type DefinitionResult = { ok: true; changed: boolean } | { ok: false; error: string };

/** Encode a command for DurableStore.submit (which JSON-encodes it): bigints and Buffers in
 *  `arguments` become the tagged form. */
export function toLoggedCommand(command: DefinitionCommand): LoggedDefinitionCommand {
  if (!('arguments' in command)) return command;
  return { ...command, arguments: fieldTableToTagged(command.arguments) } as LoggedDefinitionCommand;
}

export function bindingKey(b: Omit<BindingDefinition, 'arguments'> & { arguments: FieldTable }): string {
  return JSON.stringify([b.source, b.destinationKind, b.destination, b.routingKey, fieldTableKey(b.arguments)]);
}

function vhostOf(state: DefinitionsState, vhost: string): VhostDefinitions {
  let defs = state.vhosts.get(vhost);
  if (!defs) state.vhosts.set(vhost, defs = { exchanges: new Map(), queues: new Map(), bindings: new Map(), policies: new Map() });
  return defs;
}

function dropBindingsOf(defs: VhostDefinitions, name: string, asDestination: DestinationKind): void {
  for (const [key, b] of defs.bindings) {
    const from = asDestination === 'exchange' && b.source === name;
    const to = b.destinationKind === asDestination && b.destination === name;
    if (from || to) defs.bindings.delete(key);
  }
}

function applyCommand(state: DefinitionsState, c: LoggedDefinitionCommand): DefinitionResult {
  switch (c.type) {
    case 'exchange.declare': {
      // Only durable exchanges are definitions (rabbit_durable_exchange); a transient one lives in the broker alone.
      if (!c.durable) return { ok: true, changed: false };
      const { type: _t, vhost, arguments: args, ...rest } = c;
      vhostOf(state, vhost).exchanges.set(c.name, { ...rest, arguments: taggedToFieldTable(args) });
      return { ok: true, changed: true };
    }
    case 'queue.declare': {
      if (!c.durable) return { ok: true, changed: false };
      const { type: _t, vhost, arguments: args, ...rest } = c;
      vhostOf(state, vhost).queues.set(c.name, { ...rest, arguments: taggedToFieldTable(args) });
      return { ok: true, changed: true };
    }
    case 'exchange.delete': case 'queue.delete': {
      const defs = state.vhosts.get(c.vhost);
      const map = c.type === 'exchange.delete' ? defs?.exchanges : defs?.queues;
      if (!defs || !map?.delete(c.name)) return { ok: true, changed: false };
      dropBindingsOf(defs, c.name, c.type === 'exchange.delete' ? 'exchange' : 'queue');
      return { ok: true, changed: true };
    }
    case 'binding.add': case 'binding.remove': {
      const { type: _t, vhost, arguments: args, ...rest } = c;
      const binding = { ...rest, arguments: taggedToFieldTable(args) };
      const key = bindingKey(binding);
      if (c.type === 'binding.remove') return { ok: true, changed: state.vhosts.get(vhost)?.bindings.delete(key) ?? false };
      const defs = vhostOf(state, vhost);
      if (defs.bindings.has(key)) return { ok: true, changed: false };
      defs.bindings.set(key, binding);
      return { ok: true, changed: true };
    }
    case 'policy.set': {
      const { type: _t, vhost, ...policy } = c;
      vhostOf(state, vhost).policies.set(c.name, policy);
      return { ok: true, changed: true };
    }
    case 'policy.delete':
      return { ok: true, changed: state.vhosts.get(c.vhost)?.policies.delete(c.name) ?? false };
    case 'vhost.drop':
      return { ok: true, changed: state.vhosts.delete(c.vhost) };
    default:
      return { ok: false, error: `unknown definitions command ${JSON.stringify((c as { type: unknown }).type)}` };
  }
}

interface VhostImage {
  vhost: string;
  exchanges: (Omit<ExchangeDefinition, 'arguments'> & { arguments: TaggedTable })[];
  queues: (Omit<QueueDefinition, 'arguments'> & { arguments: TaggedTable })[];
  bindings: (Omit<BindingDefinition, 'arguments'> & { arguments: TaggedTable })[];
  policies: PolicyDefinition[];
}
interface DefinitionsImage { version: 1; vhosts: VhostImage[] }

const tagged = <T extends { arguments: FieldTable }>(x: T) => ({ ...x, arguments: fieldTableToTagged(x.arguments) });
const untagged = <T extends { arguments: TaggedTable }>(x: T) => ({ ...x, arguments: taggedToFieldTable(x.arguments) });

/**
 * The durable AMQP definitions — per vhost: durable exchanges, durable queues, bindings and
 * policies — as a machine for a core command store (ctx.storage.commandStore('amqp/definitions',
 * definitionsMachine)). Submit commands through toLoggedCommand(). Deleting an exchange or queue
 * deletes its bindings (RabbitMQ's rabbit_binding:remove_for_source/remove_for_destination);
 * vhost.drop deletes everything of the vhost. Users, vhosts and permissions live in the shared
 * user store, not here.
 */
export const definitionsMachine: StateMachine<DefinitionsState, LoggedDefinitionCommand> = {
  initial: () => ({ vhosts: new Map() }),
  apply(state, command): DefinitionResult {
    try {
      return applyCommand(state, command);
    } catch (err) {
      // A malformed tagged table (never written by toLoggedCommand): refused, state unchanged.
      return { ok: false, error: (err as Error).message };
    }
  },
  snapshot: (state): DefinitionsImage => ({
    version: 1,
    vhosts: [...state.vhosts].map(([vhost, d]) => ({
      vhost,
      exchanges: [...d.exchanges.values()].map(tagged), queues: [...d.queues.values()].map(tagged),
      bindings: [...d.bindings.values()].map(tagged), policies: [...d.policies.values()].map((p) => ({ ...p })),
    })),
  }),
  restore(image) {
    const { vhosts } = image as DefinitionsImage;
    const state: DefinitionsState = { vhosts: new Map() };
    for (const v of vhosts) {
      const bindings = v.bindings.map(untagged);
      state.vhosts.set(v.vhost, {
        exchanges: new Map(v.exchanges.map((e) => [e.name, untagged(e)])),
        queues: new Map(v.queues.map((q) => [q.name, untagged(q)])),
        bindings: new Map(bindings.map((b) => [bindingKey(b), b])),
        policies: new Map(v.policies.map((p) => [p.name, { ...p }])),
      });
    }
    return state;
  },
};
