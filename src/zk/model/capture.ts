import type { ZkState, ZNode } from './state.js';

/**
 * A snapshot taken while the tree keeps changing, without stopping it: the capture walks the
 * path map a chunk at a time between requests, and a znode about to change (or be deleted)
 * before the walk reached it is copied first, so what the capture writes is exactly the tree at
 * the moment it began (copy-on-write). ZooKeeper takes its snapshot on another thread and relies
 * on idempotent txn replay to fix a fuzzy image; our commands are not idempotent (each consumes
 * a zxid), so the image has to be exact instead.
 */
let lastEpoch = 0;
const active = new WeakMap<ZkState, NodeCapture>();

/** Called by every tree mutation before it touches `node` (deletedPath: the node is removed). */
export function beforeChange(state: ZkState, node: ZNode, deletedPath?: string): void {
  active.get(state)?.preserve(node, deletedPath);
}

export class NodeCapture {
  private readonly epoch = ++lastEpoch;
  /** Znodes created after this zxid are not part of the image. */
  private readonly zxid: number;
  private readonly entries: Iterator<[string, ZNode]>;
  /** Pre-change copies of znodes not written yet; path set once the znode was deleted. */
  private readonly preserved = new Map<ZNode, { copy: ZNode; path: string | null }>();

  constructor(private readonly state: ZkState, private readonly write: (path: string, node: ZNode) => void) {
    this.zxid = state.lastZxid;
    this.entries = state.nodes.entries();
    active.set(state, this);
  }

  preserve(node: ZNode, deletedPath?: string): void {
    if (node.snapEpoch === this.epoch || node.czxid > this.zxid) return;
    const kept = this.preserved.get(node);
    if (!kept) this.preserved.set(node, { copy: { ...node, children: null }, path: deletedPath ?? null });
    else if (deletedPath !== undefined) kept.path = deletedPath;
  }

  /** Write up to `budget` znodes; true once the whole image is written (the capture then ends). */
  step(budget: number): boolean {
    for (; budget > 0; budget--) {
      const next = this.entries.next();
      if (next.done) {
        this.writeDeleted();
        return true;
      }
      const [path, node] = next.value;
      if (node.snapEpoch === this.epoch || node.czxid > this.zxid) continue;
      const kept = this.preserved.get(node);
      this.preserved.delete(node);
      node.snapEpoch = this.epoch;
      this.write(path, kept ? kept.copy : node);
    }
    return false;
  }

  /** Znodes deleted before the walk reached them, parents before children. */
  private writeDeleted(): void {
    const deleted: { copy: ZNode; path: string }[] = [];
    for (const kept of this.preserved.values()) if (kept.path !== null) deleted.push(kept as { copy: ZNode; path: string });
    deleted.sort((a, b) => depth(a.path) - depth(b.path));
    for (const { copy, path } of deleted) this.write(path, copy);
    this.end();
  }

  end(): void {
    this.preserved.clear();
    if (active.get(this.state) === this) active.delete(this.state);
  }
}

function depth(path: string): number {
  let n = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
  return n;
}
