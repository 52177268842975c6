// Resource bounds on the client port (a probe of the unbounded server: a client that pipelines
// getData of a 1 MB znode and never reads the replies took one server from 88 MB RSS to 1.47 GB;
// five such clients took it to 11–13.5 GB and new clients timed out). Here the same probe runs
// against a child server: its RSS must stay flat, the unread connections must be paused with
// their requests kept (cons shows them not yet received), a real client (node-zookeeper-client)
// keeps working with sane latency and a new one connects, and a paused client that starts
// reading gets every reply, in order.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import zookeeper from 'node-zookeeper-client';
import { LengthPrefixedFramer } from '../../src/core/net/framer.js';
import { encodeConnectRequest } from '../../src/zk/codec/connect.js';
import { encodeRequest } from '../../src/zk/codec/requests.js';
import { decodeReplyHeader } from '../../src/zk/codec/responses.js';
import { OpCode } from '../../src/zk/codec/types.js';
import { killHard, startChildServer, type ChildServer } from '../helpers/child-server.js';
import { tempDir } from '../helpers/junction.js';

const BIG = 1_000_000;
/** getData requests each misbehaving client pipelines: 500 MB of replies if all were buffered. */
const REQUESTS = 500;
const MiB = 1024 * 1024;

function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

function call<T extends unknown[]>(fn: (cb: (err: Error | null, ...res: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, ...res) => (err ? reject(err) : resolve(res))));
}

function zkClient(port: number): Promise<zookeeper.Client> {
  const c = zookeeper.createClient(`127.0.0.1:${port}`, { sessionTimeout: 30_000, retries: 0 });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('node-zookeeper-client did not connect in 5 s')), 5000);
    c.once('connected', () => { clearTimeout(t); resolve(c); });
    c.connect();
  });
}

/**
 * A raw client: ConnectRequest + REQUESTS getData('/big') in one write, and no reading. With
 * `writeFirst` a setData leads the pipeline, so every read waits behind it and they all run the
 * moment it is applied (one burst of REQUESTS replies).
 */
function floodWithoutReading(port: number, writeFirst = false): Promise<Socket> {
  const requests = Array.from({ length: REQUESTS }, (_, i) =>
    encodeRequest({ xid: i + 2, type: OpCode.getData, op: 'read', req: { path: '/big', watch: false } }));
  const lead = writeFirst
    ? [encodeRequest({ xid: 1, type: OpCode.setData, op: 'setData', req: { path: '/small', data: Buffer.from('w'), version: -1 } })]
    : [];
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => { /* killed with the server */ });
  socket.pause();
  return new Promise((resolve) => socket.once('connect', () => {
    socket.write(Buffer.concat([encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0, timeOut: 30_000,
      sessionId: 0n, passwd: Buffer.alloc(16) }), ...lead, ...requests]));
    resolve(socket);
  }));
}

/** cons over a raw socket: local port of each connection → requests the server has received. */
function receivedByPort(port: number): Promise<Map<number, number>> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.end('cons'));
    let out = '';
    s.on('data', (d) => { out += d; }).on('error', reject).on('close', () => {
      resolve(new Map([...out.matchAll(/:(\d+)\[\d\]\(queued=\d+,recved=(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])])));
    });
  });
}

/** Sample the child's RSS every 50 ms; kill it at once past `limit` so a regression cannot eat the machine. */
function watchRss(server: ChildServer, limit: number): { peak: () => number; stop: () => void } {
  const pid = server.child.pid!;
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    try { peak = Math.max(peak, rssBytes(pid)); } catch { return; }
    if (peak > limit) void killHard(server);
  }, 50);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

/** Sequential small getData/setData from a real client: every latency in ms. */
async function healthyWork(client: zookeeper.Client, ops: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < ops; i++) {
    const started = performance.now();
    if (i % 2 === 0) await call((cb) => client.setData('/small', Buffer.from(`v${i}`), -1, cb));
    else await call((cb) => client.getData('/small', undefined, cb));
    latencies.push(performance.now() - started);
  }
  return latencies;
}

function closedWithin(socket: Socket, ms: number): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the unread connection is still open after ${ms} ms`)), ms);
    socket.once('close', () => { clearTimeout(timer); resolve(); });
  });
}

async function readAllReplies(socket: Socket): Promise<number[]> {
  const framer = new LengthPrefixedFramer(2 * MiB);
  const xids: number[] = [];
  let first = true;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${xids.length} replies after 60 s`)), 60_000);
    socket.on('data', (d: Buffer) => {
      for (const body of framer.push(d)) {
        if (first) { first = false; continue; } // the ConnectResponse
        assert.equal(body.length, 16 + 4 + BIG + 68, 'a getData reply carries the whole 1 MB');
        xids.push(decodeReplyHeader(body).xid);
      }
      if (xids.length === REQUESTS) { clearTimeout(timer); resolve(xids); }
    });
    socket.resume();
  });
}

interface ProbeResult {
  grewMiB: number;
  latencies: number[];
  /** Requests each unread connection has had read by the server (cons recved), undefined = gone. */
  received: (number | undefined)[];
  floods: Socket[];
}

/**
 * Start a child server with /big (1 MB) and /small, open `unread` misbehaving connections, and
 * meanwhile drive a healthy node-zookeeper-client and connect a new one. The server is killed
 * by the RSS watchdog past `rssLimitMiB`; then (or on any failure) `fn` gets what was measured.
 */
async function probe(opts: { unread: number; writeFirst: boolean; rssLimitMiB: number },
  check: (r: ProbeResult) => Promise<void>): Promise<void> {
  const dataDir = tempDir('junction-zk-bounds-');
  const server = await startChildServer(['--data-dir', dataDir, '--enable', 'zk', '--zk-4lw-whitelist', 'cons,srvr']);
  const port = server.ports.zk!;
  const healthy = await zkClient(port);
  const result: ProbeResult = { grewMiB: 0, latencies: [], received: [], floods: [] };
  try {
    await call((cb) => healthy.create('/big', Buffer.alloc(BIG, 7), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, cb));
    await call((cb) => healthy.create('/small', Buffer.from('v'), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, cb));
    await healthyWork(healthy, 20); // warm up
    const baseline = rssBytes(server.child.pid!);
    const rss = watchRss(server, baseline + opts.rssLimitMiB * MiB);
    let failure: unknown = null;
    try {
      for (let i = 0; i < opts.unread; i++) result.floods.push(await floodWithoutReading(port, opts.writeFirst));
      result.latencies = await healthyWork(healthy, 200);
      const newcomer = await zkClient(port); // "new clients timed out" on the unbounded server
      await call((cb) => newcomer.getData('/small', undefined, cb));
      newcomer.close();
      const received = await receivedByPort(port);
      result.received = result.floods.map((f) => received.get(f.localPort!));
    } catch (err) {
      failure = err; // reported after the memory verdict (the watchdog may have killed the server)
    } finally {
      rss.stop();
    }
    result.grewMiB = (rss.peak() - baseline) / MiB;
    assert.ok(result.grewMiB < opts.rssLimitMiB, `server RSS grew ${result.grewMiB.toFixed(0)} MiB (limit ${opts.rssLimitMiB})`);
    if (failure) throw failure;
    await check(result);
  } finally {
    for (const flood of result.floods) flood.destroy();
    healthy.close();
    await killHard(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function assertHealthyLatency(t: TestContext, r: ProbeResult): void {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const p50 = sorted[sorted.length >> 1]!;
  const max = sorted[sorted.length - 1]!;
  t.diagnostic(`RSS +${r.grewMiB.toFixed(1)} MiB; healthy p50 ${p50.toFixed(2)} ms, max ${max.toFixed(1)} ms; ` +
    `requests read per unread connection: ${r.received.join(', ')}`);
  assert.ok(p50 < 50 && max < 1000, `healthy client latency p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
}

for (const { unread, rssLimitMiB } of [{ unread: 1, rssLimitMiB: 100 }, { unread: 5, rssLimitMiB: 200 }]) {
  test(`zk: ${unread} client(s) pipelining getData of a 1 MB znode without reading: RSS grows < ${rssLimitMiB} MiB, others keep working`,
    { timeout: 180_000 }, (t) => probe({ unread, writeFirst: false, rssLimitMiB }, async (r) => {
      assertHealthyLatency(t, r);
      for (const got of r.received) {
        assert.ok(got !== undefined && got < REQUESTS, `an unread connection is paused with requests kept (read ${got} of ${REQUESTS})`);
      }
      // Once the client reads, the connection resumes: every reply arrives, in request order.
      const xids = await readAllReplies(r.floods[0]!);
      assert.deepEqual(xids, Array.from({ length: REQUESTS }, (_, i) => i + 2));
    }));
}

test('zk: reads queued behind a write burst out when it is applied: an unread connection past the close limit is dropped',
  { timeout: 180_000 }, (t) => probe({ unread: 2, writeFirst: true, rssLimitMiB: 200 }, async (r) => {
    assertHealthyLatency(t, r);
    // Up to globalOutstandingLimit reads wait behind the setData and all run when it is applied;
    // above the unsent-bytes close limit (64 MiB) the connection is closed, not buffered.
    for (const flood of r.floods) {
      flood.resume(); // a paused socket cannot see the server's close
      await closedWithin(flood, 10_000);
    }
  }));
