// Hostile HTTP input at the transport level: the Nacos port answers with a clear HTTP error or
// closes the connection, and keeps serving other clients.
import assert from 'node:assert/strict';
import { nacosSettings } from '../../src/nacos/settings.js';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/junction.js';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server.destroy(); });

async function stillServing(): Promise<void> {
  const res = await fetch(`${server.nacos}/nacos/v1/console/health/liveness`);
  assert.notEqual(res.status, 500);
  await res.arrayBuffer();
}

function rawExchange(bytes: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.nacosPort, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.end(bytes);
  });
}

test('huge request headers are refused with 431', async () => {
  const res = await fetch(`${server.nacos}/nacos/v1/cs/configs?dataId=a&group=b`, { headers: { 'x-junk': 'y'.repeat(64 * 1024) } });
  assert.equal(res.status, 431);
  await stillServing();
});

test('garbage instead of an HTTP request gets 400 and a closed connection', async () => {
  const answer = await rawExchange(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a]));
  assert.match(answer, /^HTTP\/1\.1 400 Bad Request/);
  await stillServing();
});

test('a body over the limit is refused with 413', async () => {
  const res = await fetch(`${server.nacos}/nacos/v1/cs/configs`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `dataId=a&group=b&content=${'z'.repeat(nacosSettings.specs.maxContentBytes.default * 3 + 128 * 1024)}`,
  });
  assert.equal(res.status, 413);
  await res.arrayBuffer();
  await stillServing();
});

test('an unknown path answers 404 like Spring does', async () => {
  const res = await fetch(`${server.nacos}/nacos/v1/no/such/thing`);
  assert.equal(res.status, 404);
  const body = await res.json() as { status: number; path: string };
  assert.equal(body.status, 404);
  assert.equal(body.path, '/nacos/v1/no/such/thing');
});
