import type { Histogram } from 'prom-client';
import type { Metrics } from '../core/metrics/registry.js';
import type { ZkServerView } from './server-view.js';

/** Per-request latency buckets (seconds): sub-millisecond reads up to slow fsync-bound writes. */
const LATENCY_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * Prometheus figures for the ZooKeeper personality, the ones ZooKeeper's own mntr reports
 * (zk_znode_count, zk_watch_count, zk_global_sessions, zk_num_alive_connections,
 * zk_outstanding_requests, zk_approximate_data_size) plus the last zxid. Gauges read the view when
 * scraped, so nothing is kept twice; while no server runs (view null) they keep their last value.
 * The server observes requestLatency per ZooKeeper op name (seconds).
 */
export function registerZkMetrics(metrics: Metrics, view: () => ZkServerView | null): { requestLatency: Histogram<'op'> } {
  const gauge = (name: string, help: string, read: (v: ZkServerView) => number): void => {
    metrics.gauge(name, help, [], (g) => {
      const v = view();
      if (v !== null) g.set(read(v));
    });
  };
  gauge('junction_zk_znode_count', 'Znodes in the data tree (mntr zk_znode_count)', (v) => v.nodeCount());
  gauge('junction_zk_watch_count', 'Watches registered (mntr zk_watch_count)', (v) => v.watches.count);
  gauge('junction_zk_sessions', 'Live sessions (mntr zk_global_sessions)', (v) => v.sessions().length);
  gauge('junction_zk_ephemerals_count', 'Ephemeral znodes (mntr zk_ephemerals_count)',
    (v) => v.sessions().reduce((n, s) => n + s.ephemerals.length, 0));
  gauge('junction_zk_connections', 'Open client connections (mntr zk_num_alive_connections)', (v) => v.connections().length);
  gauge('junction_zk_outstanding_requests', 'Requests received and not yet answered (mntr zk_outstanding_requests)',
    (v) => v.stats().outstandingRequests);
  gauge('junction_zk_approximate_data_size_bytes', 'Sum of znode path and data lengths (mntr zk_approximate_data_size)',
    (v) => v.approximateDataSize());
  gauge('junction_zk_last_zxid', 'Zxid of the last applied transaction', (v) => v.lastZxid());
  const requestLatency = metrics.histogram('junction_zk_request_latency_seconds',
    'Time from receiving a request to sending its reply, by ZooKeeper op name', ['op'], LATENCY_BUCKETS);
  return { requestLatency };
}
