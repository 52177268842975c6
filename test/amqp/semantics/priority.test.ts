import assert from 'node:assert/strict';
import { test } from 'node:test';
import { effectivePriority, PriorityReadyQueue } from '../../../src/amqp/semantics/priority.js';

interface Msg { id: number; priority?: number; size: number }

const queue = (maxPriority: number) => new PriorityReadyQueue<Msg>({
  maxPriority, priorityOf: (m) => m.priority, sizeOf: (m) => m.size, seqOf: (m) => m.id,
});
const drain = (q: PriorityReadyQueue<Msg>) => {
  const ids: number[] = [];
  for (let m = q.shift(); m !== undefined; m = q.shift()) ids.push(m.id);
  return ids;
};

test('effectivePriority: missing is 0, above the maximum is the maximum, the maximum is capped at 255', () => {
  assert.equal(effectivePriority(undefined, 10), 0);
  assert.equal(effectivePriority(3, 10), 3);
  assert.equal(effectivePriority(200, 10), 10);
  assert.equal(effectivePriority(255, 300), 255);
  assert.equal(effectivePriority(0, 0), 0);
});

test('higher priorities first, FIFO within a priority, length and bytes tracked', () => {
  const q = queue(5);
  [{ id: 1, size: 10 }, { id: 2, priority: 5, size: 20 }, { id: 3, priority: 9, size: 30 }, { id: 4, priority: 1, size: 1 }, { id: 5, size: 2 }]
    .forEach((m) => q.push(m));
  assert.equal(q.length, 5);
  assert.equal(q.bytes, 63);
  assert.equal(q.peek()?.id, 2);
  assert.deepEqual(drain(q), [2, 3, 4, 1, 5]);
  assert.equal(q.length, 0);
  assert.equal(q.bytes, 0);
  assert.equal(q.shift(), undefined);
});

test('requeued messages return to their original position within their priority', () => {
  const q = queue(2);
  const msgs: Msg[] = [1, 2, 3, 4, 5].map((id) => ({ id, size: 1, priority: id % 2 === 0 ? 2 : 0 }));
  msgs.forEach((m) => q.push(m));
  const taken = [q.shift()!, q.shift()!, q.shift()!]; // 2, 4, 1
  assert.deepEqual(taken.map((m) => m.id), [2, 4, 1]);
  q.push({ id: 6, size: 1, priority: 2 });
  q.requeue(taken[1]!); // 4 back
  q.requeue(taken[2]!); // 1 back
  q.requeue(taken[0]!); // 2 back, ahead of 4
  assert.equal(q.length, 6);
  assert.deepEqual(drain(q), [2, 4, 6, 1, 3, 5]);
});

test('a long FIFO keeps its order through compaction', () => {
  const q = queue(0);
  for (let id = 0; id < 5000; id++) q.push({ id, size: 1 });
  const seen: number[] = [];
  for (let i = 0; i < 3000; i++) seen.push(q.shift()!.id);
  for (let id = 5000; id < 6000; id++) q.push({ id, size: 1 });
  q.requeue({ id: 2999, size: 1 });
  const rest = drain(q);
  assert.deepEqual([...seen.slice(0, 3), rest[0], rest[1], rest.at(-1)], [0, 1, 2, 2999, 3000, 5999]);
  assert.equal(rest.length, 3001);
});
