/**
 * The consumer-group calls of the Java Admin client that kafka-consumer-groups.sh makes
 * (listConsumerGroups, describeConsumerGroups, listConsumerGroupOffsets, alterConsumerGroupOffsets,
 * deleteConsumerGroups): ListGroups on the bootstrap broker, the rest on the group's coordinator.
 */
import { ApiKey } from '../protocol/api-keys.js';
import { check } from './admin.js';
import { KafkaConnection, type Body } from './connection.js';
import { decodeAssignmentAll } from './group.js';

export interface GroupMemberInfo { memberId: string; clientId: string; host: string; assignment: Array<{ topic: string; partition: number }> }
export interface GroupInfo { groupId: string; errorCode: number; state: string; protocolType: string; members: GroupMemberInfo[] }
export type TopicPartitionKey = `${string}\u0000${number}`;

export function tpKey(topic: string, partition: number): TopicPartitionKey { return `${topic}\u0000${partition}`; }
export function tpOf(key: TopicPartitionKey): { topic: string; partition: number } {
  const at = key.lastIndexOf('\u0000');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

/** Consumer groups (protocol type "consumer", or "" for offset-only groups), as listConsumerGroups keeps them. */
export async function listGroups(conn: KafkaConnection): Promise<string[]> {
  const body = await conn.request(ApiKey.ListGroups, {});
  check(body.errorCode as number);
  return (body.groups as Body[]).filter((g) => g.protocolType === 'consumer' || g.protocolType === '').map((g) => g.groupId as string);
}

/** A connection to the group's coordinator (FindCoordinator with key type GROUP). */
export async function coordinatorFor(conn: KafkaConnection, groupId: string): Promise<KafkaConnection> {
  const found = await conn.request(ApiKey.FindCoordinator, { key: groupId, keyType: 0 });
  check(found.errorCode as number, found.errorMessage as string | null | undefined);
  return KafkaConnection.connect({ bootstrap: `${found.host as string}:${found.port as number}`, clientId: conn.clientId });
}

export async function describeGroup(coordinator: KafkaConnection, groupId: string): Promise<GroupInfo> {
  const body = await coordinator.request(ApiKey.DescribeGroups, { groups: [groupId], includeAuthorizedOperations: false });
  const g = (body.groups as Body[])[0]!;
  return {
    groupId, errorCode: g.errorCode as number, state: g.groupState as string, protocolType: g.protocolType as string,
    members: (g.members as Body[]).map((m) => ({
      memberId: m.memberId as string, clientId: m.clientId as string, host: m.clientHost as string,
      assignment: g.protocolType === 'consumer' ? safeAssignment(m.memberAssignment as Buffer | null) : [],
    })),
  };
}

function safeAssignment(data: Buffer | null): Array<{ topic: string; partition: number }> {
  try { return decodeAssignmentAll(data); } catch { return []; }
}

/** Every committed offset of the group (OffsetFetch v2+ with topics=null), by topic-partition. */
export async function groupOffsets(coordinator: KafkaConnection, groupId: string): Promise<Map<TopicPartitionKey, bigint>> {
  const body = await coordinator.request(ApiKey.OffsetFetch, { groupId, topics: null, requireStable: false });
  check((body.errorCode as number | undefined) ?? 0);
  const out = new Map<TopicPartitionKey, bigint>();
  for (const t of body.topics as Body[]) {
    for (const p of t.partitions as Body[]) {
      if ((p.errorCode as number) === 0 && (p.committedOffset as bigint) >= 0n) out.set(tpKey(t.name as string, p.partitionIndex as number), p.committedOffset as bigint);
    }
  }
  return out;
}

/** OffsetCommit as the admin client sends it: generation -1, no member (accepted while the group is Empty). */
export async function commitGroupOffsets(coordinator: KafkaConnection, groupId: string, offsets: Map<TopicPartitionKey, bigint>): Promise<void> {
  const byTopic = new Map<string, Array<{ partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; committedMetadata: string }>>();
  for (const [key, committedOffset] of offsets) {
    const { topic, partition } = tpOf(key);
    if (!byTopic.has(topic)) byTopic.set(topic, []);
    byTopic.get(topic)!.push({ partitionIndex: partition, committedOffset, committedLeaderEpoch: -1, committedMetadata: '' });
  }
  const body = await coordinator.request(ApiKey.OffsetCommit, {
    groupId, generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1n,
    topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
  });
  for (const t of body.topics as Body[]) for (const p of t.partitions as Body[]) check(p.errorCode as number);
}

/** DeleteGroups: the error code of each group (0 = deleted). */
export async function deleteGroups(coordinator: KafkaConnection, groupIds: string[]): Promise<Map<string, number>> {
  const body = await coordinator.request(ApiKey.DeleteGroups, { groupsNames: groupIds });
  return new Map((body.results as Body[]).map((r) => [r.groupId as string, r.errorCode as number]));
}
