import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ConfigParamError } from '../config/param-check.js';
import type { NacosContext } from '../context.js';
import { ErrorCode, v2Success } from '../errors.js';
import type { NamespaceResult } from '../model/config/commands.js';
import { Params } from '../params.js';
import { namespaceView } from './config/views.js';

/** Nacos NamespaceController patterns (Java `matches()`: the whole string). */
const NAMESPACE_ID = /^[A-Za-z0-9_-]+$/;
const NAMESPACE_NAME = /^[^@#$%^&*]+$/;
const NAMESPACE_ID_MAX_LENGTH = 128;

function illegal(detail: string): ConfigParamError {
  return new ConfigParamError(detail, 400, ErrorCode.ILLEGAL_NAMESPACE);
}

/**
 * Console namespaces (Nacos NamespaceController v1 and NamespaceControllerV2). The public
 * namespace (id '') is implicit and listed first; custom ones are durable `namespace.*` commands.
 * Writes need a global admin (Nacos: @Secured console/namespaces WRITE).
 */
export function registerNamespaceRoutes(app: FastifyInstance, ctx: NacosContext): void {
  const v1 = '/nacos/v1/console/namespaces';
  const v2 = '/nacos/v2/console/namespace';
  const state = () => ctx.store.state.config;
  const countOf = (tenant: string) => state().countByTenant.get(tenant) ?? 0;
  const all = () => [namespaceView(null, countOf('')), ...[...state().namespaces.values()].map((ns) => namespaceView(ns, countOf(ns.namespaceId)))];
  const one = (namespaceId: string) => {
    if (!namespaceId.trim()) return namespaceView(null, countOf(''));
    const ns = state().namespaces.get(namespaceId);
    if (!ns) throw new ConfigParamError(`namespaceId [ ${namespaceId} ] not exist`, 404, ErrorCode.NAMESPACE_NOT_EXIST);
    return namespaceView(ns, countOf(namespaceId));
  };
  const submit = (cmd: Parameters<typeof ctx.store.submit>[0]) => ctx.store.submit<NamespaceResult>(cmd);

  /** The checks both versions share; v1 answers `false` where v2 throws. */
  const create = async (req: FastifyRequest, rawId: string | undefined, name: string, desc: string | null): Promise<void> => {
    await ctx.guard.requireAdmin(req);
    let namespaceId = rawId?.trim() ?? '';
    if (!namespaceId) namespaceId = randomUUID();
    else {
      if (!NAMESPACE_ID.test(namespaceId)) throw illegal(`namespaceId [${namespaceId}] mismatch the pattern`);
      if (namespaceId.length > NAMESPACE_ID_MAX_LENGTH) throw illegal(`too long namespaceId, over ${NAMESPACE_ID_MAX_LENGTH}`);
      if (state().namespaces.has(namespaceId)) throw illegal(`the namespaceId is existed, namespaceId: ${rawId}`);
    }
    if (!NAMESPACE_NAME.test(name)) throw illegal(`namespaceName [${name}] contains illegal char`);
    const result = await submit({ type: 'namespace.create', namespaceId, name, desc, time: ctx.clock.now() });
    if (!result.ok) throw new ConfigParamError(`namespaceId [${namespaceId}] already exist`, 500, ErrorCode.NAMESPACE_ALREADY_EXIST);
  };
  const update = async (req: FastifyRequest, namespaceId: string, name: string, desc: string | null): Promise<void> => {
    await ctx.guard.requireAdmin(req);
    if (!NAMESPACE_NAME.test(name)) throw illegal(`namespaceName [${name}] contains illegal char`);
    // Nacos updates the tenant_info row if there is one and answers true either way.
    await submit({ type: 'namespace.update', namespaceId, name, desc });
  };
  const remove = async (req: FastifyRequest, namespaceId: string): Promise<void> => {
    await ctx.guard.requireAdmin(req);
    await submit({ type: 'namespace.remove', namespaceId });
  };
  /** v1 answers plain `true`/`false`: every validation failure is `false` (NamespaceController). */
  const v1Bool = async (op: () => Promise<void>) => {
    try { await op(); return true; } catch (err) {
      if (err instanceof ConfigParamError) return false;
      throw err;
    }
  };

  // Console errors (e.g. an unknown namespace) are answered by Nacos's NacosApiExceptionHandler.
  app.get(v1, async (req) => {
    const p = new Params(req);
    if (p.optional('show') === 'all') return one(p.raw('namespaceId') ?? p.required('namespaceId'));
    if (p.optional('checkNamespaceIdExist') === 'true') {
      const id = p.optional('customNamespaceId');
      return id ? state().namespaces.has(id) : false;
    }
    return { code: 200, message: null, data: all() };
  });
  app.post(v1, async (req) => {
    const p = new Params(req);
    const raw = p.all();
    if (raw['customNamespaceId'] === undefined) p.required('customNamespaceId');
    if (raw['namespaceName'] === undefined) p.required('namespaceName');
    return v1Bool(() => create(req, raw['customNamespaceId'], raw['namespaceName']!, p.optional('namespaceDesc') ?? null));
  });
  app.put(v1, async (req) => {
    const p = new Params(req);
    const namespace = p.required('namespace');
    const name = p.raw('namespaceShowName') ?? p.required('namespaceShowName');
    return v1Bool(() => update(req, namespace, name, p.optional('namespaceDesc') ?? null));
  });
  app.delete(v1, async (req) => {
    await remove(req, new Params(req).required('namespaceId'));
    return true;
  });

  app.get(`${v2}/list`, async () => v2Success(all()));
  app.get(v2, async (req) => v2Success(one(new Params(req).required('namespaceId'))));
  const formParam = (p: Params, name: string) => {
    const v = p.raw(name);
    if (v === undefined) throw new ConfigParamError(`required parameter '${name}' is missing`, 400, ErrorCode.PARAMETER_MISSING);
    return v;
  };
  app.post(v2, async (req) => {
    const p = new Params(req);
    await create(req, formParam(p, 'namespaceId'), formParam(p, 'namespaceName'), p.optional('namespaceDesc') ?? null);
    return v2Success(true);
  });
  app.put(v2, async (req) => {
    const p = new Params(req);
    await update(req, formParam(p, 'namespaceId'), formParam(p, 'namespaceName'), p.optional('namespaceDesc') ?? null);
    return v2Success(true);
  });
  app.delete(v2, async (req) => {
    await remove(req, new Params(req).required('namespaceId'));
    return v2Success(true);
  });
}
