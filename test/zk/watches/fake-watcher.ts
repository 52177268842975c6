import { EventType } from '../../../src/zk/codec/types.js';
import type { WatchTrigger } from '../../../src/zk/model/types.js';
import type { Watcher } from '../../../src/zk/watches/types.js';
import { parentPath } from '../../../src/zk/watches/watch-manager.js';
import { ZkWatchTable } from '../../../src/zk/watches/watch-table.js';

export type Seen = { type: number; path: string; zxid: number };

/** A connection stand-in that records the notifications it is sent. */
export class FakeWatcher implements Watcher {
  readonly events: Seen[] = [];
  closed = false;
  constructor(readonly id: number) {}
  notify(event: Seen): void { this.events.push({ ...event }); }
  /** Events since the last take(), as [type, path] pairs. */
  take(): [number, string][] {
    return this.events.splice(0).map((e) => [e.type, e.path]);
  }
}

export const { NodeCreated, NodeDeleted, NodeDataChanged, NodeChildrenChanged } = EventType;

/** Triggers in the order ZooKeeper's DataTree fires them, as the model emits them. */
export const dataTree = {
  create: (path: string, zxid = 10): WatchTrigger[] => [
    { type: NodeCreated, path, zxid }, { type: NodeChildrenChanged, path: parentPath(path) ?? '/', zxid }],
  delete: (path: string, zxid = 10): WatchTrigger[] => [
    { type: NodeDeleted, path, zxid }, { type: NodeChildrenChanged, path: parentPath(path) ?? '/', zxid }],
  setData: (path: string, zxid = 10): WatchTrigger[] => [{ type: NodeDataChanged, path, zxid }],
};

export function apply(table: ZkWatchTable, triggers: WatchTrigger[]): void {
  for (const t of triggers) table.trigger(t);
}

export function setup(n = 2): { table: ZkWatchTable; w: FakeWatcher[] } {
  return { table: new ZkWatchTable(), w: Array.from({ length: n }, (_, i) => new FakeWatcher(i + 1)) };
}
