import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metrics } from '../../src/core/metrics/registry.js';
import { registerZkMetrics } from '../../src/zk/metrics.js';
import { fakeState, fakeZkView } from '../helpers/fake-zk-view.js';

/** The value of an unlabelled sample in Prometheus text format. */
function sample(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

test('gauges read the view when scraped', async () => {
  const metrics = new Metrics({ processMetrics: false });
  const state = fakeState({ lastZxid: 0x1234 });
  registerZkMetrics(metrics.scope('zk'), () => fakeZkView(state));
  let text = await metrics.render();
  assert.equal(sample(text, 'junction_zk_znode_count'), 8);
  assert.equal(sample(text, 'junction_zk_watch_count'), 4);
  assert.equal(sample(text, 'junction_zk_sessions'), 2);
  assert.equal(sample(text, 'junction_zk_ephemerals_count'), 2);
  assert.equal(sample(text, 'junction_zk_connections'), 2);
  assert.equal(sample(text, 'junction_zk_outstanding_requests'), 0);
  assert.equal(sample(text, 'junction_zk_approximate_data_size_bytes'), 79);
  assert.equal(sample(text, 'junction_zk_last_zxid'), 0x1234);
  // The same figures under the names ZooKeeper's PrometheusMetricsProvider gives them (its dashboards).
  assert.equal(sample(text, 'znode_count'), 8);
  assert.equal(sample(text, 'watch_count'), 4);
  assert.equal(sample(text, 'global_sessions'), 2);
  assert.equal(sample(text, 'ephemerals_count'), 2);
  assert.equal(sample(text, 'num_alive_connections'), 2);
  assert.equal(sample(text, 'outstanding_requests'), 0);
  assert.equal(sample(text, 'approximate_data_size'), 79);
  state.nodeCount = 11;
  state.stats = { ...state.stats, outstandingRequests: 3 };
  text = await metrics.render();
  assert.equal(sample(text, 'junction_zk_znode_count'), 11);
  assert.equal(sample(text, 'junction_zk_outstanding_requests'), 3);
  assert.equal(sample(text, 'znode_count'), 11);
});

test('request latency histogram is labelled by op, in seconds', async () => {
  const metrics = new Metrics({ processMetrics: false });
  const { requestLatency } = registerZkMetrics(metrics.scope('zk'), () => null);
  requestLatency.observe({ op: 'getData' }, 0.0003);
  requestLatency.observe({ op: 'create' }, 0.02);
  const text = await metrics.render();
  assert.match(text, /^# TYPE junction_zk_request_latency_seconds histogram$/m);
  assert.match(text, /^junction_zk_request_latency_seconds_bucket\{le="0.0005",op="getData"\} 1$/m);
  assert.match(text, /^junction_zk_request_latency_seconds_count\{op="create"\} 1$/m);
});

test('without a running server the gauges are present and nothing throws', async () => {
  const metrics = new Metrics({ processMetrics: false });
  registerZkMetrics(metrics.scope('zk'), () => null);
  const text = await metrics.render();
  for (const name of ['junction_zk_znode_count', 'junction_zk_watch_count', 'junction_zk_sessions',
    'junction_zk_connections', 'junction_zk_outstanding_requests', 'junction_zk_approximate_data_size_bytes',
    'junction_zk_last_zxid']) {
    assert.match(text, new RegExp(`^# TYPE ${name} gauge$`, 'm'), name);
  }
});
