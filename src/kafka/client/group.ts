/**
 * A classic-protocol consumer group member for the console consumer (the Java consumer's
 * ConsumerCoordinator, reduced to one subscribed topic): FindCoordinator, JoinGroup (retried with
 * the member id on MEMBER_ID_REQUIRED, KIP-394), the leader computing the "range" assignment
 * (RangeAssignor), SyncGroup, heartbeats every heartbeat.interval.ms on the coordinator connection,
 * committed offsets read with OffsetFetch and written with OffsetCommit, LeaveGroup on close.
 * Member metadata and assignments use ConsumerProtocolSubscription / ConsumerProtocolAssignment v0.
 */
import { ApiKey } from '../protocol/api-keys.js';
import { check, KafkaResponseError } from './admin.js';
import { KafkaConnection, type Body } from './connection.js';

export interface GroupOptions {
  groupId: string;
  topic: string;
  clientId: string;
  partitions: number;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  heartbeatIntervalMs?: number;
}

const MEMBER_ID_REQUIRED = 79;
const REBALANCE_IN_PROGRESS = 27;
const UNKNOWN_MEMBER_ID = 25;
const ILLEGAL_GENERATION = 22;

export class GroupMember {
  private memberId = '';
  private generationId = -1;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Set when a heartbeat learns that the group rebalances: the owner must call rejoin(). */
  needsRejoin = false;
  assigned: number[] = [];

  private constructor(private readonly coordinator: KafkaConnection, private readonly opts: GroupOptions) {}

  /** Finds the group's coordinator (on its own connection, as the Java client has) and joins. */
  static async join(conn: KafkaConnection, opts: GroupOptions): Promise<GroupMember> {
    const found = await conn.request(ApiKey.FindCoordinator, { key: opts.groupId, keyType: 0 });
    check(found.errorCode as number, found.errorMessage as string | null | undefined);
    const coordinator = await KafkaConnection.connect({ bootstrap: `${found.host as string}:${found.port as number}`, clientId: opts.clientId });
    const member = new GroupMember(coordinator, opts);
    try {
      await member.rejoin();
    } catch (err) {
      coordinator.close();
      throw err;
    }
    return member;
  }

  /** JoinGroup + SyncGroup until this member has a generation and an assignment. */
  async rejoin(): Promise<number[]> {
    this.stopHeartbeat();
    for (;;) {
      const joined = await this.coordinator.request(ApiKey.JoinGroup, {
        groupId: this.opts.groupId, sessionTimeoutMs: this.opts.sessionTimeoutMs ?? 45_000,
        rebalanceTimeoutMs: this.opts.rebalanceTimeoutMs ?? 300_000, memberId: this.memberId, groupInstanceId: null,
        protocolType: 'consumer', protocols: [{ name: 'range', metadata: encodeSubscription([this.opts.topic]) }],
      });
      const code = joined.errorCode as number;
      if (code === MEMBER_ID_REQUIRED) { this.memberId = joined.memberId as string; continue; }
      if (code === UNKNOWN_MEMBER_ID) { this.memberId = ''; continue; }
      check(code);
      this.memberId = joined.memberId as string;
      this.generationId = joined.generationId as number;
      const leader = joined.leader === this.memberId;
      const assignments = leader ? rangeAssign(joined.members as Body[], this.opts.topic, this.opts.partitions) : [];
      const synced = await this.coordinator.request(ApiKey.SyncGroup, {
        groupId: this.opts.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: null, assignments,
      });
      if (synced.errorCode === REBALANCE_IN_PROGRESS) continue;
      check(synced.errorCode as number);
      this.assigned = decodeAssignment(synced.assignment as Buffer, this.opts.topic);
      this.needsRejoin = false;
      this.startHeartbeat();
      return this.assigned;
    }
  }

  /** Committed offsets of the assigned partitions (absent: none committed). */
  async committed(partitions: number[]): Promise<Map<number, bigint>> {
    const body = await this.coordinator.request(ApiKey.OffsetFetch, {
      groupId: this.opts.groupId, topics: [{ name: this.opts.topic, partitionIndexes: partitions }], requireStable: false,
    });
    check((body.errorCode as number | undefined) ?? 0);
    const out = new Map<number, bigint>();
    for (const t of body.topics as Body[]) {
      for (const p of t.partitions as Body[]) {
        check(p.errorCode as number);
        if ((p.committedOffset as bigint) >= 0n) out.set(p.partitionIndex as number, p.committedOffset as bigint);
      }
    }
    return out;
  }

  async commit(positions: Map<number, bigint>): Promise<void> {
    if (positions.size === 0) return;
    const body = await this.coordinator.request(ApiKey.OffsetCommit, {
      groupId: this.opts.groupId, generationIdOrMemberEpoch: this.generationId, memberId: this.memberId, groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [{ name: this.opts.topic, partitions: [...positions].map(([partitionIndex, committedOffset]) => ({
        partitionIndex, committedOffset, committedLeaderEpoch: -1, committedMetadata: '' })) }],
    });
    for (const t of body.topics as Body[]) for (const p of t.partitions as Body[]) check(p.errorCode as number);
  }

  /** LeaveGroup (best effort) and close the coordinator connection. */
  async leave(): Promise<void> {
    this.stopHeartbeat();
    try {
      // v3+ names the leaving members in a batch (KIP-345); before, the one member_id.
      const batched = (this.coordinator.usableVersion(ApiKey.LeaveGroup) ?? 0) >= 3;
      await this.coordinator.request(ApiKey.LeaveGroup, batched
        ? { groupId: this.opts.groupId, members: [{ memberId: this.memberId, groupInstanceId: null }] }
        : { groupId: this.opts.groupId, memberId: this.memberId });
    } catch { /* the session times out instead */ }
    this.coordinator.close();
  }

  private startHeartbeat(): void {
    this.heartbeat = setInterval(() => { void this.beat(); }, this.opts.heartbeatIntervalMs ?? 3000);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private async beat(): Promise<void> {
    try {
      const body = await this.coordinator.request(ApiKey.Heartbeat, {
        groupId: this.opts.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: null,
      });
      const code = body.errorCode as number;
      if (code === REBALANCE_IN_PROGRESS || code === ILLEGAL_GENERATION || code === UNKNOWN_MEMBER_ID) this.needsRejoin = true;
      else if (code !== 0) throw new KafkaResponseError(code);
    } catch {
      this.needsRejoin = true;
    }
  }
}

/** ConsumerProtocolSubscription v0: version, topics, user_data (null). */
export function encodeSubscription(topics: string[]): Buffer {
  const names = topics.map((t) => Buffer.from(t, 'utf8'));
  const out = Buffer.alloc(2 + 4 + names.reduce((n, b) => n + 2 + b.length, 0) + 4);
  let at = out.writeInt16BE(0, 0);
  at = out.writeInt32BE(names.length, at);
  for (const b of names) { at = out.writeInt16BE(b.length, at); at += b.copy(out, at); }
  out.writeInt32BE(-1, at);
  return out;
}

/** The topics of a ConsumerProtocolSubscription (any version: the topics come first). */
export function decodeSubscriptionTopics(data: Buffer): string[] {
  let at = 2;
  const count = data.readInt32BE(at); at += 4;
  const topics: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = data.readInt16BE(at); at += 2;
    topics.push(data.toString('utf8', at, at + n)); at += n;
  }
  return topics;
}

/** ConsumerProtocolAssignment v0 of one topic's partitions. */
export function encodeAssignment(topic: string, partitions: number[]): Buffer {
  const name = Buffer.from(topic, 'utf8');
  const out = Buffer.alloc(2 + 4 + 2 + name.length + 4 + 4 * partitions.length + 4);
  let at = out.writeInt16BE(0, 0);
  at = out.writeInt32BE(1, at);
  at = out.writeInt16BE(name.length, at);
  at += name.copy(out, at);
  at = out.writeInt32BE(partitions.length, at);
  for (const p of partitions) at = out.writeInt32BE(p, at);
  out.writeInt32BE(-1, at);
  return out;
}

/** Every (topic, partition) of a ConsumerProtocolAssignment (any version: the partitions come first). */
export function decodeAssignmentAll(data: Buffer | null): Array<{ topic: string; partition: number }> {
  if (data === null || data.length < 6) return [];
  let at = 2;
  const topics = data.readInt32BE(at); at += 4;
  const out: Array<{ topic: string; partition: number }> = [];
  for (let i = 0; i < topics; i++) {
    const n = data.readInt16BE(at); at += 2;
    const topic = data.toString('utf8', at, at + n); at += n;
    const count = data.readInt32BE(at); at += 4;
    for (let j = 0; j < count; j++) { out.push({ topic, partition: data.readInt32BE(at) }); at += 4; }
  }
  return out;
}

function decodeAssignment(data: Buffer, topic: string): number[] {
  return decodeAssignmentAll(data).filter((a) => a.topic === topic).map((a) => a.partition).sort((a, b) => a - b);
}

/** RangeAssignor: members subscribed to `topic` sorted by id, each a contiguous range, the first ones one more. */
export function rangeAssign(members: Body[], topic: string, partitions: number): Array<{ memberId: string; assignment: Buffer }> {
  const subscribed = members.filter((m) => decodeSubscriptionTopics(m.metadata as Buffer).includes(topic))
    .map((m) => m.memberId as string).sort();
  const per = Math.floor(partitions / Math.max(1, subscribed.length));
  const extra = partitions % Math.max(1, subscribed.length);
  return members.map((m) => {
    const i = subscribed.indexOf(m.memberId as string);
    if (i < 0) return { memberId: m.memberId as string, assignment: encodeAssignment(topic, []) };
    const start = i * per + Math.min(i, extra);
    const length = per + (i < extra ? 1 : 0);
    return { memberId: m.memberId as string, assignment: encodeAssignment(topic, Array.from({ length }, (_, k) => start + k)) };
  });
}
