import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { PersonalityStorage } from '../../core/personality.js';
import { KafkaErrors, type KafkaErrorName } from '../errors.js';
import { GroupCoordinator, type GroupSettings } from './coordinator.js';
import type { ClassicGroup } from './group.js';
import { groupsMachine, type CommittedOffset, type OffsetEntry } from './model.js';
import { OffsetStore } from './offset-store.js';

/** GroupCoordinatorConfig.OFFSET_METADATA_MAX_SIZE_DEFAULT (offset.metadata.max.bytes). */
export const OFFSET_METADATA_MAX_BYTES = 4096;
/** offsets.retention.check.interval.ms default. */
export const OFFSETS_RETENTION_CHECK_INTERVAL_MS = 600_000;

export interface GroupServiceSettings extends GroupSettings {
  /** offsets.retention.minutes, in ms */
  readonly offsetsRetentionMs: number;
}

/** What the groups need of the topics: which partitions exist and where their logs end. */
export interface PartitionLookup {
  partition(topic: string, partition: number): { readonly highWatermark: number } | undefined;
}

export interface CommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** OffsetCommit v2–v4 retention_time_ms; -1 = offsets.retention.minutes. */
  retentionTimeMs: number;
  partitions: Array<{ topic: string; partition: number; offset: number; leaderEpoch: number; metadata: string | null }>;
}

/** One group as DescribeGroups shows it (GroupMetadata.summary). */
export interface GroupSummary {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }>;
}

const code = (name: KafkaErrorName): number => KafkaErrors[name].code;

/**
 * The consumer-group side of the broker: the coordinator (membership) and the committed offsets
 * (GroupCoordinator.handleCommitOffsets / handleFetchOffsets / handleDescribeGroup /
 * handleListGroups / handleDeleteGroups), with offset retention run on the injected clock.
 */
export class GroupService {
  private readonly retentionCheck: { cancel(): void };

  private constructor(readonly coordinator: GroupCoordinator, readonly offsets: OffsetStore, private readonly topics: PartitionLookup,
    private readonly clock: Clock, private readonly settings: GroupServiceSettings, private readonly logger: Logger) {
    this.retentionCheck = clock.setInterval(() => {
      this.expireOffsets().catch((err: unknown) => logger.error({ err }, 'kafka offset retention check failed'));
    }, OFFSETS_RETENTION_CHECK_INTERVAL_MS);
  }

  /**
   * Open the offsets store (data/kafka/groups). A group that was active when the broker stopped
   * has no members now: it became Empty at this start, and its retention counts from here.
   */
  static async open(storage: PersonalityStorage, topics: PartitionLookup, clock: Clock, settings: GroupServiceSettings, logger: Logger): Promise<GroupService> {
    const store = await storage.commandStore(groupsMachine, { dir: `${storage.dir}/groups` });
    const offsets = new OffsetStore(store, logger);
    try {
      for (const id of offsets.groupIds()) {
        const r = offsets.record(id)!;
        if (r.emptySince === null) await offsets.saveGroupState(id, r.generation, r.protocolType, clock.now());
      }
    } catch (err) {
      await offsets.close();
      throw err;
    }
    const coordinator = new GroupCoordinator(offsets, clock, settings, logger);
    return new GroupService(coordinator, offsets, topics, clock, settings, logger);
  }

  /** OffsetCommit: per partition, in request order, an error code once the commit is durable. */
  async commit(req: CommitRequest): Promise<number[]> {
    // KafkaApis.handleOffsetCommitRequest answers unknown topics and partitions itself; only the
    // others reach the group coordinator's checks (none at all when no partition is left).
    const known = req.partitions.map((p) => this.topics.partition(p.topic, p.partition) !== undefined);
    const refused = known.includes(true) ? this.refuseCommit(req) : null;
    const errors = req.partitions.map((p, i) => {
      if (!known[i]) return code('UNKNOWN_TOPIC_OR_PARTITION');
      if (refused) return code(refused);
      if (p.metadata !== null && Buffer.byteLength(p.metadata) > OFFSET_METADATA_MAX_BYTES) return code('OFFSET_METADATA_TOO_LARGE');
      return code('NONE');
    });
    const accepted: OffsetEntry[] = req.partitions.filter((_, i) => errors[i] === 0)
      .map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset, leaderEpoch: p.leaderEpoch, metadata: p.metadata ?? '' }));
    if (accepted.length > 0) {
      const now = this.clock.now();
      await this.offsets.commit(req.groupId, now, req.retentionTimeMs >= 0 ? now + req.retentionTimeMs : null, accepted);
    }
    return errors;
  }

  /**
   * GroupCoordinator.validateOffsetCommit: a commit of generation -1 without a member id is a
   * "simple" commit (standalone consumers, --reset-offsets), allowed only while the group has no
   * members; any other commit must come from a current member of the current generation, and
   * not while the group waits for its leader's SyncGroup. The empty group id is allowed here, as
   * in DeleteGroups (GroupCoordinator.isValidGroupId: "for backwards compatibility").
   */
  private refuseCommit(req: CommitRequest): KafkaErrorName | null {
    let group = this.coordinator.group(req.groupId);
    if (!group) {
      // handleCommitOffsets: a commit of generation ≥ 0 to an unknown group comes from an old generation.
      if (req.generationId >= 0) return 'ILLEGAL_GENERATION';
      group = this.coordinator.createGroup(req.groupId);
    }
    if (req.generationId >= 0 || req.memberId !== '' || req.groupInstanceId !== null) {
      const invalid = this.coordinator.validateMember(group, req);
      if (invalid) return invalid;
    } else if (!group.is('Empty')) return 'UNKNOWN_MEMBER_ID';
    if (group.is('CompletingRebalance')) return 'REBALANCE_IN_PROGRESS';
    const member = group.members.get(req.memberId);
    if (member) this.coordinator.scheduleHeartbeat(group, member);
    return null;
  }

  /** OffsetFetch: the named partitions (never committed → offset -1), or every committed one. */
  fetch(groupId: string, topics: Array<{ name: string; partitionIndexes: number[] }> | null): Array<{ topic: string; partitions: Array<[number, CommittedOffset | undefined]> }> {
    if (topics === null) return this.offsets.allCommitted(groupId);
    return topics.map((t) => ({
      topic: t.name, partitions: t.partitionIndexes.map((p): [number, CommittedOffset | undefined] => [p, this.offsets.committed(groupId, t.name, p)]),
    }));
  }

  /** DescribeGroups: an unknown group is "Dead" with no error; metadata and assignments only while Stable. */
  describe(groupId: string): GroupSummary {
    const group = this.coordinator.group(groupId);
    if (!group) return { groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
    const stable = group.is('Stable');
    return {
      groupId, state: group.state, protocolType: group.protocolType ?? '', protocol: stable ? group.protocolName ?? '' : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
        metadata: stable ? group.metadataOf(m) : Buffer.alloc(0), assignment: stable ? m.assignment : Buffer.alloc(0),
      })),
    };
  }

  /** ListGroups: every group the coordinator knows, active or only holding offsets. */
  list(): Array<{ groupId: string; protocolType: string; state: string }> {
    const ids = new Set([...this.offsets.groupIds(), ...[...this.coordinator.loadedGroups()].map((g) => g.groupId)]);
    return [...ids].sort().flatMap((id) => {
      const group = this.coordinator.group(id);
      return group && !group.is('Dead') ? [{ groupId: id, protocolType: group.protocolType ?? '', state: group.state }] : [];
    });
  }

  /** DeleteGroups: an Empty group and its offsets go (NON_EMPTY_GROUP while it has members). */
  async delete(groupId: string): Promise<number> {
    const group = this.coordinator.group(groupId);
    if (!group || group.is('Dead')) return code('GROUP_ID_NOT_FOUND');
    if (!group.is('Empty')) return code('NON_EMPTY_GROUP');
    this.coordinator.unload(groupId);
    if (this.offsets.record(groupId)) await this.offsets.deleteGroup(groupId);
    this.logger.info({ group: groupId }, 'kafka group deleted');
    return code('NONE');
  }

  /** A deleted topic's committed offsets go with it. */
  async topicDeleted(topic: string): Promise<void> {
    const removed = await this.offsets.dropTopic(topic);
    if (removed > 0) this.logger.info({ topic, offsets: removed }, 'kafka committed offsets of a deleted topic dropped');
    this.forgetDeadGroups();
  }

  /** Drop the offsets of topics that no longer exist (a crash between a topic's deletion and theirs). */
  async dropOffsetsOfMissingTopics(exists: (topic: string) => boolean): Promise<void> {
    const topics = new Set(this.offsets.groupIds().flatMap((id) => [...this.offsets.record(id)!.offsets.keys()]));
    for (const topic of topics) if (!exists(topic)) await this.topicDeleted(topic);
  }

  /** The retention check (offsets.retention.check.interval.ms): expire, then forget Empty groups
   *  left without offsets (GroupMetadataManager.cleanupGroupMetadata). */
  async expireOffsets(): Promise<number> {
    const isEmpty = (id: string): boolean => this.coordinator.group(id)?.is('Empty') ?? true;
    const found = this.offsets.findExpired(this.clock.now(), this.settings.offsetsRetentionMs, isEmpty);
    const removed = found.length > 0 ? await this.offsets.expire(found) : 0;
    if (removed > 0) this.logger.info({ groups: found.map((f) => f.group), offsets: removed }, 'kafka committed offsets expired');
    this.forgetDeadGroups();
    return removed;
  }

  /** GroupMetadataManager.cleanupGroupMetadata: an Empty group left without offsets is Dead. */
  private forgetDeadGroups(): void {
    for (const group of [...this.coordinator.loadedGroups()]) {
      if (group.is('Empty') && group.pending.size === 0 && !this.offsets.record(group.groupId)) this.coordinator.unload(group.groupId);
    }
  }

  /** Per group: how many groups are in each state, and the lag (log end − committed) summed over
   *  its committed partitions. */
  stats(): { byState: Map<string, number>; lag: Map<string, number> } {
    const byState = new Map<string, number>();
    const lag = new Map<string, number>();
    for (const { groupId, state } of this.list()) {
      byState.set(state, (byState.get(state) ?? 0) + 1);
      let sum = 0;
      for (const { topic, partitions } of this.offsets.allCommitted(groupId)) {
        for (const [p, o] of partitions) {
          const end = this.topics.partition(topic, p)?.highWatermark;
          if (end !== undefined && o.offset >= 0) sum += Math.max(end - o.offset, 0);
        }
      }
      lag.set(groupId, sum);
    }
    return { byState, lag };
  }

  async close(): Promise<void> {
    this.retentionCheck.cancel();
    this.coordinator.close();
    await this.offsets.close();
  }
}

export type { ClassicGroup };
