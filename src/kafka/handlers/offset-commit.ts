import type { OffsetCommitRequestData, OffsetCommitResponseInput } from '../protocol/apis/offset-commit.js';
import type { RequestContext } from './context.js';

/**
 * OffsetCommit (key 8), v2–v9: checked against the group (GroupCoordinator.handleCommitOffsets;
 * generation -1 with no member id is a "simple" commit, allowed only while the group has no
 * members), per partition (unknown partition, metadata over offset.metadata.max.bytes), and
 * answered once the commit is durable under --fsync, as a Produce is.
 */
export async function handleOffsetCommit(req: OffsetCommitRequestData, ctx: RequestContext): Promise<OffsetCommitResponseInput> {
  const partitions = req.topics.flatMap((t) => t.partitions.map((p) => ({
    topic: t.name, partition: p.partitionIndex, offset: Number(p.committedOffset),
    leaderEpoch: ctx.apiVersion >= 6 ? p.committedLeaderEpoch : -1, metadata: p.committedMetadata,
  })));
  const errors = await ctx.broker.groups.commit({
    groupId: req.groupId, generationId: req.generationIdOrMemberEpoch, memberId: req.memberId,
    groupInstanceId: ctx.apiVersion >= 7 ? req.groupInstanceId ?? null : null,
    retentionTimeMs: ctx.apiVersion <= 4 ? Number(req.retentionTimeMs) : -1,
    partitions,
  });
  let i = 0;
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: errors[i++]! })) })),
  };
}
