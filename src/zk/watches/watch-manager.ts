import { EventType } from '../codec/types.js';
import type { Watcher } from './types.js';

/**
 * ZooKeeper's server.watch.WatcherMode. STANDARD is a one-shot watch (getData, exists,
 * getChildren); the other two come from addWatch and survive their events.
 */
export const WatcherMode = { STANDARD: 0, PERSISTENT: 1, PERSISTENT_RECURSIVE: 2 } as const;
export type WatcherMode = (typeof WatcherMode)[keyof typeof WatcherMode];

/** ZooKeeper's WatchManager.isDeadWatcher looks at ServerCnxn.isStale(); our connections expose
 *  `closed`. A Watcher without it is never considered dead. */
interface MaybeClosedWatcher extends Watcher { readonly closed?: boolean }

/** The parent of an absolute path ("/a/b" → "/a", "/a" → "/", "/" → null): ZooKeeper's
 *  PathParentIterator step. */
export function parentPath(path: string): string | null {
  if (path === '/' || path === '') return null;
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/**
 * One of DataTree's two watch tables (dataWatches or childWatches), following ZooKeeper 3.8's
 * server.watch.WatchManager: path → watchers, watcher → paths, and one WatcherMode per
 * (watcher, path) — so a watcher appears at most once per path, and registering a one-shot watch
 * where the same connection holds a persistent one replaces the persistent mode (WatcherModeManager
 * .setWatcherMode(STANDARD) drops the entry; verified on the real 3.8.0: after addWatch(/p) then
 * getData(/p, watch), a second setData(/p) sends nothing).
 */
export class WatchManager {
  /** watchTable + WatcherModeManager in one map: path → (watcher → mode). */
  private readonly watchTable = new Map<string, Map<Watcher, WatcherMode>>();
  /** watch2Paths. A watcher keeps its (possibly empty) entry after its watches fire or are
   *  removed, until the connection goes: ZooKeeper only deletes it in removeWatcher(Watcher), so
   *  wchs counts it in "N connections" and wchc lists it without paths (real 3.8.0). */
  private readonly watch2Paths = new Map<Watcher, Set<string>>();
  private recursiveQty = 0;
  private total = 0;

  /** WatchManager.size(): watches registered, one per (path, watcher). */
  get size(): number { return this.total; }

  /** WatcherModeManager.getRecursiveQty(): recursive watches in this table. */
  get recursiveWatchQty(): number { return this.recursiveQty; }

  /** WatchManager.addWatch(path, watcher, mode). A closed connection's watch is ignored
   *  ("Ignoring addWatch with closed cnxn"), so a read answered after a disconnect leaks nothing. */
  addWatch(path: string, watcher: Watcher, mode: WatcherMode): void {
    if ((watcher as MaybeClosedWatcher).closed === true) return;
    let watchers = this.watchTable.get(path);
    if (!watchers) {
      watchers = new Map();
      this.watchTable.set(path, watchers);
    }
    const previous = watchers.get(watcher);
    if (previous === undefined) this.total++;
    else if (previous === WatcherMode.PERSISTENT_RECURSIVE) this.recursiveQty--;
    if (mode === WatcherMode.PERSISTENT_RECURSIVE) this.recursiveQty++;
    watchers.set(watcher, mode);
    let paths = this.watch2Paths.get(watcher);
    if (!paths) {
      paths = new Set();
      this.watch2Paths.set(watcher, paths);
    }
    paths.add(path);
  }

  /** WatchManager.removeWatcher(Watcher): the connection is gone. */
  removeWatcher(watcher: Watcher): void {
    const paths = this.watch2Paths.get(watcher);
    if (!paths) return;
    this.watch2Paths.delete(watcher);
    for (const path of paths) this.dropFromPath(path, watcher);
  }

  /** WatchManager.removeWatcher(path, watcher): removes this watcher's watch on exactly `path`,
   *  whatever its mode. */
  removeWatch(path: string, watcher: Watcher): boolean {
    const paths = this.watch2Paths.get(watcher);
    if (!paths || !paths.delete(path)) return false;
    return this.dropFromPath(path, watcher);
  }

  /**
   * WatchManager.containsWatcher(path, watcher) as 3.8.0 has it: at the leaf it answers true when
   * ANY watcher watches `path` ("at the leaf node, all watcher types match"), so checkWatches from
   * a connection without a watch succeeds when another connection has one (real 3.8.0: OK, while
   * removeWatches from that connection answers NOWATCHER). The recursive branch adds nothing: a
   * recursive mode on `path` implies an entry there.
   */
  containsPath(path: string): boolean {
    return this.watchTable.has(path);
  }

  /**
   * WatchManager.triggerWatch(path, type, supress): collects the watchers to notify (each once),
   * removes fired one-shot watches, and notifies all but the suppressed ones. Ancestors are
   * visited only while some recursive watch exists (getPathParentIterator). On an ancestor only
   * recursive watches count; recursive watches never get NodeChildrenChanged, even on their own
   * path. Returns the watchers that matched, for DataTree.deleteNode's suppression.
   */
  triggerWatch(path: string, type: number, zxid: number, suppress?: ReadonlySet<Watcher>): Set<Watcher> {
    const matched = new Set<Watcher>();
    this.collect(path, type, false, matched);
    if (this.recursiveQty > 0) {
      for (let p = parentPath(path); p !== null; p = parentPath(p)) this.collect(p, type, true, matched);
    }
    const event = { type, path, zxid };
    for (const watcher of matched) {
      if (suppress === undefined || !suppress.has(watcher)) watcher.notify(event);
    }
    return matched;
  }

  /** WatchManager.getWatches (wchc): watcher → watched paths. */
  byWatcher(): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const [watcher, paths] of this.watch2Paths) out.set(watcher.id, [...paths]);
    return out;
  }

  /** WatchManager.getWatchesByPath (wchp): path → watcher ids. */
  byPath(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const [path, watchers] of this.watchTable) out.set(path, [...watchers.keys()].map((w) => w.id));
    return out;
  }

  private collect(localPath: string, type: number, atParentPath: boolean, matched: Set<Watcher>): void {
    const watchers = this.watchTable.get(localPath);
    if (!watchers) return;
    for (const [watcher, mode] of watchers) {
      if (mode === WatcherMode.PERSISTENT_RECURSIVE) {
        if (type !== EventType.NodeChildrenChanged) matched.add(watcher);
      } else if (!atParentPath) {
        matched.add(watcher);
        if (mode === WatcherMode.STANDARD) {
          watchers.delete(watcher);
          this.total--;
          this.watch2Paths.get(watcher)?.delete(localPath);
        }
      }
    }
    if (watchers.size === 0) this.watchTable.delete(localPath);
  }

  private dropFromPath(path: string, watcher: Watcher): boolean {
    const watchers = this.watchTable.get(path);
    const mode = watchers?.get(watcher);
    if (!watchers || mode === undefined) return false;
    watchers.delete(watcher);
    this.total--;
    if (mode === WatcherMode.PERSISTENT_RECURSIVE) this.recursiveQty--;
    if (watchers.size === 0) this.watchTable.delete(path);
    return true;
  }
}
