import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ConfigService } from '../../config/config-service.js';
import { ConfigParamError, JAVA_LONG, checkTenant, normalizeTenant } from '../../config/param-check.js';
import type { NacosContext } from '../../context.js';
import { ErrorCode, v2Success } from '../../errors.js';
import type { HistoryEntry } from '../../model/config/types.js';
import { Params } from '../../params.js';
import { checkConfig } from './common.js';
import { configWrapperView, historyDetailView, historyView, page } from './views.js';

/**
 * Config history (Nacos HistoryController v1, HistoryControllerV2 v2). v1 names the namespace
 * `tenant`, v2 `namespaceId`; v2 wraps answers in {code, message, data}.
 */
export function registerHistoryRoutes(app: FastifyInstance, ctx: NacosContext, service: ConfigService): void {
  const history = () => ctx.store.state.config.history;
  const v1 = '/nacos/v1/cs/history';
  const v2 = '/nacos/v2/cs/history';

  const list = async (req: FastifyRequest, nsParam: string) => {
    const { p, tenant, group, dataId } = await target(ctx, req, nsParam);
    const pageNo = p.int('pageNo', 1);
    const pageSize = Math.min(500, p.int('pageSize', 100));
    if (pageNo <= 0 || pageSize <= 0) throw new ConfigParamError('pageNo and pageSize must be greater than zero');
    const newestFirst = [...history().list(tenant, group, dataId)].reverse();
    return page(newestFirst, pageNo, pageSize, (h) => historyView(h, false));
  };
  const byNid = async (req: FastifyRequest, nsParam: string) => {
    const { p, tenant, group, dataId } = await target(ctx, req, nsParam);
    const nid = long(p, 'nid');
    return { nid, entry: owned(history().get(nid), tenant, group, dataId) };
  };
  const previous = async (req: FastifyRequest, nsParam: string) => {
    const { p, tenant, group, dataId } = await target(ctx, req, nsParam);
    const id = long(p, 'id');
    return { id, entry: owned(history().previous(id), tenant, group, dataId) };
  };
  const detail = async (req: FastifyRequest, nsParam: string) => {
    const { entry } = await byNid(req, nsParam);
    if (!entry) return null;
    const next = history().next(entry) ?? service.get(entry.tenant, entry.group, entry.dataId) ?? null;
    return historyDetailView(entry, next);
  };
  const configs = async (req: FastifyRequest, nsParam: string) => {
    const p = new Params(req);
    const raw = p.raw(nsParam);
    if (raw === undefined) p.required(nsParam);
    checkTenant(raw, nsParam === 'namespaceId');
    const tenant = normalizeTenant(raw);
    await ctx.guard.check(req, { namespaceId: tenant || 'public', group: '', kind: 'config', name: '' }, 'r');
    return [...ctx.store.state.config.configs.values()].filter((c) => c.tenant === tenant).map(configWrapperView);
  };

  const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));
  app.get(v1, async (req, reply) => {
    const search = new Params(req).optional('search');
    const body = search === 'accurate' ? await list(req, 'tenant') : (await byNid(req, 'tenant')).entry;
    const view = search === 'accurate' ? body : body ? historyView(body as HistoryEntry, true) : null;
    return reply.type('application/json').send(json(view));
  });
  app.get(`${v1}/detail`, async (req, reply) => reply.type('application/json').send(json(await detail(req, 'tenant'))));
  app.get(`${v1}/previous`, async (req, reply) => {
    const { entry } = await previous(req, 'tenant');
    return reply.type('application/json').send(json(entry ? historyView(entry, true) : null));
  });
  app.get(`${v1}/configs`, async (req) => configs(req, 'tenant'));

  app.get(`${v2}/list`, async (req) => v2Success(await list(req, 'namespaceId')));
  app.get(v2, async (req) => {
    const { nid, entry } = await byNid(req, 'namespaceId');
    if (!entry) throw new ConfigParamError(`certain config history for nid = ${nid} not exist`, 404, ErrorCode.RESOURCE_NOT_FOUND);
    return v2Success(historyView(entry, true));
  });
  app.get(`${v2}/detail`, async (req) => v2Success(await detail(req, 'namespaceId')));
  app.get(`${v2}/previous`, async (req) => {
    const { id, entry } = await previous(req, 'namespaceId');
    if (!entry) throw new ConfigParamError(`previous config history for id = ${id} not exist`, 404, ErrorCode.RESOURCE_NOT_FOUND);
    return v2Success(historyView(entry, true));
  });
  app.get(`${v2}/configs`, async (req) => v2Success(await configs(req, 'namespaceId')));
}

/** dataId and group are required request parameters of every history lookup. */
async function target(ctx: NacosContext, req: FastifyRequest, nsParam: string) {
  const p = new Params(req);
  const dataId = p.raw('dataId');
  const group = p.raw('group');
  if (dataId === undefined) p.required('dataId');
  if (group === undefined) p.required('group');
  const tenant = normalizeTenant(p.optional(nsParam));
  await checkConfig(ctx, req, tenant, group!, dataId!, 'r');
  return { p, tenant, group: group!, dataId: dataId! };
}

/** @RequestParam Long: absent → missing parameter; not a number → 400. */
function long(p: Params, name: string): number {
  const raw = p.raw(name);
  if (raw === undefined || raw === '') p.required(name);
  if (!JAVA_LONG.test(raw!)) throw new ConfigParamError(`Failed to convert value of type 'java.lang.String' to required type 'java.lang.Long'; For input string: "${raw}"`);
  return Number(raw);
}

/** Nacos HistoryService.checkHistoryInfoPermission: the entry must belong to the named config. */
function owned(entry: HistoryEntry | undefined, tenant: string, group: string, dataId: string): HistoryEntry | undefined {
  if (!entry) return undefined;
  if (entry.dataId !== dataId || entry.group !== group || entry.tenant !== tenant) {
    // HistoryService.checkHistoryInfoPermission throws AccessException: 403 ACCESS_DENIED.
    throw new ConfigParamError('Please check dataId, group or namespaceId.', 403, ErrorCode.ACCESS_DENIED);
  }
  return entry;
}
