import type { RabbitAccess } from '../../core/auth/vhost-access.js';
import { assertExchangeEquivalent, assertExchangeArguments, assertQueueEquivalent, queueSettings } from '../broker/arguments.js';
import { matchPolicy, type Policy } from '../semantics/policies.js';
import type { Broker } from '../broker/broker.js';
import { DurableWaits } from '../broker/durable-waits.js';
import { bindingId, EXCHANGE_TYPES, type ExchangeType } from '../broker/exchange.js';
import type { QueuedMessage } from '../broker/message.js';
import type { AmqpQueue } from '../broker/queue.js';
import { type MessageCounters, RateSampler, STAT_KEYS, statCounts } from '../broker/stats.js';
import type { VirtualHost } from '../broker/vhost.js';
import type { AmqpConnection } from '../connection/connection.js';
import { AmqpError } from '../connection/errors.js';
import { encodeContentHeader } from '../protocol/content.js';
import { fieldTableToPlain, plainToFieldTable } from '../store/field-table-json.js';
import {
  BrokerViewError,
  type BindingInfo, type BrokerTotals, type BrokerView, type ChannelInfo, type ConnectionInfo, type ConsumerInfo, type ExchangeInfo,
  type ExchangeSpec, type GotMessage, type MessageStats, type OutgoingMessage, type PolicyInfo, type QueueInfo, type QueueSpec,
} from './broker-view.js';
import { channelInfo, connectionInfo, connectionName, consumerInfos, propertiesFromJson, propertiesToJson } from './live-view.js';

/** What the adapter reads besides the broker: the listener's open connections and its address. */
export interface LiveConnections {
  connections(): Iterable<AmqpConnection>;
  readonly listener: { ip: string; port: number };
}

/** An AmqpError's text without its "CODE_NAME - " prefix, as the management API words a refusal. */
function refusal(err: unknown): never {
  if (err instanceof AmqpError) throw new BrokerViewError(400, err.text.replace(/^[A-Z_]+ - /, ''));
  throw err;
}

/**
 * The management API's BrokerView over the running broker: reads are snapshots of its model,
 * writes go through broker.definitions (so a durable store logs them, as AMQP's own declares) with
 * the same checks AMQP makes (amqp/semantics); policies are the broker's (policy.set commands).
 */
export class BrokerAdapter implements BrokerView {
  private readonly nodeRates: RateSampler;
  private readonly vhostRates = new WeakMap<VirtualHost, RateSampler>();

  constructor(private readonly broker: Broker, private readonly live: LiveConnections, private readonly rabbit: RabbitAccess) {
    this.nodeRates = new RateSampler(() => statCounts(broker.messageTotals()));
  }

  /**
   * Make a change and resolve once the durable writes it caused are on disk (definitions commands,
   * message-store removals), as an AMQP declare-ok waits for them (Connection.holdOutputUntil): a
   * 2xx means the change survives a crash. A failed write rejects (the route answers 500).
   */
  private async durably<T>(change: () => T): Promise<T> {
    const waits = new DurableWaits();
    const outer = this.broker.enter(waits);
    let result: T;
    try {
      result = change();
    } finally {
      this.broker.leave(outer);
    }
    await waits.takeWrites();
    await waits.takeRemovals();
    return result;
  }

  private ratesOf(v: VirtualHost): RateSampler {
    let rates = this.vhostRates.get(v);
    if (!rates) this.vhostRates.set(v, rates = new RateSampler(() => statCounts(v.stats)));
    return rates;
  }

  private vhosts(vhost?: string): VirtualHost[] {
    if (vhost === undefined) return [...this.broker.vhosts.values()];
    const v = this.broker.vhost(vhost);
    return v ? [v] : [];
  }

  /** The model of an existing vhost (made on first use), 404 otherwise. */
  private model(vhost: string): VirtualHost {
    if (!this.rabbit.vhostExists(vhost) && vhost !== this.broker.defaultVhost) throw new BrokerViewError(404, 'Not Found');
    return this.broker.ensureVhost(vhost);
  }

  private openConnections(): AmqpConnection[] { return [...this.live.connections()].filter((c) => c.isOpen); }

  /** An object's message_stats: absent until it had traffic, then every key of its kind (as
   *  RabbitMQ shows them). The node's and a vhost's carry rates; other objects' rates are 0 (not
   *  sampled). */
  private messageStats(kind: keyof typeof STAT_KEYS, counters: MessageCounters, sampler?: RateSampler): MessageStats {
    const counts = statCounts(counters);
    const out: MessageStats = {};
    if (!STAT_KEYS[kind].some((k) => counts[k]! > 0)) return out;
    const rates = sampler?.sample() ?? {};
    for (const key of STAT_KEYS[kind]) out[key as keyof MessageStats] = { count: counts[key]!, rate: rates[key] ?? 0 };
    return out;
  }

  /** idle_since: when the object's counters were last seen changing (it is idle until they move). */
  private readonly activity = new WeakMap<object, { sum: number; since: number }>();
  private idleSince(object: object, counters: MessageCounters): number | null {
    const sum = counters.publish + counters.deliver + counters.deliverNoAck + counters.get + counters.getNoAck + counters.ack;
    const seen = this.activity.get(object);
    if (!seen || seen.sum !== sum) {
      this.activity.set(object, { sum, since: Date.now() });
      return seen ? null : Date.now();
    }
    return seen.since;
  }

  overview(vhost?: string): BrokerTotals {
    const qs = this.queues(vhost);
    const conns = this.openConnections().filter((c) => vhost === undefined || c.vhost.name === vhost);
    const s = this.broker.stats;
    const churn = (count: number) => ({ count, rate: 0 });
    return {
      connections: conns.length, channels: conns.reduce((n, c) => n + c.channelCount, 0), consumers: this.consumers(vhost).length,
      exchanges: this.exchanges(vhost).length, queues: qs.length,
      messagesReady: qs.reduce((n, q) => n + q.messagesReady, 0), messagesUnacknowledged: qs.reduce((n, q) => n + q.messagesUnacknowledged, 0),
      messageStats: this.totalsOf(vhost),
      churn: { connection_created: churn(s.connectionCreated), connection_closed: churn(s.connectionClosed),
        channel_created: churn(s.channelCreated), channel_closed: churn(s.channelClosed), queue_created: churn(s.queueCreated),
        queue_declared: churn(s.queueDeclared), queue_deleted: churn(s.queueDeleted) },
      recvOct: conns.reduce((n, c) => n + c.socket.bytesRead, 0), sendOct: conns.reduce((n, c) => n + c.socket.bytesWritten, 0),
      listeners: [{ protocol: 'amqp', ip: this.live.listener.ip, port: this.live.listener.port }],
    };
  }

  /** The node's message_stats, or one vhost's (none before its model exists: no traffic yet). */
  private totalsOf(vhost: string | undefined): MessageStats {
    if (vhost === undefined) return this.messageStats('node', this.broker.messageTotals(), this.nodeRates);
    const v = this.broker.vhost(vhost);
    return v ? this.messageStats('vhost', v.stats, this.ratesOf(v)) : {};
  }

  queues(vhost?: string): QueueInfo[] { return this.vhosts(vhost).flatMap((v) => [...v.queues.values()].map((q) => this.queueInfo(q))); }

  queue(vhost: string, name: string): QueueInfo | undefined {
    const q = this.broker.vhost(vhost)?.queues.get(name);
    return q ? this.queueInfo(q) : undefined;
  }

  private queueInfo(q: AmqpQueue): QueueInfo {
    const d = q.def;
    const policy = this.effectivePolicy(d.vhost, q.name, 'queues');
    return {
      vhost: d.vhost, name: q.name, durable: d.durable, autoDelete: d.autoDelete, arguments: fieldTableToPlain(d.arguments),
      exclusive: d.exclusiveOwner !== null, messagesReady: q.messageCount, messagesUnacknowledged: q.unacked, messagesPersistent: 0,
      messageBytesReady: q.store.readyBytes, messageBytesUnacknowledged: 0, messageBytesPersistent: 0, consumers: q.consumers.length,
      exclusiveConsumerTag: q.exclusiveConsumer ? q.consumers[0]!.tag : null, singleActiveConsumerTag: null,
      policy: policy?.name ?? null, effectivePolicyDefinition: policy?.definition ?? {},
      idleSince: this.idleSince(q, q.stats), headMessageTimestamp: null, messageStats: this.messageStats('queue', q.stats),
    };
  }

  async declareQueue(vhost: string, name: string, spec: QueueSpec): Promise<'created' | 'exists'> {
    const v = this.model(vhost);
    const args = plainToFieldTable(spec.arguments);
    const existing = v.queues.get(name);
    try {
      if (existing) {
        const d = existing.def;
        assertQueueEquivalent(name, vhost, { durable: d.durable, autoDelete: d.autoDelete, args: d.arguments },
          { durable: spec.durable, autoDelete: spec.autoDelete, args });
        return 'exists';
      }
      if (name.startsWith('amq.')) throw new BrokerViewError(400, `queue name '${name}' contains reserved prefix 'amq.*'`);
      queueSettings(name, vhost, spec.durable, false, args);
    } catch (err) { refusal(err); }
    await this.durably(() => this.broker.definitions.apply({ type: 'queue.declare', vhost, name, durable: spec.durable, autoDelete: spec.autoDelete,
      arguments: args }));
    return 'created';
  }

  async deleteQueue(vhost: string, name: string, opts: { ifEmpty?: boolean; ifUnused?: boolean } = {}): Promise<'deleted' | 'not-found'> {
    const q = this.broker.vhost(vhost)?.queues.get(name);
    if (!q) return 'not-found';
    if (opts.ifUnused && q.consumers.length > 0) throw new BrokerViewError(400, `queue '${name}' in vhost '${vhost}' in use`);
    if (opts.ifEmpty && q.messageCount > 0) throw new BrokerViewError(400, `queue '${name}' in vhost '${vhost}' not empty`);
    await this.durably(() => this.broker.definitions.apply({ type: 'queue.delete', vhost, name }));
    return 'deleted';
  }

  async purgeQueue(vhost: string, name: string): Promise<number | undefined> {
    const q = this.broker.vhost(vhost)?.queues.get(name);
    return q ? this.durably(() => q.purge()) : undefined;
  }

  exchanges(vhost?: string): ExchangeInfo[] {
    return this.vhosts(vhost).flatMap((v) => [...v.exchanges.values()].map((x) => ({
      vhost: v.name, name: x.name, type: x.type, durable: x.def.durable, autoDelete: x.def.autoDelete, internal: x.def.internal,
      arguments: fieldTableToPlain(x.def.arguments), policy: this.effectivePolicy(v.name, x.name, 'exchanges')?.name ?? null,
      messageStats: this.messageStats('exchange', x.stats),
    })));
  }

  exchange(vhost: string, name: string): ExchangeInfo | undefined { return this.exchanges(vhost).find((x) => x.name === name); }

  async declareExchange(vhost: string, name: string, spec: ExchangeSpec): Promise<'created' | 'exists'> {
    const v = this.model(vhost);
    if (!EXCHANGE_TYPES.includes(spec.type)) throw new BrokerViewError(400, `unknown exchange type '${spec.type}'`);
    const args = plainToFieldTable(spec.arguments);
    const existing = v.exchanges.get(name);
    try {
      if (existing) {
        const d = existing.def;
        assertExchangeEquivalent(name, vhost, { type: d.type, durable: d.durable, autoDelete: d.autoDelete, internal: d.internal, args: d.arguments },
          { type: spec.type, durable: spec.durable, autoDelete: spec.autoDelete, internal: spec.internal, args });
        return 'exists';
      }
      assertExchangeArguments(name, vhost, args);
    } catch (err) { refusal(err); }
    if (name.startsWith('amq.')) throw new BrokerViewError(400, `exchange name '${name}' contains reserved prefix 'amq.*'`);
    await this.durably(() => this.broker.definitions.apply({ type: 'exchange.declare', vhost, name, exchangeType: spec.type as ExchangeType,
      durable: spec.durable, autoDelete: spec.autoDelete, internal: spec.internal, arguments: args }));
    return 'created';
  }

  async deleteExchange(vhost: string, name: string, opts: { ifUnused?: boolean } = {}): Promise<'deleted' | 'not-found'> {
    const x = this.broker.vhost(vhost)?.exchanges.get(name);
    if (!x) return 'not-found';
    if (name === '' || name.startsWith('amq.')) throw new BrokerViewError(400, `deletion of system exchange '${name}' in vhost '${vhost}' not allowed`);
    if (opts.ifUnused && x.bindings.size > 0) throw new BrokerViewError(400, `exchange '${name}' in vhost '${vhost}' in use`);
    await this.durably(() => this.broker.definitions.apply({ type: 'exchange.delete', vhost, name }));
    return 'deleted';
  }

  bindings(vhost?: string): BindingInfo[] {
    return this.vhosts(vhost).flatMap((v) => [
      // The default exchange's implicit binding of every queue, listed first as RabbitMQ does.
      ...[...v.queues.keys()].map((q): BindingInfo => ({ vhost: v.name, source: '', destination: q, destinationType: 'queue', routingKey: q, arguments: {} })),
      ...[...v.exchanges.values()].flatMap((x) => [...x.bindings.values()].map((b): BindingInfo => ({
        vhost: v.name, source: b.source, destination: b.destination, destinationType: b.destinationKind, routingKey: b.routingKey,
        arguments: fieldTableToPlain(b.arguments),
      }))),
    ]);
  }

  async bind(b: BindingInfo): Promise<void> {
    const v = this.model(b.vhost);
    if (b.source === '' || (b.destinationType === 'exchange' && b.destination === '')) {
      throw new BrokerViewError(400, 'operation not permitted on the default exchange');
    }
    const destinationExists = b.destinationType === 'queue' ? v.queues.has(b.destination) : v.exchanges.has(b.destination);
    if (!v.exchanges.has(b.source) || !destinationExists) throw new BrokerViewError(404, 'Not Found');
    const cmd = { vhost: b.vhost, source: b.source, destinationKind: b.destinationType, destination: b.destination, routingKey: b.routingKey,
      arguments: plainToFieldTable(b.arguments) };
    if (v.exchanges.get(b.source)!.bindings.has(bindingId(cmd.destinationKind, cmd.destination, cmd.routingKey, cmd.arguments))) return;
    await this.durably(() => this.broker.definitions.apply({ type: 'binding.add', ...cmd }));
  }

  async unbind(b: BindingInfo): Promise<boolean> {
    const x = this.broker.vhost(b.vhost)?.exchanges.get(b.source);
    const args = plainToFieldTable(b.arguments);
    if (!x?.bindings.has(bindingId(b.destinationType, b.destination, b.routingKey, args))) return false;
    await this.durably(() => this.broker.definitions.apply({ type: 'binding.remove', vhost: b.vhost, source: b.source,
      destinationKind: b.destinationType, destination: b.destination, routingKey: b.routingKey, arguments: args }));
    return true;
  }

  connections(): ConnectionInfo[] { return this.openConnections().map(connectionInfo); }

  async closeConnection(name: string, reason: string): Promise<boolean> {
    const c = this.openConnections().find((x) => connectionName(x) === name);
    if (!c) return false;
    c.forceClose(reason);
    return true;
  }

  channels(): ChannelInfo[] {
    return this.openConnections().flatMap((c) => [...c.channelList()].map((ch) =>
      ({ ...channelInfo(c, ch), idleSince: this.idleSince(ch, ch.stats), messageStats: this.messageStats('channel', ch.stats) })));
  }

  consumers(vhost?: string): ConsumerInfo[] {
    return this.openConnections().filter((c) => vhost === undefined || c.vhost.name === vhost)
      .flatMap((c) => [...c.channelList()].flatMap((ch) => consumerInfos(c, ch)));
  }

  policies(vhost?: string): PolicyInfo[] {
    return this.vhosts(vhost).flatMap((v) => [...v.policies.values()].map((p): PolicyInfo => ({
      vhost: v.name, name: p.name, pattern: p.pattern, applyTo: p.applyTo, priority: p.priority, definition: p.definition as PolicyInfo['definition'],
    })));
  }

  /** Through the broker (a policy.set command: durable with the definitions store, applied to live queues at once). */
  async putPolicy(policy: PolicyInfo): Promise<'created' | 'updated'> {
    const v = this.model(policy.vhost);
    const existed = v.policies.has(policy.name);
    await this.durably(() => this.broker.setPolicy(policy.vhost, { name: policy.name, pattern: policy.pattern, applyTo: policy.applyTo,
      priority: policy.priority, definition: policy.definition }));
    return existed ? 'updated' : 'created';
  }

  async deletePolicy(vhost: string, name: string): Promise<boolean> {
    if (!this.broker.vhost(vhost)?.policies.has(name)) return false;
    await this.durably(() => this.broker.deletePolicy(vhost, name));
    return true;
  }

  /** rabbit_policy: the matching policy of highest priority that applies to this kind. */
  private effectivePolicy(vhost: string, name: string, kind: 'queues' | 'exchanges'): Policy | undefined {
    const v = this.broker.vhost(vhost);
    return v ? matchPolicy(v.policies.values(), kind === 'queues' ? 'queue' : 'exchange', name) : undefined;
  }

  async publish(vhost: string, exchange: string, message: OutgoingMessage): Promise<{ routed: boolean }> {
    const v = this.model(vhost);
    if (exchange !== '' && !v.exchanges.has(exchange)) throw new BrokerViewError(404, 'Not Found');
    const properties = propertiesFromJson(message.properties);
    const header = encodeContentHeader({ classId: 60, weight: 0, bodySize: BigInt(message.payload.length), properties });
    const queues = v.route(exchange, message.routingKey, properties.headers);
    v.stats.publish++;
    if (queues.size === 0) v.stats.dropUnroutable++;
    const ex = v.exchanges.get(exchange)!;
    ex.stats.publishIn++;
    if (queues.size > 0) ex.stats.publishOut++;
    const msg = { exchange, routingKey: message.routingKey, properties, header, body: message.payload };
    // rabbit_mgmt_wm_exchange_publish publishes on a confirming channel and answers after the
    // confirm: a persistent message in a durable queue is on disk first.
    const stored: Promise<unknown>[] = [];
    for (const q of queues) {
      q.stats.publish++;
      const outcome = q.publish(msg, false);
      if (outcome instanceof Promise) stored.push(outcome);
    }
    await Promise.all(stored);
    return { routed: queues.size > 0 };
  }

  async get(vhost: string, queue: string, opts: { count: number; ack: 'ack' | 'reject'; requeue: boolean }): Promise<GotMessage[]> {
    const v = this.broker.vhost(vhost);
    const q = v?.queues.get(queue);
    if (!v || !q) throw new BrokerViewError(404, 'Not Found');
    const got: GotMessage[] = [];
    const taken: QueuedMessage[] = [];
    for (let i = 0; i < opts.count; i++) {
      let entry = q.fetch();
      // A durable queue's window can be empty while messages wait on disk: wait for the read-ahead.
      for (let loading = entry ? null : q.whenReady(); !entry && loading; loading = q.whenReady()) {
        await loading;
        entry = q.fetch();
      }
      if (!entry) break;
      v.stats.get++;
      q.stats.get++;
      taken.push(entry);
      const m = entry.message;
      got.push({ exchange: m.exchange, routingKey: m.routingKey, redelivered: entry.redelivered, messageCount: q.messageCount,
        properties: propertiesToJson(m.properties), payload: m.body });
    }
    // rabbit_mgmt_wm_queue_get: ackmode ack_requeue_true/reject_requeue_true put them back (redelivered).
    // Answered once the acks are on disk: the messages taken do not come back after a crash.
    await this.durably(() => {
      for (const entry of taken) {
        if (opts.requeue) q.requeue(entry); else q.settle(entry);
        if (opts.ack === 'ack' && !opts.requeue) { v.stats.ack++; q.stats.ack++; }
      }
    });
    if (opts.requeue) q.dispatch();
    return got;
  }

  async dropVhost(vhost: string): Promise<void> {
    for (const c of this.openConnections()) if (c.vhost.name === vhost) c.forceClose(`vhost '${vhost}' is deleted`);
    await this.durably(() => this.broker.dropVhost(vhost));
  }
}
