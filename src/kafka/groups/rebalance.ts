import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { KafkaErrors } from '../errors.js';
import type { ClassicGroup, JoinResult, Member } from './group.js';
import type { OffsetStore } from './offset-store.js';

const REBALANCE_IN_PROGRESS = KafkaErrors.REBALANCE_IN_PROGRESS.code;
const UNKNOWN_MEMBER_ID = KafkaErrors.UNKNOWN_MEMBER_ID.code;

/** A JoinGroup answer carrying only an error (GroupCoordinator.joinError). */
export function joinError(memberId: string, errorCode: number): JoinResult {
  return { errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
}

/**
 * The timed half of the classic group coordinator (Kafka's GroupCoordinator with its
 * DelayedJoin, InitialDelayedJoin, DelayedSync and DelayedHeartbeat purgatories): preparing a
 * rebalance, completing the join when every member rejoined or the rebalance timeout fired,
 * dropping members whose session expired or who never synced. Every timer runs on the injected
 * clock. A generation change is persisted with the offsets (generation, protocol type, when the
 * group became Empty).
 */
export class Rebalancer {
  constructor(private readonly offsets: OffsetStore, private readonly clock: Clock, private readonly initialRebalanceDelayMs: number,
    private readonly logger: Logger) {}

  maybePrepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.is('Stable') || group.is('CompletingRebalance') || group.is('Empty')) this.prepareRebalance(group, reason);
  }

  private prepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.is('CompletingRebalance')) {
      // resetAndPropagateAssignmentError: followers parked in SyncGroup must rejoin.
      for (const m of group.members.values()) {
        m.assignment = Buffer.alloc(0);
        const waiting = m.awaitingSync;
        m.awaitingSync = null;
        waiting?.({ errorCode: REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
      }
    }
    group.syncTimer?.cancel();
    group.syncTimer = null;
    group.pendingSync.clear();
    const wasEmpty = group.is('Empty');
    group.state = 'PreparingRebalance';
    this.logger.info({ group: group.groupId, generation: group.generation, reason }, 'kafka group rebalancing');
    const timeout = group.rebalanceTimeoutMs();
    if (wasEmpty) {
      group.newMemberAdded = false;
      const delay = Math.min(this.initialRebalanceDelayMs, timeout);
      this.scheduleInitialDelayedJoin(group, delay, Math.max(timeout - this.initialRebalanceDelayMs, 0));
    } else {
      group.joinTimer?.cancel();
      group.inInitialDelay = false;
      group.joinTimer = this.clock.setTimeout(() => this.completeJoin(group), timeout);
    }
  }

  /** InitialDelayedJoin: wait the delay; if members joined meanwhile, again, up to the rebalance timeout. */
  private scheduleInitialDelayedJoin(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    group.joinTimer?.cancel();
    const initial = this.clock.setTimeout(() => {
      if (group.newMemberAdded && remainingMs > 0) {
        group.newMemberAdded = false;
        const delay = Math.min(this.initialRebalanceDelayMs, remainingMs);
        this.scheduleInitialDelayedJoin(group, delay, Math.max(remainingMs - this.initialRebalanceDelayMs, 0));
      } else this.completeJoin(group);
    }, delayMs);
    group.joinTimer = initial;
    group.inInitialDelay = true;
  }

  /** DelayedJoin.tryComplete: done early once every member has rejoined (never during the initial delay). */
  tryCompleteJoin(group: ClassicGroup): void {
    if (!group.is('PreparingRebalance') || group.inInitialDelay) return;
    if (group.hasAllMembersJoined()) this.completeJoin(group);
  }

  /** GroupCoordinator.onCompleteJoin: drop who did not rejoin, start the next generation, answer every JoinGroup. */
  private completeJoin(group: ClassicGroup): void {
    if (!group.is('PreparingRebalance')) return;
    group.joinTimer?.cancel();
    group.joinTimer = null;
    group.inInitialDelay = false;
    for (const m of [...group.members.values()]) {
      if (m.awaitingJoin) continue;
      group.remove(m.memberId);
      this.logger.info({ group: group.groupId, member: m.memberId }, 'kafka group member removed: did not rejoin in time');
    }
    group.generation++;
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.protocolName = null;
      group.leaderId = null;
      this.offsets.saveGroupStateLater(group.groupId, group.generation, group.protocolType, this.clock.now());
      this.logger.info({ group: group.groupId, generation: group.generation }, 'kafka group is empty');
      return;
    }
    group.protocolName = group.selectProtocol();
    group.state = 'CompletingRebalance';
    this.offsets.saveGroupStateLater(group.groupId, group.generation, group.protocolType, null);
    this.logger.info({ group: group.groupId, generation: group.generation, members: group.members.size, protocol: group.protocolName },
      'kafka group generation started');
    for (const m of group.members.values()) {
      const reply = m.awaitingJoin!;
      m.awaitingJoin = null;
      m.isNew = false;
      group.pendingSync.add(m.memberId);
      this.scheduleHeartbeat(group, m);
      reply(group.joinResultFor(m.memberId));
    }
    const generation = group.generation;
    group.syncTimer = this.clock.setTimeout(() => this.expirePendingSync(group, generation), group.rebalanceTimeoutMs());
  }

  /** DelayedSync: members that got their JoinGroup answer but never synced are removed. */
  private expirePendingSync(group: ClassicGroup, generation: number): void {
    if (group.generation !== generation || !(group.is('CompletingRebalance') || group.is('Stable')) || group.pendingSync.size === 0) return;
    const late = [...group.pendingSync];
    for (const id of late) group.remove(id);
    this.logger.info({ group: group.groupId, members: late }, 'kafka group members removed: no SyncGroup within the rebalance timeout');
    this.prepareRebalance(group, 'members did not sync');
    this.tryCompleteJoin(group);
  }

  scheduleHeartbeat(group: ClassicGroup, member: Member): void {
    member.heartbeat?.cancel();
    member.heartbeat = this.clock.setTimeout(() => this.expireMember(group, member.memberId), member.sessionTimeoutMs);
  }

  /** onExpireHeartbeat: a member parked in JoinGroup or SyncGroup is kept (the rebalance timeout covers it). */
  private expireMember(group: ClassicGroup, memberId: string): void {
    const member = group.members.get(memberId);
    if (!member || member.awaitingJoin || member.awaitingSync) return;
    this.logger.info({ group: group.groupId, member: memberId, sessionTimeoutMs: member.sessionTimeoutMs }, 'kafka group member session expired');
    this.removeMemberAndUpdateGroup(group, member, `member ${memberId} session expired`);
  }

  expirePendingMember(group: ClassicGroup, memberId: string): void {
    if (!group.pending.delete(memberId)) return;
    this.tryCompleteJoin(group);
  }

  removeMemberAndUpdateGroup(group: ClassicGroup, member: Member, reason: string): void {
    // A request of the member still parked (a JoinGroup, or a SyncGroup of a member leaving) is answered.
    const waiting = member.awaitingJoin;
    const syncing = member.awaitingSync;
    member.awaitingJoin = null;
    member.awaitingSync = null;
    waiting?.(joinError(member.memberId, UNKNOWN_MEMBER_ID));
    syncing?.({ errorCode: UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    group.remove(member.memberId);
    if (group.is('Stable') || group.is('CompletingRebalance')) this.prepareRebalance(group, reason);
    this.tryCompleteJoin(group);
  }
}
