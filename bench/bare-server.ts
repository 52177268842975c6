import Fastify from 'fastify';
import { CONTENT } from './nacos-api.js';

/**
 * The reference for the HTTP-overhead phase: a bare Fastify server (default options, no logger,
 * no hooks, no plugins) with one route returning a string, run as its own process exactly like
 * `junction start`. It answers the same 128-byte text the config-get phase reads, so response
 * sizes match; everything Junction does beyond this is the overhead being measured.
 */
const app = Fastify({ logger: false });
app.get('/bare', async (_req, reply) => reply.type('text/plain;charset=UTF-8').send(CONTENT));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = address && typeof address === 'object' ? address.port : 0;
process.stdout.write(`${JSON.stringify({ msg: 'bare ready', ports: { bare: port } })}\n`);
process.once('SIGTERM', () => { void app.close().then(() => process.exit(0)); });
