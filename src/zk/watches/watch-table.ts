import { EventType, WatcherType } from '../codec/types.js';
import type { Stat } from '../codec/types.js';
import type { WatchTrigger } from '../model/types.js';
import type { OneShotKind, Watcher, WatchTable } from './types.js';
import { WatchManager, WatcherMode } from './watch-manager.js';

/** SetWatches2's watch lists (SetWatches sends no persistent ones). */
export interface SetWatchesLists {
  relativeZxid: number; dataWatches: string[]; existWatches: string[]; childWatches: string[];
  persistentWatches?: string[]; persistentRecursiveWatches?: string[];
}

/**
 * ZooKeeper 3.8's Watcher.WatcherType.fromInt knows Children 1, Data 2, Any 3 only; any other
 * type (Persistent 4 and PersistentRecursive 5 arrived in 3.9) throws inside
 * FinalRequestProcessor, which answers MARSHALLINGERROR (-5) — real 3.8.0 does so for 0, 4 and 5.
 * The checkWatches/removeWatches handler should test this before calling removeWatches().
 */
export function isKnownWatcherType(type: number): boolean {
  return type === WatcherType.Children || type === WatcherType.Data || type === WatcherType.Any;
}

/**
 * The watches of DataTree: two ZooKeeper WatchManagers, `dataWatches` (getData, exists — on a
 * present or a missing node alike) and `childWatches` (getChildren); addWatch puts a persistent
 * watch in both. Which table a trigger consults, and in which order, follows DataTree.createNode,
 * deleteNode and setData.
 */
export class ZkWatchTable implements WatchTable {
  private readonly dataWatches = new WatchManager();
  private readonly childWatches = new WatchManager();

  /** DataTree.getData / statNode → dataWatches; getChildren → childWatches (mode STANDARD). */
  add(path: string, kind: OneShotKind, watcher: Watcher): void {
    this.table(kind).addWatch(path, watcher, WatcherMode.STANDARD);
  }

  /** DataTree.addWatch: the same mode in both tables, so the watch sees data and child events. */
  addPersistent(path: string, recursive: boolean, watcher: Watcher): void {
    const mode = recursive ? WatcherMode.PERSISTENT_RECURSIVE : WatcherMode.PERSISTENT;
    this.dataWatches.addWatch(path, watcher, mode);
    this.childWatches.addWatch(path, watcher, mode);
  }

  /**
   * One DataTree trigger. The model emits them in DataTree's order (createNode: NodeCreated(path)
   * then NodeChildrenChanged(parent); deleteNode: NodeDeleted(path) then
   * NodeChildrenChanged(parent)), and each is delivered before the next, so one connection sees
   * them in that order (real 3.8.0: exists(/e/m) + getChildren(/e), create /e/m → NodeCreated,
   * then NodeChildrenChanged).
   */
  trigger(t: WatchTrigger): void {
    switch (t.type) {
      case EventType.NodeCreated:
      case EventType.NodeDataChanged:
        this.dataWatches.triggerWatch(t.path, t.type, t.zxid);
        break;
      case EventType.NodeDeleted: {
        // DataTree.deleteNode: a connection that got NodeDeleted from its data watch is not told
        // again by its child watch on the same path, but that child watch is still consumed.
        const processed = this.dataWatches.triggerWatch(t.path, t.type, t.zxid);
        this.childWatches.triggerWatch(t.path, t.type, t.zxid, processed);
        break;
      }
      case EventType.NodeChildrenChanged:
        this.childWatches.triggerWatch(t.path, t.type, t.zxid);
        break;
    }
  }

  /**
   * DataTree.setWatches: each listed watch either fires now, for a change the client missed since
   * relativeZxid, or is registered again — never both. Lists are processed data, exist, child,
   * then persistent, persistent-recursive; persistent ones are only registered (no event, even
   * for a missing node or a change after relativeZxid).
   */
  replay(req: SetWatchesLists, watcher: Watcher, stat: (path: string) => Stat | null, zxid: number): void {
    const fire = (type: number, path: string): void => watcher.notify({ type, path, zxid });
    for (const path of req.dataWatches) {
      const s = stat(path);
      if (s === null) fire(EventType.NodeDeleted, path);
      else if (s.mzxid > req.relativeZxid) fire(EventType.NodeDataChanged, path);
      else this.dataWatches.addWatch(path, watcher, WatcherMode.STANDARD);
    }
    for (const path of req.existWatches) {
      if (stat(path) !== null) fire(EventType.NodeCreated, path);
      else this.dataWatches.addWatch(path, watcher, WatcherMode.STANDARD);
    }
    for (const path of req.childWatches) {
      const s = stat(path);
      if (s === null) fire(EventType.NodeDeleted, path);
      else if (s.pzxid > req.relativeZxid) fire(EventType.NodeChildrenChanged, path);
      else this.childWatches.addWatch(path, watcher, WatcherMode.STANDARD);
    }
    for (const path of req.persistentWatches ?? []) this.addPersistent(path, false, watcher);
    for (const path of req.persistentRecursiveWatches ?? []) this.addPersistent(path, true, watcher);
  }

  /**
   * DataTree.removeWatch (remove) / containsWatcher (check). Data covers exist watches (same
   * table); Data or Children on a persistent watch removes only that table's half; Any covers
   * both tables, persistent watches included. An unknown type matches nothing (see
   * isKnownWatcherType for the MARSHALLINGERROR 3.8.0 really answers).
   */
  removeWatches(path: string, type: number, watcher: Watcher, remove: boolean): boolean {
    const tables = this.tablesFor(type);
    if (!remove) return tables.some((table) => table.containsPath(path));
    let removed = false;
    for (const table of tables) if (table.removeWatch(path, watcher)) removed = true;
    return removed;
  }

  /** DataTree.removeCnxn. */
  removeWatcher(watcher: Watcher): void {
    this.dataWatches.removeWatcher(watcher);
    this.childWatches.removeWatcher(watcher);
  }

  /** DataTree.getWatchCount (mntr zk_watch_count): both tables, so a path one connection watches
   *  for data and for children counts 2 (real 3.8.0). */
  get count(): number { return this.dataWatches.size + this.childWatches.size; }

  /** Recursive watches per table (WatchManager.getRecursiveWatchQty); 0 means no ancestor walks. */
  get recursiveWatchQty(): { data: number; child: number } {
    return { data: this.dataWatches.recursiveWatchQty, child: this.childWatches.recursiveWatchQty };
  }

  /** DataTree.getWatches (wchc): the data table only, as ZooKeeper reports it — child watches
   *  are not listed, and wchs's "Total watches" (summed from this) leaves them out too. */
  byWatcher(): Map<number, string[]> { return this.dataWatches.byWatcher(); }

  /** DataTree.getWatchesByPath (wchp): the data table only. */
  byPath(): Map<string, number[]> { return this.dataWatches.byPath(); }

  private table(kind: OneShotKind): WatchManager {
    return kind === 'child' ? this.childWatches : this.dataWatches;
  }

  private tablesFor(type: number): WatchManager[] {
    switch (type) {
      case WatcherType.Children: return [this.childWatches];
      case WatcherType.Data: return [this.dataWatches];
      case WatcherType.Any: return [this.childWatches, this.dataWatches];
      default: return [];
    }
  }
}
