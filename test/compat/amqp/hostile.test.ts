// Hostile and malformed input at the byte level, against the AMQP target (differential with
// JUNCTION_AMQP_TARGET=reference): each gets RabbitMQ's answer (protocol header, or
// connection.close with its code) and never disturbs another client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeMethodPayload } from '../../../src/amqp/protocol/methods.js';
import type { AmqpTarget } from '../../helpers/amqp-target.js';
import { collect, quietChannel, type Conn, useAmqpTarget } from '../../helpers/amqp-client.js';
import { FrameType, RawAmqp } from '../../helpers/amqp-raw.js';

let target: AmqpTarget;
let bystander: Conn;
useAmqpTarget((t, c) => { target = t; bystander = c; });

/** An open connection with channel 1 open. */
async function opened(tune: Parameters<RawAmqp['handshake']>[0] = {}): Promise<RawAmqp> {
  const c = await RawAmqp.open(target.amqpPort);
  await c.handshake(tune);
  await c.expect('connection.open-ok');
  c.method(1, 'channel.open');
  await c.expect('channel.open-ok');
  return c;
}

/** The server closes the connection with this code (and text, when given), then the socket. */
async function closedWith(c: RawAmqp, code: number, text?: string | RegExp): Promise<void> {
  const m = await c.expect('connection.close');
  assert.equal(m.args.replyCode, code, String(m.args.replyText));
  if (typeof text === 'string') assert.equal(m.args.replyText, text);
  else if (text) assert.match(m.args.replyText as string, text);
  c.method(0, 'connection.close-ok');
  await c.ended;
}

test('a wrong protocol header is answered with AMQP 0-9-1\'s header and the socket closes', async () => {
  const c = await RawAmqp.open(target.amqpPort, false);
  c.send(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
  await c.ended;
  assert.deepEqual(Buffer.concat(c.raw), Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]));
});

test('RabbitMQ\'s own 0-9 header (AMQP 1 1 0 9) is taken as 0-9-1: connection.start follows', async () => {
  const c = await RawAmqp.open(target.amqpPort);
  c.send(Buffer.from([0x41, 0x4d, 0x51, 0x50, 1, 1, 0, 9]));
  const start = await c.expect('connection.start');
  assert.deepEqual([start.args.versionMajor, start.args.versionMinor], [0, 9]);
  c.close();
});

test('a bad frame-end octet is 501 FRAME_ERROR', async () => {
  const c = await opened();
  const frame = Buffer.from([FrameType.HEARTBEAT, 0, 0, 0, 0, 0, 0, 0x00]);
  c.send(frame);
  await closedWith(c, 501);
});

test('a frame larger than the negotiated frame_max is 501 FRAME_ERROR', async () => {
  const c = await opened({ frameMax: 4096 });
  c.frame(FrameType.METHOD, 1, Buffer.alloc(20_000));
  await closedWith(c, 501);
});

test('a method on a channel never opened is 504 CHANNEL_ERROR', async () => {
  const c = await opened();
  c.method(7, 'queue.declare', { queue: 'x' });
  await closedWith(c, 504, "CHANNEL_ERROR - expected 'channel.open'");
});

test('a second channel.open on an open channel is 504 CHANNEL_ERROR', async () => {
  const c = await opened();
  c.method(1, 'channel.open');
  await closedWith(c, 504, "CHANNEL_ERROR - second 'channel.open' seen");
});

test('a content header without a publish, or a method in the middle of content, is 505 UNEXPECTED_FRAME', async () => {
  let c = await opened();
  c.frame(FrameType.HEADER, 1, Buffer.from([0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]));
  await closedWith(c, 505, 'UNEXPECTED_FRAME - expected method frame, got non method frame instead');
  c = await opened();
  c.method(1, 'basic.publish', { exchange: '', routingKey: 'x' });
  c.method(1, 'basic.qos', { prefetchCount: 1 });
  await closedWith(c, 505, 'UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead');
});

test('an unknown class or method id: the socket closes without connection.close (as RabbitMQ 3.10.8)', async () => {
  const c = await opened();
  c.frame(FrameType.METHOD, 1, Buffer.from([0, 99, 0, 7]));
  assert.equal(await c.nextMethod(), null);
  await c.ended;
});

test('a server-only method sent by a client is refused, and truncated arguments are 501/502', async () => {
  let c = await opened();
  c.method(1, 'basic.get-empty', {});
  await closedWith(c, 503, 'COMMAND_INVALID - unimplemented method');
  c = await opened();
  const declare = encodeMethodPayload('queue.declare', { queue: 'truncated' });
  c.frame(FrameType.METHOD, 1, declare.subarray(0, 7));
  const closed = await c.expect('connection.close');
  assert.ok([501, 502].includes(closed.args.replyCode as number), String(closed.args.replyText));
  c.close();
});

test('after a channel error the channel ignores everything but close-ok (content framing still checked)', async () => {
  const c = await opened();
  c.method(1, 'queue.declare', { queue: 'no-such', passive: true });
  const close = await c.expect('channel.close');
  assert.equal(close.args.replyCode, 404);
  assert.deepEqual([close.args.classId, close.args.methodId], [50, 10]);
  c.method(1, 'queue.declare', { queue: 'ignored' });
  c.method(1, 'basic.publish', { exchange: '', routingKey: 'ignored' });
  c.frame(FrameType.HEADER, 1, Buffer.from([0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]));
  c.frame(FrameType.BODY, 1, Buffer.from('x'));
  c.method(1, 'channel.close-ok');
  c.method(1, 'channel.open');
  const next = await c.nextMethod();
  assert.equal(next?.name, 'channel.open-ok', JSON.stringify(next?.args, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
  c.method(1, 'queue.declare', { queue: 'no-such', passive: true });
  assert.equal((await c.expect('channel.close')).args.replyCode, 404);
  c.method(1, 'basic.publish', { exchange: '', routingKey: 'no-header' });
  c.method(1, 'channel.close-ok');
  await closedWith(c, 505, 'UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead');
});

test('opening more channels than the negotiated channel_max is 530 NOT_ALLOWED', async () => {
  const c = await opened({ channelMax: 2 });
  c.method(2, 'channel.open');
  await c.expect('channel.open-ok');
  c.method(3, 'channel.open');
  await closedWith(c, 530, /NOT_ALLOWED - number of channels opened \(2\) has reached the negotiated channel_max \(2\)/);
});

test('connection.open of an unknown vhost is 530 NOT_ALLOWED', async () => {
  const c = await RawAmqp.open(target.amqpPort);
  await c.handshake({}, 'nosuch');
  await closedWith(c, 530, 'NOT_ALLOWED - vhost nosuch not found');
});

test('heartbeats: the server sends them at half the interval and drops a silent client', async () => {
  const c = await RawAmqp.open(target.amqpPort);
  const tune = await c.handshake({ heartbeat: 1 });
  assert.equal(tune.heartbeat, 60);
  await c.expect('connection.open-ok');
  const started = Date.now();
  const f = await c.nextFrame(3000);
  assert.equal(f?.kind, 'heartbeat');
  await c.ended;
  const silentMs = Date.now() - started;
  assert.ok(silentMs < 6000, `closed after ${silentMs} ms`);
});

test('the bystander connection kept working through all of it', async () => {
  const ch = await quietChannel(bystander);
  await ch.assertQueue('hostile-bystander', { exclusive: true });
  ch.sendToQueue('hostile-bystander', Buffer.from('still here'));
  const [m] = await collect(ch, 'hostile-bystander', 1, { noAck: true });
  assert.equal(m!.content.toString(), 'still here');
});
