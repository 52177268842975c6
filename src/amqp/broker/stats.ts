/**
 * Message counters since start of one object — channel, queue, exchange, vhost (rabbit_core_metrics'
 * channel/queue stats, and rabbit_mgmt's vhost_stats they are aggregated into): the management
 * API's message_stats; the node's totals (Broker.messageTotals) sum the vhosts'. Plain numbers
 * bumped on the hot path; rates come from RateSampler, not from here.
 */
export class MessageCounters {
  publish = 0;
  confirm = 0;
  deliver = 0;
  deliverNoAck = 0;
  get = 0;
  getNoAck = 0;
  getEmpty = 0;
  ack = 0;
  redeliver = 0;
  dropUnroutable = 0;
  returnUnroutable = 0;
  /** Exchanges: messages in, and messages routed on to at least one queue. */
  publishIn = 0;
  publishOut = 0;
}

const MESSAGE_KEYS = Object.keys(new MessageCounters()) as (keyof MessageCounters)[];

/** Add `from`'s counts to `into`. */
export function addCounters(into: MessageCounters, from: MessageCounters): void {
  for (const key of MESSAGE_KEYS) into[key] += from[key];
}

/** A delivery to a consumer (basic.deliver) counted on one object's counters. */
export function countDelivery(s: MessageCounters, noAck: boolean, redelivered: boolean): void {
  if (noAck) s.deliverNoAck++; else s.deliver++;
  if (redelivered) s.redeliver++;
}

/** A basic.get that returned a message, counted on one object's counters. */
export function countGet(s: MessageCounters, noAck: boolean, redelivered: boolean): void {
  if (noAck) s.getNoAck++; else s.get++;
  if (redelivered) s.redeliver++;
}

/** The node's object churn (its message counters are the vhosts' summed: Broker.messageTotals). */
export class BrokerStats {
  queueCreated = 0;
  queueDeclared = 0;
  queueDeleted = 0;
  connectionCreated = 0;
  connectionClosed = 0;
  channelCreated = 0;
  channelClosed = 0;
}

/** Which message_stats keys RabbitMQ shows for each kind of object (all of them at 0 once the
 *  object had any traffic). */
export const STAT_KEYS = {
  node: ['publish', 'confirm', 'deliver', 'deliver_no_ack', 'get', 'get_no_ack', 'get_empty', 'deliver_get', 'ack', 'redeliver',
    'drop_unroutable', 'return_unroutable', 'disk_reads', 'disk_writes'],
  vhost: ['publish', 'confirm', 'deliver', 'deliver_no_ack', 'get', 'get_no_ack', 'get_empty', 'deliver_get', 'ack', 'redeliver',
    'drop_unroutable', 'return_unroutable'],
  channel: ['publish', 'confirm', 'deliver', 'deliver_no_ack', 'get', 'get_no_ack', 'get_empty', 'deliver_get', 'ack', 'redeliver',
    'drop_unroutable', 'return_unroutable'],
  queue: ['publish', 'deliver', 'deliver_no_ack', 'get', 'get_no_ack', 'get_empty', 'deliver_get', 'ack', 'redeliver'],
  exchange: ['publish_in', 'publish_out'],
} as const;

/** The counters as management message_stats keys (deliver_get = every delivery and get). */
export function statCounts(s: MessageCounters): Record<string, number> {
  return {
    publish_in: s.publishIn, publish_out: s.publishOut, disk_reads: 0, disk_writes: 0,
    publish: s.publish, confirm: s.confirm, deliver: s.deliver, deliver_no_ack: s.deliverNoAck, get: s.get, get_no_ack: s.getNoAck,
    get_empty: s.getEmpty, deliver_get: s.deliver + s.deliverNoAck + s.get + s.getNoAck, ack: s.ack, redeliver: s.redeliver,
    drop_unroutable: s.dropUnroutable, return_unroutable: s.returnUnroutable,
  };
}

/** Rates per second over the last sampling interval (rates_mode basic: RabbitMQ samples every 5 s). */
export class RateSampler {
  private last: Record<string, number> = {};
  private lastAt = 0;
  private rates: Record<string, number> = {};

  constructor(private readonly read: () => Record<string, number>, private readonly intervalMs = 5000) {}

  /** Rates as of now: a new sample once the interval has passed since the previous one. */
  sample(now = Date.now()): Record<string, number> {
    if (now - this.lastAt >= this.intervalMs) {
      const current = this.read();
      const seconds = (now - this.lastAt) / 1000;
      if (this.lastAt !== 0) {
        this.rates = Object.fromEntries(Object.entries(current).map(([k, v]) => [k, Math.max(0, (v - (this.last[k] ?? 0)) / seconds)]));
      }
      this.last = current;
      this.lastAt = now;
    }
    return this.rates;
  }
}
