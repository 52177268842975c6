import type { ACL } from '../codec/types.js';
import type { SessionId, WatchTrigger } from './types.js';
import { aclRef, aclUnref } from './acl-cache.js';
import { beforeChange } from './capture.js';
import { CONTAINER, newNode, type ZkState, type ZNode } from './state.js';

/**
 * DataTree's mutations. Each one appends the watch events DataTree fires, in its order, and —
 * inside a multi — an undo step, so a multi that fails part-way leaves the tree as it was
 * (ZooKeeper reaches the same end by checking every op against ChangeRecords before applying).
 */
export type Undo = () => void;

export interface Mutation {
  state: ZkState;
  zxid: number;
  time: number;
  triggers: WatchTrigger[];
  /** Set inside a multi: steps to undo, applied in reverse on failure. */
  journal: Undo[] | null;
  /** Inside a multi, ACL references to drop once it commits (dropping one earlier could forget
   *  a list that an undo step must restore). */
  releases: number[];
}

/** ReferenceCountedACLCache.removeUsage now, or at commit inside a multi. */
function releaseAcl(m: Mutation, id: number): void {
  if (m.journal) m.releases.push(id);
  else aclUnref(m.state.acls, id);
}

function triggerParent(parentPath: string): string {
  return parentPath === '' ? '/' : parentPath;
}

function trackOwner(state: ZkState, path: string, node: ZNode): void {
  if (node.special === CONTAINER) state.containers.add(path);
  else if (node.special > 0) state.ttls.add(path);
  else if (node.owner !== null) {
    let set = state.ephemerals.get(node.owner);
    if (!set) state.ephemerals.set(node.owner, (set = new Set()));
    set.add(path);
  }
}

function untrackOwner(state: ZkState, path: string, node: ZNode): void {
  if (node.special === CONTAINER) state.containers.delete(path);
  else if (node.special > 0) state.ttls.delete(path);
  else if (node.owner !== null) {
    const set = state.ephemerals.get(node.owner);
    if (set) {
      set.delete(path);
      if (set.size === 0) state.ephemerals.delete(node.owner);
    }
  }
}

/**
 * DataTree.createNode: the parent's internal cversion goes up by one (the txn's parentCVersion,
 * PrepRequestProcessor's newCversion) and its pzxid becomes this zxid; fires NodeCreated on the
 * path and NodeChildrenChanged on the parent.
 */
export function createNode(m: Mutation, path: string, parent: ZNode, data: Buffer, acl: readonly ACL[],
  owner: SessionId | null, special: number): ZNode {
  const { state, zxid } = m;
  beforeChange(state, parent);
  const lastSlash = path.lastIndexOf('/');
  const name = path.slice(lastSlash + 1);
  const node = newNode(data, aclRef(state.acls, acl), zxid, m.time, owner, special);
  const before = { cversion: parent.cversion, pzxid: parent.pzxid };
  parent.cversion = (parent.cversion + 1) | 0;
  parent.pzxid = zxid;
  (parent.children ??= new Set()).add(name);
  state.nodes.set(path, node);
  trackOwner(state, path, node);
  state.dataSize += path.length + data.length;
  m.triggers.push({ type: 1, path, zxid }, { type: 4, path: triggerParent(path.slice(0, lastSlash)), zxid });
  m.journal?.push(() => {
    parent.children!.delete(name);
    if (parent.children!.size === 0) parent.children = null;
    parent.cversion = before.cversion;
    parent.pzxid = before.pzxid;
    state.nodes.delete(path);
    untrackOwner(state, path, node);
    aclUnref(state.acls, node.acl);
    state.dataSize -= path.length + data.length;
  });
  return node;
}

/**
 * DataTree.deleteNode: the parent loses the child and takes this zxid as pzxid (its internal
 * cversion is unchanged; the exposed one moves because numChildren drops); fires NodeDeleted on
 * the path and NodeChildrenChanged on the parent.
 */
export function deleteNode(m: Mutation, path: string, parent: ZNode, node: ZNode): void {
  const { state, zxid } = m;
  beforeChange(state, node, path);
  beforeChange(state, parent);
  const lastSlash = path.lastIndexOf('/');
  const name = path.slice(lastSlash + 1);
  const before = parent.pzxid;
  parent.children!.delete(name);
  if (parent.children!.size === 0) parent.children = null;
  if (zxid > parent.pzxid) parent.pzxid = zxid;
  state.nodes.delete(path);
  untrackOwner(state, path, node);
  releaseAcl(m, node.acl);
  state.dataSize -= path.length + node.data.length;
  m.triggers.push({ type: 2, path, zxid }, { type: 4, path: triggerParent(path.slice(0, lastSlash)), zxid });
  m.journal?.push(() => {
    // Back at the end of both the child set and the path map: child order always equals the
    // order of the children in the path map, which lets the snapshot be written in map order.
    (parent.children ??= new Set()).add(name);
    parent.pzxid = before;
    state.nodes.set(path, node);
    trackOwner(state, path, node);
    state.dataSize += path.length + node.data.length;
  });
}

/** DataTree.setData: new data, mtime, mzxid and version; fires NodeDataChanged. */
export function setNodeData(m: Mutation, path: string, node: ZNode, data: Buffer, version: number): void {
  beforeChange(m.state, node);
  const before = { data: node.data, mtime: node.mtime, mzxid: node.mzxid, version: node.version };
  m.state.dataSize += data.length - node.data.length;
  node.data = data;
  node.mtime = m.time;
  node.mzxid = m.zxid;
  node.version = version;
  m.triggers.push({ type: 3, path, zxid: m.zxid });
  m.journal?.push(() => {
    m.state.dataSize += before.data.length - node.data.length;
    Object.assign(node, before);
  });
}

/** DataTree.setACL: new ACL and aversion; no watch fires. */
export function setNodeAcl(m: Mutation, node: ZNode, acl: readonly ACL[], aversion: number): void {
  beforeChange(m.state, node);
  const before = { acl: node.acl, aversion: node.aversion };
  const next = aclRef(m.state.acls, acl);
  releaseAcl(m, node.acl);
  node.acl = next;
  node.aversion = aversion;
  m.journal?.push(() => {
    aclUnref(m.state.acls, next);
    node.acl = before.acl;
    node.aversion = before.aversion;
  });
}
