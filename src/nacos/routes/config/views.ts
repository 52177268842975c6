import type { ConfigItem, HistoryEntry, NamespaceRecord } from '../../model/config/types.js';

/**
 * JSON shapes Nacos's Jackson serialisation gives its config models. Ids are strings
 * (`@JsonSerialize(using = ToStringSerializer.class)`); dates of history rows are ISO-8601 in UTC
 * (Spring Boot's Jackson default for java.sql.Timestamp).
 */

export interface Page<T> { totalCount: number; pageNumber: number; pagesAvailable: number; pageItems: T[] }

/** Nacos PaginationHelper.fetchPage over an in-memory list. */
export function page<T, R>(items: readonly T[], pageNo: number, pageSize: number, view: (t: T) => R): Page<R> {
  const totalCount = items.length;
  const pagesAvailable = Math.ceil(totalCount / pageSize);
  const from = (pageNo - 1) * pageSize;
  return { totalCount, pageNumber: pageNo, pagesAvailable, pageItems: items.slice(from, from + pageSize).map(view) };
}

/** ConfigInfo (search results). */
export function configInfoView(c: ConfigItem) {
  return {
    id: String(c.id), dataId: c.dataId, group: c.group, content: c.content, md5: c.md5,
    encryptedDataKey: c.encryptedDataKey, tenant: c.tenant, appName: c.appName, type: c.type,
  };
}

/** ConfigAllInfo (GET ?show=all and the v2 detail). */
export function configAllInfoView(c: ConfigItem) {
  return {
    ...configInfoView(c), createTime: c.createTime, modifyTime: c.modifyTime, createUser: c.createUser,
    createIp: c.createIp, desc: c.desc, use: c.use, effect: c.effect, schema: c.schema, configTags: c.configTags,
  };
}

/** ConfigInfoWrapper as /history/configs fills it (only data_id, group_id, tenant_id, app_name, type). */
export function configWrapperView(c: ConfigItem) {
  return {
    id: '0', dataId: c.dataId, group: c.group, content: null, md5: null, encryptedDataKey: null,
    tenant: c.tenant, appName: c.appName, type: c.type, lastModified: 0,
  };
}

/** Jackson StdDateFormat in UTC, e.g. 2024-05-04T16:00:00.000+00:00. */
export function jacksonDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

/** his_config_info.op_type is CHAR(10) in Nacos's embedded Derby schema, so it reads back padded. */
function opTypeColumn(op: string): string { return op.padEnd(10, ' '); }

/** ConfigHistoryInfo; the list query selects no content/md5, the detail query does. */
export function historyView(h: HistoryEntry, withContent: boolean) {
  return {
    id: String(h.nid), lastId: -1, dataId: h.dataId, group: h.group, tenant: h.tenant, appName: h.appName,
    md5: withContent ? h.md5 : null, content: withContent ? h.content : null, srcIp: h.srcIp, srcUser: h.srcUser,
    opType: opTypeColumn(h.opType), publishType: 'formal', grayName: '', extInfo: null,
    createdTime: jacksonDate(h.createdTime), lastModifiedTime: jacksonDate(h.lastModifiedTime),
    encryptedDataKey: withContent ? h.encryptedDataKey : null,
  };
}

/** ConfigHistoryInfoDetail (GET /v2/cs/history/detail): original and updated content of a change. */
export function historyDetailView(h: HistoryEntry, updated: { content: string; md5: string } | null) {
  const base = {
    id: h.nid, lastId: -1, dataId: h.dataId, group: h.group, tenant: h.tenant, opType: h.opType,
    publishType: 'formal', grayName: '', appName: h.appName, srcIp: h.srcIp, srcUser: h.srcUser,
    originalMd5: '', originalContent: '', originalEncryptedDataKey: '', originalExtInfo: '',
    updatedMd5: null as string | null, updatedContent: null as string | null, updatedEncryptedDataKey: null as string | null,
    updateExtInfo: null as string | null,
    createdTime: jacksonDate(h.createdTime), lastModifiedTime: jacksonDate(h.lastModifiedTime),
  };
  if (h.opType === 'I') return { ...base, updatedMd5: h.md5, updatedContent: h.content, updatedEncryptedDataKey: h.encryptedDataKey };
  const original = { ...base, originalMd5: h.md5, originalContent: h.content, originalEncryptedDataKey: h.encryptedDataKey };
  if (h.opType === 'D') return original;
  return { ...original, updatedMd5: updated?.md5 ?? null, updatedContent: updated?.content ?? null, updatedEncryptedDataKey: '' };
}

/** Namespace (console); type 0 = GLOBAL (public), 2 = CUSTOM; quota is Nacos's fixed 200. */
export function namespaceView(ns: NamespaceRecord | null, configCount: number) {
  if (!ns) return { namespace: '', namespaceShowName: 'public', namespaceDesc: 'Default Namespace', quota: 200, configCount, type: 0 };
  return { namespace: ns.namespaceId, namespaceShowName: ns.name, namespaceDesc: ns.desc, quota: 200, configCount, type: 2 };
}
