// Small amqplib helpers for the AMQP compat suites: a channel whose server-side close is
// captured as data, and waiting for deliveries.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import amqplib from 'amqplib';
import { startAmqpTarget, type AmqpTarget, type AmqpTargetOptions } from './amqp-target.js';

export type Conn = amqplib.ChannelModel;

/** Open a channel whose 'error' event is swallowed (the failing call's rejection is what tests check). */
export async function quietChannel(conn: Conn): Promise<amqplib.Channel> {
  const ch = await conn.createChannel();
  ch.on('error', () => undefined);
  return ch;
}

export async function quietConfirmChannel(conn: Conn): Promise<amqplib.ConfirmChannel> {
  const ch = await conn.createConfirmChannel();
  ch.on('error', () => undefined);
  return ch;
}

/** The channel is closed by the server with this code and exactly this reply text. */
export async function assertChannelClosed(op: Promise<unknown>, code: number, text: string): Promise<void> {
  await assert.rejects(op, (err: Error & { code?: number }) => {
    assert.equal(err.code, code, err.message);
    assert.ok(err.message.endsWith(`with message "${text}"`), err.message);
    return true;
  });
}

/** Connect with amqplib, the connection's own 'error' event swallowed (hard-error tests). */
export async function connect(url: string): Promise<Conn> {
  const conn = await amqplib.connect(url);
  conn.on('error', () => undefined);
  return conn;
}

/** Collect `n` deliveries of a consumer (resolves with them in arrival order). */
export function collect(ch: amqplib.Channel, queue: string, n: number, options: amqplib.Options.Consume = {}): Promise<amqplib.ConsumeMessage[]> {
  return new Promise((resolve, reject) => {
    const got: amqplib.ConsumeMessage[] = [];
    ch.consume(queue, (m) => {
      if (!m) return;
      got.push(m);
      if (got.length === n) resolve(got);
    }, options).catch(reject);
  });
}

/** On a channel of its own with prefetch `prefetch`: consume `n` messages of `queue`, acking each;
 *  resolves with them in arrival order once the channel is closed again. */
export async function consumeAcked(conn: Conn, queue: string, n: number, prefetch: number): Promise<amqplib.ConsumeMessage[]> {
  const ch = await quietChannel(conn);
  await ch.prefetch(prefetch);
  const got: amqplib.ConsumeMessage[] = [];
  if (n > 0) {
    await new Promise<void>((resolve, reject) => {
      ch.consume(queue, (m) => {
        if (!m) return;
        got.push(m);
        ch.ack(m);
        if (got.length === n) resolve();
      }).catch(reject);
    });
  }
  await ch.close();
  return got;
}

export const bodies = (msgs: readonly { content: Buffer }[]): string[] => msgs.map((m) => m.content.toString());

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The setup every AMQP compat suite shares: one target (JUNCTION_AMQP_TARGET) and one amqplib
 * connection for the file, started in `before` and handed to `use`, closed in `after`.
 */
export function useAmqpTarget(use: (target: AmqpTarget, conn: Conn) => void, options: AmqpTargetOptions = {}): void {
  let target: AmqpTarget | undefined;
  let conn: Conn | undefined;
  before(async () => {
    target = await startAmqpTarget(options);
    conn = await connect(target.url);
    use(target, conn);
  });
  after(async () => {
    await conn?.close().catch(() => undefined);
    await target?.stop();
  });
}
