import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { Metrics } from '../../src/core/metrics/registry.js';
import { RouteMetrics } from '../../src/core/metrics/route-metrics.js';

/** Names as a scope gets them (without its junction_x_ prefix). */
const SPEC = {
  requests: { name: 'requests_total', help: 'requests' },
  latency: { name: 'duration_seconds', help: 'latency', buckets: [0.001, 0.01, 0.1] },
};
const PREFIX = 'junction_x_';

/** The same observations through prom-client's own Counter and Histogram. */
async function promClientText(observations: [string, string, number, number][]): Promise<string> {
  const registry = new Registry();
  const counter = new Counter({ name: PREFIX + SPEC.requests.name, help: SPEC.requests.help, labelNames: ['method', 'route', 'status'], registers: [registry] });
  const histogram = new Histogram({ name: PREFIX + SPEC.latency.name, help: SPEC.latency.help, labelNames: ['method', 'route'],
    buckets: [...SPEC.latency.buckets], registers: [registry] });
  for (const [method, route, status, seconds] of observations) {
    counter.inc({ method, route, status: String(status) });
    histogram.observe({ method, route }, seconds);
  }
  return registry.metrics();
}

/** Prometheus text as a set of lines (series order within a metric is not significant). */
const lines = (text: string) => text.split('\n').filter((l) => l !== '').sort();

test('RouteMetrics exposes exactly what prom-client Counter + Histogram would for the same requests', async () => {
  const observations: [string, string, number, number][] = [
    ['GET', '/a', 200, 0.0004], ['GET', '/a', 200, 0.001], ['GET', '/a', 404, 0.05], ['POST', '/a', 200, 7],
    ['GET', '/b', 500, 0.01], ['GET', '/b', 200, 0.1000001],
  ];
  const metrics = new Metrics({ processMetrics: false });
  const routes = new RouteMetrics(metrics.scope('x'), SPEC);
  const recorders = new Map<string, ReturnType<RouteMetrics['route']>>();
  for (const [method, route, status, seconds] of observations) {
    const key = `${method} ${route}`;
    if (!recorders.has(key)) recorders.set(key, routes.route(method, route));
    recorders.get(key)!.observe(status, seconds);
  }
  routes.route('DELETE', '/never'); // no requests: no series, like an unused prom-client label set
  const ours = lines(await metrics.render()).filter((l) => !l.includes('junction_log_fsync'));
  assert.deepEqual(ours, lines(await promClientText(observations)));
  // A second scrape gives the same counts (the counter is refilled, not added to).
  assert.deepEqual(lines(await metrics.render()).filter((l) => !l.includes('junction_log_fsync')), ours);
});
