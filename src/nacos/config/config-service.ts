import { createHash } from 'node:crypto';
import type { NacosContext } from '../context.js';
import type {
  ConfigPublishCommand, ConfigRemoveCommand, PublishResult, RemoveResult,
} from '../model/config/commands.js';
import { configKey, type ConfigItem } from '../model/config/types.js';
import { ErrorCode } from '../errors.js';
import { ConfigParamError, checkAdvanceInfo, checkConfigParams, contentTypeFor, normalizeConfigType } from './param-check.js';
import { LongPollingService } from './long-polling.js';

/** Nacos MD5Utils.md5Hex(content, "UTF-8"). */
export function md5Hex(content: string): string {
  return createHash('md5').update(content, 'utf8').digest('hex');
}

export interface PublishInput {
  dataId: string | undefined;
  group: string | undefined;
  tenant: string;
  content: string;
  type?: string | undefined;
  appName?: string | undefined;
  desc?: string | undefined;
  use?: string | undefined;
  effect?: string | undefined;
  schema?: string | undefined;
  configTags?: string | undefined;
  encryptedDataKey?: string | undefined;
  srcIp: string;
  srcUser: string | null;
  casMd5?: string | undefined;
}

/** Response headers of a found config as a flat [name, value, …] list of lower-case names, in
 *  the order ConfigServletInner sets them, then content-type (FileTypeEnum of its type). */
export type ConfigHeaders = readonly string[];

/**
 * The config center's operations shared by the v1 and v2 routes: validate as Nacos does, hash
 * once, submit a durable command, and wake long-poll listeners when a config's md5 changes.
 */
export class ConfigService {
  readonly longPolling: LongPollingService;
  /** Headers per stored version of a config. A publish or remove replaces the ConfigItem (apply
   *  never mutates one), so an entry cannot outlive the content it describes; it is collected
   *  with its item. */
  private readonly headers = new WeakMap<ConfigItem, ConfigHeaders>();
  private readonly publishes;
  private readonly notifies;

  constructor(private readonly ctx: NacosContext) {
    this.longPolling = new LongPollingService(ctx.clock);
    const m = ctx.metrics;
    this.publishes = m.counter('config_publish_total', 'Config publish and delete operations', ['op']);
    this.notifies = m.counter('config_notify_total', 'Long-poll listeners answered because a config changed');
    m.gauge('config_count', 'Configs stored', [], (g) => g.set(ctx.store.state.config.configs.size));
    m.gauge('config_long_polling_listeners', 'Held long-poll config listeners', [], (g) => g.set(this.longPolling.size));
    ctx.store.onApply((cmd, result) => {
      if (cmd.type === 'config.publish' && (result as PublishResult).ok && (result as { md5Changed: boolean }).md5Changed) {
        this.notifies.inc(this.longPolling.configChanged(cmd));
      } else if (cmd.type === 'config.remove' && (result as RemoveResult).existed) {
        this.notifies.inc(this.longPolling.configChanged(cmd));
      }
    });
  }

  get(tenant: string, group: string, dataId: string): ConfigItem | undefined {
    return this.ctx.store.state.config.configs.get(configKey(tenant, group, dataId));
  }

  /** ConfigServletInner's headers of a found config (Last-Modified formatted once per version). */
  headersOf(item: ConfigItem): ConfigHeaders {
    let headers = this.headers.get(item);
    if (!headers) {
      headers = [
        'config-type', item.type, 'content-md5', item.md5, 'pragma', 'no-cache', 'expires', 'Thu, 01 Jan 1970 00:00:00 GMT',
        'cache-control', 'no-cache,no-store', 'last-modified', new Date(item.modifyTime).toUTCString(),
        'content-type', contentTypeFor(item.type),
      ];
      this.headers.set(item, headers);
    }
    return headers;
  }

  /** The md5 a listener is compared with: '' for a missing config (Nacos ConfigCacheService). */
  currentMd5(tenant: string, group: string, dataId: string): string {
    return this.get(tenant, group, dataId)?.md5 ?? '';
  }

  async publish(input: PublishInput): Promise<void> {
    checkConfigParams(input.dataId, input.group, input.content, this.ctx.settings.maxContentBytes);
    checkAdvanceInfo(input);
    const cmd: ConfigPublishCommand = {
      type: 'config.publish', dataId: input.dataId!, group: input.group!, tenant: input.tenant,
      content: input.content, md5: md5Hex(input.content), configType: normalizeConfigType(input.type),
      appName: input.appName ?? '', desc: input.desc ?? null, use: input.use ?? null, effect: input.effect ?? null,
      schema: input.schema ?? null, configTags: input.configTags ?? null, encryptedDataKey: input.encryptedDataKey ?? '',
      srcIp: input.srcIp, srcUser: input.srcUser, casMd5: input.casMd5 ?? null, time: this.ctx.clock.now(),
    };
    const result = await this.ctx.store.submit<PublishResult>(cmd);
    if (!result.ok) {
      // Nacos ConfigOperationService: NacosApiException(500, RESOURCE_CONFLICT, …)
      throw new ConfigParamError('Cas publish fail, server md5 may have changed.', 500, ErrorCode.RESOURCE_CONFLICT);
    }
    this.publishes.inc({ op: result.opType === 'I' ? 'insert' : 'update' });
  }

  async remove(tenant: string, group: string, dataId: string, srcIp: string, srcUser: string | null): Promise<void> {
    const cmd: ConfigRemoveCommand = { type: 'config.remove', dataId, group, tenant, srcIp, srcUser, time: this.ctx.clock.now() };
    const result = await this.ctx.store.submit<RemoveResult>(cmd);
    if (result.existed) this.publishes.inc({ op: 'delete' });
  }
}
