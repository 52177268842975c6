import type { FastifyReply, FastifyRequest } from 'fastify';
import type { NacosAction, NacosContext } from '../../context.js';
import { NacosError } from '../../errors.js';

export const V1_CONFIGS = '/nacos/v1/cs/configs';

/** Nacos RequestUtil.getRemoteIp: X-Forwarded-For (first hop), X-Real-IP, then the peer. */
export function remoteIp(req: FastifyRequest): string {
  const xff = req.headers['x-forwarded-for'];
  const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
  if (first) return first;
  const real = req.headers['x-real-ip'];
  if (typeof real === 'string' && real) return real;
  return req.ip;
}

/** Check access to one config; the public namespace is named `public` in permissions. */
export function checkConfig(ctx: NacosContext, req: FastifyRequest, tenant: string, group: string, dataId: string, action: NacosAction): Promise<void> {
  return ctx.guard.check(req, { namespaceId: tenant || 'public', group, kind: 'config', name: dataId }, action);
}

/** Nacos v2 ErrorCode messages, used as the envelope's `message`. */
const V2_MESSAGES: Record<number, string> = {
  10000: 'parameter missing', 10001: 'access denied', 20001: "'tenant' parameter error",
  20002: 'parameter validate error', 20004: 'resource not found', 20005: 'resource conflict',
  22000: 'illegal namespace', 22001: 'namespace not exist', 22002: 'namespace already exist', 30000: 'server error',
};

/** The text of an error without v1's `caused: …;` wrapping. */
export function errorDetail(err: NacosError): string {
  const detail = (err as { detail?: unknown }).detail;
  if (typeof detail === 'string') return detail;
  const m = /^caused: (.*);$/s.exec(err.body);
  return m ? m[1]! : err.v2Message;
}

/** `{code: 0, message: 'success', data}` — Nacos Result.success. */
export function v2Success<T>(data: T): { code: number; message: string; data: T } {
  return { code: 0, message: 'success', data };
}

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * Nacos's NacosApiExceptionHandler answers v2 errors as {code, message: <ErrorCode text>,
 * data: <detail>}; auth failures keep the shared handler's form.
 */
export function v2Route(handler: Handler): Handler {
  return async (req, reply) => {
    try {
      return await handler(req, reply);
    } catch (err) {
      if (!(err instanceof NacosError) || err.status === 401 || err.status === 403) throw err;
      return reply.code(err.status).send({ code: err.v2Code, message: V2_MESSAGES[err.v2Code] ?? err.v2Message, data: errorDetail(err) });
    }
  };
}
