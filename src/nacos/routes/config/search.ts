import type { ConfigItem } from '../../model/config/types.js';
import { ConfigParamError } from '../../config/param-check.js';

export interface SearchQuery {
  mode: 'accurate' | 'blur';
  dataId: string;
  group: string;
  tenant: string;
  appName?: string | undefined;
  configTags?: string | undefined;
  types?: string | undefined;
  content?: string | undefined;
}

/**
 * Nacos findConfigInfo4Page (accurate: blank fields match all, others exactly) and
 * findConfigInfoLike4Page (blur: `*` is a wildcard, used with SQL LIKE — so `_` also matches any
 * one character and `%` any run, as in the database).
 */
export function searchConfigs(configs: Iterable<ConfigItem>, q: SearchQuery): ConfigItem[] {
  const match = q.mode === 'accurate' ? exact : like;
  const dataId = q.dataId.trim() ? match(q.dataId) : null;
  const group = q.group.trim() ? match(q.group) : null;
  const content = q.content?.trim() ? like(`*${q.content}*`) : null;
  const tags = q.configTags?.trim() ? new Set(q.configTags.split(',').map((t) => t.trim())) : null;
  const types = q.types?.trim() ? new Set(q.types.split(',')) : null;
  const out: ConfigItem[] = [];
  for (const c of configs) {
    if (c.tenant !== q.tenant) continue;
    if (dataId && !dataId(c.dataId)) continue;
    if (group && !group(c.group)) continue;
    if (q.appName && c.appName !== q.appName) continue;
    if (content && !content(c.content)) continue;
    if (types && !types.has(c.type)) continue;
    if (tags && !(c.configTags ?? '').split(',').some((t) => tags.has(t.trim()))) continue;
    out.push(c);
  }
  return out;
}

function exact(value: string): (s: string) => boolean {
  return (s) => s === value;
}

function like(pattern: string): (s: string) => boolean {
  const sql = pattern.replace(/\*/g, '%');
  const source = [...sql].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  const re = new RegExp(`^${source}$`, 's');
  return (s) => re.test(s);
}

/** PaginationHelper: pageNo and pageSize must be positive. */
export function checkPaging(pageNo: number, pageSize: number): void {
  if (pageNo <= 0 || pageSize <= 0) throw new ConfigParamError('pageNo and pageSize must be greater than zero');
}
