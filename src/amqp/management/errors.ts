import type { FastifyReply } from 'fastify';

/** RabbitMQ's error bodies (rabbit_mgmt_util), captured from 3.10.8. Note the two spellings:
 *  a failed login says "not_authorized", a missing tag or vhost access "not_authorised". */
export class MgmtHttpError extends Error {
  constructor(readonly status: number, readonly body: { error: string; reason: string }) { super(body.reason); }
}

export const notFound = () => new MgmtHttpError(404, { error: 'Object Not Found', reason: 'Not Found' });
export const badRequest = (reason: string) => new MgmtHttpError(400, { error: 'bad_request', reason });
export const notAuthorised = (reason: string) => new MgmtHttpError(401, { error: 'not_authorised', reason });
export const loginFailed = () => new MgmtHttpError(401, { error: 'not_authorized', reason: 'Login failed' });

export function sendError(reply: FastifyReply, err: MgmtHttpError): FastifyReply {
  // rabbit_mgmt_util sends the Basic challenge with every 401, which makes browsers ask.
  if (err.status === 401) void reply.header('www-authenticate', 'Basic realm="RabbitMQ Management"');
  return reply.code(err.status).send(err.body);
}
