import type { Stat } from '../codec/types.js';
import { aclOf } from './acl-cache.js';
import { treeKey } from './paths.js';
import { CONTAINER, statOf, type ZkState } from './state.js';
import type { NodeView, SessionId, SessionRecord } from './types.js';

/** Read-only questions the server, the session tracker, 4lw and admin ask of the state. */

export function lastZxid(state: ZkState): number {
  return state.lastZxid;
}

export function sessionOf(state: ZkState, id: SessionId): SessionRecord | undefined {
  return state.sessions.get(id);
}

export function allSessions(state: ZkState): SessionRecord[] {
  return [...state.sessions.values()];
}

/** The session's ephemeral paths in creation order. */
export function ephemeralsOf(state: ZkState, id: SessionId): string[] {
  const paths = state.ephemerals.get(id);
  return paths ? [...paths] : [];
}

export function nodeView(state: ZkState, path: string): NodeView | null {
  const node = state.nodes.get(treeKey(path));
  if (!node) return null;
  const acl = aclOf(state.acls, node.acl).map((a) => ({ perms: a.perms, id: { ...a.id } }));
  return { stat: statOf(node), data: node.data, acl, children: node.children ?? new Set() };
}

/** The node's client-visible Stat, or null. */
export function wireStat(state: ZkState, path: string): Stat | null {
  const node = state.nodes.get(treeKey(path));
  return node ? statOf(node) : null;
}

/** DataTree.getNodeCount: the size of its path map, where the root is there twice ("" and "/"),
 *  so a fresh server reports 5 (seen in `srvr` of a real 3.8.0). */
export function nodeCount(state: ZkState): number {
  return state.nodes.size + 1;
}

/** DataTree.cachedApproximateDataSize (mntr zk_approximate_data_size). */
export function approximateDataSize(state: ZkState): number {
  return state.dataSize;
}

/**
 * ContainerManager.getCandidates at time `now`: empty containers that have had a child
 * (internal cversion > 0) — or, with znode.container.maxNeverUsedIntervalMs set, that were
 * created longer ago than that — and empty TTL nodes unmodified for longer than their TTL.
 */
export function containerCandidates(state: ZkState, now: number, maxNeverUsedIntervalMs = 0): string[] {
  const out: string[] = [];
  for (const path of state.containers) {
    const node = state.nodes.get(path);
    if (!node || node.children !== null || node.special !== CONTAINER) continue;
    if (node.cversion > 0 || (maxNeverUsedIntervalMs !== 0 && now - node.mtime > maxNeverUsedIntervalMs)) out.push(path);
  }
  for (const path of state.ttls) {
    const node = state.nodes.get(path);
    if (!node || node.children !== null || node.special <= 0) continue;
    if (now - node.mtime > node.special) out.push(path);
  }
  return out;
}
