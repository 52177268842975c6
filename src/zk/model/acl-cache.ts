import type { ACL } from '../codec/types.js';

/**
 * ReferenceCountedACLCache: every distinct ACL list is stored once and znodes hold its id, so a
 * million znodes sharing one ACL cost one list (and the snapshot writes it once). Id -1 is
 * OPEN_ACL_UNSAFE (world:anyone, ALL), which ZooKeeper also keeps outside the counted table.
 */
export interface AclCache {
  lists: Map<number, ACL[]>;
  byKey: Map<string, number>;
  refs: Map<number, number>;
  nextId: number;
}

export const OPEN_ACL_ID = -1;
const OPEN_ACL: readonly ACL[] = Object.freeze([{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
/** ZooDefs.Ids.READ_ACL_UNSAFE, the ACL of /zookeeper/config (ZOOKEEPER-2014). */
export const READ_ACL_UNSAFE: ACL[] = [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }];

export function newAclCache(): AclCache {
  return { lists: new Map(), byKey: new Map(), refs: new Map(), nextId: 0 };
}

function isOpenAcl(acl: readonly ACL[]): boolean {
  if (acl.length !== 1) return false;
  const a = acl[0]!;
  return a.perms === 31 && a.id.scheme === 'world' && a.id.id === 'anyone';
}

export function aclKey(acl: readonly ACL[]): string {
  let key = '';
  for (const a of acl) key += `${a.perms}\u0000${a.id.scheme}\u0000${a.id.id}\u0001`;
  return key;
}

/** convertAcls: the id of this list, counting one more reference to it. */
export function aclRef(cache: AclCache, acl: readonly ACL[]): number {
  if (isOpenAcl(acl)) return OPEN_ACL_ID;
  const key = aclKey(acl);
  let id = cache.byKey.get(key);
  if (id === undefined) {
    id = cache.nextId++;
    cache.byKey.set(key, id);
    cache.lists.set(id, acl.map((a) => ({ perms: a.perms, id: { scheme: a.id.scheme, id: a.id.id } })));
    cache.refs.set(id, 0);
  }
  cache.refs.set(id, cache.refs.get(id)! + 1);
  return id;
}

/** removeUsage: one reference fewer; the list goes when nothing refers to it. */
export function aclUnref(cache: AclCache, id: number): void {
  if (id === OPEN_ACL_ID) return;
  const n = (cache.refs.get(id) ?? 0) - 1;
  if (n > 0) { cache.refs.set(id, n); return; }
  const acl = cache.lists.get(id);
  if (acl) cache.byKey.delete(aclKey(acl));
  cache.lists.delete(id);
  cache.refs.delete(id);
}

/** convertLong: the list behind an id. Callers must not mutate it. */
export function aclOf(cache: AclCache, id: number): readonly ACL[] {
  if (id === OPEN_ACL_ID) return OPEN_ACL;
  return cache.lists.get(id) ?? OPEN_ACL;
}
