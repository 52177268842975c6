import type { FastifyReply } from 'fastify';

/**
 * An answer whose whole header block is known before the request comes: a flat [name, value, …]
 * list of lower-case names in the order reply.send() would write them, content-length last, and
 * the body it describes. Built once per stored version (a config, a rendered instance list).
 */
export interface PreparedAnswer {
  readonly headers: readonly string[];
  readonly body: string | Buffer;
}

export function preparedAnswer(headers: readonly string[], body: string | Buffer): PreparedAnswer {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  return { headers: [...headers, 'content-length', String(length)], body };
}

/**
 * Answer with a prepared header block, handed to Node in one writeHead call. For the hottest
 * reads only (config get, instance list): there Fastify's per-header bookkeeping (lower-casing
 * each name, a property per header on a per-reply object that Node then walks again) cost more
 * than the route itself — ~10k instructions per request with the six headers of a Nacos config.
 * The bytes are those reply.send() writes: lower-case names in the given order, then
 * content-length; Node still validates them and adds date/connection. Fastify runs the onResponse
 * hooks of a reply answered through reply.raw (Reply.md, hijack), so request metrics count it
 * either way (routes/TIMED_BY_HANDLER or a hook).
 */
export function sendPrepared(reply: FastifyReply, status: number, answer: PreparedAnswer): FastifyReply {
  reply.hijack();
  // Node copies nothing from the list: it only reads it while writing the header block.
  reply.raw.writeHead(status, answer.headers as string[]);
  reply.raw.end(answer.body);
  return reply;
}
