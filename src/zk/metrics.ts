import type { Histogram } from 'prom-client';
import type { MetricsScope } from '../core/metrics/registry.js';
import type { ZkServerView } from './server-view.js';

/** Per-request latency buckets (seconds): sub-millisecond reads up to slow fsync-bound writes. */
const LATENCY_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * Prometheus figures for the ZooKeeper personality (junction_zk_*), the ones ZooKeeper's own mntr
 * reports plus the last zxid. Each mntr figure is also exported under the name ZooKeeper 3.8's
 * PrometheusMetricsProvider gives it (znode_count …, no prefix), which is what ZooKeeper's Grafana
 * dashboard queries. Gauges read the view when scraped, so nothing is kept twice; while no server
 * runs (view null) they keep their last value. The server observes requestLatency per ZooKeeper op
 * name (seconds).
 */
export function registerZkMetrics(metrics: MetricsScope, view: () => ZkServerView | null): { requestLatency: Histogram<'op'> } {
  const gauge = (name: string, zkName: string | null, help: string, read: (v: ZkServerView) => number): void => {
    const collect = (g: { set(value: number): void }) => {
      const v = view();
      if (v !== null) g.set(read(v));
    };
    metrics.gauge(name, help, [], collect);
    if (zkName) metrics.alias(zkName, `${help}; ZooKeeper's own name for junction_zk_${name}`, [], collect);
  };
  gauge('znode_count', 'znode_count', 'Znodes in the data tree (mntr zk_znode_count)', (v) => v.nodeCount());
  gauge('watch_count', 'watch_count', 'Watches registered (mntr zk_watch_count)', (v) => v.watches.count);
  gauge('sessions', 'global_sessions', 'Live sessions (mntr zk_global_sessions)', (v) => v.sessions().length);
  gauge('ephemerals_count', 'ephemerals_count', 'Ephemeral znodes (mntr zk_ephemerals_count)',
    (v) => v.sessions().reduce((n, s) => n + s.ephemerals.length, 0));
  gauge('connections', 'num_alive_connections', 'Open client connections (mntr zk_num_alive_connections)', (v) => v.connections().length);
  gauge('outstanding_requests', 'outstanding_requests', 'Requests received and not yet answered (mntr zk_outstanding_requests)',
    (v) => v.stats().outstandingRequests);
  gauge('approximate_data_size_bytes', 'approximate_data_size', 'Sum of znode path and data lengths (mntr zk_approximate_data_size)',
    (v) => v.approximateDataSize());
  gauge('last_zxid', null, 'Zxid of the last applied transaction', (v) => v.lastZxid());
  const requestLatency = metrics.histogram('request_latency_seconds',
    'Time from receiving a request to sending its reply, by ZooKeeper op name', ['op'], LATENCY_BUCKETS);
  return { requestLatency };
}
