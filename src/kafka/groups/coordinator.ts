import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { KafkaErrors, type KafkaErrorName } from '../errors.js';
import { ClassicGroup, type JoinResult, type Member, type Protocol, type SyncResult } from './group.js';
import type { OffsetStore } from './offset-store.js';
import { joinError as joinErrorCode, Rebalancer } from './rebalance.js';

/** The coordinator's settings (GroupCoordinatorConfig). */
export interface GroupSettings {
  /** group.initial.rebalance.delay.ms */
  readonly initialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms / group.max.session.timeout.ms */
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
}

export interface JoinRequest {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Protocol[];
  /** JoinGroup v4+ (KIP-394): a new dynamic member first gets MEMBER_ID_REQUIRED. */
  requireKnownMemberId: boolean;
}

export interface MemberRef { groupId: string; memberId: string; groupInstanceId: string | null; generationId: number }

const code = (name: KafkaErrorName): number => KafkaErrors[name].code;

function joinError(memberId: string, error: KafkaErrorName): JoinResult {
  return joinErrorCode(memberId, code(error));
}

function sameProtocols(a: readonly Protocol[], b: readonly Protocol[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]!.name && p.metadata.equals(b[i]!.metadata));
}

/**
 * The group coordinator of this broker, which coordinates every group: Kafka's classic
 * GroupCoordinator (3.x) — JoinGroup, SyncGroup, Heartbeat and LeaveGroup driving the state
 * machine Empty → PreparingRebalance → CompletingRebalance → Stable; the timed transitions
 * (session, rebalance, initial delay, pending sync, on the injected clock) are rebalance.ts's.
 * Membership is in memory; the generation, protocol type and Empty-since time are persisted with
 * the offsets.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, ClassicGroup>();
  private readonly rebalance: Rebalancer;

  constructor(readonly offsets: OffsetStore, private readonly clock: Clock, private readonly settings: GroupSettings,
    private readonly logger: Logger) {
    this.rebalance = new Rebalancer(offsets, clock, settings.initialRebalanceDelayMs, logger);
  }

  /** Restart the member's session timer (every Heartbeat, SyncGroup and OffsetCommit of it). */
  scheduleHeartbeat(group: ClassicGroup, member: Member): void { this.rebalance.scheduleHeartbeat(group, member); }

  /** The group in memory, or as the offset store remembers it (Empty), or undefined. */
  group(groupId: string): ClassicGroup | undefined {
    let group = this.groups.get(groupId);
    if (!group) {
      const r = this.offsets.record(groupId);
      if (!r) return undefined;
      group = new ClassicGroup(groupId, r.generation, r.protocolType);
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** Groups in memory (the offset store's others are Empty and load on first use). */
  loadedGroups(): IterableIterator<ClassicGroup> { return this.groups.values(); }

  /** A new Empty group (GroupMetadataManager.addGroup). */
  createGroup(groupId: string): ClassicGroup {
    const group = this.group(groupId) ?? new ClassicGroup(groupId);
    this.groups.set(groupId, group);
    return group;
  }

  /** Forget a group (DeleteGroups, or an Empty group without offsets at cleanup). */
  unload(groupId: string): void {
    const group = this.groups.get(groupId);
    if (!group) return;
    group.state = 'Dead';
    for (const t of group.pending.values()) t.cancel();
    group.joinTimer?.cancel();
    group.syncTimer?.cancel();
    this.groups.delete(groupId);
  }

  // ---- JoinGroup (GroupCoordinator.handleJoinGroup) ----

  join(req: JoinRequest): Promise<JoinResult> {
    if (req.groupId === '') return Promise.resolve(joinError(req.memberId, 'INVALID_GROUP_ID'));
    if (req.sessionTimeoutMs < this.settings.minSessionTimeoutMs || req.sessionTimeoutMs > this.settings.maxSessionTimeoutMs) {
      return Promise.resolve(joinError(req.memberId, 'INVALID_SESSION_TIMEOUT'));
    }
    const isNew = req.memberId === '';
    const group = isNew ? this.createGroup(req.groupId) : this.group(req.groupId);
    if (!group) return Promise.resolve(joinError(req.memberId, 'UNKNOWN_MEMBER_ID'));
    if (!group.supportsProtocols(req.protocolType, req.protocols)) return Promise.resolve(joinError(req.memberId, 'INCONSISTENT_GROUP_PROTOCOL'));
    return new Promise((resolve) => {
      if (isNew) this.joinNewMember(group, req, resolve);
      else this.joinCurrentMember(group, req, resolve);
    });
  }

  private joinNewMember(group: ClassicGroup, req: JoinRequest, reply: (r: JoinResult) => void): void {
    const memberId = `${req.groupInstanceId ?? req.clientId}-${randomUUID()}`;
    if (req.groupInstanceId !== null) {
      const oldMemberId = group.staticMembers.get(req.groupInstanceId);
      if (oldMemberId !== undefined) return this.rejoinStaticMember(group, oldMemberId, memberId, req, reply);
    } else if (req.requireKnownMemberId) {
      // KIP-394: remember the id until the member comes back with it (or its session ends).
      group.pending.set(memberId, this.clock.setTimeout(() => this.rebalance.expirePendingMember(group, memberId), req.sessionTimeoutMs));
      return reply(joinError(memberId, 'MEMBER_ID_REQUIRED'));
    }
    this.addMemberAndRebalance(group, req, memberId, reply);
  }

  private joinCurrentMember(group: ClassicGroup, req: JoinRequest, reply: (r: JoinResult) => void): void {
    const { memberId, groupInstanceId } = req;
    if (group.pending.has(memberId)) {
      group.pending.get(memberId)!.cancel();
      group.pending.delete(memberId);
      return this.addMemberAndRebalance(group, req, memberId, reply);
    }
    if (this.isFenced(group, groupInstanceId, memberId)) return reply(joinError(memberId, 'FENCED_INSTANCE_ID'));
    const member = group.members.get(memberId);
    if (!member || (groupInstanceId !== null && !group.staticMembers.has(groupInstanceId))) return reply(joinError(memberId, 'UNKNOWN_MEMBER_ID'));
    const unchanged = sameProtocols(member.protocols, req.protocols);
    // CompletingRebalance: the member missed its JoinGroup answer; Stable: a follower asking again.
    if ((group.is('CompletingRebalance') && unchanged) || (group.is('Stable') && unchanged && group.leaderId !== memberId)) {
      this.rebalance.scheduleHeartbeat(group, member);
      return reply(group.joinResultFor(memberId));
    }
    this.updateMemberAndRebalance(group, member, req, reply);
  }

  private addMemberAndRebalance(group: ClassicGroup, req: JoinRequest, memberId: string, reply: (r: JoinResult) => void): void {
    const member: Member = {
      memberId, groupInstanceId: req.groupInstanceId, clientId: req.clientId, clientHost: req.clientHost,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs, sessionTimeoutMs: req.sessionTimeoutMs, protocols: req.protocols,
      assignment: Buffer.alloc(0), awaitingJoin: reply, awaitingSync: null, isNew: true, heartbeat: null,
    };
    // InitialDelayedJoin waits once more when someone joined during the delay.
    if (group.is('PreparingRebalance') && group.generation === 0) group.newMemberAdded = true;
    group.add(member, req.protocolType);
    this.rebalance.scheduleHeartbeat(group, member);
    this.logger.debug({ group: group.groupId, member: memberId }, 'kafka group member joined');
    this.rebalance.maybePrepareRebalance(group, `member ${memberId} joined`);
    this.rebalance.tryCompleteJoin(group);
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: Member, req: JoinRequest, reply: (r: JoinResult) => void): void {
    member.protocols = req.protocols;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    // A repeated JoinGroup of a member already waiting: both requests get the same answer.
    const earlier = member.awaitingJoin;
    member.awaitingJoin = earlier ? (r) => { earlier(r); reply(r); } : reply;
    this.rebalance.maybePrepareRebalance(group, `member ${member.memberId} rejoined`);
    this.rebalance.tryCompleteJoin(group);
  }

  /**
   * A known group.instance.id joins with a new member id (GroupCoordinator.updateStaticMemberAndRebalance):
   * the old id is fenced; in a Stable group whose protocol choice stays the same the member just
   * takes its place without a rebalance, otherwise (and while CompletingRebalance, whose leader may
   * have assigned to the old id) the group rebalances.
   */
  private rejoinStaticMember(group: ClassicGroup, oldMemberId: string, newMemberId: string, req: JoinRequest, reply: (r: JoinResult) => void): void {
    const old = group.members.get(oldMemberId)!;
    const currentLeader = group.leaderId ?? '';
    old.heartbeat?.cancel();
    old.awaitingJoin?.(joinError(oldMemberId, 'FENCED_INSTANCE_ID'));
    old.awaitingSync?.({ errorCode: code('FENCED_INSTANCE_ID'), assignment: Buffer.alloc(0) });
    const member: Member = { ...old, memberId: newMemberId, clientId: req.clientId, clientHost: req.clientHost, awaitingJoin: null, awaitingSync: null, heartbeat: null };
    group.members.delete(oldMemberId);
    group.members.set(newMemberId, member);
    group.staticMembers.set(req.groupInstanceId!, newMemberId);
    if (group.leaderId === oldMemberId) group.leaderId = newMemberId;
    if (group.pendingSync.delete(oldMemberId)) group.pendingSync.add(newMemberId);
    this.logger.info({ group: group.groupId, instance: req.groupInstanceId, oldMember: oldMemberId, member: newMemberId }, 'kafka static member replaced');
    if (group.is('Stable')) {
      const before = member.protocols;
      member.protocols = req.protocols;
      if (group.selectProtocol() === group.protocolName) {
        member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
        member.sessionTimeoutMs = req.sessionTimeoutMs;
        this.rebalance.scheduleHeartbeat(group, member);
        // The leader id as it was: the rejoined member never takes itself for the leader and
        // computes no assignment a Stable group would not hand out anyway.
        return reply({ ...group.joinResultFor(newMemberId), leader: currentLeader, members: [] });
      }
      member.protocols = before;
    }
    this.updateMemberAndRebalance(group, member, req, reply);
  }

  /** GroupMetadata.isStaticMemberFenced: the instance id belongs to another member id now. */
  isFenced(group: ClassicGroup, groupInstanceId: string | null, memberId: string): boolean {
    if (groupInstanceId === null) return false;
    const current = group.staticMembers.get(groupInstanceId);
    return current !== undefined && current !== memberId;
  }

  /** validateCurrentMember: FENCED_INSTANCE_ID, UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION or null. */
  validateMember(group: ClassicGroup, ref: MemberRef): KafkaErrorName | null {
    if (this.isFenced(group, ref.groupInstanceId, ref.memberId)) return 'FENCED_INSTANCE_ID';
    if (!group.members.has(ref.memberId)) return 'UNKNOWN_MEMBER_ID';
    if (ref.generationId !== group.generation) return 'ILLEGAL_GENERATION';
    return null;
  }

  // ---- Heartbeat, SyncGroup, LeaveGroup ----

  /** GroupCoordinator.handleHeartbeat */
  heartbeat(ref: MemberRef): number {
    const group = this.group(ref.groupId);
    if (!group) return code('UNKNOWN_MEMBER_ID');
    const invalid = this.validateMember(group, ref);
    if (invalid) return code(invalid);
    const member = group.members.get(ref.memberId)!;
    this.rebalance.scheduleHeartbeat(group, member);
    return group.is('PreparingRebalance') ? code('REBALANCE_IN_PROGRESS') : code('NONE');
  }

  /** GroupCoordinator.handleSyncGroup: followers wait for the leader, whose assignments are stored
   *  and handed out verbatim. */
  sync(ref: MemberRef, assignments: ReadonlyArray<{ memberId: string; assignment: Buffer }>): Promise<SyncResult> {
    const fail = (name: KafkaErrorName): Promise<SyncResult> => Promise.resolve({ errorCode: code(name), assignment: Buffer.alloc(0) });
    const group = this.group(ref.groupId);
    if (!group) return fail('UNKNOWN_MEMBER_ID');
    const invalid = this.validateMember(group, ref);
    if (invalid) return fail(invalid);
    if (group.is('PreparingRebalance')) return fail('REBALANCE_IN_PROGRESS');
    const member = group.members.get(ref.memberId)!;
    group.pendingSync.delete(member.memberId);
    this.rebalance.scheduleHeartbeat(group, member);
    if (group.is('Stable')) return Promise.resolve({ errorCode: 0, assignment: member.assignment });
    return new Promise((resolve) => {
      member.awaitingSync = resolve;
      if (group.leaderId === member.memberId) this.completeSync(group, assignments);
    });
  }

  /** setAndPropagateAssignment: every member gets its bytes (none given → empty), the group is Stable. */
  private completeSync(group: ClassicGroup, assignments: ReadonlyArray<{ memberId: string; assignment: Buffer }>): void {
    const given = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    group.state = 'Stable';
    for (const m of group.members.values()) {
      m.assignment = given.get(m.memberId) ?? Buffer.alloc(0);
      const waiting = m.awaitingSync;
      m.awaitingSync = null;
      if (waiting) {
        this.rebalance.scheduleHeartbeat(group, m);
        waiting({ errorCode: 0, assignment: m.assignment });
      }
    }
    if (group.pendingSync.size === 0) { group.syncTimer?.cancel(); group.syncTimer = null; }
    this.logger.info({ group: group.groupId, generation: group.generation }, 'kafka group stable');
  }

  /** GroupCoordinator.handleLeaveGroup: per member NONE, UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID. */
  leave(groupId: string, leaving: ReadonlyArray<{ memberId: string; groupInstanceId: string | null }>): number[] {
    const group = this.group(groupId);
    return leaving.map(({ memberId, groupInstanceId }) => {
      if (!group) return code('UNKNOWN_MEMBER_ID');
      const id = memberId === '' && groupInstanceId !== null ? group.staticMembers.get(groupInstanceId) ?? '' : memberId;
      if (this.isFenced(group, groupInstanceId, id)) return code('FENCED_INSTANCE_ID');
      if (group.pending.has(id)) {
        group.pending.get(id)!.cancel();
        this.rebalance.expirePendingMember(group, id);
        return code('NONE');
      }
      const member = group.members.get(id);
      if (!member) return code('UNKNOWN_MEMBER_ID');
      this.logger.info({ group: groupId, member: id }, 'kafka group member left');
      this.rebalance.removeMemberAndUpdateGroup(group, member, `member ${id} left`);
      return code('NONE');
    });
  }

  close(): void {
    for (const id of [...this.groups.keys()]) {
      const group = this.groups.get(id)!;
      for (const m of group.members.values()) m.heartbeat?.cancel();
      this.unload(id);
    }
  }
}
