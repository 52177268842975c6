import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per server process (prom-client), served at /metrics on the admin port.
 * Created per Junction instance rather than global so tests can run several servers in one process.
 *
 * Names follow one rule: core's own are `junction_<name>`, a personality's are
 * `junction_<personality>_<name>` — a personality gets a MetricsScope that adds its prefix, so it
 * cannot break the rule. Where the original's own dashboards expect another name (ZooKeeper's
 * `znode_count`, Nacos's `nacos_monitor`), the scope registers it as an alias, listed in
 * docs/compat/<personality>.md.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly fsyncSeconds: Histogram<'store'>;

  constructor(opts: { processMetrics?: boolean } = {}) {
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'junction_' });
    this.fsyncSeconds = new Histogram({
      name: 'junction_log_fsync_seconds', help: 'Duration of log fdatasync calls', labelNames: ['store'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [this.registry],
    });
  }

  /** The metrics of one personality: every name it registers becomes junction_<personality>_<name>. */
  scope(personality: string): MetricsScope { return new MetricsScope(this.registry, `junction_${personality}_`); }

  render(): Promise<string> { return this.registry.metrics(); }
  get contentType(): string { return this.registry.contentType; }
}

export class MetricsScope {
  constructor(private readonly registry: Registry, readonly prefix: string) {}

  /** `collect` runs before each scrape, for counters whose values are kept elsewhere. */
  counter<L extends string>(name: string, help: string, labelNames: L[] = [], collect?: (this: Counter<L>) => void): Counter<L> {
    return new Counter({ name: this.prefix + name, help, labelNames, registers: [this.registry], ...(collect ? { collect } : {}) });
  }

  /** A gauge read when scraped (`collect`), so nothing is kept twice. */
  gauge<L extends string>(name: string, help: string, labelNames: L[] = [], collect?: (g: Gauge<L>) => void): Gauge<L> {
    return this.gaugeNamed(this.prefix + name, help, labelNames, collect);
  }

  histogram<L extends string>(name: string, help: string, labelNames: L[] = [], buckets?: number[]): Histogram<L> {
    return new Histogram({ name: this.prefix + name, help, labelNames, registers: [this.registry], ...(buckets ? { buckets } : {}) });
  }

  /** A metric in prom-client's collector shape, named `<prefix><name>` by the caller (see RouteMetrics). */
  registerCollector(metric: Parameters<Registry['registerMetric']>[0]): void { this.registry.registerMetric(metric); }

  /** The whole registry's text (a personality may serve it where the original did, e.g. Nacos's
   *  /actuator/prometheus). */
  render(): Promise<string> { return this.registry.metrics(); }
  get contentType(): string { return this.registry.contentType; }

  /** A gauge under the original's own name (no prefix), for the dashboards built for it. */
  alias<L extends string>(originalName: string, help: string, labelNames: L[], collect: (g: Gauge<L>) => void): Gauge<L> {
    return this.gaugeNamed(originalName, help, labelNames, collect);
  }

  private gaugeNamed<L extends string>(name: string, help: string, labelNames: L[], collect?: (g: Gauge<L>) => void): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry], ...(collect ? { collect() { collect(this); } } : {}) });
  }
}
