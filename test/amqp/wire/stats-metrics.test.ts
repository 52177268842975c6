import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Broker } from '../../../src/amqp/broker/broker.js';
import { MessageCounters, RateSampler, statCounts } from '../../../src/amqp/broker/stats.js';
import { registerAmqpMetrics } from '../../../src/amqp/metrics.js';
import { Metrics } from '../../../src/core/metrics/registry.js';

test('RateSampler: no rate before two samples, then the change per second over the interval', () => {
  const stats = new MessageCounters();
  const sampler = new RateSampler(() => statCounts(stats), 5000);
  assert.deepEqual(sampler.sample(10_000), {});
  stats.publish = 50;
  assert.deepEqual(sampler.sample(12_000), {}, 'within the interval the previous rates stay');
  const rates = sampler.sample(15_000);
  assert.equal(rates.publish, 10);
  assert.equal(rates.ack, 0);
});

test('per-queue gauges carry vhost and queue labels, are capped, and follow deletions; counters follow the broker', async () => {
  const broker = new Broker('/');
  for (const name of ['a', 'b', 'c']) {
    broker.definitions.apply({ type: 'queue.declare', vhost: '/', name, durable: false, autoDelete: false, arguments: [] });
  }
  const metrics = new Metrics({ processMetrics: false });
  registerAmqpMetrics(metrics.scope('amqp'), broker, () => ({ connections: 0, channels: 0 }), 2);
  broker.ensureVhost('/').stats.publish = 7;
  const scrape = () => metrics.scope('amqp').render();
  let text = await scrape();
  const series = (t: string) => t.split('\n').filter((l) => l.startsWith('junction_amqp_queue_messages_ready{'));
  assert.equal(series(text).length, 2, 'capped at perQueueLimit');
  assert.match(text, /junction_amqp_queue_messages_ready\{vhost="\/",queue="a"\} 0/);
  assert.match(text, /junction_amqp_queues 3/);
  assert.match(text, /junction_amqp_messages_published_total 7/);
  broker.definitions.apply({ type: 'queue.delete', vhost: '/', name: 'a' });
  broker.ensureVhost('/').stats.publish = 9;
  text = await scrape();
  assert.doesNotMatch(text, /queue="a"/);
  assert.match(text, /junction_amqp_messages_published_total 9/);
  // The node's counters sum the vhosts', and keep a deleted vhost's counts (never go down).
  broker.ensureVhost('other').stats.publish = 5;
  assert.match(await scrape(), /junction_amqp_messages_published_total 14/);
  broker.dropVhost('other');
  assert.match(await scrape(), /junction_amqp_messages_published_total 14/);
  assert.equal(broker.vhost('other'), undefined);
  assert.equal(broker.stats.queueDeleted, 1);
});
