import type { Stat } from '../codec/types.js';
import type { WatchTrigger } from '../model/types.js';

/** A watch owner: one client connection (ZooKeeper keeps watches per ServerCnxn, not per session). */
export interface Watcher {
  readonly id: number;
  /** Send a WatcherEvent notification (xid -1) with the zxid of the change that fired it. */
  notify(event: { type: number; path: string; zxid: number }): void;
}

/** One-shot watch kinds registered by reads: getData → data, exists → exist (node missing) or
 *  data (node present), getChildren → child. */
export type OneShotKind = 'data' | 'exist' | 'child';

/** The watch table (ZooKeeper's WatchManager ×2 + persistent modes). Pure bookkeeping: it never
 *  touches sockets, it calls Watcher.notify. */
export interface WatchTable {
  add(path: string, kind: OneShotKind, watcher: Watcher): void;
  /** addWatch: AddWatchMode PERSISTENT (0) or PERSISTENT_RECURSIVE (1). */
  addPersistent(path: string, recursive: boolean, watcher: Watcher): void;
  /** Fire the watches a change triggers, with ZooKeeper's event types and paths. */
  trigger(t: WatchTrigger): void;
  /** SetWatches/SetWatches2 after reconnect: deliver what was missed since relativeZxid (compare
   *  mzxid / pzxid, existence) and register the rest. `stat` looks a path up in the tree. */
  replay(req: { relativeZxid: number; dataWatches: string[]; existWatches: string[]; childWatches: string[];
    persistentWatches?: string[]; persistentRecursiveWatches?: string[] }, watcher: Watcher,
    stat: (path: string) => Stat | null, zxid: number): void;
  /** checkWatches / removeWatches with Watcher.WatcherType; returns false when no such watch
   *  exists (→ NoWatcher). remove=false only checks. */
  removeWatches(path: string, type: number, watcher: Watcher, remove: boolean): boolean;
  /** A connection went away: drop all of its watches. */
  removeWatcher(watcher: Watcher): void;
  /** Total watches (mntr zk_watch_count, wchs). */
  readonly count: number;
  /** wchc: watcher id → paths; wchp: path → watcher ids. */
  byWatcher(): Map<number, string[]>;
  byPath(): Map<string, number[]>;
}
