import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ConfigService } from '../../config/config-service.js';
import { ConfigParamError, checkConfigParams, checkTag, checkTenant, normalizeTenant } from '../../config/param-check.js';
import type { NacosContext } from '../../context.js';
import { ErrorCode } from '../../errors.js';
import { Params } from '../../params.js';
import type { ConfigItem } from '../../model/config/types.js';
import { TIMED_BY_HANDLER } from '../../../core/http/route-metrics.js';
import { preparedAnswer, sendPrepared, type PreparedAnswer } from '../prepared-reply.js';
import { checkConfig, remoteIp, V1_CONFIGS } from './common.js';
import { checkPaging, searchConfigs } from './search.js';
import { configAllInfoView, configInfoView, page } from './views.js';

/** Spring @RequestParam: absent → 400; present but empty is a value (validated later). */
export function present(params: Params, name: string): string {
  const v = params.raw(name);
  if (v === undefined) params.required(name);
  return v ?? '';
}

/** Gray (beta / tag) configs are not modelled: refuse rather than overwrite the formal config. */
export function refuseGray(tag: string | undefined, betaIps: unknown): void {
  if ((tag && tag.trim()) || (typeof betaIps === 'string' && betaIps.trim())) {
    throw new ConfigParamError('gray (tag/beta) configs are not supported by Junction', 501, ErrorCode.SERVER_ERROR);
  }
}


/** /nacos/v1/cs/configs: publish, get (raw, show=all, search), delete (ConfigController). */
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

  // The answer to a get of each stored version of a config: a publish or remove replaces the
  // ConfigItem (apply never mutates one), so an entry cannot outlive its content.
  const answers = new WeakMap<ConfigItem, PreparedAnswer>();
  const answerOf = (item: ConfigItem) => {
    let answer = answers.get(item);
    if (!answer) answers.set(item, (answer = preparedAnswer(service.headersOf(item), item.content)));
    return answer;
  };

  // Not async: with auth off (the guard would pass) a get is answered without a trip through
  // the microtask queue; with auth on the check runs first, as always.
  app.get(V1_CONFIGS, { config: TIMED_BY_HANDLER }, (req, reply) => {
    const p = new Params(req);
    const search = p.optional('search');
    if (search === 'accurate' || search === 'blur') return searchPage(ctx, req, p, search);
    const dataId = present(p, 'dataId');
    const group = present(p, 'group');
    const rawTenant = p.optional('tenant') ?? '';
    checkTenant(rawTenant);
    const tenant = normalizeTenant(rawTenant);
    checkConfigParams(dataId, group, 'content', Number.MAX_SAFE_INTEGER);
    checkTag(p.optional('tag'));
    const answer = () => {
      const item = service.get(tenant, group, dataId);
      if (p.optional('show') === 'all') {
        return reply.type('application/json').send(item ? JSON.stringify(configAllInfoView(item)) : '');
      }
      if (!item) return reply.code(404).type('text/plain;charset=UTF-8').send('config data not exist\n');
      return sendPrepared(reply, 200, answerOf(item));
    };
    if (!ctx.guard.enforcing) return answer();
    return checkConfig(ctx, req, tenant, group, dataId, 'r').then(answer);
  });

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

async function searchPage(ctx: NacosContext, req: FastifyRequest, p: Params, mode: 'accurate' | 'blur') {
  const dataId = present(p, 'dataId');
  const group = present(p, 'group');
  const pageNo = p.int('pageNo', NaN);
  const pageSize = p.int('pageSize', NaN);
  if (Number.isNaN(pageNo)) p.required('pageNo');
  if (Number.isNaN(pageSize)) p.required('pageSize');
  checkPaging(pageNo, pageSize);
  const tenant = normalizeTenant(p.optional('tenant'));
  await checkConfig(ctx, req, tenant, group, dataId, 'r');
  const found = searchConfigs(ctx.store.state.config.configs.values(), {
    mode, dataId, group, tenant, appName: p.optional('appName'), configTags: p.optional('config_tags'),
    types: p.optional('types'),
  });
  return page(found, pageNo, pageSize, configInfoView);
}
