// QueueFlow (src/amqp/broker/queue-flow.ts), the per-queue gate of publisher credit flow, on a
// fake queue and fake publishers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FlowBlockable, QueueFlow } from '../../../src/amqp/broker/queue-flow.js';

class FakeQueue { readyCount = 0; consumerCount = 1; deliveries = 0 }

class FakePublisher implements FlowBlockable {
  blockedBy = new Set<QueueFlow>();
  constructor(readonly exempt = false) {}
  flowBlock(gate: QueueFlow): boolean {
    if (this.exempt) return false;
    this.blockedBy.add(gate);
    return true;
  }
  flowRelease(gate: QueueFlow): void { assert.ok(this.blockedBy.delete(gate), 'released by a gate that did not block it'); }
}

const limits = { high: 10, low: 5, stallMs: 30 };
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a consumed queue blocks its publisher above high and releases it at low, not before', () => {
  const q = new FakeQueue();
  const flow = new QueueFlow(q, limits);
  const pub = new FakePublisher();
  q.readyCount = 10;
  flow.published(pub);
  assert.equal(pub.blockedBy.size, 0, 'at high: not yet');
  q.readyCount = 11;
  flow.published(pub);
  assert.equal(pub.blockedBy.size, 1);
  assert.equal(flow.blockedCount, 1);
  q.readyCount = 6;
  flow.changed();
  assert.equal(pub.blockedBy.size, 1, 'above low: still blocked');
  q.readyCount = 5;
  flow.changed();
  assert.equal(pub.blockedBy.size, 0);
  assert.equal(flow.blockedCount, 0);
});

test('a queue without consumers takes any backlog; losing its consumers releases the publishers', () => {
  const q = new FakeQueue();
  const flow = new QueueFlow(q, limits);
  const pub = new FakePublisher();
  q.consumerCount = 0;
  q.readyCount = 1_000_000;
  flow.published(pub);
  assert.equal(pub.blockedBy.size, 0);
  q.consumerCount = 1;
  flow.published(pub);
  assert.equal(pub.blockedBy.size, 1);
  q.consumerCount = 0;
  flow.changed();
  assert.equal(pub.blockedBy.size, 0);
});

test('a publisher that refuses to be blocked (its reads carry acks) is not tracked', () => {
  const q = new FakeQueue();
  const flow = new QueueFlow(q, limits);
  q.readyCount = 100;
  flow.published(new FakePublisher(true));
  assert.equal(flow.blockedCount, 0);
});

test('consumers that deliver nothing for stallMs release the publishers, who are not blocked again until a delivery', async () => {
  const q = new FakeQueue();
  const flow = new QueueFlow(q, limits);
  const a = new FakePublisher();
  q.readyCount = 50;
  flow.published(a);
  assert.equal(a.blockedBy.size, 1);
  await delay(limits.stallMs * 2 + 20);
  assert.equal(a.blockedBy.size, 0, 'stalled consumers released it');
  flow.published(a);
  assert.equal(a.blockedBy.size, 0, 'still stalled: not blocked again');
  q.deliveries++;
  flow.published(a);
  assert.equal(a.blockedBy.size, 1, 'consumers moved again: blocked');
  flow.releaseAll();
});

test('consumers making progress keep the publisher blocked across watchdog ticks', async () => {
  const q = new FakeQueue();
  // A watchdog slow enough that a busy test machine cannot skip a delivery between two ticks.
  const slow = { ...limits, stallMs: 300 };
  const flow = new QueueFlow(q, slow);
  const a = new FakePublisher();
  q.readyCount = 50;
  flow.published(a);
  for (let i = 0; i < 20; i++) {
    q.deliveries++;
    await delay(50);
  }
  assert.equal(a.blockedBy.size, 1);
  q.readyCount = 0;
  q.deliveries++;
  await delay(slow.stallMs * 2 + 50);
  assert.equal(a.blockedBy.size, 0, 'the watchdog applies the low mark too (a purge calls no hook)');
});

test('forget drops a closed publisher; releaseAll frees every one', () => {
  const q = new FakeQueue();
  const flow = new QueueFlow(q, limits);
  const [a, b] = [new FakePublisher(), new FakePublisher()];
  q.readyCount = 50;
  flow.published(a);
  flow.published(b);
  assert.equal(flow.blockedCount, 2);
  flow.forget(a);
  assert.equal(flow.blockedCount, 1);
  flow.releaseAll();
  assert.equal(b.blockedBy.size, 0);
  assert.equal(a.blockedBy.size, 1, 'a forgotten publisher is not called back');
});
