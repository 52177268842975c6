import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OutstandingRequests, type PauseReason, type Throttleable } from '../../../src/core/net/outstanding.js';
import { normalizeIp, PerIpConnectionLimit } from '../../../src/core/net/per-ip-limit.js';

class FakeConnection implements Throttleable {
  paused = false;
  events: string[] = [];
  own = 0;
  constructor(private readonly requests: OutstandingRequests) {}
  pauseReading(reason: PauseReason): void { this.paused = true; this.events.push(`pause ${reason}`); }
  resumeReading(reason: PauseReason): void { this.paused = false; this.events.push(`resume ${reason}`); }
  add(): void { this.own++; this.requests.added(this); }
  answer(): void { this.own--; this.requests.settled(this, this.own); }
}

test('per-IP limit: the connection above the maximum is refused; a released slot is reusable', () => {
  const limit = new PerIpConnectionLimit(2);
  assert.equal(limit.tryAcquire('10.0.0.1'), true);
  assert.equal(limit.tryAcquire('10.0.0.1'), true);
  assert.equal(limit.tryAcquire('10.0.0.1'), false);
  assert.equal(limit.count('10.0.0.1'), 2, 'a refused connection is not counted');
  assert.equal(limit.tryAcquire('10.0.0.2'), true, 'another address has its own count');
  limit.release('10.0.0.1');
  assert.equal(limit.tryAcquire('10.0.0.1'), true);
  limit.release('10.0.0.1');
  limit.release('10.0.0.1');
  assert.equal(limit.count('10.0.0.1'), 0);
});

test('per-IP limit 0 means unlimited', () => {
  const limit = new PerIpConnectionLimit(0);
  for (let i = 0; i < 1000; i++) assert.equal(limit.tryAcquire('::1'), true);
});

test('normalizeIp: an IPv4-mapped IPv6 address is reported as IPv4', () => {
  assert.equal(normalizeIp('::ffff:127.0.0.1'), '127.0.0.1');
  assert.equal(normalizeIp('::1'), '::1');
  assert.equal(normalizeIp('10.1.2.3'), '10.1.2.3');
});

test('outstanding limit: a connection adding a request above the limit pauses (ZooKeeperServer.shouldThrottle)', () => {
  const requests = new OutstandingRequests(3);
  const a = new FakeConnection(requests);
  const b = new FakeConnection(requests);
  a.add(); a.add(); b.add();
  assert.equal(requests.count, 3);
  assert.equal(a.paused || b.paused, false, 'at the limit nobody is throttled');
  b.add();
  assert.equal(b.paused, true, 'the connection that went over the limit stops reading');
  assert.equal(a.paused, false);
  a.add();
  assert.equal(a.paused, true, 'so does any other that adds while over');
  assert.equal(requests.throttledConnections, 2);
  a.answer();
  assert.equal(requests.count, 4);
  assert.deepEqual([a.paused, b.paused], [true, true], 'still over the limit: both stay paused');
  b.answer();
  assert.equal(requests.count, 3);
  assert.deepEqual([a.paused, b.paused], [false, false], 'back at the limit: every throttled connection resumes');
  assert.deepEqual(b.events, ['pause outstanding-limit', 'resume outstanding-limit']);
});

test('outstanding limit: a throttled connection whose own requests are all answered resumes at once', () => {
  const requests = new OutstandingRequests(1);
  const busy = new FakeConnection(requests);
  const small = new FakeConnection(requests);
  busy.add(); busy.add(); busy.add();
  small.add();
  assert.equal(small.paused, true);
  small.answer();
  assert.equal(small.paused, false, 'nothing of its own outstanding: ZooKeeper re-enables it');
  assert.equal(busy.paused, true, 'the total is still over the limit');
});

test('outstanding limit: a forgotten (closed) connection is never resumed; Infinity never throttles', () => {
  const requests = new OutstandingRequests(0);
  const gone = new FakeConnection(requests);
  gone.add();
  assert.equal(gone.paused, true);
  requests.forget(gone);
  requests.settled(gone, 0);
  assert.deepEqual(gone.events, ['pause outstanding-limit']);
  const open = new OutstandingRequests();
  const c = new FakeConnection(open);
  for (let i = 0; i < 10_000; i++) c.add();
  assert.equal(c.paused, false);
});
