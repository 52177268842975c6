import {
  BrokerViewError,
  type BindingInfo, type BrokerTotals, type BrokerView, type ChannelInfo, type ConnectionInfo, type ConsumerInfo,
  type ExchangeInfo, type ExchangeSpec, type MessageStats, type GotMessage, type OutgoingMessage, type PolicyInfo, type QueueInfo, type QueueSpec,
} from '../../../src/amqp/management/broker-view.js';

/**
 * TEST DOUBLE — a minimal in-memory BrokerView for the management route tests, not the broker
 * (amqp-core owns that). Queues hold messages in an array; the default exchange routes by
 * queue name, direct exchanges by binding key; nothing else of AMQP is modelled.
 */
export class FakeBroker implements BrokerView {
  readonly queueMap = new Map<string, QueueInfo & { messages: GotMessage[] }>();
  readonly exchangeMap = new Map<string, ExchangeInfo>();
  bindingList: BindingInfo[] = [];
  connectionList: ConnectionInfo[] = [];
  channelList: ChannelInfo[] = [];
  consumerList: ConsumerInfo[] = [];
  policyList: PolicyInfo[] = [];
  closed: { name: string; reason: string }[] = [];
  /** Counters the test sets (the real broker counts them). */
  messageStats: MessageStats = {};
  churn: BrokerTotals['churn'] = {};

  constructor() { this.addVhostExchanges('/'); }

  addVhostExchanges(vhost: string): void {
    for (const [name, type] of [['', 'direct'], ['amq.direct', 'direct'], ['amq.fanout', 'fanout'], ['amq.topic', 'topic'],
      ['amq.headers', 'headers'], ['amq.match', 'headers'], ['amq.rabbitmq.trace', 'topic']] as const) {
      this.exchangeMap.set(`${vhost}\0${name}`, { vhost, name, type, durable: true, autoDelete: false,
        internal: name === 'amq.rabbitmq.trace', arguments: {}, policy: null, messageStats: {} });
    }
  }

  overview(vhost?: string): BrokerTotals {
    const qs = this.queues(vhost);
    return {
      connections: this.connectionList.length, channels: this.channelList.length, consumers: this.consumerList.length,
      exchanges: this.exchanges(vhost).length, queues: qs.length,
      messagesReady: qs.reduce((n, q) => n + q.messagesReady, 0), messagesUnacknowledged: qs.reduce((n, q) => n + q.messagesUnacknowledged, 0),
      messageStats: vhost === undefined ? this.messageStats
        : Object.fromEntries(Object.entries(this.messageStats).filter(([k]) => !k.startsWith('disk_'))), churn: this.churn, recvOct: this.connectionList.reduce((n, c) => n + c.recvOct, 0),
      sendOct: this.connectionList.reduce((n, c) => n + c.sendOct, 0),
      listeners: [{ protocol: 'amqp', ip: '127.0.0.1', port: 5672 }],
    };
  }

  queues(vhost?: string): QueueInfo[] { return [...this.queueMap.values()].filter((q) => vhost === undefined || q.vhost === vhost); }
  queue(vhost: string, name: string) { return this.queueMap.get(`${vhost}\0${name}`); }
  async declareQueue(vhost: string, name: string, spec: QueueSpec): Promise<'created' | 'exists'> {
    const existing = this.queue(vhost, name);
    if (existing) {
      if (existing.durable !== spec.durable) {
        throw new BrokerViewError(400, `inequivalent arg 'durable' for queue '${name}' in vhost '${vhost}': received '${spec.durable}' but current is '${existing.durable}'`);
      }
      return 'exists';
    }
    this.queueMap.set(`${vhost}\0${name}`, {
      vhost, name, ...spec, exclusive: false, messagesReady: 0, messagesUnacknowledged: 0, messagesPersistent: 0,
      messageBytesReady: 0, messageBytesUnacknowledged: 0, messageBytesPersistent: 0, consumers: 0,
      exclusiveConsumerTag: null, singleActiveConsumerTag: null, policy: null, effectivePolicyDefinition: {},
      idleSince: 1_795_638_312_719, headMessageTimestamp: null, messageStats: {}, messages: [],
    });
    this.bindingList.push({ vhost, source: '', destination: name, destinationType: 'queue', routingKey: name, arguments: {} });
    return 'created';
  }
  async deleteQueue(vhost: string, name: string, opts: { ifEmpty?: boolean } = {}): Promise<'deleted' | 'not-found'> {
    const q = this.queue(vhost, name);
    if (!q) return 'not-found';
    if (opts.ifEmpty && q.messages.length > 0) throw new BrokerViewError(400, `queue '${name}' in vhost '${vhost}' is not empty`);
    this.queueMap.delete(`${vhost}\0${name}`);
    this.bindingList = this.bindingList.filter((b) => !(b.vhost === vhost && b.destinationType === 'queue' && b.destination === name));
    return 'deleted';
  }
  async purgeQueue(vhost: string, name: string): Promise<number | undefined> {
    const q = this.queue(vhost, name);
    if (!q) return undefined;
    const n = q.messages.length;
    q.messages = [];
    q.messagesReady = 0;
    return n;
  }

  exchanges(vhost?: string): ExchangeInfo[] { return [...this.exchangeMap.values()].filter((x) => vhost === undefined || x.vhost === vhost); }
  exchange(vhost: string, name: string) { return this.exchangeMap.get(`${vhost}\0${name}`); }
  async declareExchange(vhost: string, name: string, spec: ExchangeSpec): Promise<'created' | 'exists'> {
    if (this.exchange(vhost, name)) return 'exists';
    this.exchangeMap.set(`${vhost}\0${name}`, { vhost, name, ...spec, policy: null, messageStats: {} });
    return 'created';
  }
  async deleteExchange(vhost: string, name: string): Promise<'deleted' | 'not-found'> {
    return this.exchangeMap.delete(`${vhost}\0${name}`) ? 'deleted' : 'not-found';
  }

  bindings(vhost?: string): BindingInfo[] { return this.bindingList.filter((b) => vhost === undefined || b.vhost === vhost); }
  async bind(binding: BindingInfo): Promise<void> { this.bindingList.push(binding); }
  async unbind(binding: BindingInfo): Promise<boolean> {
    const before = this.bindingList.length;
    this.bindingList = this.bindingList.filter((b) => b !== binding);
    return this.bindingList.length < before;
  }

  connections(): ConnectionInfo[] { return this.connectionList; }
  async closeConnection(name: string, reason: string): Promise<boolean> {
    this.closed.push({ name, reason });
    const before = this.connectionList.length;
    this.connectionList = this.connectionList.filter((c) => c.name !== name);
    return this.connectionList.length < before;
  }
  channels(): ChannelInfo[] { return this.channelList; }
  consumers(vhost?: string): ConsumerInfo[] { return this.consumerList.filter((c) => vhost === undefined || c.vhost === vhost); }

  policies(vhost?: string): PolicyInfo[] { return this.policyList.filter((p) => vhost === undefined || p.vhost === vhost); }
  async putPolicy(policy: PolicyInfo): Promise<'created' | 'updated'> {
    const i = this.policyList.findIndex((p) => p.vhost === policy.vhost && p.name === policy.name);
    if (i >= 0) { this.policyList[i] = policy; return 'updated'; }
    this.policyList.push(policy);
    return 'created';
  }
  async deletePolicy(vhost: string, name: string): Promise<boolean> {
    const before = this.policyList.length;
    this.policyList = this.policyList.filter((p) => !(p.vhost === vhost && p.name === name));
    return this.policyList.length < before;
  }

  async publish(vhost: string, exchange: string, message: OutgoingMessage): Promise<{ routed: boolean }> {
    const targets = this.bindingList.filter((b) => b.vhost === vhost && b.source === exchange && b.routingKey === message.routingKey);
    for (const b of targets) {
      const q = this.queue(vhost, b.destination)!;
      q.messages.push({ exchange, routingKey: message.routingKey, redelivered: false, messageCount: 0,
        properties: message.properties, payload: message.payload });
      q.messagesReady = q.messages.length;
    }
    return { routed: targets.length > 0 };
  }
  async get(vhost: string, queue: string, opts: { count: number; requeue: boolean }): Promise<GotMessage[]> {
    const q = this.queue(vhost, queue)!;
    const got = q.messages.splice(0, opts.count).map((m, i, all) => ({ ...m, messageCount: q.messages.length + all.length - i - 1 }));
    if (opts.requeue) q.messages.unshift(...got.map((m) => ({ ...m, redelivered: true })));
    q.messagesReady = q.messages.length;
    return got;
  }

  async dropVhost(vhost: string): Promise<void> {
    for (const [key, q] of this.queueMap) if (q.vhost === vhost) this.queueMap.delete(key);
    for (const [key, x] of this.exchangeMap) if (x.vhost === vhost) this.exchangeMap.delete(key);
    this.bindingList = this.bindingList.filter((b) => b.vhost !== vhost);
  }
}
