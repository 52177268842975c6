import { checkConfigParams, checkTag, checkTenant, normalizeTenant } from '../config/param-check.js';
import { refuseGray } from '../routes/config/configs-v1.js';
import { CONFIG_NOT_FOUND, RpcErrorCode } from './catalogue.js';
import { bool, type HandlerContext, RpcFailure, type RpcHandler, str } from './handler.js';

/** AbstractConfigRequest: dataId, group, tenant (normalised as the HTTP routes do). */
function target(body: Record<string, unknown>): { tenant: string; group: string; dataId: string } {
  const tenant = normalizeTenant(str(body, 'tenant'));
  checkTenant(tenant);
  return { tenant, group: str(body, 'group'), dataId: str(body, 'dataId') };
}

function configSecured(action: 'r' | 'w') {
  return (body: Record<string, unknown>) => ({
    action,
    resource: { namespaceId: normalizeTenant(str(body, 'tenant')), group: str(body, 'group'), kind: 'config' as const, name: str(body, 'dataId') },
  });
}

/** ConfigQueryRequestHandler → ConfigQueryResponse, or errorCode CONFIG_NOT_FOUND (300) "config data not exist". */
const configQuery: RpcHandler = {
  secured: configSecured('r'),
  async handle({ services, req }: HandlerContext) {
    const { tenant, group, dataId } = target(req.body);
    checkConfigParams(dataId, group, 'q', Number.MAX_SAFE_INTEGER);
    const tag = str(req.body, 'tag');
    checkTag(tag);
    // Junction keeps no tag (gray) configs: a query for a tag finds none, as Nacos's
    // SPECIAL_TAG_CONFIG_NOT_FOUND answers when no config of that tag exists.
    const item = tag.trim() ? undefined : services.configs.get(tenant, group, dataId);
    if (!item) throw new RpcFailure(CONFIG_NOT_FOUND, 'config data not exist');
    return {
      content: item.content, encryptedDataKey: item.encryptedDataKey, contentType: item.type, md5: item.md5,
      lastModified: item.modifyTime, tag: null, beta: false,
    };
  },
};

/** ConfigPublishRequestHandler: additionMap carries type, appName, src_user, desc, … ; casMd5 makes it a CAS. */
const configPublish: RpcHandler = {
  secured: configSecured('w'),
  async handle({ services, conn, req }: HandlerContext) {
    const { tenant, group, dataId } = target(req.body);
    const extra = (req.body.additionMap && typeof req.body.additionMap === 'object' ? req.body.additionMap : {}) as Record<string, unknown>;
    const opt = (k: string) => (extra[k] === undefined || extra[k] === null ? undefined : String(extra[k]));
    refuseGray(opt('tag'), opt('betaIps'));
    checkTag(opt('tag'));
    const casMd5 = str(req.body, 'casMd5');
    await services.configs.publish({
      dataId, group, tenant, content: str(req.body, 'content'), type: opt('type'), appName: opt('appName'),
      desc: opt('desc'), use: opt('use'), effect: opt('effect'), schema: opt('schema'), configTags: opt('config_tags'),
      encryptedDataKey: opt('encryptedDataKey'), srcIp: conn.meta?.clientIp || conn.remoteIp, srcUser: opt('src_user') ?? null,
      casMd5: casMd5.trim() ? casMd5 : undefined,
    });
    return {};
  },
};

/** ConfigRemoveRequestHandler. */
const configRemove: RpcHandler = {
  secured: configSecured('w'),
  async handle({ services, conn, req }: HandlerContext) {
    const { tenant, group, dataId } = target(req.body);
    checkConfigParams(dataId, group, 'rm', Number.MAX_SAFE_INTEGER);
    const tag = str(req.body, 'tag');
    checkTag(tag);
    refuseGray(tag, undefined);
    await services.configs.remove(tenant, group, dataId, conn.meta?.clientIp || conn.remoteIp, null);
    return {};
  },
};

/**
 * ConfigChangeBatchListenRequestHandler: listen=true registers each key for ConfigChangeNotifyRequest
 * pushes and answers the keys whose md5 differs from the client's (ConfigCacheService.isUptodate);
 * listen=false removes them.
 */
const batchListen: RpcHandler = {
  // ConfigGrpcResourceParser: a batch listen's namespace is its first context's tenant; group and
  // dataId are read from the request itself, where a batch has none.
  secured: (body) => {
    const first = Array.isArray(body.configListenContexts) ? body.configListenContexts[0] as Record<string, unknown> | undefined : undefined;
    const namespaceId = first && typeof first === 'object' ? normalizeTenant(str(first, 'tenant')) : '';
    return { action: 'r', resource: { namespaceId, group: '', kind: 'config', name: '' } };
  },
  async handle({ services, subscriptions, conn, req }: HandlerContext) {
    const listen = bool(req.body, 'listen', true);
    const contexts = Array.isArray(req.body.configListenContexts) ? req.body.configListenContexts : [];
    const changedConfigs: Array<{ group: string; dataId: string; tenant: string }> = [];
    for (const raw of contexts) {
      if (raw === null || typeof raw !== 'object') throw new RpcFailure(RpcErrorCode.INVALID_PARAM, 'invalid config listen context');
      const c = raw as Record<string, unknown>;
      const key = { tenant: normalizeTenant(str(c, 'tenant')), group: str(c, 'group'), dataId: str(c, 'dataId') };
      if (!listen) { subscriptions.unlisten(conn, key); continue; }
      subscriptions.listen(conn, key);
      if (services.configs.currentMd5(key.tenant, key.group, key.dataId) !== str(c, 'md5')) {
        changedConfigs.push({ group: key.group, dataId: key.dataId, tenant: str(c, 'tenant') });
      }
    }
    return { changedConfigs };
  },
};

export const CONFIG_HANDLERS: Readonly<Record<string, RpcHandler>> = {
  ConfigQueryRequest: configQuery,
  ConfigPublishRequest: configPublish,
  ConfigRemoveRequest: configRemove,
  ConfigBatchListenRequest: batchListen,
};
