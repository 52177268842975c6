import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RouteTable } from '../../../src/amqp/management/route-table.js';
import { createHttpApp } from '../../../src/core/http/fastify.js';
import { silentLogger } from '../../../src/core/logger.js';

async function appWith(define: (routes: RouteTable) => void) {
  const app = createHttpApp({ requestTimeoutMs: 10_000, maxConnectionsPerIp: 0 }, silentLogger());
  const registered: string[] = [];
  app.addHook('onRoute', (route) => { registered.push(`${[route.method].flat().join(',')} ${route.url}`); });
  const routes = new RouteTable();
  define(routes);
  routes.registerOn(app);
  await app.ready();
  return Object.assign(app, { registered });
}

test('one Fastify route per path answers each method with its own handler; other methods get 404', async () => {
  const app = await appWith((r) => {
    r.get('/api/things/:name', async (req) => ({ got: (req.params as { name: string }).name }));
    r.put('/api/things/:name', async (_req, reply) => reply.code(201).send());
    r.delete('/api/things/:name', async (_req, reply) => reply.code(204).send());
    r.get('/api/other', async () => ({ other: true }));
  });
  try {
    assert.deepEqual(app.registered, ['GET,PUT,DELETE /api/things/:name', 'GET /api/other']);
    assert.deepEqual((await app.inject({ method: 'GET', url: '/api/things/a' })).json(), { got: 'a' });
    assert.equal((await app.inject({ method: 'PUT', url: '/api/things/a', payload: {} })).statusCode, 201);
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/things/a' })).statusCode, 204);
    assert.equal((await app.inject({ method: 'POST', url: '/api/things/a', payload: {} })).statusCode, 404);
    assert.deepEqual((await app.inject({ method: 'GET', url: '/api/other' })).json(), { other: true });
  } finally {
    await app.close();
  }
});

test('an optional last parameter serves the list and the per-vhost list from one route', async () => {
  const app = await appWith((r) => r.get('/api/queues/:vhost?', async (req) => ({ vhost: (req.params as { vhost?: string }).vhost ?? null })));
  try {
    assert.deepEqual((await app.inject({ method: 'GET', url: '/api/queues' })).json(), { vhost: null });
    assert.deepEqual((await app.inject({ method: 'GET', url: '/api/queues/%2F' })).json(), { vhost: '/' });
    assert.equal((await app.inject({ method: 'GET', url: '/api/queues/%2F/x' })).statusCode, 404);
  } finally {
    await app.close();
  }
});

test('a method declared twice for one path is refused when the routes are gathered', () => {
  const routes = new RouteTable();
  routes.get('/api/x', async () => ({}));
  assert.throws(() => routes.get('/api/x', async () => ({})), /GET \/api\/x declared twice/);
});
