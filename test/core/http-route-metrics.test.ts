// core/http/route-metrics: every request is counted and timed whichever way its route is
// recorded (an onResponse hook, or TIMED_BY_HANDLER around the handler), and whichever way it is
// answered (by the handler, through reply.raw, by the error handler, after a promise).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from '../../src/core/http/fastify.js';
import { recordRouteMetrics, TIMED_BY_HANDLER } from '../../src/core/http/route-metrics.js';
import { silentLogger } from '../../src/core/logger.js';
import { Metrics } from '../../src/core/metrics/registry.js';

const SPEC = {
  requests: { name: 'requests_total', help: 'requests' },
  latency: { name: 'duration_seconds', help: 'latency', buckets: [0.01, 1] },
};
const SLOW_MS = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let app: FastifyInstance;
let metrics: Metrics;
let base: string;

before(async () => {
  metrics = new Metrics({ processMetrics: false });
  app = createHttpApp({ requestTimeoutMs: 0, maxConnectionsPerIp: 0 }, silentLogger());
  const timedNotFound = recordRouteMetrics(app, metrics.scope('x'), SPEC);
  app.setNotFoundHandler(timedNotFound((_req, reply) => { reply.code(404).send('none'); }));
  app.get('/timed', { config: TIMED_BY_HANDLER }, (req, reply) => {
    const { mode } = req.query as { mode?: string };
    if (mode === 'raw') {
      reply.hijack();
      reply.raw.writeHead(201, ['content-type', 'text/plain']);
      reply.raw.end('raw');
      return reply;
    }
    if (mode === 'throw') throw Object.assign(new Error('bad'), { statusCode: 400 });
    if (mode === 'slow') return sleep(SLOW_MS).then(() => reply.code(202).send('late'));
    if (mode === 'value') return 'value';
    return reply.code(200).send('sent');
  });
  app.get('/hooked', async () => { await sleep(SLOW_MS); return 'hooked'; });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
after(() => app.close());

async function request(path: string, method = 'GET'): Promise<number> {
  const res = await fetch(base + path, { method });
  await res.arrayBuffer();
  return res.status;
}

/** Metric lines as a map from series (name + labels) to value. */
async function scrape(): Promise<Map<string, number>> {
  const lines = (await metrics.render()).split('\n').filter((l) => l.startsWith('junction_x_'));
  return new Map(lines.map((l) => { const i = l.lastIndexOf(' '); return [l.slice(0, i), Number(l.slice(i + 1))]; }));
}

test('a timed route counts every way of answering, with the status the client got', async () => {
  assert.equal(await request('/timed'), 200);
  assert.equal(await request('/timed?mode=raw'), 201);
  assert.equal(await request('/timed?mode=raw'), 201);
  assert.equal(await request('/timed?mode=throw'), 400);
  assert.equal(await request('/timed?mode=slow'), 202);
  assert.equal(await request('/timed?mode=value'), 200);
  assert.equal(await request('/timed?mode=raw', 'HEAD'), 201);
  const m = await scrape();
  const count = (method: string, status: number) => m.get(`junction_x_requests_total{method="${method}",route="/timed",status="${status}"}`);
  assert.equal(count('GET', 200), 2);
  assert.equal(count('GET', 201), 2);
  assert.equal(count('GET', 400), 1);
  assert.equal(count('GET', 202), 1);
  assert.equal(count('HEAD', 201), 1, 'the automatic HEAD route is timed under its own method');
  assert.equal(m.get('junction_x_duration_seconds_count{method="GET",route="/timed"}'), 6);
  // The slow answer is recorded when it is written, not when the handler returned its promise.
  assert.equal(m.get('junction_x_duration_seconds_bucket{le="0.01",method="GET",route="/timed"}'), 5);
  assert.ok(m.get('junction_x_duration_seconds_sum{method="GET",route="/timed"}')! >= SLOW_MS / 1000);
});

test('a hooked route and unmatched requests are counted and timed', async () => {
  assert.equal(await request('/hooked'), 200);
  assert.equal(await request('/nowhere'), 404);
  assert.equal(await request('/nowhere', 'POST'), 404);
  const m = await scrape();
  assert.equal(m.get('junction_x_requests_total{method="GET",route="/hooked",status="200"}'), 1);
  assert.ok(m.get('junction_x_duration_seconds_sum{method="GET",route="/hooked"}')! >= SLOW_MS / 1000);
  assert.equal(m.get('junction_x_requests_total{method="GET",route="unmatched",status="404"}'), 1);
  assert.equal(m.get('junction_x_requests_total{method="POST",route="unmatched",status="404"}'), 1);
  // Fastify keeps no start time for the not-found handler (reply.elapsedTime is 0): it is timed itself.
  assert.ok(m.get('junction_x_duration_seconds_sum{method="GET",route="unmatched"}')! > 0);
});

test('HEAD is answered by the GET route without a body and counted under HEAD; no GET route, no HEAD', async () => {
  const head = await fetch(`${base}/hooked`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), String('hooked'.length), 'the GET answer\'s headers');
  assert.equal((await head.arrayBuffer()).byteLength, 0);
  assert.equal(await request('/nowhere', 'HEAD'), 404);
  const m = await scrape();
  assert.equal(m.get('junction_x_requests_total{method="HEAD",route="/hooked",status="200"}'), 1);
  assert.equal(m.get('junction_x_requests_total{method="HEAD",route="unmatched",status="404"}'), 1);
  assert.equal(m.get('junction_x_requests_total{method="GET",route="/hooked",status="200"}'), 1, 'HEAD is not counted as GET');
});

test('TIMED_BY_HANDLER is refused where a request could be answered before the handler', () => {
  const other = createHttpApp({ requestTimeoutMs: 0, maxConnectionsPerIp: 0 }, silentLogger());
  recordRouteMetrics(other, new Metrics({ processMetrics: false }).scope('y'), SPEC);
  assert.throws(() => other.post('/p', { config: TIMED_BY_HANDLER }, async () => 'x'), /only a GET route/);
  assert.throws(() => other.get('/h', { config: TIMED_BY_HANDLER, preHandler: async () => {} }, async () => 'x'), /preHandler hook/);
  return other.close();
});
