// A durable queue's read-ahead whose disk read fails (Junction only: the failure is made by
// truncating the queue's message segment under the running server, then restoring its bytes).
// basic.get must not answer get-empty for messages it cannot read, and nothing taken into the
// failed read-ahead may be lost or marked redelivered: the next read-ahead takes it again, in order.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type amqplib from 'amqplib';
import { type Conn, connect, delay, quietChannel, quietConfirmChannel } from '../../helpers/amqp-client.js';
import { startTestServer, tempDir } from '../../helpers/junction.js';

const WINDOW = 8;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]);
}

/** The message log segment holding the bodies: the one file of the data dir that contains them. */
function segmentHolding(dataDir: string, marker: string): string {
  const found = filesUnder(dataDir).filter((f) => statSync(f).size > 0 && readFileSync(f).includes(marker));
  assert.equal(found.length, 1, `files holding ${marker}: ${found.join(', ')}`);
  return found[0]!;
}

const names = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `paged-body-m${from + i}`);

/**
 * A server with queue 'rf': m0–m7 fill the window, m8–m11 are paged (on disk only), t12 is
 * transient and paged behind them (in the same log), m13 is paged. The window is taken by basic.get with the message
 * segment truncated, so the read-ahead this starts fails; `then` runs with the segment still broken
 * and `restore` to put its bytes back.
 */
async function withFailedReadAhead(then: (url: string, conn: Conn, getter: amqplib.Channel, restore: () => void) => Promise<void>): Promise<void> {
  const dataDir = tempDir();
  const server = await startTestServer({ enabled: ['amqp'], dataDir, amqp: { queueWindowMessages: WINDOW } });
  try {
    const url = `amqp://guest:guest@127.0.0.1:${server.ports.amqp}`;
    const conn = await connect(url);
    const pub = await quietConfirmChannel(conn);
    await pub.assertQueue('rf', { durable: true });
    for (const body of names(0, 12)) pub.sendToQueue('rf', Buffer.from(body), { persistent: true });
    await pub.waitForConfirms();
    pub.sendToQueue('rf', Buffer.from('paged-body-t12'), { persistent: false });
    pub.sendToQueue('rf', Buffer.from('paged-body-m13'), { persistent: true });
    await pub.waitForConfirms();
    const segment = segmentHolding(dataDir, 'paged-body-m8');
    const bytes = readFileSync(segment);
    truncateSync(segment, 0);
    const getter = await quietChannel(conn);
    const head: string[] = [];
    for (let i = 0; i < WINDOW; i++) {
      const m = await getter.get('rf', { noAck: true });
      assert.ok(m, `get ${i} of the window`);
      head.push(m.content.toString());
    }
    assert.deepEqual(head, names(0, WINDOW));
    await then(url, conn, getter, () => writeFileSync(segment, bytes));
    await conn.close().catch(() => undefined);
  } finally {
    await server.destroy();
  }
}

test('amqplib: basic.get on messages a read-ahead cannot read gets a 541 connection error, never get-empty', () => withFailedReadAhead(async (_url, conn, getter) => {
  const closed = new Promise<Error>((resolve) => conn.once('close', resolve));
  await assert.rejects(getter.get('rf', { noAck: true }), /Channel ended/);
  assert.match(String(await closed), /541 \(INTERNAL-ERROR\)[\s\S]*queue 'rf' in vhost '\/': message store read failed/);
}));

test('amqplib: what a failed read-ahead had taken comes once the disk reads again, in order, transient included, none redelivered', () => withFailedReadAhead(async (url, _conn, _getter, restore) => {
  await delay(100); // the read-ahead started by the window's gets has failed by now
  restore();
  const conn = await connect(url);
  const ch = await quietChannel(conn);
  assert.equal((await ch.checkQueue('rf')).messageCount, 6);
  const rest: { body: string; redelivered: boolean }[] = [];
  for (let m = await ch.get('rf', { noAck: true }); m !== false; m = await ch.get('rf', { noAck: true })) {
    rest.push({ body: m.content.toString(), redelivered: m.fields.redelivered });
  }
  assert.deepEqual(rest, [...names(8, 12), 'paged-body-t12', 'paged-body-m13'].map((body) => ({ body, redelivered: false })));
  await conn.close();
}));

test('amqplib: after a 541 from a failed read, every message comes once the disk reads again, in order', () => withFailedReadAhead(async (url, _conn, getter, restore) => {
  await assert.rejects(getter.get('rf', { noAck: true }), /Channel ended/);
  restore();
  const conn = await connect(url);
  const ch = await quietChannel(conn);
  const rest: string[] = [];
  for (let m = await ch.get('rf', { noAck: true }); m !== false; m = await ch.get('rf', { noAck: true })) rest.push(m.content.toString());
  assert.deepEqual(rest, [...names(8, 12), 'paged-body-t12', 'paged-body-m13']);
  await conn.close();
}));
