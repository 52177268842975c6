import type { MetricsScope } from '../core/metrics/registry.js';
import type { Broker } from './broker/broker.js';
import type { MessageCounters } from './broker/stats.js';

/**
 * Prometheus metrics of the AMQP personality (junction_amqp_*), all read from the broker when
 * scraped, so the hot path only bumps plain numbers (each vhost's MessageCounters, summed here). Rates are the counters' rate()
 * in PromQL. Per-queue gauges carry `vhost` and `queue` labels: one series per existing queue
 * (reset at each scrape, so deleted queues disappear), and the series count is capped at
 * `perQueueLimit` queues so 10k-queue brokers do not make a 10k-series scrape by surprise.
 */
export function registerAmqpMetrics(metrics: MetricsScope, broker: Broker, connections: () => { connections: number; channels: number },
  perQueueLimit = 1000): void {
  const totals = () => {
    let queues = 0; let consumers = 0; let ready = 0; let unacked = 0;
    for (const v of broker.vhosts.values()) {
      for (const q of v.queues.values()) { queues++; consumers += q.consumers.length; ready += q.messageCount; unacked += q.unacked; }
    }
    return { queues, consumers, ready, unacked };
  };
  metrics.gauge('connections', 'Open AMQP connections (past connection.open)', [], (g) => g.set(connections().connections));
  metrics.gauge('channels', 'Open AMQP channels', [], (g) => g.set(connections().channels));
  metrics.gauge('queues', 'Queues in every vhost', [], (g) => g.set(totals().queues));
  metrics.gauge('consumers', 'Consumers on every queue', [], (g) => g.set(totals().consumers));
  metrics.gauge('messages_ready', 'Messages ready for delivery in every queue', [], (g) => g.set(totals().ready));
  metrics.gauge('messages_unacked', 'Messages delivered and not yet acknowledged in every queue', [], (g) => g.set(totals().unacked));
  const perQueue = (name: string, help: string, read: (q: { messageCount: number; unacked: number }) => number): void => {
    metrics.gauge(name, help, ['vhost', 'queue'], (g) => {
      g.reset();
      let n = 0;
      for (const v of broker.vhosts.values()) {
        for (const q of v.queues.values()) {
          if (n++ >= perQueueLimit) return;
          g.set({ vhost: v.name, queue: q.name }, read(q));
        }
      }
    });
  };
  perQueue('queue_messages_ready', 'Messages ready in one queue (first 1000 queues)', (q) => q.messageCount);
  perQueue('queue_messages_unacked', 'Unacknowledged messages of one queue (first 1000 queues)', (q) => q.unacked);
  const counter = (name: string, help: string, read: (s: MessageCounters) => number): void => {
    let reported = 0;
    metrics.counter(name, help, [], function collect() {
      const now = read(broker.messageTotals());
      if (now > reported) this.inc(now - reported);
      reported = now;
    });
  };
  counter('messages_published_total', 'Messages published (basic.publish and the management API)', (s) => s.publish);
  counter('messages_delivered_total', 'Messages delivered to consumers or basic.get', (s) => s.deliver + s.deliverNoAck + s.get + s.getNoAck);
  counter('messages_acked_total', 'Deliveries acknowledged by clients', (s) => s.ack);
  counter('messages_confirmed_total', 'Publishes confirmed to publishers', (s) => s.confirm);
  counter('messages_redelivered_total', 'Deliveries of messages delivered before', (s) => s.redeliver);
  counter('messages_unroutable_total', 'Publishes that reached no queue (dropped or returned)', (s) => s.dropUnroutable + s.returnUnroutable);
}
