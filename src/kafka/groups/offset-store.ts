import type { Logger } from '../../core/logger.js';
import type { DurableStore } from '../../core/state/durable-store.js';
import type { CommittedOffset, GroupCommand, GroupRecord, GroupsState, OffsetEntry } from './model.js';

/** Partitions the expiry check found expired, per group. */
export interface ExpiredOffsets { group: string; partitions: Array<{ topic: string; partition: number; commitTimestamp: number }> }

/**
 * Committed offsets and the persisted part of each group, over the command store of model.ts
 * (Kafka's GroupMetadataManager over __consumer_offsets). Every change resolves once durable, so an
 * OffsetCommit is answered only after its fsync, as a Produce is.
 */
export class OffsetStore {
  constructor(private readonly store: DurableStore<GroupsState, GroupCommand>, private readonly logger: Logger) {}

  record(group: string): Readonly<GroupRecord> | undefined { return this.store.state.groups.get(group); }

  groupIds(): string[] { return [...this.store.state.groups.keys()]; }

  committed(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.store.state.groups.get(group)?.offsets.get(topic)?.get(partition);
  }

  /** Every committed partition of the group, topics and partitions in order (OffsetFetch topics=null). */
  allCommitted(group: string): Array<{ topic: string; partitions: Array<[number, CommittedOffset]> }> {
    const r = this.store.state.groups.get(group);
    if (!r) return [];
    return [...r.offsets.keys()].sort().map((topic) => ({
      topic, partitions: [...r.offsets.get(topic)!].sort((a, b) => a[0] - b[0]),
    }));
  }

  async commit(group: string, at: number, expireAt: number | null, offsets: OffsetEntry[]): Promise<void> {
    await this.store.submit({ type: 'commitOffsets', group, at, expireAt, offsets });
  }

  /** Persist the generation, protocol type and Empty-since time (GroupMetadataManager.storeGroup). */
  saveGroupState(group: string, generation: number, protocolType: string | null, emptySince: number | null): Promise<unknown> {
    return this.store.submit({ type: 'groupState', group, generation, protocolType, emptySince });
  }

  /** Same, in the background: a rebalance does not wait for it (members rejoin after a restart
   *  anyway); a failure is logged and only costs the generation's monotonicity over a restart. */
  saveGroupStateLater(group: string, generation: number, protocolType: string | null, emptySince: number | null): void {
    this.saveGroupState(group, generation, protocolType, emptySince)
      .catch((err: unknown) => this.logger.error({ err, group }, 'kafka group state not saved'));
  }

  async deleteGroup(group: string): Promise<void> { await this.store.submit({ type: 'deleteGroup', group }); }

  /** Offsets of a deleted topic go with it (GroupMetadataManager.cleanupGroupMetadata on
   *  partition deletion). */
  async dropTopic(topic: string): Promise<number> {
    const held = [...this.store.state.groups.values()].some((r) => r.offsets.has(topic));
    if (!held) return 0;
    return this.store.submit<number>({ type: 'deleteTopicOffsets', topic });
  }

  /**
   * Offsets past retention (GroupMetadata.removeExpiredOffsets, KIP-211): for a group that used
   * JoinGroup, counted from when it became Empty; for a group that only commits, from each commit;
   * a commit that gave retention_time_ms (v2–v4) expires at its own time. `isEmpty` says whether
   * the group has no members now (offsets of an active group never expire here).
   */
  findExpired(now: number, retentionMs: number, isEmpty: (group: string) => boolean): ExpiredOffsets[] {
    const found: ExpiredOffsets[] = [];
    for (const [group, r] of this.store.state.groups) {
      if (!isEmpty(group)) continue;
      const partitions: ExpiredOffsets['partitions'] = [];
      for (const [topic, parts] of r.offsets) {
        for (const [partition, o] of parts) {
          const base = r.protocolType !== null && r.emptySince !== null ? r.emptySince : o.commitTimestamp;
          const expired = o.expireTimestamp !== null ? now >= o.expireTimestamp : now - base >= retentionMs;
          if (expired) partitions.push({ topic, partition, commitTimestamp: o.commitTimestamp });
        }
      }
      if (partitions.length > 0) found.push({ group, partitions });
    }
    return found;
  }

  /** Log the expiry of what findExpired returned; resolves with the number of offsets removed. */
  async expire(found: ExpiredOffsets[]): Promise<number> {
    let removed = 0;
    for (const { group, partitions } of found) removed += await this.store.submit<number>({ type: 'expireOffsets', group, partitions });
    return removed;
  }

  close(): Promise<void> { return this.store.close(); }
}
