import type { StateMachine } from '../../core/state/state-machine.js';

/**
 * The durable part of the consumer groups: committed offsets and, per group, what Kafka's
 * GroupMetadataValue record keeps that matters after a restart (generation, protocol type, when
 * the group became Empty). Kafka writes these as records of __consumer_offsets
 * (GroupMetadataManager.storeOffsets / storeGroup); here they are commands of one store.
 * Membership itself stays in memory: members rejoin after a restart as after a coordinator move.
 */

/** One committed offset (Kafka's OffsetAndMetadata / OffsetCommitValue). */
export interface CommittedOffset {
  readonly offset: number;
  /** OffsetCommit v6+ committed_leader_epoch; -1 when not given. */
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestamp: number;
  /** OffsetCommit v2–v4 retention_time_ms → commit time + retention; null = the broker's rule. */
  readonly expireTimestamp: number | null;
}

export interface GroupRecord {
  /** Monotonic across restarts (kept with the offsets, as GroupMetadataValue.generation). */
  generation: number;
  /** "consumer" for groups that used JoinGroup; null for a group that only commits (standalone
   *  consumers, --reset-offsets), whose offsets expire from their commit time. */
  protocolType: string | null;
  /** When the group last became Empty (KIP-211: retention counts from here); null while active. */
  emptySince: number | null;
  /** topic → partition → offset */
  offsets: Map<string, Map<number, CommittedOffset>>;
}

export interface GroupsState { groups: Map<string, GroupRecord> }

export interface OffsetEntry { topic: string; partition: number; offset: number; leaderEpoch: number; metadata: string }

/** Mutations; each carries everything apply needs, the time included (principle 1). */
export type GroupCommand =
  | { type: 'commitOffsets'; group: string; at: number; expireAt: number | null; offsets: OffsetEntry[] }
  | { type: 'groupState'; group: string; generation: number; protocolType: string | null; emptySince: number | null }
  /** Drop offsets whose commit is the one the expiry check saw (a newer commit stays). */
  | { type: 'expireOffsets'; group: string; partitions: Array<{ topic: string; partition: number; commitTimestamp: number }> }
  | { type: 'deleteGroup'; group: string }
  | { type: 'deleteTopicOffsets'; topic: string };

function record(state: GroupsState, group: string): GroupRecord {
  let r = state.groups.get(group);
  if (!r) {
    r = { generation: 0, protocolType: null, emptySince: null, offsets: new Map() };
    state.groups.set(group, r);
  }
  return r;
}

function offsetCount(r: GroupRecord): number {
  let n = 0;
  for (const parts of r.offsets.values()) n += parts.size;
  return n;
}

/** GroupMetadataManager.cleanupGroupMetadata: an Empty group without offsets is Dead and goes. */
function dropIfDead(state: GroupsState, group: string): void {
  const r = state.groups.get(group);
  if (r && r.emptySince !== null && offsetCount(r) === 0) state.groups.delete(group);
}

function applyCommit(state: GroupsState, c: Extract<GroupCommand, { type: 'commitOffsets' }>): void {
  const r = record(state, c.group);
  // A commit to a group nobody joined is a standalone group: Empty from the start.
  if (r.protocolType === null && r.emptySince === null) r.emptySince = c.at;
  for (const o of c.offsets) {
    let parts = r.offsets.get(o.topic);
    if (!parts) r.offsets.set(o.topic, parts = new Map());
    parts.set(o.partition, { offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata, commitTimestamp: c.at, expireTimestamp: c.expireAt });
  }
}

function applyExpire(state: GroupsState, c: Extract<GroupCommand, { type: 'expireOffsets' }>): number {
  const r = state.groups.get(c.group);
  if (!r) return 0;
  let removed = 0;
  for (const p of c.partitions) {
    const parts = r.offsets.get(p.topic);
    if (parts?.get(p.partition)?.commitTimestamp !== p.commitTimestamp) continue;
    parts.delete(p.partition);
    removed++;
    if (parts.size === 0) r.offsets.delete(p.topic);
  }
  dropIfDead(state, c.group);
  return removed;
}

interface GroupsImage { groups: Array<[string, { generation: number; protocolType: string | null; emptySince: number | null; offsets: Array<[string, Array<[number, CommittedOffset]>]> }]> }

export const groupsMachine: StateMachine<GroupsState, GroupCommand> = {
  initial: () => ({ groups: new Map() }),
  apply(state, command): unknown {
    switch (command.type) {
      case 'commitOffsets':
        applyCommit(state, command);
        return true;
      case 'groupState': {
        const r = record(state, command.group);
        r.generation = Math.max(r.generation, command.generation);
        r.protocolType = command.protocolType;
        r.emptySince = command.emptySince;
        dropIfDead(state, command.group);
        return true;
      }
      case 'expireOffsets':
        return applyExpire(state, command);
      case 'deleteGroup':
        return state.groups.delete(command.group);
      case 'deleteTopicOffsets': {
        let removed = 0;
        for (const [group, r] of [...state.groups]) {
          removed += r.offsets.get(command.topic)?.size ?? 0;
          r.offsets.delete(command.topic);
          dropIfDead(state, group);
        }
        return removed;
      }
    }
  },
  snapshot: (state): GroupsImage => ({
    groups: [...state.groups].map(([id, r]) => [id, {
      generation: r.generation, protocolType: r.protocolType, emptySince: r.emptySince,
      offsets: [...r.offsets].map(([topic, parts]) => [topic, [...parts]]),
    }]),
  }),
  restore(image) {
    const { groups } = image as GroupsImage;
    return {
      groups: new Map(groups.map(([id, r]) => [id, {
        generation: r.generation, protocolType: r.protocolType, emptySince: r.emptySince,
        offsets: new Map(r.offsets.map(([topic, parts]) => [topic, new Map(parts)])),
      }])),
    };
  },
};
