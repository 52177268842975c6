import { KafkaErrors } from '../errors.js';
import type { OffsetCommitRequestData, OffsetCommitResponseInput } from '../protocol/apis/offset-commit.js';
import type { RequestContext } from './context.js';

/**
 * OffsetCommit (key 8), v2–v9: checked against the group (GroupCoordinator.handleCommitOffsets;
 * generation -1 with no member id is a "simple" commit, allowed only while the group has no
 * members), per partition (unknown partition, metadata over offset.metadata.max.bytes), and
 * answered once the commit is durable under --fsync, as a Produce is.
 * Authorization as KafkaApis.handleOffsetCommitRequest: READ on the group, else every partition is
 * GROUP_AUTHORIZATION_FAILED; then READ on each topic, else its partitions are
 * TOPIC_AUTHORIZATION_FAILED and only the others reach the coordinator (none: it is not asked).
 */
export async function handleOffsetCommit(req: OffsetCommitRequestData, ctx: RequestContext): Promise<OffsetCommitResponseInput> {
  if (!ctx.authorize('READ', 'group', req.groupId)) return answer(req, () => KafkaErrors.GROUP_AUTHORIZATION_FAILED.code);
  const readable = new Set(req.topics.filter((t) => ctx.authorize('READ', 'topic', t.name)).map((t) => t.name));
  const partitions = req.topics.filter((t) => readable.has(t.name)).flatMap((t) => t.partitions.map((p) => ({
    topic: t.name, partition: p.partitionIndex, offset: Number(p.committedOffset),
    leaderEpoch: ctx.apiVersion >= 6 ? p.committedLeaderEpoch : -1, metadata: p.committedMetadata,
  })));
  const errors = partitions.length === 0 ? [] : await ctx.broker.groups.commit({
    groupId: req.groupId, generationId: req.generationIdOrMemberEpoch, memberId: req.memberId,
    groupInstanceId: ctx.apiVersion >= 7 ? req.groupInstanceId ?? null : null,
    retentionTimeMs: ctx.apiVersion <= 4 ? Number(req.retentionTimeMs) : -1,
    partitions,
  });
  let i = 0;
  return answer(req, (topic) => (readable.has(topic) ? errors[i++]! : KafkaErrors.TOPIC_AUTHORIZATION_FAILED.code));
}

/** The response in request order, each partition's error from `errorOf(topic)` (called once per partition, in order). */
function answer(req: OffsetCommitRequestData, errorOf: (topic: string) => number): OffsetCommitResponseInput {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: errorOf(t.name) })) })),
  };
}
