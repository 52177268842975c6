/**
 * znode path rules (org.apache.zookeeper.common.PathUtils and the path helpers of
 * PrepRequestProcessor / DataTree).
 */

/** The nodes ZooKeeper itself owns; delete refuses them (DataTree.isSpecialPath). */
const SPECIAL_PATHS = new Set(['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config']);

export function isSpecialPath(path: string): boolean {
  return SPECIAL_PATHS.has(path);
}

/**
 * PathUtils.validatePath: absolute, no trailing '/', no empty segment, no '.' or '..' segment,
 * no NUL, control characters, surrogates, private-use or U+FFF0..U+FFFF characters. Java strings
 * are UTF-16 like JS strings, so charCodeAt sees the same code units (a character outside the BMP
 * is a surrogate pair and therefore invalid, as in ZooKeeper).
 */
export function validatePath(path: string): boolean {
  const n = path.length;
  if (n === 0 || path.charCodeAt(0) !== 0x2f) return false;
  if (n === 1) return true;
  if (path.charCodeAt(n - 1) === 0x2f) return false;
  let last = 0x2f;
  for (let i = 1; i < n; last = path.charCodeAt(i), i++) {
    const c = path.charCodeAt(i);
    if (c === 0) return false;
    if (c === 0x2f && last === 0x2f) return false;
    if (c === 0x2e && isDotSegment(path, i, last)) return false;
    if ((c > 0 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) return false;
  }
  return true;
}

/** '.' or '..' as a whole segment ("relative paths not allowed"). */
function isDotSegment(path: string, i: number, last: number): boolean {
  const endsSegment = i + 1 === path.length || path.charCodeAt(i + 1) === 0x2f;
  if (!endsSegment) return false;
  if (last === 0x2f) return true;
  return last === 0x2e && path.charCodeAt(i - 2) === 0x2f;
}

/**
 * DataTree keeps the root under both "" and "/"; a parent path computed as
 * path.substring(0, lastSlash) is "" for a top-level node. We store the root once, under "/".
 */
export function treeKey(path: string): string {
  return path === '' ? '/' : path;
}

/** path.substring(0, lastSlash) mapped to its tree key; the caller checked lastSlash >= 0. */
export function parentKey(path: string, lastSlash: number): string {
  return lastSlash === 0 ? '/' : path.slice(0, lastSlash);
}

/** PrepRequestProcessor.getParentPathAndValidate: null when the path has no '/', holds a NUL, or
 *  is one of ZooKeeper's own nodes (delete and deleteContainer answer BADARGUMENTS). */
export function parentForDelete(path: string): string | null {
  const lastSlash = path.lastIndexOf('/');
  if (lastSlash === -1 || path.includes('\0') || isSpecialPath(path)) return null;
  return parentKey(path, lastSlash);
}

/** String.format("%010d", n) for a Java int: zero-padded to 10 characters including the sign. */
export function sequenceSuffix(n: number): string {
  if (n >= 0) return String(n).padStart(10, '0');
  return '-' + String(-n).padStart(9, '0');
}
