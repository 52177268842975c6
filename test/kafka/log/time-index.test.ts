import assert from 'node:assert/strict';
import test from 'node:test';
import { DataWaiters } from '../../../src/kafka/log/data-waiters.js';
import { TimeIndex } from '../../../src/kafka/log/time-index.js';

test('time index: an entry per interval, scans start at the last entry whose earlier batches are all older', () => {
  const index = new TimeIndex(0, 100);
  // 10 batches of 5 offsets and 60 bytes; maxTimestamps rise with one late spike.
  const stamps = [10, 20, 30, 500, 40, 50, 60, 70, 80, 90];
  stamps.forEach((ts, i) => index.observe(i * 5, i * 5 + 5, ts, 60));
  assert.equal(index.coveredEnd, 50);
  assert.equal(index.entries, 5, 'one entry every 2 batches of 60 bytes (interval 100)');
  assert.equal(index.scanStart(5, 0), 0);
  assert.equal(index.scanStart(31, 0), 10, 'batches before 10 are ≤ 20; the one at 10 has 30');
  assert.equal(index.scanStart(95, 0), 10, 'the spike of 500 at offset 15 keeps the entries after it from qualifying');
  assert.equal(index.scanStart(501, 0), 40, 'past every timestamp: the last entry');
  index.observe(60, 65, 1000, 60);
  assert.equal(index.coveredEnd, 50, 'a batch that does not continue the covered range is not taken');
  index.observe(48, 52, 1000, 60);
  assert.equal(index.coveredEnd, 52, 'one straddling the covered end is');
});

test('time index: dropping entries below a new log start keeps answers safe, and starts over past the covered range', () => {
  const index = new TimeIndex(0, 1);
  [10, 20, 30, 40].forEach((ts, i) => index.observe(i, i + 1, ts, 10));
  index.dropBefore(2);
  assert.equal(index.entries, 2);
  assert.equal(index.scanStart(35, 2), 3);
  assert.equal(index.scanStart(5, 2), 2, 'no entry qualifies: scan from the log start');
  index.dropBefore(10);
  assert.deepEqual([index.entries, index.coveredEnd], [0, 10]);
  index.observe(10, 12, 5, 10);
  assert.deepEqual([index.entries, index.scanStart(6, 10)], [1, 10]);
});

test('data waiters: woken by an end past their offset only, each timer cleared, abort and close answer false', async () => {
  const waiters = new DataWaiters();
  const at5 = waiters.wait(5, 10_000);
  const at9 = waiters.wait(9, 10_000);
  waiters.advance(5);
  assert.equal(waiters.size, 2, 'an end of 5 has no offset 5 yet');
  waiters.advance(6);
  assert.equal(await at5, true);
  assert.equal(waiters.size, 1);
  const controller = new AbortController();
  const aborted = waiters.wait(9, 10_000, controller.signal);
  controller.abort();
  assert.equal(await aborted, false);
  assert.equal(await waiters.wait(9, 10_000, controller.signal), false, 'an already aborted signal answers at once');
  const started = Date.now();
  assert.equal(await waiters.wait(9, 30), false);
  assert.ok(Date.now() - started >= 25, 'the timeout is honoured');
  waiters.closeAll();
  assert.equal(await at9, false);
  assert.equal(waiters.size, 0);
});
