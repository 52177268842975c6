import type { FastifyInstance } from 'fastify';
import type { ConfigService } from '../../config/config-service.js';
import { ConfigParamError, checkConfigParams, checkTag, checkTenant, javaTrim, normalizeTenant } from '../../config/param-check.js';
import type { NacosContext } from '../../context.js';
import { ErrorCode, v2Success } from '../../errors.js';
import { Params } from '../../params.js';
import { checkConfig, remoteIp } from './common.js';
import { present } from './common.js';
import { refuseGray } from './configs-v1.js';

const V2_CONFIG = '/nacos/v2/cs/config';

/** ConfigForm.validate: blank dataId, group or content is a missing parameter (PARAMETER_MISSING). */
function formValue(p: Params, name: string): string {
  const v = p.raw(name);
  if (v === undefined || javaTrim(v) === '') {
    throw new ConfigParamError(`Required parameter '${name}' type String is not present`, 400, ErrorCode.PARAMETER_MISSING);
  }
  return v;
}

/** /nacos/v2/cs/config (Nacos ConfigControllerV2): the namespace is `namespaceId`. */
export function registerConfigV2Routes(app: FastifyInstance, ctx: NacosContext, service: ConfigService): void {
  app.get(V2_CONFIG, async (req, reply) => {
    const p = new Params(req);
    const dataId = present(p, 'dataId');
    const group = present(p, 'group');
    checkTenant(p.optional('namespaceId'), true);
    const tenant = normalizeTenant(p.optional('namespaceId'));
    checkConfigParams(dataId, group, 'content', Number.MAX_SAFE_INTEGER);
    checkTag(p.optional('tag'));
    await checkConfig(ctx, req, tenant, group, dataId, 'r');
    const item = service.get(tenant, group, dataId);
    if (!item) {
      // ConfigServletInner.get404Result: println(Result.failure(RESOURCE_NOT_FOUND, …)), so a trailing newline.
      const { code, message } = ErrorCode.RESOURCE_NOT_FOUND;
      return reply.code(404).type('application/json').send(`${JSON.stringify({ code, message, data: 'config data not exist' })}\n`);
    }
    // The same headers as v1 but for content-type: v2 answers the JSON envelope.
    const headers = service.headersOf(item);
    for (let i = 0; i < headers.length; i += 2) if (headers[i] !== 'content-type') reply.header(headers[i]!, headers[i + 1]);
    return reply.type('application/json').send(JSON.stringify(v2Success(item.content)));
  });

  app.post(V2_CONFIG, async (req) => {
    const p = new Params(req);
    const dataId = formValue(p, 'dataId');
    const group = formValue(p, 'group');
    const content = formValue(p, 'content');
    const tenant = normalizeTenant(p.optional('namespaceId'));
    checkTenant(tenant, true);
    checkConfigParams(dataId, group, content, ctx.settings.maxContentBytes);
    checkTag(p.optional('tag'));
    refuseGray(p.optional('tag'), req.headers.betaips);
    await checkConfig(ctx, req, tenant, group, dataId, 'w');
    await service.publish({
      dataId, group, tenant, content, type: p.optional('type'), appName: p.optional('appName'),
      desc: p.optional('desc'), use: p.optional('use'), effect: p.optional('effect'), schema: p.optional('schema'),
      configTags: p.optional('configTags'), encryptedDataKey: p.optional('encryptedDataKey'), srcIp: remoteIp(req),
      srcUser: p.optional('srcUser') ?? null, casMd5: typeof req.headers.casmd5 === 'string' ? req.headers.casmd5 : undefined,
    });
    return v2Success(true);
  });

  app.delete(V2_CONFIG, async (req) => {
    const p = new Params(req);
    const dataId = present(p, 'dataId');
    const group = present(p, 'group');
    const tenant = normalizeTenant(p.optional('namespaceId'));
    checkTenant(tenant, true);
    checkConfigParams(dataId, group, 'rm', Number.MAX_SAFE_INTEGER);
    checkTag(p.optional('tag'));
    refuseGray(p.optional('tag'), undefined);
    await checkConfig(ctx, req, tenant, group, dataId, 'w');
    await service.remove(tenant, group, dataId, remoteIp(req), null);
    return v2Success(true);
  });
}
