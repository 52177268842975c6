/**
 * Node-wide message counters since start (rabbit_core_metrics' channel/queue stats summed): the
 * management API's message_stats and the Prometheus counters read them. Plain numbers bumped on
 * the hot path; rates come from RateSampler, not from here.
 */
export class BrokerStats {
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
  connectionCreated = 0;
  connectionClosed = 0;
  channelCreated = 0;
  channelClosed = 0;
}

/** The counters as management message_stats keys (deliver_get = every delivery and get). */
export function statCounts(s: BrokerStats): Record<string, number> {
  return {
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
