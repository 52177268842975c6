import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TIMED_BY_HANDLER } from '../../../core/http/route-metrics.js';
import type { ConfigService } from '../../config/config-service.js';
import { checkConfigParams, checkTag, checkTenant, normalizeTenant } from '../../config/param-check.js';
import type { NacosContext } from '../../context.js';
import type { ConfigItem } from '../../model/config/types.js';
import { Params } from '../../params.js';
import { preparedAnswer, sendPrepared, type PreparedAnswer } from '../prepared-reply.js';
import { checkConfig, present, V1_CONFIGS } from './common.js';
import { checkPaging, searchConfigs } from './search.js';
import { configAllInfoView, configInfoView, page } from './views.js';

/**
 * GET /nacos/v1/cs/configs (ConfigController.getConfig → ConfigServletInner.doGetConfig): the raw
 * content with Nacos's headers, show=all, or a search page. Not async: with auth off (the guard
 * would pass) a get is answered without a trip through the microtask queue; with auth on the
 * check runs first.
 */
export function registerConfigGetRoute(app: FastifyInstance, ctx: NacosContext, service: ConfigService): void {
  // A publish or remove replaces the ConfigItem (apply never mutates one), so an entry cannot
  // outlive the version it describes; it is collected with it.
  const answers = new WeakMap<ConfigItem, PreparedAnswer>();
  const answerOf = (item: ConfigItem) => {
    let answer = answers.get(item);
    if (!answer) answers.set(item, (answer = preparedAnswer(service.headersOf(item), item.content)));
    return answer;
  };

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
