// core/net's connection base and listener over real sockets, driven by a tiny test protocol
// (test-protocol.ts): backpressure, the outstanding-request limit, timeouts, per-IP limit,
// close/drain, bad frames, the preface hook, and cork-per-tick writes.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { CorkedWriter } from '../../../src/core/net/corked-writer.js';
import {
  bigReplyRequest, frame, onlyConnection, RawClient, sleep, startListener, TestConnection, until,
} from './test-protocol.js';

const MiB = 1 << 20;

test('backpressure: reading and processing stop while unsent bytes exceed the cap, and resume on drain', { timeout: 60_000 }, async () => {
  const cap = MiB;
  const listener = await startListener({ maxUnsentBytes: cap });
  const client = await RawClient.connect(listener.port);
  try {
    client.socket.pause(); // a client that does not read its replies
    const requests = 100;
    client.socket.write(Buffer.concat(Array.from({ length: requests }, () => bigReplyRequest(MiB))));
    await until(() => listener.connections.size === 1);
    const conn = onlyConnection(listener);
    await until(() => conn.pausedFor.includes('unsent-bytes'), 10_000, 'the pause');
    const processedWhenPaused = conn.processed;
    await sleep(300);
    assert.equal(conn.processed, processedWhenPaused, 'no frame is processed while paused');
    assert.ok(conn.processed < requests, `only part of the pipelined requests ran (${conn.processed})`);
    // The check runs before every frame, so at most one reply goes over the cap.
    assert.ok(conn.unsentBytes <= cap + MiB + 4, `unsent bytes bounded: ${conn.unsentBytes}`);
    assert.ok(conn.unprocessedBytes > 0, 'the frames not yet processed are kept');

    client.socket.resume();
    await until(() => client.replies.length === requests, 30_000, 'every reply');
    assert.equal(conn.processed, requests);
    assert.deepEqual(conn.pausedFor, []);
    assert.ok(client.replies.every((r) => r.length === MiB && r[0] === 0x61 && r[MiB - 1] === 0x61));
  } finally {
    client.socket.destroy();
    await listener.close();
  }
});

test('close limit: replies that were waiting behind a write and burst past it drop an unread connection', { timeout: 30_000 }, async () => {
  const listener = await startListener({ maxUnsentBytes: MiB, closeAboveUnsentBytes: 4 * MiB });
  const client = await RawClient.connect(listener.port);
  try {
    client.socket.pause();
    client.socket.write(Buffer.concat([frame('W', '1'), ...Array.from({ length: 20 }, () => bigReplyRequest(MiB))]));
    await until(() => listener.connections.size === 1 && onlyConnection(listener).processed === 21, 5000, 'every request queued');
    const conn = onlyConnection(listener);
    assert.deepEqual(conn.pausedFor, [], 'nothing was sent yet: the reads wait behind the write');
    conn.answerWrite('1'); // the 20 reads run now: 20 MiB, more than the close limit
    await client.closedWithin(5000);
    await until(() => listener.connections.size === 0);
    assert.equal(listener.outstanding.count, 0);
    const next = await RawClient.connect(listener.port);
    next.socket.write(frame('E', 'ok'));
    await until(() => next.replies.length === 1);
    next.socket.destroy();
  } finally {
    client.socket.destroy();
    await listener.close();
  }
});

test('outstanding limit: a connection over the listener-wide limit stops reading until requests are answered', async () => {
  const listener = await startListener({ outstandingLimit: 2 });
  const client = await RawClient.connect(listener.port);
  try {
    client.socket.write(Buffer.concat(['1', '2', '3', '4', '5'].map((id) => frame('W', id))));
    await until(() => listener.connections.size === 1 && onlyConnection(listener).processed === 3);
    const conn = onlyConnection(listener);
    await sleep(100);
    assert.equal(conn.processed, 3, 'the third request went over the limit of 2: reading stopped');
    assert.deepEqual(conn.pausedFor, ['outstanding-limit']);
    assert.equal(listener.outstanding.count, 3);
    conn.answerWrite('1');
    await until(() => conn.processed === 4, 2000, 'the fourth request after one was answered');
    for (const id of ['2', '3', '4', '5']) {
      await until(() => conn.pendingWrites.has(id), 2000, `write ${id} read`);
      conn.answerWrite(id);
    }
    await until(() => client.replies.length === 5);
    assert.deepEqual(client.replies.map(String), ['w1', 'w2', 'w3', 'w4', 'w5']);
    assert.equal(listener.outstanding.count, 0);
  } finally {
    client.socket.destroy();
    await listener.close();
  }
});

test('handshake timeout: silent sockets and ones sending less than a frame header are closed', async () => {
  const listener = await startListener({ handshakeTimeoutMs: 150 });
  try {
    const silent = await RawClient.connect(listener.port);
    const partial = await RawClient.connect(listener.port);
    partial.socket.write(Buffer.from([0, 0]));
    const started = Date.now();
    await Promise.all([silent.closedWithin(3000), partial.closedWithin(3000)]);
    assert.ok(Date.now() - started >= 100, 'not before the timeout');

    const greeted = await RawClient.connect(listener.port);
    greeted.socket.write(frame('H'));
    await sleep(400);
    assert.equal(greeted.closed, false, 'a completed handshake stops the timer');
    greeted.socket.write(frame('E', 'still here'));
    await until(() => greeted.replies.length === 1);
    assert.equal(String(greeted.replies[0]), 'still here');
    greeted.socket.destroy();
  } finally {
    await listener.close();
  }
});

test('idle timeout: a connection without traffic is closed, an active one is not', async () => {
  const listener = await startListener({ idleTimeoutMs: 400 });
  try {
    const idle = await RawClient.connect(listener.port);
    const active = await RawClient.connect(listener.port);
    idle.socket.write(frame('H'));
    active.socket.write(frame('H'));
    for (let i = 0; i < 12; i++) {
      active.socket.write(frame('E', `${i}`));
      await sleep(50);
    }
    await idle.closedWithin(3000);
    assert.equal(active.closed, false);
    await active.closedWithin(3000);
  } finally {
    await listener.close();
  }
});

test('per-IP limit: the connection above the limit is closed at once, a freed slot is reusable', async () => {
  const listener = await startListener({ maxConnectionsPerIp: 2 });
  try {
    const a = await RawClient.connect(listener.port);
    const b = await RawClient.connect(listener.port);
    const refused = await RawClient.connect(listener.port);
    await refused.closedWithin(2000);
    await until(() => listener.connections.size === 2);
    a.socket.destroy();
    await until(() => listener.connections.size === 1);
    const c = await RawClient.connect(listener.port);
    c.socket.write(frame('E', 'in'));
    await until(() => c.replies.length === 1);
    assert.equal(c.closed, false);
    b.socket.destroy();
    c.socket.destroy();
  } finally {
    await listener.close();
  }
});

test('drain: stop accepting, send what is owed, then close; close(): drop at once', async () => {
  const listener = await startListener();
  const client = await RawClient.connect(listener.port);
  client.socket.write(Buffer.concat([frame('W', '1'), frame('E', 'after')]));
  await until(() => listener.connections.size === 1 && onlyConnection(listener).pendingWrites.has('1'));
  const conn = onlyConnection(listener);
  const drained = listener.drain(5000);
  await sleep(50);
  const late = connect(listener.port, '127.0.0.1');
  const [err] = await once(late, 'error') as [NodeJS.ErrnoException];
  assert.equal(err.code, 'ECONNREFUSED', 'no new connections while draining');
  assert.equal(client.closed, false, 'a connection owing a reply stays until it is sent');
  conn.answerWrite('1');
  await drained;
  await client.closedWithin(2000);
  assert.deepEqual(client.replies.map(String), ['w1', 'after']);

  const other = await startListener();
  const dropped = await RawClient.connect(other.port);
  dropped.socket.write(frame('W', '1'));
  await until(() => other.connections.size === 1 && onlyConnection(other).pendingWrites.has('1'));
  await other.close();
  await dropped.closedWithin(2000);
  assert.deepEqual(dropped.replies, []);
});

test('drain: a connection that does not finish in the grace time is dropped', async () => {
  const listener = await startListener();
  const client = await RawClient.connect(listener.port);
  client.socket.write(frame('W', 'never'));
  await until(() => listener.connections.size === 1 && onlyConnection(listener).pendingWrites.has('never'));
  const started = Date.now();
  await listener.drain(200);
  assert.ok(Date.now() - started < 3000);
  await client.closedWithin(2000);
});

test('a frame length above the maximum or negative closes the connection without a reply', async () => {
  const listener = await startListener();
  try {
    for (const length of [(1 << 20) + 1, -5]) {
      const client = await RawClient.connect(listener.port);
      const head = Buffer.alloc(4);
      head.writeInt32BE(length);
      client.socket.write(Buffer.concat([head, Buffer.alloc(100)]));
      await client.closedWithin(2000);
      assert.equal(client.receivedBytes, 0);
    }
  } finally {
    await listener.close();
  }
});

test('a handler bug closes that connection only', async () => {
  const listener = await startListener();
  try {
    const victim = await RawClient.connect(listener.port);
    const bystander = await RawClient.connect(listener.port);
    victim.socket.write(Buffer.concat([frame('X'), frame('E', 'never')]));
    await victim.closedWithin(2000);
    assert.deepEqual(victim.replies, []);
    bystander.socket.write(frame('E', 'fine'));
    await until(() => bystander.replies.length === 1);
    bystander.socket.destroy();
  } finally {
    await listener.close();
  }
});

test('preface: the protocol sees the first bytes and may take the socket over; otherwise they are framed', async () => {
  TestConnection.takeOverPreface = 'ruok';
  const listener = await startListener({ prefaceBytes: 4 });
  try {
    const word = await RawClient.connect(listener.port);
    word.socket.write('ru');
    await sleep(50);
    word.socket.write('ok');
    const chunks: Buffer[] = [];
    word.socket.removeAllListeners('data').on('data', (d: Buffer) => chunks.push(d));
    await word.closedWithin(2000);
    assert.equal(Buffer.concat(chunks).toString(), 'preface!');

    const framed = await RawClient.connect(listener.port);
    const bytes = frame('E', 'framed');
    for (const b of bytes) framed.socket.write(Buffer.from([b])); // the preface arrives byte by byte too
    await until(() => framed.replies.length === 1);
    assert.equal(String(framed.replies[0]), 'framed');
    framed.socket.destroy();
  } finally {
    TestConnection.takeOverPreface = null;
    await listener.close();
  }
});

test('CorkedWriter: writes of one event-loop turn are corked together and uncorked on the next tick', async () => {
  const calls: string[] = [];
  const fake = {
    cork: () => calls.push('cork'),
    uncork: () => calls.push('uncork'),
    write: (b: Buffer) => { calls.push(`write ${b.toString()}`); return true; },
  } as unknown as Socket;
  const writer = new CorkedWriter(fake);
  writer.write(Buffer.from('a'));
  writer.write(Buffer.from('b'));
  writer.write(Buffer.from('c'));
  assert.deepEqual(calls, ['cork', 'write a', 'write b', 'write c']);
  await new Promise((r) => process.nextTick(r));
  writer.write(Buffer.from('d'));
  await new Promise((r) => process.nextTick(r));
  assert.deepEqual(calls, ['cork', 'write a', 'write b', 'write c', 'uncork', 'cork', 'write d', 'uncork']);
});

test('bytes built in place (reserveSend) reach the peer before the FIN of a close in the same turn', async () => {
  const listener = await startListener();
  const client = await RawClient.connect(listener.port);
  try {
    client.socket.write(frame('R', 'built in place'));
    await client.closedWithin(5_000);
    assert.deepEqual(client.replies.map((r) => r.toString()), ['built in place']);
  } finally {
    client.socket.destroy();
    await listener.close();
  }
});

test('CorkedWriter: bytes built in place form one run per writer, in order with plain writes and with other writers carving from the shared buffer', async () => {
  const calls: string[] = [];
  const buffers: Buffer[] = [];
  const fakeSocket = (name: string) => ({
    cork: () => calls.push(`${name} cork`),
    uncork: () => calls.push(`${name} uncork`),
    write: (b: Buffer) => { calls.push(`${name} write ${b.toString().slice(0, 24)}`); buffers.push(b); return true; },
  } as unknown as Socket);
  const a = new CorkedWriter(fakeSocket('a'));
  const b = new CorkedWriter(fakeSocket('b'));
  const put = (writer: CorkedWriter, text: string): void => {
    const out = writer.reserve(text.length);
    out.write(text, writer.at);
    writer.commit(text.length);
  };
  put(a, 'r1');
  put(a, 'r2');
  assert.equal(a.pending, 4, 'committed bytes wait for the end of the turn');
  a.write(Buffer.from('w'));
  put(a, 'r3');
  assert.deepEqual(calls, ['a cork', 'a write r1r2', 'a write w'], 'a plain write sends what was built before it first');
  put(b, 'b1');
  put(a, 'r4');
  assert.deepEqual(calls.slice(3), ['b cork', 'a write r3'], 'another writer carving in between ends the run');
  await new Promise((r) => process.nextTick(r));
  assert.deepEqual(calls.slice(5), ['a write r4', 'a uncork', 'b write b1', 'b uncork']);
  assert.equal(a.pending + b.pending, 0);
  assert.equal(buffers[0]!.buffer, buffers[2]!.buffer, 'the runs are views of one shared buffer');

  // Larger than what is left: our run is written, the bytes go to a new buffer.
  const big = 'x'.repeat(64 * 1024 - 10);
  put(a, big);
  put(a, 'tail-that-does-not-fit');
  await new Promise((r) => process.nextTick(r));
  const after = calls.slice(9);
  assert.deepEqual(after.slice(1, 3), [`a write ${big.slice(0, 24)}`, 'a write tail-that-does-not-fit']);
  const [bigView, tailView] = buffers.slice(-2);
  assert.equal(bigView!.length, big.length);
  assert.notEqual(bigView!.buffer, tailView!.buffer);
  // One larger than a whole buffer gets a buffer of its size.
  const huge = 'y'.repeat(100 * 1024);
  put(a, huge);
  await new Promise((r) => process.nextTick(r));
  assert.equal(buffers[buffers.length - 1]!.toString(), huge);
});
