/**
 * One classic consumer group in memory: Kafka's GroupMetadata (3.x, kafka.coordinator.group) with
 * its MemberMetadata — state, generation, members, leader, the chosen protocol. The rules of
 * joining and syncing live in the coordinator; this class keeps the data and the answers that only
 * read it (protocol selection, DescribeGroups summary).
 */

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface Protocol { readonly name: string; readonly metadata: Buffer }

/** What a parked JoinGroup gets back (JoinGroupResult). */
export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
}

export interface SyncResult { errorCode: number; assignment: Buffer }

export interface Cancellable { cancel(): void }

/** MemberMetadata. */
export interface Member {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocols: Protocol[];
  assignment: Buffer;
  awaitingJoin: ((r: JoinResult) => void) | null;
  awaitingSync: ((r: SyncResult) => void) | null;
  /** Joined in the rebalance under way (MemberMetadata.isNew). */
  isNew: boolean;
  /** The session timer (DelayedHeartbeat). */
  heartbeat: Cancellable | null;
}

export class ClassicGroup {
  state: GroupState = 'Empty';
  generation: number;
  protocolType: string | null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  /** Member ids handed out with MEMBER_ID_REQUIRED that have not joined yet (KIP-394), with
   *  their expiry timers. */
  readonly pending = new Map<string, Cancellable>();
  /** group.instance.id → member id (static membership, KIP-345). */
  readonly staticMembers = new Map<string, string>();
  /** Members that got their JoinGroup answer and owe a SyncGroup (GroupMetadata.pendingSyncMembers). */
  readonly pendingSync = new Set<string>();
  /** The running join timer (DelayedJoin / InitialDelayedJoin) and sync timer (DelayedSync). */
  joinTimer: Cancellable | null = null;
  syncTimer: Cancellable | null = null;
  /** The join timer is an InitialDelayedJoin, which never completes early. */
  inInitialDelay = false;
  /** InitialDelayedJoin: a member joined during the delay, so it is extended. */
  newMemberAdded = false;

  constructor(readonly groupId: string, generation = 0, protocolType: string | null = null) {
    this.generation = generation;
    this.protocolType = protocolType;
  }

  is(state: GroupState): boolean { return this.state === state; }

  /** GroupMetadata.add: the first member sets the protocol type and leads. */
  add(member: Member, protocolType: string): void {
    if (this.members.size === 0) this.protocolType = protocolType;
    this.leaderId ??= member.memberId;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
  }

  remove(memberId: string): Member | undefined {
    const member = this.members.get(memberId);
    if (!member) return undefined;
    member.heartbeat?.cancel();
    this.members.delete(memberId);
    this.pendingSync.delete(memberId);
    if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) {
      this.staticMembers.delete(member.groupInstanceId);
    }
    // GroupMetadata.remove: the next member in line leads.
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
    return member;
  }

  /** The longest rebalance timeout of the members (GroupMetadata.rebalanceTimeoutMs). */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /** Members every member supports (GroupMetadata.candidateProtocols). */
  candidateProtocols(): Set<string> {
    const counts = new Map<string, number>();
    // Each member counts a name once, however often it lists it (MemberMetadata.protocols is a set).
    for (const m of this.members.values()) for (const name of new Set(m.protocols.map((p) => p.name))) counts.set(name, (counts.get(name) ?? 0) + 1);
    return new Set([...counts].filter(([, n]) => n === this.members.size).map(([name]) => name));
  }

  /** GroupMetadata.supportsProtocols: a first member needs a protocol type and a protocol; later
   *  ones the group's type and a protocol every current member supports. */
  supportsProtocols(protocolType: string, protocols: readonly Protocol[]): boolean {
    if (this.members.size === 0) return protocolType !== '' && protocols.length > 0;
    const candidates = this.candidateProtocols();
    return this.protocolType === protocolType && protocols.some((p) => candidates.has(p.name));
  }

  /**
   * GroupMetadata.selectProtocol: among the protocols all members support, each member votes for
   * the first of its own list; the most votes win (ties: the earliest in the leader's list, where
   * Kafka's choice among equals is unspecified).
   */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const vote = m.protocols.find((p) => candidates.has(p.name))?.name;
      if (vote !== undefined) votes.set(vote, (votes.get(vote) ?? 0) + 1);
    }
    const order = (this.leaderId ? this.members.get(this.leaderId)?.protocols.map((p) => p.name) : undefined) ?? [...candidates];
    let best = '';
    let bestVotes = -1;
    for (const name of order) {
      const n = votes.get(name) ?? 0;
      if (candidates.has(name) && n > bestVotes) { best = name; bestVotes = n; }
    }
    return best;
  }

  hasAllMembersJoined(): boolean {
    for (const m of this.members.values()) if (!m.awaitingJoin) return false;
    return this.pending.size === 0;
  }

  /** The member's metadata for the chosen protocol (MemberMetadata.metadata). */
  metadataOf(member: Member, protocol = this.protocolName): Buffer {
    return member.protocols.find((p) => p.name === protocol)?.metadata ?? Buffer.alloc(0);
  }

  /** The leader's JoinGroup members list (GroupMetadata.currentMemberMetadata). */
  currentMemberMetadata(): JoinResult['members'] {
    return [...this.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: this.metadataOf(m) }));
  }

  /** The answer to a member's JoinGroup for the current generation; only the leader gets the members. */
  joinResultFor(memberId: string, errorCode = 0): JoinResult {
    return {
      errorCode, generationId: this.generation, protocolName: this.protocolName ?? '', leader: this.leaderId ?? '', memberId,
      members: memberId === this.leaderId ? this.currentMemberMetadata() : [],
    };
  }
}
