/**
 * Subtree walks zkCli uses (org.apache.zookeeper.ZKUtil): `ls -R` and `setAcl -R` visit in
 * visitSubTreeDFS order, `deleteall` lists breadth-first and deletes leaves first in multi batches.
 * Requests of one level are pipelined; the order of the result is ZKUtil's.
 */
import { Err, ZkError } from '../../zk/codec/errors.js';
import { OpCode, type MultiOp } from '../../zk/codec/types.js';
import type { ZkClient } from '../../zk/client/zk-client.js';

function childPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

/** A getChildren that never rejects (prefetched answers may go unread); NoNode reads as no children. */
type Fetched = Promise<{ children: string[] } | { err: unknown }>;

function fetchChildren(zk: ZkClient, path: string): Fetched {
  return zk.getChildren(path).then((children) => ({ children }), (err: unknown) =>
    // ZKUtil.visitSubTreeDFSHelper: a node deleted since it was listed is skipped.
    (err instanceof ZkError && err.zkCode === Err.NONODE ? { children: [] } : { err }));
}

/**
 * ZKUtil.visitSubTreeDFS: getData on the root first (so a missing root is NoNode), visit the root,
 * then per node visit its sorted children, then walk each child. `visit` runs as zkCli's callback
 * does, so paths print as they come and an error stops the walk after what was already printed.
 * Each level's getChildren are sent together, after the visits: requests a visit sends (setAcl -R)
 * reach the server before the getChildren of that node, as in zkCli's sequential walk.
 */
export async function visitSubTree(zk: ZkClient, root: string, visit: (path: string) => void): Promise<void> {
  await zk.getData(root);
  visit(root);
  await walk(zk, root, fetchChildren(zk, root), visit);
}

async function walk(zk: ZkClient, path: string, fetched: Fetched, visit: (path: string) => void): Promise<void> {
  const answer = await fetched;
  if ('err' in answer) throw answer.err;
  const paths = answer.children.sort().map((c) => childPath(path, c));
  for (const p of paths) visit(p);
  const next = paths.map((p) => fetchChildren(zk, p));
  for (let i = 0; i < paths.length; i++) await walk(zk, paths[i]!, next[i]!, visit);
}

/** ZKUtil.listSubTreeBFS: the root, then every node level by level in the server's child order. */
export async function listSubTreeBFS(zk: ZkClient, root: string): Promise<string[]> {
  const tree = [root];
  let level = [root];
  while (level.length > 0) {
    const children = await Promise.all(level.map((p) => zk.getChildren(p)));
    level = level.flatMap((p, i) => children[i]!.map((c) => childPath(p, c)));
    tree.push(...level);
  }
  return tree;
}

/**
 * ZKUtil.deleteRecursive: delete the BFS list from its end (leaves first) in multi batches of
 * `batchSize`; stops after the first failed batch. Resolves false when some node was not deleted.
 */
export async function deleteRecursive(zk: ZkClient, root: string, batchSize: number): Promise<boolean> {
  const tree = await listSubTreeBFS(zk, root);
  const ops: MultiOp[] = tree.reverse().map((path) => ({ op: 'delete', type: OpCode.delete, req: { path, version: -1 } }));
  for (let i = 0; i < ops.length; i += batchSize) {
    try {
      await zk.multi(ops.slice(i, i + batchSize));
    } catch (err) {
      if (err instanceof ZkError && err.zkCode !== Err.CONNECTIONLOSS) return false;
      throw err;
    }
  }
  return true;
}
