/**
 * Config-center records, named after Nacos's tables: config_info (ConfigItem), his_config_info
 * (HistoryEntry) and tenant_info (NamespaceRecord). Times are epoch milliseconds carried in the
 * commands (apply never reads the clock).
 */

/** One config_info row. `tenant` is '' for the public namespace (Nacos 2.x default namespace id). */
export interface ConfigItem {
  /** config_info.id: assigned by apply from a counter, stable across restarts. */
  id: number;
  dataId: string;
  group: string;
  tenant: string;
  content: string;
  /** MD5 hex of the UTF-8 content, computed once by the route (Nacos MD5Utils.md5Hex). */
  md5: string;
  type: string;
  appName: string;
  desc: string | null;
  use: string | null;
  effect: string | null;
  schema: string | null;
  configTags: string | null;
  encryptedDataKey: string;
  createTime: number;
  modifyTime: number;
  createUser: string | null;
  createIp: string;
}

/** Nacos op_type values in his_config_info. */
export type HistoryOpType = 'I' | 'U' | 'D';

/** One his_config_info row: for U and D it holds the content *before* the change, as Nacos does. */
export interface HistoryEntry {
  /** his_config_info.nid, strictly increasing. */
  nid: number;
  /** config_info.id of the config the entry belongs to (used by /history/previous). */
  id: number;
  dataId: string;
  group: string;
  tenant: string;
  appName: string;
  content: string;
  md5: string;
  srcIp: string;
  srcUser: string | null;
  opType: HistoryOpType;
  encryptedDataKey: string;
  createdTime: number;
  lastModifiedTime: number;
}

/** One tenant_info row (a custom namespace; the public namespace is implicit). */
export interface NamespaceRecord {
  namespaceId: string;
  name: string;
  desc: string | null;
  createTime: number;
}

/** Nacos keeps config history 30 days (nacos.config.retention.days default 30). */
export const HISTORY_RETENTION_MS = 30 * 24 * 3600 * 1000;
/** Our extra bound so one hot config cannot grow the snapshot without limit. */
export const HISTORY_MAX_PER_CONFIG = 1000;

/** The identity of a config: tenant, group, dataId joined by a byte that the validators forbid. */
export function configKey(tenant: string, group: string, dataId: string): string {
  // join builds one flat string; a template literal builds a rope that every Map lookup with it
  // first flattens (twice: to hash it and to compare it), ~1k instructions per config get.
  return [tenant, group, dataId].join('\u0002');
}
