import type { FastifyRequest } from 'fastify';
import type { RouteTable } from './route-table.js';
import { TextDecoder } from 'node:util';
import { requireVhost } from './auth.js';
import type { GotMessage } from './broker-view.js';
import { userOf, type ManagementOptions } from './context.js';
import { badRequest, notFound } from './errors.js';
import { bodyOf } from './routes-access.js';

/** POST /api/exchanges/{vhost}/{name}/publish and /api/queues/{vhost}/{name}/get
 *  (rabbit_mgmt_wm_exchange_publish, rabbit_mgmt_wm_queue_get). */

type Params = Record<string, string>;

const ACKMODES: Record<string, { ack: 'ack' | 'reject'; requeue: boolean }> = {
  ack_requeue_true: { ack: 'ack', requeue: true }, ack_requeue_false: { ack: 'ack', requeue: false },
  reject_requeue_true: { ack: 'reject', requeue: true }, reject_requeue_false: { ack: 'reject', requeue: false },
};

function vhostOf(opts: ManagementOptions, req: FastifyRequest): string {
  const vhost = (req.params as Params).vhost!;
  if (!opts.users.rabbit.vhostExists(vhost)) throw notFound();
  requireVhost(opts, userOf(req), vhost, true);
  return vhost;
}

function decodePayload(payload: unknown, encoding: unknown): Buffer {
  if (typeof payload !== 'string') throw badRequest('payload must be a string');
  if (encoding === 'string') return Buffer.from(payload, 'utf8');
  if (encoding === 'base64') return Buffer.from(payload, 'base64');
  throw badRequest(`payload_encoding must be "string" or "base64"`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** encoding "auto": a string when the (truncated) payload is valid UTF-8, else base64. */
function formatGot(m: GotMessage, encoding: string, truncate: number | undefined): Record<string, unknown> {
  const body = truncate === undefined ? m.payload : m.payload.subarray(0, truncate);
  let payload: string | undefined;
  if (encoding === 'auto') { try { payload = utf8.decode(body); } catch { payload = undefined; } }
  return {
    payload_bytes: m.payload.length, redelivered: m.redelivered, exchange: m.exchange, routing_key: m.routingKey,
    message_count: m.messageCount, properties: m.properties,
    payload: payload ?? body.toString('base64'), payload_encoding: payload === undefined ? 'base64' : 'string',
  };
}

export function messageRoutes(app: RouteTable, opts: ManagementOptions): void {
  app.post('/api/exchanges/:vhost/:name/publish', async (req) => {
    const vhost = vhostOf(opts, req);
    const name = (req.params as Params).name === 'amq.default' ? '' : (req.params as Params).name!;
    if (!opts.broker.exchange(vhost, name)) throw notFound();
    const body = bodyOf(req);
    for (const key of ['properties', 'routing_key', 'payload', 'payload_encoding']) {
      if (body[key] === undefined) throw badRequest(`${key} mandatory`);
    }
    const properties = typeof body.properties === 'object' && body.properties !== null ? body.properties as Record<string, unknown> : {};
    return opts.broker.publish(vhost, name, {
      routingKey: String(body.routing_key), properties, payload: decodePayload(body.payload, body.payload_encoding),
    });
  });
  app.post('/api/queues/:vhost/:name/get', async (req) => {
    const vhost = vhostOf(opts, req);
    const name = (req.params as Params).name!;
    if (!opts.broker.queue(vhost, name)) throw notFound();
    const body = bodyOf(req);
    const mode = ACKMODES[String(body.ackmode)];
    if (!mode) throw badRequest('ackmode must be one of ack_requeue_true, ack_requeue_false, reject_requeue_true, reject_requeue_false');
    const encoding = body.encoding === undefined ? 'auto' : String(body.encoding);
    if (encoding !== 'auto' && encoding !== 'base64') throw badRequest('encoding must be "auto" or "base64"');
    const count = Number(body.count ?? 1);
    if (!Number.isInteger(count) || count < 1) throw badRequest('count must be a positive integer');
    const truncate = body.truncate === undefined ? undefined : Number(body.truncate);
    const got = await opts.broker.get(vhost, name, { count, ...mode });
    return got.map((m) => formatGot(m, encoding, truncate));
  });
}
