// A confirmed persistent message waiting in a queue must not keep its publisher's channel (and
// through it the connection) in memory after that connection closed: a pika producer script that
// connects, publishes with confirms and exits, run a thousand times against a queue nobody drains
// yet, would otherwise keep a thousand closed connections alive. The message's confirm-on-consume
// hook (Publisher: confirmed once consumed if that comes before the disk write) is what held it.
import assert from 'node:assert/strict';
import { Session } from 'node:inspector/promises';
import { test } from 'node:test';
import amqplib from 'amqplib';
import { Publisher } from '../../../src/amqp/channel/publisher.js';
import { startTestServer } from '../../helpers/junction.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Live Publisher instances, counted by the inspector's queryObjects (which collects garbage
 *  first). Every remote object it hands back is in one group, released at the end: an array of
 *  instances the inspector still held would keep them alive for the next count. */
async function livePublishers(session: Session): Promise<number> {
  (globalThis as { __publisherClass?: unknown }).__publisherClass = Publisher;
  const objectGroup = 'publisher-count';
  try {
    const proto = await session.post('Runtime.evaluate', { expression: 'globalThis.__publisherClass.prototype', objectGroup });
    // objectGroup is in V8's protocol, not in @types/node's copy of it.
    const found = await session.post('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId!, objectGroup } as { prototypeObjectId: string });
    const length = await session.post('Runtime.callFunctionOn', {
      objectId: found.objects.objectId!, functionDeclaration: 'function () { return this.length; }', returnByValue: true, objectGroup,
    });
    return length.result.value as number;
  } finally {
    await session.post('Runtime.releaseObjectGroup', { objectGroup });
  }
}

test('a closed publisher connection is not kept in memory by its confirmed messages still queued', { timeout: 30_000 }, async () => {
  const server = await startTestServer({ enabled: ['amqp'] });
  const session = new Session();
  session.connect();
  const url = `amqp://guest:guest@127.0.0.1:${server.ports.amqp}`;
  try {
    const admin = await amqplib.connect(url);
    const setup = await admin.createChannel();
    await setup.assertQueue('waiting', { durable: true });
    await admin.close();

    for (let i = 0; i < 3; i++) {
      const conn = await amqplib.connect(url);
      const ch = await conn.createConfirmChannel();
      for (let m = 0; m < 10; m++) ch.sendToQueue('waiting', Buffer.from(`p${i}-${m}`), { persistent: true });
      await ch.waitForConfirms();
      // The last one drops its socket without connection.close, as a killed producer does (with an
      // error, so that amqplib, which watches only 'end' and 'error', stops its heartbeat timer).
      if (i < 2) await conn.close();
      else {
        conn.on('error', () => {});
        (conn as unknown as { connection: { stream: { destroy(err: Error): void } } }).connection.stream.destroy(new Error('producer killed'));
      }
    }
    // The server sees the dropped socket a moment later.
    let live = await livePublishers(session);
    for (const deadline = Date.now() + 5_000; live > 0 && Date.now() < deadline; live = await livePublishers(session)) await sleep(50);
    assert.equal(live, 0, 'no channel of a closed connection is still reachable');

    // The messages are all still there and deliverable, and consuming them settles nothing twice.
    const reader = await amqplib.connect(url);
    const ch = await reader.createChannel();
    const got: string[] = [];
    for (let m = await ch.get('waiting', { noAck: true }); m !== false; m = await ch.get('waiting', { noAck: true })) got.push(m.content.toString());
    assert.equal(got.length, 30);
    await reader.close();
  } finally {
    session.disconnect();
    await server.destroy();
  }
});
