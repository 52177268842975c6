import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReplyQueue } from '../../../src/core/net/reply-queue.js';

function recorder() {
  const sent: string[] = [];
  const queue = new ReplyQueue((frame) => sent.push(frame.toString()));
  return { sent, queue };
}

test('a read with nothing before it runs and is sent at once', () => {
  const { sent, queue } = recorder();
  let ran = 0;
  queue.read(() => { ran++; return Buffer.from('r1'); });
  assert.equal(ran, 1);
  assert.deepEqual(sent, ['r1']);
  assert.equal(queue.length, 0);
});

test('replies go out in request order even when writes complete out of order', () => {
  const { sent, queue } = recorder();
  const w1 = queue.write();
  const w2 = queue.write();
  const w3 = queue.write();
  w3(Buffer.from('w3'));
  w2(Buffer.from('w2'));
  assert.deepEqual(sent, [], 'nothing before the first write is answered');
  w1(Buffer.from('w1'));
  assert.deepEqual(sent, ['w1', 'w2', 'w3']);
  assert.equal(queue.length, 0);
});

test('a read behind a write runs when that write is answered and sees the state of that moment', () => {
  const { sent, queue } = recorder();
  let state = 'before';
  const w1 = queue.write();
  queue.read(() => Buffer.from(`read saw ${state}`));
  const w2 = queue.write();
  queue.read(() => Buffer.from(`second read saw ${state}`));
  assert.equal(queue.length, 4);
  assert.deepEqual(sent, [], 'the reads wait');
  // The store applies w1, then answers it: the read behind it runs inside that answer.
  state = 'after w1';
  w1(Buffer.from('w1'));
  assert.deepEqual(sent, ['w1', 'read saw after w1']);
  state = 'after w2';
  w2(Buffer.from('w2'));
  assert.deepEqual(sent, ['w1', 'read saw after w1', 'w2', 'second read saw after w2']);
});

test('a read may have nothing to send; onSent runs right after its write reply is sent', () => {
  const { sent, queue } = recorder();
  const events: string[] = [];
  const w = queue.write(() => events.push(`onSent after ${sent.length} sent`));
  queue.read(() => null);
  queue.read(() => Buffer.from('r'));
  w(Buffer.from('w'));
  assert.deepEqual(sent, ['w', 'r']);
  assert.deepEqual(events, ['onSent after 1 sent']);
});

test('whenDrained runs at once when empty, else after the last reply', () => {
  const { sent, queue } = recorder();
  let drained = 0;
  queue.whenDrained(() => drained++);
  assert.equal(drained, 1);
  const w = queue.write();
  queue.read(() => Buffer.from('r'));
  queue.whenDrained(() => { drained++; sent.push('drained'); });
  assert.equal(drained, 1);
  w(Buffer.from('w'));
  assert.deepEqual(sent, ['w', 'r', 'drained']);
});

test('clear drops what is owed: later answers send nothing, whenDrained never fires', () => {
  const { sent, queue } = recorder();
  const w = queue.write();
  queue.read(() => Buffer.from('r'));
  let drained = false;
  queue.whenDrained(() => { drained = true; });
  queue.clear();
  assert.equal(queue.length, 0);
  w(Buffer.from('w'));
  // The cleared write's reply still reaches an empty queue's flush: nothing queued, nothing sent.
  assert.deepEqual(sent, []);
  assert.equal(drained, false);
});

test('the observer sees each queued request added once and settled once (answered or cleared)', () => {
  let outstanding = 0;
  const settledLeft: number[] = [];
  const queue = new ReplyQueue(() => {}, {
    added: () => { outstanding++; },
    settled: (ownLeft, count) => { outstanding -= count; settledLeft.push(ownLeft); },
  });
  queue.read(() => Buffer.from('immediate'));
  assert.equal(outstanding, 0, 'an immediate read is never outstanding');
  const w1 = queue.write();
  queue.read(() => Buffer.from('r'));
  queue.write();
  queue.write();
  assert.equal(outstanding, 4);
  w1(Buffer.from('w1'));
  assert.equal(outstanding, 2);
  assert.deepEqual(settledLeft, [3, 2]);
  queue.clear();
  assert.equal(outstanding, 0);
});
