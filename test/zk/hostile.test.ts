// Bad input on the client port (issue §5, non-negotiable 3): random and mutated frames, oversized
// lengths and garbage never crash the server; the offending connection gets ZooKeeper's answer
// or is closed, and another client's session keeps working throughout.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import zookeeper from 'node-zookeeper-client';
import { encodeConnectRequest } from '../../src/zk/codec/connect.js';
import { encodeRequest } from '../../src/zk/codec/requests.js';
import { OpCode, Perms, type ZkRequest } from '../../src/zk/codec/types.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { seededRandom as prng } from '../helpers/seeded-random.js';

let server: TestServer;
let bystander: zookeeper.Client;


const CONNECT = encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0, timeOut: 10_000, sessionId: 0n, passwd: Buffer.alloc(16) });
const acl = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
const VALID: ZkRequest[] = [
  { xid: 1, type: OpCode.create, op: 'create', req: { path: '/fuzz/a', data: Buffer.from('x'), acl, flags: 0 } },
  { xid: 2, type: OpCode.getData, op: 'read', req: { path: '/fuzz', watch: true } },
  { xid: 3, type: OpCode.setData, op: 'setData', req: { path: '/fuzz', data: Buffer.from('y'), version: -1 } },
  { xid: 4, type: OpCode.multi, op: 'multi', req: { ops: [
    { op: 'create', type: 1, req: { path: '/fuzz/m', data: Buffer.alloc(3), acl, flags: 1 } },
    { op: 'check', type: 13, req: { path: '/fuzz', version: -1 } }] } },
  { xid: 5, type: OpCode.setWatches, op: 'setWatches', req: { relativeZxid: 0, dataWatches: ['/a'], existWatches: [], childWatches: ['/b'] } },
];

/** Send bytes on a fresh connection; resolve when the server closes it or after `ms`. */
function exchange(bytes: Buffer[], ms = 150): Promise<{ closed: boolean; received: number }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(server.zkPort, '127.0.0.1');
    let received = 0;
    let done = false;
    const finish = (closed: boolean) => { if (!done) { done = true; socket.destroy(); resolve({ closed, received }); } };
    socket.on('data', (d) => { received += d.length; });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => { for (const b of bytes) socket.write(b); });
    setTimeout(() => finish(false), ms);
  });
}

function mutate(frame: Buffer, rnd: () => number): Buffer {
  const out = Buffer.from(frame);
  const kind = Math.floor(rnd() * 4);
  if (kind === 0) { // flip bytes after the length prefix
    for (let i = 0; i < 1 + rnd() * 4; i++) out[4 + Math.floor(rnd() * (out.length - 4))] = Math.floor(rnd() * 256);
    return out;
  }
  if (kind === 1) { // truncate the body but keep a consistent length prefix
    const len = Math.floor(rnd() * (out.length - 4));
    const t = Buffer.alloc(4 + len);
    t.writeInt32BE(len, 0);
    out.copy(t, 4, 4, 4 + len);
    return t;
  }
  if (kind === 2) { // random vector/string lengths inside the body
    const at = 12 + Math.floor(rnd() * Math.max(1, out.length - 16));
    if (at + 4 <= out.length) out.writeInt32BE([-2, -1, 0x7fffffff, 1 << 20][Math.floor(rnd() * 4)]!, at);
    return out;
  }
  const junk = Buffer.alloc(4 + Math.floor(rnd() * 64)); // random body
  for (let i = 4; i < junk.length; i++) junk[i] = Math.floor(rnd() * 256);
  junk.writeInt32BE(junk.length - 4, 0);
  return junk;
}

before(async () => {
  server = await startTestServer({ enabled: ['zk'], zk: { juteMaxBuffer: 4096 } });
  bystander = zookeeper.createClient(`127.0.0.1:${server.zkPort}`, { sessionTimeout: 30_000 });
  await new Promise<void>((resolve) => { bystander.once('connected', () => resolve()); bystander.connect(); });
  // /fuzz is the fuzzed frames' playground (they may well change it); /keep is the bystander's.
  for (const path of ['/fuzz', '/keep']) {
    await new Promise<void>((resolve, reject) => bystander.create(path, Buffer.from('v'), zookeeper.ACL.OPEN_ACL_UNSAFE,
      zookeeper.CreateMode.PERSISTENT, (err) => (err ? reject(err) : resolve())));
  }
});

after(async () => {
  bystander?.close();
  await server?.destroy();
});

async function bystanderReads(): Promise<string> {
  return new Promise((resolve, reject) => bystander.getData('/keep', undefined, (err, data) => (err ? reject(err) : resolve(String(data)))));
}

test('mutated and random request frames after a valid handshake never disturb another session', { timeout: 120_000 }, async () => {
  const rnd = prng(20261125);
  for (let i = 0; i < 300; i++) {
    const valid = encodeRequest(VALID[i % VALID.length]!);
    await exchange([CONNECT, mutate(valid, rnd)], 60);
    if (i % 50 === 0) assert.match(await bystanderReads(), /^v$/, `bystander after frame ${i}`);
  }
  assert.match(await bystanderReads(), /^v$/);
});

test('garbage instead of a ConnectRequest closes that connection only', async () => {
  const rnd = prng(7);
  for (let i = 0; i < 100; i++) {
    const junk = Buffer.alloc(4 + Math.floor(rnd() * 40));
    for (let j = 4; j < junk.length; j++) junk[j] = Math.floor(rnd() * 256);
    junk.writeInt32BE(junk.length - 4, 0);
    const r = await exchange([junk], 60);
    assert.equal(r.received, 0, 'no ConnectResponse for an unreadable ConnectRequest');
  }
  assert.match(await bystanderReads(), /^v$/);
});

test('a frame above jute.maxbuffer closes the connection without a reply (ZooKeeper "Len error")', async () => {
  const big = Buffer.alloc(8);
  big.writeInt32BE(4097, 0);
  const r = await exchange([CONNECT, big], 2000);
  assert.equal(r.closed, true);
  // Negative lengths too.
  const neg = Buffer.alloc(4);
  neg.writeInt32BE(-5, 0);
  assert.equal((await exchange([CONNECT, neg], 2000)).closed, true);
  assert.match(await bystanderReads(), /^v$/);
});

test('an unknown opcode is answered UNIMPLEMENTED and the connection closed, as ZooKeeper does', async () => {
  const frame = Buffer.alloc(12);
  frame.writeInt32BE(8, 0);
  frame.writeInt32BE(7, 4); // xid
  frame.writeInt32BE(77, 8); // no such opcode
  const r = await exchange([CONNECT, frame], 2000);
  assert.equal(r.closed, true);
  // ConnectResponse (4 + 36 + 1? no read-only byte requested: 4 + 36) + reply header frame (4 + 16).
  assert.equal(r.received, 40 + 20);
});
