// The client port's connection bounds set from a zoo.cfg: zookeeper.nio.sessionlessCnxnTimeout
// closes connections that never establish a session, zookeeper.globalOutstandingLimit throttles
// pipelining connections without losing or reordering a reply.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import zookeeper from 'node-zookeeper-client';
import { LengthPrefixedFramer } from '../../src/core/net/framer.js';
import { encodeConnectRequest } from '../../src/zk/codec/connect.js';
import { encodeRequest } from '../../src/zk/codec/requests.js';
import { decodeReplyHeader } from '../../src/zk/codec/responses.js';
import { OpCode, Perms } from '../../src/zk/codec/types.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/junction.js';
import { zkPersonality } from '../helpers/zk-server.js';

const SESSIONLESS_MS = 200;
const OUTSTANDING_LIMIT = 4;
let server: TestServer;
let cfgDir: string;

before(async () => {
  cfgDir = tempDir('junction-zoo-cfg-');
  const file = join(cfgDir, 'zoo.cfg');
  writeFileSync(file, `zookeeper.nio.sessionlessCnxnTimeout=${SESSIONLESS_MS}\nglobalOutstandingLimit=${OUTSTANDING_LIMIT}\n4lw.commands.whitelist=ruok\n`);
  server = await startTestServer({ enabled: ['zk'], zk: { config: file } });
});

after(async () => {
  await server?.destroy();
  rmSync(cfgDir, { recursive: true, force: true });
});

function closedWithin(socket: Socket, ms: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
    socket.once('close', () => { clearTimeout(timer); resolve(Date.now() - started); });
  });
}

async function rawSocket(): Promise<Socket> {
  const socket = connect(server.zkPort, '127.0.0.1');
  socket.on('error', () => { /* closed by the server */ });
  await once(socket, 'connect');
  return socket;
}

test('a connection that sends nothing, or less than a frame header, is closed after sessionlessCnxnTimeout', async () => {
  const silent = await rawSocket();
  const partial = await rawSocket();
  partial.write(Buffer.from([0, 0, 0]));
  const [a, b] = await Promise.all([closedWithin(silent, 5000), closedWithin(partial, 5000)]);
  assert.ok(a >= SESSIONLESS_MS - 50 && b >= SESSIONLESS_MS - 50, `closed after ${a} / ${b} ms`);
});

test('a session outlives sessionlessCnxnTimeout; four-letter words still answer', async () => {
  const client = zookeeper.createClient(`127.0.0.1:${server.zkPort}`, { sessionTimeout: 10_000, retries: 0 });
  await new Promise<void>((resolve) => { client.once('connected', () => resolve()); client.connect(); });
  await new Promise((r) => setTimeout(r, SESSIONLESS_MS * 3));
  const [stat] = await new Promise<[unknown]>((resolve, reject) =>
    client.exists('/', undefined, (err, s) => (err ? reject(err) : resolve([s]))));
  assert.ok(stat);
  client.close();
  const word = await rawSocket();
  let answer = '';
  word.on('data', (d) => { answer += d; });
  word.write('ruok');
  await closedWithin(word, 2000);
  assert.equal(answer, 'imok');
});

test('globalOutstandingLimit: a connection pipelining writes is throttled, and every reply still comes, in order', async () => {
  const outstanding = zkPersonality(server.junction).server.listener.outstanding;
  let peak = 0;
  const added = outstanding.added.bind(outstanding);
  outstanding.added = (conn) => { added(conn); peak = Math.max(peak, outstanding.count); };
  try {
    const acl = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
    const count = 100;
    const creates = Array.from({ length: count }, (_, i) => encodeRequest({ xid: i + 1, type: OpCode.create, op: 'create',
      req: { path: `/throttle-${i}`, data: Buffer.from('x'), acl, flags: 0 } }));
    const socket = await rawSocket();
    const framer = new LengthPrefixedFramer(1 << 20);
    const replies: Buffer[] = [];
    const all = new Promise<void>((resolve) => socket.on('data', (d: Buffer) => {
      replies.push(...framer.push(d));
      if (replies.length === count + 1) resolve();
    }));
    socket.write(Buffer.concat([encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0, timeOut: 10_000,
      sessionId: 0n, passwd: Buffer.alloc(16) }), ...creates]));
    await all;
    const headers = replies.slice(1).map(decodeReplyHeader);
    assert.deepEqual(headers.map((h) => h.xid), Array.from({ length: count }, (_, i) => i + 1));
    assert.ok(headers.every((h) => h.err === 0));
    // One connection overshoots by the one request that paused it (ZooKeeper checks after counting it).
    assert.equal(peak, OUTSTANDING_LIMIT + 1, `outstanding peaked at ${peak}`);
    assert.equal(outstanding.count, 0);
    socket.destroy();
  } finally {
    outstanding.added = added;
  }
});
