import type { Logger } from '../../core/logger.js';
import type { PersonalityStorage } from '../../core/personality.js';
import type { DurableStore } from '../../core/state/durable-store.js';
import type { Broker, BrokerDurability } from '../broker/broker.js';
import type { CommandExtras, DefinitionCommand } from '../broker/definitions.js';
import type { ExchangeType } from '../broker/exchange.js';
import { MemoryMessageStore, type MessageStore } from '../broker/message-store.js';
import { type AmqpQueue, memoryStoreFor, type QueueDefinition } from '../broker/queue.js';
import { DEFAULT_EXCHANGES } from '../broker/vhost.js';
import type { PolicyApplyTo } from '../semantics/policies.js';
import {
  bindingKey, type DefinitionCommand as StoredCommand, DEFINITIONS_STORE, definitionsMachine, type DefinitionsState, type LoggedDefinitionCommand, toLoggedCommand,
} from '../store/definitions-machine.js';
import { DurableMessageStore } from './durable-message-store.js';
import { DEFAULT_WINDOW, type WindowLimits } from './paged-tail.js';
import { queueStorage, type QueueStorage } from './queue-storage.js';
import { setAsideStrayQueueDirs } from './stray-dirs.js';
import { VolatileStorage } from './volatile-storage.js';

type Store = DurableStore<DefinitionsState, LoggedDefinitionCommand>;

const BUILT_IN_EXCHANGES = new Set(DEFAULT_EXCHANGES.map((e) => e.name));

/** Queues recovered at once at start (each reads its index file or replays its logs). */
const RECOVERY_CONCURRENCY = 16;

/**
 * The broker made durable (RabbitMQ's rabbit_durable_* Mnesia tables and classic queue message
 * stores): durable exchanges and queues, and the bindings between durable objects, logged in the
 * definitions command store before their -ok goes out; at start the broker is rebuilt from it,
 * each durable queue's messages recovered from its QueueMessageStore. Transient objects and
 * exclusive queues are not stored (RabbitMQ deletes exclusive queues at restart); their FIFO
 * queues still page past the window, to VolatileStorage (wiped at every start).
 */
export class DurableBroker implements BrokerDurability {
  private readonly queueStores = new Map<string, DurableMessageStore>();
  /** Stores recovered at start, handed to the queues as the definitions are replayed. */
  private readonly recovered = new Map<string, DurableMessageStore>();
  /** Non-durable (and exclusive) FIFO queues' paging stores, by queue key. */
  private readonly volatileStores = new Map<string, DurableMessageStore>();
  /**
   * Deleted queues' stores still removing their files, by queue key. A queue declared again under
   * the same name opens its store only after: it would otherwise read the old files, and the old
   * store's purge would then rename the new files aside (a confirmed message lost).
   */
  private readonly removing = new Map<string, Promise<void>>();
  /** Whether memory use says page (ResourceAlarms.paging): non-durable queues page past their
   *  window only then, as RabbitMQ's default-mode queues page only under memory pressure. */
  memoryPressure: () => boolean = () => false;

  private constructor(private readonly store: Store, private readonly storage: QueueStorage, private readonly broker: Broker,
    private readonly logger: Logger, private readonly window: WindowLimits, private readonly volatile: VolatileStorage) {}

  /** `window`: how much of each durable FIFO queue's ready messages stays in memory (paged-tail.ts). */
  static async open(storage: PersonalityStorage, broker: Broker, logger: Logger, window: WindowLimits = DEFAULT_WINDOW): Promise<DurableBroker> {
    const store = await storage.commandStore(definitionsMachine) as Store;
    const durable = new DurableBroker(store, queueStorage(storage), broker, logger, window, new VolatileStorage(storage.dir, logger));
    try {
      setAsideStrayQueueDirs(storage.dir, store.state, logger);
      await durable.recoverQueues();
      broker.durability = durable;
      durable.rebuild();
    } catch (err) {
      broker.durability = null;
      await durable.close();
      throw err;
    }
    broker.definitions.onApplied = (cmd, extras) => durable.record(cmd, extras);
    return durable;
  }

  /** The definitions store's name under data/ (for docs and tests). */
  static readonly storeName = DEFINITIONS_STORE;

  storeFor(def: QueueDefinition): MessageStore | undefined {
    if (!def.durable || def.exclusiveOwner !== null) return this.volatileStoreFor(def);
    const key = queueKey(def.vhost, def.name);
    const store = this.recovered.get(key)
      ?? DurableMessageStore.create(this.storage, def.vhost, def.name, memoryStoreFor(def), this.logger, this.window, this.removing.get(key));
    this.recovered.delete(key);
    store.onRemoval = (removal) => this.broker.noteRemoval(removal);
    store.onWrite = (write) => this.broker.noteWrite(write);
    this.queueStores.set(key, store);
    return store;
  }

  /** A non-durable FIFO queue pages too (RabbitMQ's msg_store_transient); a priority queue keeps
   *  every message in memory, as a durable one does. */
  private volatileStoreFor(def: QueueDefinition): MessageStore | undefined {
    const memory = memoryStoreFor(def);
    if (!(memory instanceof MemoryMessageStore)) return undefined;
    const store = DurableMessageStore.createVolatile(this.volatile.queueStorage, def.vhost, def.name, memory, this.logger, this.window,
      () => this.memoryPressure(), this.removing.get(queueKey(def.vhost, def.name)));
    this.volatileStores.set(queueKey(def.vhost, def.name), store);
    return store;
  }

  queueDeleted(queue: AmqpQueue): void {
    const key = queueKey(queue.def.vhost, queue.name);
    const stores = this.volatileStores.get(key) === queue.store ? this.volatileStores : this.queueStores;
    const store = stores.get(key);
    if (!store || queue.store !== store) return;
    stores.delete(key);
    const removed = store.delete().catch((err: Error) => {
      this.logger.error({ vhost: queue.def.vhost, queue: queue.name, err: err.message }, 'amqp queue store delete failed');
    });
    this.removing.set(key, removed);
    void removed.then(() => { if (this.removing.get(key) === removed) this.removing.delete(key); });
  }

  /** Once deleted queues' files are removed, close every queue store (each writes its index
   *  file), then the definitions store; the volatile stores' files are deleted. */
  async close(): Promise<void> {
    await Promise.all(this.removing.values());
    const stores = [...this.queueStores.values(), ...this.recovered.values(), ...this.volatileStores.values()];
    await Promise.all(stores.map((s) => s.close().catch((err: Error) => {
      this.logger.error({ vhost: s.vhost, queue: s.queue, err: err.message }, 'amqp queue store close failed');
    })));
    await this.volatile.close().catch((err: Error) => this.logger.error({ err: err.message }, 'amqp volatile queue storage close failed'));
    await this.store.close();
  }

  /** Log `cmd` if it changes durable definitions; the broker holds the reply until it is written. */
  private record(cmd: DefinitionCommand, extras: CommandExtras): void {
    const write = this.logged(cmd, extras);
    if (write) this.broker.noteWrite(write);
  }

  private logged(cmd: DefinitionCommand, extras: CommandExtras): Promise<void> | null {
    const state = this.store.state.vhosts.get(cmd.vhost);
    switch (cmd.type) {
      case 'exchange.declare': return cmd.durable ? this.submit(cmd) : null;
      case 'queue.declare': return cmd.durable && extras.exclusiveOwner === undefined ? this.submit(cmd) : null;
      case 'exchange.delete':
        return state?.exchanges.has(cmd.name) ? this.withAutoDeleted(this.submit(cmd), cmd.vhost) : this.autoDeleted(cmd.vhost);
      case 'queue.delete':
        return state?.queues.has(cmd.name) ? this.withAutoDeleted(this.submit(cmd), cmd.vhost) : this.autoDeleted(cmd.vhost);
      case 'binding.add': {
        const sourceKept = BUILT_IN_EXCHANGES.has(cmd.source) || (state?.exchanges.has(cmd.source) ?? false);
        const destKept = cmd.destinationKind === 'queue' ? state?.queues.has(cmd.destination) : state?.exchanges.has(cmd.destination);
        return sourceKept && destKept ? this.submit(cmd) : null;
      }
      case 'binding.remove':
        return state?.bindings.has(bindingKey(cmd)) ? this.withAutoDeleted(this.submit(cmd), cmd.vhost) : this.autoDeleted(cmd.vhost);
      // Policies are durable in RabbitMQ (runtime parameters in Mnesia), whatever they match.
      case 'policy.set': return this.submit(cmd);
      case 'policy.delete': return state?.policies.has(cmd.name) ? this.submit(cmd) : null;
    }
  }

  /**
   * Auto-delete exchanges the broker deleted as a consequence (last binding gone) are derived in
   * the broker, not in the machine: log their deletion so they stay deleted after a restart.
   */
  private autoDeleted(vhost: string): Promise<void> | null {
    const state = this.store.state.vhosts.get(vhost);
    const live = this.broker.vhosts.get(vhost);
    if (!state || !live) return null;
    const gone = [...state.exchanges.keys()].filter((name) => !live.exchanges.has(name));
    if (gone.length === 0) return null;
    return Promise.all(gone.map((name) => this.submit({ type: 'exchange.delete', vhost, name }))).then(() => undefined);
  }

  private withAutoDeleted(write: Promise<void>, vhost: string): Promise<void> {
    const more = this.autoDeleted(vhost);
    return more ? Promise.all([write, more]).then(() => undefined) : write;
  }

  private submit(cmd: StoredCommand): Promise<void> {
    return this.store.submit(toLoggedCommand(cmd)).then(() => undefined);
  }

  /** Open every stored queue's message store, a few at a time; a queue with no files costs no I/O. */
  private async recoverQueues(): Promise<void> {
    const queues = [...this.store.state.vhosts].flatMap(([vhost, defs]) => [...defs.queues.values()].map((q) => ({ vhost, name: q.name, arguments: q.arguments })));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < queues.length) {
        const q = queues[next++]!;
        this.recovered.set(queueKey(q.vhost, q.name), await DurableMessageStore.recover(this.storage, q.vhost, q.name, memoryStoreFor(q), this.logger, this.window));
      }
    };
    await Promise.all(Array.from({ length: Math.min(RECOVERY_CONCURRENCY, queues.length) }, worker));
  }

  /** Replay the stored definitions into the broker (not logged again): exchanges, queues, bindings. */
  private rebuild(): void {
    const defs = this.broker.definitions;
    for (const [vhost, d] of this.store.state.vhosts) {
      this.broker.ensureVhost(vhost);
      // Policies first: a queue takes its effective settings from them as it is declared.
      for (const p of d.policies.values()) {
        defs.apply({ type: 'policy.set', vhost, name: p.name, pattern: p.pattern, applyTo: p.applyTo as PolicyApplyTo, priority: p.priority,
          definition: p.definition });
      }
      for (const e of d.exchanges.values()) {
        defs.apply({ type: 'exchange.declare', vhost, name: e.name, exchangeType: e.exchangeType as ExchangeType, durable: true,
          autoDelete: e.autoDelete, internal: e.internal, arguments: e.arguments });
      }
      for (const q of d.queues.values()) {
        defs.apply({ type: 'queue.declare', vhost, name: q.name, durable: true, autoDelete: q.autoDelete, arguments: q.arguments });
      }
      for (const b of d.bindings.values()) {
        const v = this.broker.vhosts.get(vhost)!;
        const destExists = b.destinationKind === 'queue' ? v.queues.has(b.destination) : v.exchanges.has(b.destination);
        if (v.exchanges.has(b.source) && destExists) defs.apply({ type: 'binding.add', vhost, ...b });
      }
    }
    const stats = this.broker.counts();
    this.logger.info({ queues: stats.queues, exchanges: stats.exchanges, messages: stats.messages }, 'amqp durable definitions recovered');
  }
}

function queueKey(vhost: string, queue: string): string {
  return `${vhost}\u0000${queue}`;
}
