import type { FastifyReply } from 'fastify';

/**
 * Answer with headers the route already knows to be valid, handed to Node in one writeHead call.
 * For the hottest reads only (config get, instance list): there Fastify's per-header bookkeeping
 * (lower-casing each name, a property per header on a per-reply object that Node then walks
 * again) cost more than the route itself — ~10k instructions per request with the six headers
 * of a Nacos config. The bytes are those reply.send() writes: lower-case names in the given
 * order, then content-length; Node still validates them and adds date/connection. Fastify runs
 * the onResponse hooks of a reply answered through reply.raw (Reply.md, hijack), so request
 * metrics still count it. `headers` is a flat [name, value, …] list of lower-case names.
 */
export function sendPrepared(reply: FastifyReply, status: number, headers: readonly string[], body: string | Buffer): FastifyReply {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  reply.hijack();
  reply.raw.writeHead(status, headers.concat('content-length', String(length)));
  reply.raw.end(body);
  return reply;
}
