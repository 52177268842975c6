import type { Counter, Histogram } from 'prom-client';
import type { MetricsScope } from '../core/metrics/registry.js';

/** Request latency buckets (seconds): sub-millisecond metadata up to long-polling fetches. */
const LATENCY_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30];

export interface KafkaMetrics {
  /** Record-batch bytes accepted by Produce (Kafka's BytesInPerSec). */
  readonly bytesIn: Counter;
  /** Record-batch bytes sent by Fetch (BytesOutPerSec). */
  readonly bytesOut: Counter;
  /** Records accepted by Produce (MessagesInPerSec). */
  readonly messagesIn: Counter;
  /** Time from reading a request to queueing its response, by API name (RequestMetrics TotalTimeMs). */
  readonly requestLatency: Histogram<'api'>;
  /** SASL exchanges by mechanism and result (Kafka's successful-/failed-authentication-total). */
  readonly authentications: Counter<'mechanism' | 'result'>;
}

/** Counters and gauges of the Kafka personality (junction_kafka_*); the gauges read `counts` and
 *  `topicSizes` when scraped. */
export function registerKafkaMetrics(metrics: MetricsScope, counts: () => { topics: number; partitions: number; bytes: number; connections: number } | null,
  topicSizes: () => Map<string, number> | null): KafkaMetrics {
  const gauge = (name: string, help: string, read: (c: NonNullable<ReturnType<typeof counts>>) => number): void => {
    metrics.gauge(name, help, [], (g) => {
      const c = counts();
      if (c !== null) g.set(read(c));
    });
  };
  gauge('topics', 'Topics', (c) => c.topics);
  gauge('partitions', 'Partitions of all topics', (c) => c.partitions);
  gauge('log_size_bytes', 'Bytes of all partition log segments', (c) => c.bytes);
  gauge('connections', 'Open client connections', (c) => c.connections);
  metrics.gauge('topic_log_size_bytes', 'Bytes of a topic\'s partition log segments', ['topic'], (g) => {
    const sizes = topicSizes();
    if (sizes === null) return;
    g.reset();
    for (const [topic, bytes] of sizes) g.set({ topic }, bytes);
  });
  return {
    bytesIn: metrics.counter('bytes_in_total', 'Record batch bytes accepted by Produce'),
    bytesOut: metrics.counter('bytes_out_total', 'Record batch bytes sent by Fetch'),
    messagesIn: metrics.counter('messages_in_total', 'Records accepted by Produce'),
    requestLatency: metrics.histogram('request_latency_seconds', 'Time from reading a request to queueing its response, by API',
      ['api'], LATENCY_BUCKETS),
    authentications: metrics.counter('authentications_total', 'SASL authentications by mechanism and result (success, failure)', ['mechanism', 'result']),
  };
}

/** Consumer-group gauges, read when scraped: groups by state (Kafka's GroupMetadataManager
 *  NumGroups<State>) and per group the lag summed over its committed partitions (log end − committed). */
export function registerGroupMetrics(metrics: MetricsScope, stats: () => { byState: Map<string, number>; lag: Map<string, number> } | null): void {
  metrics.gauge('groups', 'Consumer groups by state', ['state'], (g) => {
    const s = stats();
    if (s === null) return;
    g.reset();
    for (const state of ['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable']) g.set({ state }, s.byState.get(state) ?? 0);
  });
  metrics.gauge('group_lag', 'Records between a group\'s committed offsets and the log end, summed over its partitions', ['group'], (g) => {
    const s = stats();
    if (s === null) return;
    g.reset();
    for (const [group, lag] of s.lag) g.set({ group }, lag);
  });
}
