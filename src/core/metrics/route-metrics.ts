import type { Counter } from 'prom-client';
import type { MetricsScope } from './registry.js';

/** Names and buckets of the two series a RouteMetrics feeds (labels: method, route[, status]). */
export interface RouteMetricsSpec {
  requests: { name: string; help: string };
  latency: { name: string; help: string; buckets: readonly number[] };
}

/**
 * Request count and latency of one route and method. observe() is a handful of additions: the
 * label work prom-client does on every inc()/observe() (validating and hashing the label object)
 * is done once, when the route is registered, and the series are produced when /metrics is read.
 */
export class RouteRecorder {
  /** Requests per HTTP status. */
  readonly byStatus = new Map<number, number>();
  /** Observations per bucket, not cumulative; the last slot is above every bound (+Inf only). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly method: string, readonly route: string, private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(status: number, seconds: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    // Prometheus buckets are `le`: a value equal to a bound counts in that bound's bucket.
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += seconds;
    this.count++;
  }
}

interface SeriesValue { labels: Record<string, string | number>; value: number; metricName?: string }

/**
 * A counter `requests{method,route,status}` and a histogram `latency{method,route}`, exposed in
 * the same Prometheus text prom-client's Counter and Histogram give, but recorded per route
 * through a RouteRecorder (see there). The counter is a prom-client Counter filled at scrape; the
 * histogram is a collector in prom-client's metric shape (prom-client cannot set bucket counts).
 */
export class RouteMetrics {
  private readonly recorders: RouteRecorder[] = [];

  private readonly latencyName: string;

  /** Names in `spec` are given without the scope's prefix, as every scoped metric is. */
  constructor(metrics: MetricsScope, private readonly spec: RouteMetricsSpec) {
    const recorders = this.recorders;
    const latencyName = this.latencyName = metrics.prefix + spec.latency.name;
    metrics.counter(spec.requests.name, spec.requests.help, ['method', 'route', 'status'], function collect(this: Counter<'method' | 'route' | 'status'>) {
      this.reset();
      for (const r of recorders) {
        for (const [status, n] of r.byStatus) this.inc({ method: r.method, route: r.route, status: String(status) }, n);
      }
    });
    metrics.registerCollector({
      name: latencyName, help: spec.latency.help, type: 'histogram', aggregator: 'sum',
      get: async () => ({ name: latencyName, help: spec.latency.help, type: 'histogram', aggregator: 'sum', values: this.latencySeries() }),
      reset: () => { for (const r of recorders) { r.counts.fill(0); r.sum = 0; r.count = 0; } },
    } as unknown as Parameters<MetricsScope['registerCollector']>[0]);
  }

  /** The recorder of one route and method; call once per route, when it is registered. */
  route(method: string, route: string): RouteRecorder {
    const recorder = new RouteRecorder(method, route, this.spec.latency.buckets);
    this.recorders.push(recorder);
    return recorder;
  }

  /** prom-client's histogram values: cumulative `_bucket{le}` per bound, `+Inf`, `_sum`, `_count`. */
  private latencySeries(): SeriesValue[] {
    const name = this.latencyName;
    const { buckets } = this.spec.latency;
    const out: SeriesValue[] = [];
    for (const r of this.recorders) {
      if (r.count === 0) continue;
      const labels = { method: r.method, route: r.route };
      let cumulative = 0;
      buckets.forEach((le, i) => {
        cumulative += r.counts[i]!;
        out.push({ labels: { le, ...labels }, value: cumulative, metricName: `${name}_bucket` });
      });
      out.push({ labels: { le: '+Inf', ...labels }, value: r.count, metricName: `${name}_bucket` });
      out.push({ labels, value: r.sum, metricName: `${name}_sum` });
      out.push({ labels, value: r.count, metricName: `${name}_count` });
    }
    return out;
  }
}
