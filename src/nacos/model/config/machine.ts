import type { StateMachine } from '../../../core/state/state-machine.js';
import type {
  ConfigCommand, ConfigPublishCommand, ConfigRemoveCommand, NamespaceResult, PublishResult, RemoveResult,
} from './commands.js';
import { HistoryLog } from './history.js';
import { configKey, type ConfigItem, type NamespaceRecord } from './types.js';

export type { ConfigCommand } from './commands.js';

/**
 * The Nacos config center: configs by (tenant, group, dataId), their history, and the custom
 * namespaces. All maps give O(1) lookups; `countByTenant` keeps the console's configCount O(1).
 */
export interface ConfigState {
  configs: Map<string, ConfigItem>;
  countByTenant: Map<string, number>;
  history: HistoryLog;
  namespaces: Map<string, NamespaceRecord>;
  nextConfigId: number;
}

interface ConfigImage {
  configs: ConfigItem[];
  history: unknown;
  namespaces: NamespaceRecord[];
  nextConfigId: number;
}

function emptyState(): ConfigState {
  return { configs: new Map(), countByTenant: new Map(), history: new HistoryLog(), namespaces: new Map(), nextConfigId: 1 };
}

function addCount(state: ConfigState, tenant: string, delta: number): void {
  const n = (state.countByTenant.get(tenant) ?? 0) + delta;
  if (n <= 0) state.countByTenant.delete(tenant); else state.countByTenant.set(tenant, n);
}

function publish(state: ConfigState, cmd: ConfigPublishCommand): PublishResult {
  const key = configKey(cmd.tenant, cmd.group, cmd.dataId);
  const old = state.configs.get(key);
  // Nacos insertOrUpdateCas: the update only happens while the stored md5 equals casMd5.
  if (cmd.casMd5 !== null && old && old.md5 !== cmd.casMd5) return { ok: false, reason: 'cas-mismatch' };
  const item: ConfigItem = {
    id: old ? old.id : state.nextConfigId++,
    dataId: cmd.dataId, group: cmd.group, tenant: cmd.tenant, content: cmd.content, md5: cmd.md5,
    type: cmd.configType, appName: cmd.appName, desc: cmd.desc, use: cmd.use, effect: cmd.effect,
    schema: cmd.schema, configTags: cmd.configTags, encryptedDataKey: cmd.encryptedDataKey,
    createTime: old ? old.createTime : cmd.time, modifyTime: cmd.time,
    createUser: old ? old.createUser : cmd.srcUser, createIp: old ? old.createIp : cmd.srcIp,
  };
  state.configs.set(key, item);
  if (!old) addCount(state, cmd.tenant, 1);
  // Nacos writes the new content for an insert and the replaced content for an update.
  state.history.record(old ?? item, old ? 'U' : 'I', cmd.srcIp, cmd.srcUser, cmd.time);
  return { ok: true, opType: old ? 'U' : 'I', md5Changed: !old || old.md5 !== cmd.md5 };
}

function remove(state: ConfigState, cmd: ConfigRemoveCommand): RemoveResult {
  const key = configKey(cmd.tenant, cmd.group, cmd.dataId);
  const old = state.configs.get(key);
  if (!old) return { ok: true, existed: false };
  state.configs.delete(key);
  addCount(state, cmd.tenant, -1);
  state.history.record(old, 'D', cmd.srcIp, cmd.srcUser, cmd.time);
  return { ok: true, existed: true };
}

function applyNamespace(state: ConfigState, cmd: ConfigCommand): NamespaceResult {
  switch (cmd.type) {
    case 'namespace.create':
      if (state.namespaces.has(cmd.namespaceId)) return { ok: false, reason: 'exists' };
      state.namespaces.set(cmd.namespaceId, { namespaceId: cmd.namespaceId, name: cmd.name, desc: cmd.desc, createTime: cmd.time });
      return { ok: true };
    case 'namespace.update': {
      const ns = state.namespaces.get(cmd.namespaceId);
      if (!ns) return { ok: false, reason: 'not-found' };
      ns.name = cmd.name;
      ns.desc = cmd.desc;
      return { ok: true };
    }
    case 'namespace.remove':
      // Nacos removes only the tenant_info row; the namespace's configs stay.
      return state.namespaces.delete(cmd.namespaceId) ? { ok: true } : { ok: false, reason: 'not-found' };
    default:
      return { ok: false, reason: 'not-found' };
  }
}

export const configMachine: StateMachine<ConfigState, ConfigCommand> = {
  initial: emptyState,
  apply(state, command) {
    switch (command.type) {
      case 'config.publish': return publish(state, command);
      case 'config.remove': return remove(state, command);
      default: return applyNamespace(state, command);
    }
  },
  snapshot(state): ConfigImage {
    return {
      configs: [...state.configs.values()],
      history: state.history.toJSON(),
      namespaces: [...state.namespaces.values()],
      nextConfigId: state.nextConfigId,
    };
  },
  restore(image) {
    const state = emptyState();
    const img = image as Partial<ConfigImage> | undefined;
    if (!img || !Array.isArray(img.configs)) return state;
    for (const c of img.configs) {
      state.configs.set(configKey(c.tenant, c.group, c.dataId), c);
      addCount(state, c.tenant, 1);
    }
    for (const ns of img.namespaces ?? []) state.namespaces.set(ns.namespaceId, ns);
    state.history = HistoryLog.fromJSON(img.history);
    state.nextConfigId = img.nextConfigId ?? 1;
    return state;
  },
};
