import {
  configKey, HISTORY_MAX_PER_CONFIG, HISTORY_RETENTION_MS, type ConfigItem, type HistoryEntry, type HistoryOpType,
} from './types.js';

/**
 * his_config_info in memory: entries per config (ascending nid), an index by nid for the detail
 * API, and the newest entry per config id for /history/previous (Nacos: max(nid) WHERE id = ?).
 *
 * Retention: Nacos deletes history older than 30 days with a background cleaner. Here apply
 * prunes a config's entries older than 30 days (relative to the command's time) whenever that
 * config is written, and keeps at most HISTORY_MAX_PER_CONFIG entries per config.
 */
export class HistoryLog {
  private readonly byConfig = new Map<string, HistoryEntry[]>();
  private readonly byNid = new Map<number, HistoryEntry>();
  private readonly latestById = new Map<number, HistoryEntry>();
  private nextNid = 1;

  record(config: ConfigItem, opType: HistoryOpType, srcIp: string, srcUser: string | null, time: number): HistoryEntry {
    const entry: HistoryEntry = {
      nid: this.nextNid++, id: config.id, dataId: config.dataId, group: config.group, tenant: config.tenant,
      appName: config.appName, content: config.content, md5: config.md5, srcIp, srcUser, opType,
      encryptedDataKey: config.encryptedDataKey, createdTime: time, lastModifiedTime: time,
    };
    this.add(entry);
    this.prune(configKey(entry.tenant, entry.group, entry.dataId), time - HISTORY_RETENTION_MS);
    return entry;
  }

  /** Ascending nid; the list APIs page it from the end (Nacos `ORDER BY nid DESC`). */
  list(tenant: string, group: string, dataId: string): readonly HistoryEntry[] {
    return this.byConfig.get(configKey(tenant, group, dataId)) ?? [];
  }

  get(nid: number): HistoryEntry | undefined { return this.byNid.get(nid); }

  /** The newest entry written for config id `id`: the content before its latest change. */
  previous(id: number): HistoryEntry | undefined { return this.latestById.get(id); }

  /** The first entry of the same config after `nid` (Nacos getNextHistoryInfo). */
  next(entry: HistoryEntry): HistoryEntry | undefined {
    const list = this.byConfig.get(configKey(entry.tenant, entry.group, entry.dataId)) ?? [];
    return list.find((e) => e.nid > entry.nid);
  }

  get size(): number { return this.byNid.size; }

  toJSON(): { nextNid: number; entries: HistoryEntry[] } {
    return { nextNid: this.nextNid, entries: [...this.byNid.values()] };
  }

  static fromJSON(image: unknown): HistoryLog {
    const log = new HistoryLog();
    const img = image as { nextNid?: number; entries?: HistoryEntry[] } | undefined;
    for (const e of [...(img?.entries ?? [])].sort((a, b) => a.nid - b.nid)) log.add(e);
    log.nextNid = Math.max(log.nextNid, img?.nextNid ?? 1);
    return log;
  }

  private add(entry: HistoryEntry): void {
    const key = configKey(entry.tenant, entry.group, entry.dataId);
    let list = this.byConfig.get(key);
    if (!list) this.byConfig.set(key, (list = []));
    list.push(entry);
    this.byNid.set(entry.nid, entry);
    const latest = this.latestById.get(entry.id);
    if (!latest || latest.nid < entry.nid) this.latestById.set(entry.id, entry);
    if (entry.nid >= this.nextNid) this.nextNid = entry.nid + 1;
  }

  private prune(key: string, cutoff: number): void {
    const list = this.byConfig.get(key);
    if (!list) return;
    let drop = 0;
    while (drop < list.length - 1 && (list[drop]!.lastModifiedTime < cutoff || list.length - drop > HISTORY_MAX_PER_CONFIG)) {
      drop++;
    }
    for (const e of list.splice(0, drop)) {
      this.byNid.delete(e.nid);
      if (this.latestById.get(e.id) === e) this.latestById.delete(e.id);
    }
  }
}
