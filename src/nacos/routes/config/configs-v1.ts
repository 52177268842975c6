import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ConfigService } from '../../config/config-service.js';
import { ConfigParamError, checkConfigParams, checkTag, checkTenant, normalizeTenant } from '../../config/param-check.js';
import type { NacosContext } from '../../context.js';
import { ErrorCode } from '../../errors.js';
import { Params } from '../../params.js';
import { checkConfig, present, remoteIp, V1_CONFIGS } from './common.js';
import { registerConfigGetRoute } from './config-get.js';

/** Gray (beta / tag) configs are not modelled: refuse rather than overwrite the formal config. */
export function refuseGray(tag: string | undefined, betaIps: unknown): void {
  if ((tag && tag.trim()) || (typeof betaIps === 'string' && betaIps.trim())) {
    throw new ConfigParamError('gray (tag/beta) configs are not supported by Junction', 501, ErrorCode.SERVER_ERROR);
  }
}

/** /nacos/v1/cs/configs: publish, get (config-get.ts) and delete (ConfigController). */
export function registerConfigV1Routes(app: FastifyInstance, ctx: NacosContext, service: ConfigService): void {
  app.post(V1_CONFIGS, async (req, reply) => {
    const p = new Params(req);
    const dataId = present(p, 'dataId');
    const group = present(p, 'group');
    const content = present(p, 'content');
    const tenant = normalizeTenant(p.optional('tenant'));
    checkTenant(tenant);
    refuseGray(p.optional('tag'), req.headers.betaips);
    checkConfigParams(dataId, group, content, ctx.settings.maxContentBytes);
    checkTag(p.optional('tag'));
    await checkConfig(ctx, req, tenant, group, dataId, 'w');
    await service.publish({
      dataId, group, tenant, content, type: p.optional('type'), appName: p.optional('appName'),
      desc: p.optional('desc'), use: p.optional('use'), effect: p.optional('effect'), schema: p.optional('schema'),
      configTags: p.optional('config_tags'), encryptedDataKey: p.optional('encryptedDataKey'), srcIp: remoteIp(req),
      srcUser: p.optional('src_user') ?? null, casMd5: headerValue(req, 'casmd5'),
    });
    return reply.type('application/json').send('true');
  });

  registerConfigGetRoute(app, ctx, service);

  app.delete(V1_CONFIGS, async (req, reply) => {
    const p = new Params(req);
    const dataId = present(p, 'dataId');
    const group = present(p, 'group');
    const tenant = normalizeTenant(p.optional('tenant'));
    checkTenant(tenant);
    checkConfigParams(dataId, group, 'rm', Number.MAX_SAFE_INTEGER);
    checkTag(p.optional('tag'));
    refuseGray(p.optional('tag'), undefined);
    await checkConfig(ctx, req, tenant, group, dataId, 'w');
    await service.remove(tenant, group, dataId, remoteIp(req), p.optional('src_user') ?? null);
    return reply.type('application/json').send('true');
  });
}

function headerValue(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() ? s : undefined;
}
