import type { Stat } from '../codec/types.js';
import type { SessionId, SessionRecord } from './types.js';
import { aclRef, newAclCache, READ_ACL_UNSAFE, type AclCache, OPEN_ACL_ID } from './acl-cache.js';

/**
 * One znode (DataNode + StatPersisted). `cversion` is ZooKeeper's *internal* counter of child
 * creations; clients see 2*cversion - numChildren (DataNode.copyStat). The ephemeral owner is
 * kept as what it means rather than as EphemeralType's packed long: a session (NORMAL), a
 * container (CONTAINER_EPHEMERAL_OWNER) or a TTL (0xff00.. | ttl).
 */
export interface ZNode {
  data: Buffer;
  /** AclCache id. */
  acl: number;
  czxid: number;
  mzxid: number;
  pzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  /** Owning session of an ephemeral node, else null. */
  owner: SessionId | null;
  /** EphemeralType: 0 = none, -1 = container, > 0 = TTL in ms. */
  special: number;
  /** Child names; null when there are none (most znodes are leaves). Invariant: the order is
   *  the order in which the children appear in ZkState.nodes (see snapshot.ts). */
  children: Set<string> | null;
  /** The snapshot capture that last wrote this znode (capture.ts); not part of the state. */
  snapEpoch: number;
}

export const CONTAINER = -1;

/** The whole ZooKeeper database (DataTree + the sessions ZKDatabase keeps). */
export interface ZkState {
  /** path → znode; the root is stored under "/" only (DataTree also aliases it as ""). A parent
   *  always comes before its children in iteration order. */
  nodes: Map<string, ZNode>;
  acls: AclCache;
  sessions: Map<SessionId, SessionRecord>;
  /** DataTree.ephemerals: session → its ephemeral paths, in creation order. */
  ephemerals: Map<SessionId, Set<string>>;
  /** DataTree.containers and DataTree.ttls (ContainerManager's candidates come from these). */
  containers: Set<string>;
  ttls: Set<string>;
  lastZxid: number;
  /** DataTree.nodeDataSize: Σ path length + data length, kept up to date by every change. */
  dataSize: number;
}

export const EMPTY_DATA = Buffer.alloc(0);

export function newNode(data: Buffer, acl: number, zxid: number, time: number, owner: SessionId | null, special: number): ZNode {
  return {
    data, acl, czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: time, mtime: time,
    version: 0, cversion: 0, aversion: 0, owner, special, children: null, snapEpoch: 0,
  };
}

/**
 * A fresh DataTree: "/", "/zookeeper", "/zookeeper/quota" and "/zookeeper/config", all with zero
 * stats. /zookeeper/config gets READ_ACL_UNSAFE through setACL(…, -1), which leaves its aversion
 * at -1 (seen on a real 3.8.0: `getAcl /zookeeper/config` shows aversion -1).
 */
export function initialState(): ZkState {
  const acls = newAclCache();
  const nodes = new Map<string, ZNode>();
  const root = newNode(EMPTY_DATA, OPEN_ACL_ID, 0, 0, null, 0);
  const proc = newNode(EMPTY_DATA, OPEN_ACL_ID, 0, 0, null, 0);
  const quota = newNode(EMPTY_DATA, OPEN_ACL_ID, 0, 0, null, 0);
  const config = newNode(EMPTY_DATA, aclRef(acls, READ_ACL_UNSAFE), 0, 0, null, 0);
  config.aversion = -1;
  root.children = new Set(['zookeeper']);
  // A real server lists /zookeeper's children as [config, quota] (its HashSet order).
  proc.children = new Set(['config', 'quota']);
  nodes.set('/', root).set('/zookeeper', proc).set('/zookeeper/config', config).set('/zookeeper/quota', quota);
  const state: ZkState = {
    nodes, acls, sessions: new Map(), ephemerals: new Map(), containers: new Set(), ttls: new Set(),
    lastZxid: 0, dataSize: 0,
  };
  state.dataSize = fullDataSize(state);
  return state;
}

/**
 * DataTree.approximateDataSize as computed from scratch: every map entry's path length + data
 * length, where the root appears twice (under "" and "/").
 */
export function fullDataSize(state: ZkState): number {
  let size = 0;
  for (const [path, node] of state.nodes) size += path.length + node.data.length;
  return size + state.nodes.get('/')!.data.length;
}

const sessionOwnerCache = new Map<string, bigint>();

/** A session id (16 hex digits) as the signed Java long Stat.ephemeralOwner carries. */
export function sessionIdToLong(id: SessionId): bigint {
  let v = sessionOwnerCache.get(id);
  if (v === undefined) {
    v = BigInt.asIntN(64, BigInt('0x' + id));
    if (sessionOwnerCache.size > 10_000) sessionOwnerCache.clear();
    sessionOwnerCache.set(id, v);
  }
  return v;
}

/**
 * DataNode.copyStat: cversion translated to "v3 semantics" (2*creates - children), Java int
 * arithmetic; ephemeralOwner shown as 0 for containers and TTL nodes (getClientEphemeralOwner).
 */
export function statOf(node: ZNode): Stat {
  const numChildren = node.children ? node.children.size : 0;
  return {
    czxid: node.czxid, mzxid: node.mzxid, ctime: node.ctime, mtime: node.mtime,
    version: node.version, cversion: (node.cversion * 2 - numChildren) | 0, aversion: node.aversion,
    ephemeralOwner: node.owner === null ? 0n : sessionIdToLong(node.owner),
    dataLength: node.data.length, numChildren, pzxid: node.pzxid,
  };
}
