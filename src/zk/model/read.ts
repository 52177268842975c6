import { Perms, type Id, type MultiOp, type MultiResult, type ZkRequest, type ZkResponse } from '../codec/types.js';
import { Err } from '../codec/errors.js';
import { aclOf } from './acl-cache.js';
import { checkACL, maskDigests } from './acl.js';
import { treeKey } from './paths.js';
import { statOf, type ZkState, type ZNode } from './state.js';
import type { SessionId } from './types.js';

export interface ReadResult { err: number; response?: ZkResponse }

/**
 * FinalRequestProcessor's read requests against the current tree. Reads look the path up as
 * given (DataTree's map also answers "" with the root) and do not validate it.
 */
export function executeRead(state: ZkState, req: ZkRequest, auth: readonly Id[], sessionId: SessionId): ReadResult {
  switch (req.type) {
    case 3: return exists(state, req.req.path);
    case 4: return getData(state, req.req.path, auth);
    case 8: return getChildren(state, req.req.path, auth, false);
    case 12: return getChildren(state, req.req.path, auth, true);
    case 6: return getACL(state, req.req.path, auth);
    case 9: return { err: Err.OK, response: { kind: 'path', path: req.req.path } };
    case 104: return getAllChildrenNumber(state, req.req.path, auth);
    case 103: return { err: Err.OK, response: { kind: 'ephemerals', ephemerals: ephemeralsByPrefix(state, sessionId, req.req.prefixPath) } };
    case 22: return multiRead(state, req.req.ops, auth);
    default: return { err: Err.UNIMPLEMENTED };
  }
}

function lookup(state: ZkState, path: string): ZNode | undefined {
  return state.nodes.get(treeKey(path));
}

/** The node if it exists and `perm` is granted, else the error code. */
function readable(state: ZkState, path: string, perm: number, auth: readonly Id[]): ZNode | number {
  const node = lookup(state, path);
  if (!node) return Err.NONODE;
  return checkACL(aclOf(state.acls, node.acl), perm, auth) ? node : Err.NOAUTH;
}

/** exists needs no permission ("TODO we need to figure out the security requirement"). */
function exists(state: ZkState, path: string): ReadResult {
  if (path.includes('\0')) return { err: Err.BADARGUMENTS };
  const node = lookup(state, path);
  return node ? { err: Err.OK, response: { kind: 'stat', stat: statOf(node) } } : { err: Err.NONODE };
}

function getData(state: ZkState, path: string, auth: readonly Id[]): ReadResult {
  const node = readable(state, path, Perms.READ, auth);
  if (typeof node === 'number') return { err: node };
  return { err: Err.OK, response: { kind: 'data', data: node.data, stat: statOf(node) } };
}

/** Children in insertion order (ZooKeeper returns its HashSet's order, which clients must not
 *  rely on). */
function getChildren(state: ZkState, path: string, auth: readonly Id[], withStat: boolean): ReadResult {
  const node = readable(state, path, Perms.READ, auth);
  if (typeof node === 'number') return { err: node };
  const children = node.children ? [...node.children] : [];
  return { err: Err.OK, response: withStat ? { kind: 'children2', children, stat: statOf(node) } : { kind: 'children', children } };
}

/** getACL needs READ or ADMIN; without ADMIN digest ids come back as "user:x". */
function getACL(state: ZkState, path: string, auth: readonly Id[]): ReadResult {
  const node = readable(state, path, Perms.READ | Perms.ADMIN, auth);
  if (typeof node === 'number') return { err: node };
  const acl = aclOf(state.acls, node.acl);
  const shown = checkACL(acl, Perms.ADMIN, auth) ? acl.map((a) => ({ perms: a.perms, id: { ...a.id } })) : maskDigests(acl);
  return { err: Err.OK, response: { kind: 'acl', acl: shown, stat: statOf(node) } };
}

/** DataTree.getAllChildrenNumber: all descendants, not just children ("/" counts every node
 *  but the root; "" — the root's alias — counts the root too). */
function getAllChildrenNumber(state: ZkState, path: string, auth: readonly Id[]): ReadResult {
  const node = readable(state, path, Perms.READ, auth);
  if (typeof node === 'number') return { err: node };
  let total: number;
  if (path === '/') total = state.nodes.size - 1;
  else if (path === '') total = state.nodes.size;
  else total = countDescendants(state, path, node);
  return { err: Err.OK, response: { kind: 'number', totalNumber: total } };
}

function countDescendants(state: ZkState, path: string, node: ZNode): number {
  let count = 0;
  const stack: [string, ZNode][] = [[path, node]];
  while (stack.length > 0) {
    const [p, n] = stack.pop()!;
    if (!n.children) continue;
    for (const name of n.children) {
      const childPath = p + '/' + name;
      const child = state.nodes.get(childPath);
      count++;
      if (child) stack.push([childPath, child]);
    }
  }
  return count;
}

/** getEphemerals: the caller's ephemerals; a blank or "/" prefix means all, else startsWith. */
export function ephemeralsByPrefix(state: ZkState, sessionId: SessionId, prefix: string): string[] {
  const all = state.ephemerals.get(sessionId);
  if (!all) return [];
  // Java String.trim(): strips every char <= U+0020 at both ends.
  const trimmed = prefix.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '');
  if (trimmed === '' || trimmed === '/') return [...all];
  return [...all].filter((p) => p.startsWith(prefix));
}

/**
 * multiRead: each op answers on its own (an error is that op's ErrorResult). A write op in it
 * makes the server fail the request with MARSHALLINGERROR and an empty result list.
 */
function multiRead(state: ZkState, ops: readonly MultiOp[], auth: readonly Id[]): ReadResult {
  if (ops.some((op) => op.op !== 'getData' && op.op !== 'getChildren')) {
    return { err: Err.MARSHALLINGERROR, response: { kind: 'multi', results: [] } };
  }
  const results: MultiResult[] = ops.map((op) => {
    const node = readable(state, op.req.path, Perms.READ, auth);
    if (typeof node === 'number') return { type: -1, err: node };
    if (op.op === 'getData') return { type: 4, data: node.data, stat: statOf(node) };
    return { type: 8, children: node.children ? [...node.children] : [] };
  });
  return { err: Err.OK, response: { kind: 'multi', results } };
}
