import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, systemClock } from '../../src/core/clock.js';

test('ManualClock: timers fire in time order with advance(), each seeing its own time', () => {
  const clock = new ManualClock(1000);
  const fired: Array<[string, number]> = [];
  const note = (name: string) => () => fired.push([name, clock.now()]);
  clock.setTimeout(note('t300'), 300);
  clock.setTimeout(note('t100'), 100);
  clock.setInterval(note('i250'), 250);
  clock.setTimeout(note('t100b'), 100); // same due time: creation order
  clock.advance(99);
  assert.deepEqual(fired, []);
  assert.equal(clock.now(), 1099);
  clock.advance(500);
  assert.deepEqual(fired, [['t100', 1100], ['t100b', 1100], ['i250', 1250], ['t300', 1300], ['i250', 1500]]);
  assert.equal(clock.now(), 1599);
});

test('ManualClock: cancel, timers set inside callbacks, and degenerate delays', () => {
  const clock = new ManualClock(0);
  const fired: string[] = [];
  const gone = clock.setTimeout(() => fired.push('cancelled'), 10);
  gone.cancel();
  const tick = clock.setInterval(() => {
    fired.push(`tick@${clock.now()}`);
    if (clock.now() === 20) clock.setTimeout(() => fired.push(`nested@${clock.now()}`), 5);
  }, 10);
  clock.advance(30);
  tick.cancel();
  clock.advance(100);
  assert.deepEqual(fired, ['tick@10', 'tick@20', 'nested@25', 'tick@30']);

  // An interval of 0 must not spin forever, a negative timeout must not move time backwards.
  const zero: number[] = [];
  const z = clock.setInterval(() => zero.push(clock.now()), 0);
  clock.setTimeout(() => zero.push(-clock.now()), -50);
  clock.advance(3);
  z.cancel();
  assert.deepEqual(zero, [131, -131, 132, 133]);
  assert.equal(clock.now(), 133);
  assert.throws(() => clock.advance(-1), RangeError);
});

test('systemClock timers fire and can be cancelled', async () => {
  const before = systemClock.now();
  let fired = 0;
  const cancelled = systemClock.setTimeout(() => { fired += 100; }, 5);
  cancelled.cancel();
  // systemClock timers are unref'd (they must not keep a stopping server alive): hold the loop open.
  const keepAlive = setTimeout(() => {}, 10_000);
  await new Promise<void>((resolve) => { systemClock.setTimeout(() => { fired++; resolve(); }, 5); });
  clearTimeout(keepAlive);
  assert.equal(fired, 1);
  assert.ok(systemClock.now() >= before + 4);
});
