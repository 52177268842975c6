// Every HTTP port keeps the same bounds (core settings --http-request-timeout and
// --http-max-connections-per-ip): a request must arrive whole in time, body included, and one
// address holds a bounded number of connections. Found by probing: 20 connections sending a
// 100 kB body at 1 byte/s were all still open after 400 s.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/junction.js';

const REQUEST_TIMEOUT_MS = 1000;
const PER_IP = 4;
let server: TestServer;
before(async () => { server = await startTestServer({ httpRequestTimeout: REQUEST_TIMEOUT_MS, httpMaxConnectionsPerIp: PER_IP }); });
after(async () => { await server.destroy(); });

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => { /* the server may refuse or time it out */ });
  await once(socket, 'connect');
  return socket;
}

/** Resolves with what the server sent once it closes the socket, rejects if still open after ms. */
function closedWithin(socket: Socket, ms: number): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (d: Buffer) => chunks.push(d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
    socket.once('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString('latin1')); });
  });
}

for (const port of ['nacos', 'admin'] as const) {
  test(`${port} port: a body trickled at 1 byte/s is cut off at the request timeout with 408`, async () => {
    const socket = await open(server.ports[port]!);
    socket.write(`POST /nacos/v1/cs/configs HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n`);
    const trickle = setInterval(() => socket.write('a'), 1000);
    const started = Date.now();
    try {
      const answer = await closedWithin(socket, REQUEST_TIMEOUT_MS + 3000);
      // (the admin port has no such route: it answers 404 at once, then still times the body out)
      assert.match(answer, /HTTP\/1\.1 408 Request Timeout/);
      assert.ok(Date.now() - started >= REQUEST_TIMEOUT_MS - 50, 'not before the timeout');
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  });

  test(`${port} port: one address holds at most ${PER_IP} connections; a slot frees when one closes`, async () => {
    const held = await Promise.all(Array.from({ length: PER_IP }, () => open(server.ports[port]!)));
    try {
      const refused = await open(server.ports[port]!);
      assert.equal(await closedWithin(refused, 2000), '', 'refused without an answer');
      held.pop()!.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`http://127.0.0.1:${server.ports[port]}/${port === 'admin' ? 'health' : 'nacos/v1/console/health/liveness'}`);
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    } finally {
      for (const s of held) s.destroy();
    }
  });
}

test('the timeout covers receiving a request, not a long-poll the server holds', async () => {
  const W = String.fromCharCode(2);
  const L = String.fromCharCode(1);
  const started = Date.now();
  const res = await fetch(`${server.nacos}/nacos/v1/cs/configs/listener`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'Long-Pulling-Timeout': '3000' },
    body: new URLSearchParams({ 'Listening-Configs': `held${W}G${W}${L}` }),
  });
  assert.equal(res.status, 200);
  await res.text();
  assert.ok(Date.now() - started > REQUEST_TIMEOUT_MS + 500, `held ${Date.now() - started} ms, past the request timeout`);
});
