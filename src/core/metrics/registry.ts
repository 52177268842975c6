import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per server process (prom-client), served at /metrics on the admin port.
 * Created per Junction instance rather than global so tests can run several servers in one process.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly fsyncSeconds: Histogram<'store'>;

  constructor(opts: { processMetrics?: boolean } = {}) {
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'junction_' });
    this.fsyncSeconds = this.histogram('junction_log_fsync_seconds', 'Duration of log fdatasync calls', ['store'],
      [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]);
  }

  /** `collect` runs before each scrape, for counters whose values are kept elsewhere. */
  counter<L extends string>(name: string, help: string, labelNames: L[] = [], collect?: (this: Counter<L>) => void): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry], ...(collect ? { collect } : {}) });
  }

  gauge<L extends string>(name: string, help: string, labelNames: L[] = [], collect?: (g: Gauge<L>) => void): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry], ...(collect ? { collect() { collect(this); } } : {}) });
  }

  histogram<L extends string>(name: string, help: string, labelNames: L[] = [], buckets?: number[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, registers: [this.registry], ...(buckets ? { buckets } : {}) });
  }

  render(): Promise<string> { return this.registry.metrics(); }
  get contentType(): string { return this.registry.contentType; }
}
