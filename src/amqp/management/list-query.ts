import { badRequest } from './errors.js';

/**
 * rabbit_mgmt_util's list handling as the web UI uses it: `name` (+ `use_regex`) filters on the
 * name, `sort`/`sort_reverse` order by a (dotted) column, `columns` prunes each item, and
 * `page`/`page_size` turn the array into a page object.
 */

type Json = Record<string, unknown>;
export type Query = Record<string, string | undefined>;

const MAX_PAGE_SIZE = 500;
const DEFAULT_PAGE_SIZE = 100;

function valueAt(item: Json, path: string): unknown {
  let value: unknown = item;
  for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Json)[key] : undefined;
  return value;
}

function compare(a: unknown, b: unknown): number {
  // Erlang term order, as far as it matters here: numbers < atoms/strings; undefined (absent) first.
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return String(a) < String(b) ? -1 : 1;
}

function sortItems(items: Json[], query: Query, defaultSort: readonly string[]): Json[] {
  const keys = query.sort ? [query.sort] : defaultSort;
  const sorted = [...items].sort((x, y) => {
    for (const key of keys) {
      const c = compare(valueAt(x, key), valueAt(y, key));
      if (c !== 0) return c;
    }
    return 0;
  });
  return query.sort_reverse === 'true' ? sorted.reverse() : sorted;
}

function filterItems(items: Json[], query: Query): Json[] {
  const name = query.name;
  if (name === undefined || name === '') return items;
  if (query.use_regex === 'true') {
    let re: RegExp;
    try { re = new RegExp(name, 'i'); } catch { throw badRequest(`invalid regex ${JSON.stringify(name)}`); }
    return items.filter((i) => re.test(String(i.name ?? '')));
  }
  const needle = name.toLowerCase();
  return items.filter((i) => String(i.name ?? '').toLowerCase().includes(needle));
}

/** Keep only the listed dotted paths (rabbit_mgmt_util:columns). */
export function pruneColumns(item: Json, columns: string | undefined): Json {
  if (!columns) return item;
  const out: Json = {};
  for (const path of columns.split(',')) {
    const keys = path.split('.');
    let src: unknown = item;
    let dst = out;
    keys.forEach((key, i) => {
      if (src === null || typeof src !== 'object' || !(key in (src as Json))) { src = undefined; return; }
      src = (src as Json)[key];
      if (i === keys.length - 1) dst[key] = src;
      else dst = (dst[key] ??= {}) as Json;
    });
  }
  return out;
}

function positiveInt(text: string | undefined, what: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`${what} must be a positive integer`);
  return n;
}

/** The array or the page object a list route answers. */
export function listAnswer(items: Json[], query: Query, defaultSort: readonly string[] = ['vhost', 'name']): unknown {
  const total = items.length;
  const filtered = filterItems(items, query);
  const sorted = sortItems(filtered, query, defaultSort).map((i) => pruneColumns(i, query.columns));
  if (query.page === undefined) return sorted;
  const page = positiveInt(query.page, 'page', 1);
  const pageSize = positiveInt(query.page_size, 'page_size', DEFAULT_PAGE_SIZE);
  if (pageSize > MAX_PAGE_SIZE) throw badRequest(`page_size must be no greater than ${MAX_PAGE_SIZE}`);
  const pageCount = Math.ceil(sorted.length / pageSize);
  if (page > Math.max(pageCount, 1)) throw badRequest(`page number ${page} is greater than page count ${pageCount}`);
  const pageItems = sorted.slice((page - 1) * pageSize, page * pageSize);
  return {
    filtered_count: filtered.length, item_count: pageItems.length, items: pageItems,
    page, page_count: pageCount, page_size: pageSize, total_count: total,
  };
}
