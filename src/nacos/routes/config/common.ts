import type { FastifyRequest } from 'fastify';
import type { NacosAction, NacosContext } from '../../context.js';
import type { Params } from '../../params.js';

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

/** Spring @RequestParam: absent → 400; present but empty is a value (validated later). */
export function present(params: Params, name: string): string {
  const v = params.raw(name);
  if (v === undefined) params.required(name);
  return v ?? '';
}
