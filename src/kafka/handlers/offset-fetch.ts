import { KafkaErrors } from '../errors.js';
import type { OffsetFetchRequestData, OffsetFetchResponseInput } from '../protocol/apis/offset-fetch.js';
import type { RequestContext } from './context.js';

type TopicAnswer = NonNullable<OffsetFetchResponseInput['topics']>[number];
type AskedTopics = OffsetFetchRequestData['topics'];

/**
 * OffsetFetch (key 9), v1–v9 (GroupCoordinator.handleFetchOffsets): a partition never committed
 * answers offset -1 with no error; from v2 a null topic list asks for every committed partition
 * (kafka-consumer-groups --describe). Offsets of a group without members stay readable. v8+
 * (KIP-709) asks for several groups at once and answers per group; v9's member id and epoch
 * belong to the new consumer protocol (KIP-848), which classic groups ignore.
 * Authorization as KafkaApis.handleOffsetFetchRequest: DESCRIBE on the group, else
 * GROUP_AUTHORIZATION_FAILED (v2+ at the group's level with no topics; v1 has no top-level error, so
 * on each asked partition, as OffsetFetchRequest.getErrorResponse). Then DESCRIBE per topic: "every
 * partition" leaves out the topics the principal may not describe; a named one answers
 * TOPIC_AUTHORIZATION_FAILED on its partitions, after the others.
 */
export function handleOffsetFetch(req: OffsetFetchRequestData, ctx: RequestContext): OffsetFetchResponseInput {
  if (ctx.apiVersion >= 8) {
    return { throttleTimeMs: 0, groups: req.groups.map((g) => ({ groupId: g.groupId, ...groupOffsets(ctx, g.groupId, g.topics) })) };
  }
  const asked = ctx.apiVersion >= 2 ? req.topics : req.topics ?? [];
  const answer = groupOffsets(ctx, req.groupId, asked);
  if (ctx.apiVersion >= 2 || answer.errorCode === 0) return { throttleTimeMs: 0, ...answer };
  return { throttleTimeMs: 0, errorCode: 0, topics: (asked ?? []).map((t) => unanswered(t, answer.errorCode)) };
}

/** One group's committed offsets as the principal may see them, or its refusal (no topics). */
function groupOffsets(ctx: RequestContext, groupId: string, asked: AskedTopics): { errorCode: number; topics: TopicAnswer[] } {
  if (!ctx.authorize('DESCRIBE', 'group', groupId)) return { errorCode: KafkaErrors.GROUP_AUTHORIZATION_FAILED.code, topics: [] };
  const describable = (name: string): boolean => ctx.authorize('DESCRIBE', 'topic', name);
  const found = ctx.broker.groups.fetch(groupId, asked === null ? null : asked.filter((t) => describable(t.name)))
    .filter(({ topic }) => asked !== null || describable(topic));
  const refused = (asked ?? []).filter((t) => !describable(t.name)).map((t) => unanswered(t, KafkaErrors.TOPIC_AUTHORIZATION_FAILED.code));
  return {
    errorCode: 0,
    topics: found.map(({ topic, partitions }): TopicAnswer => ({
      name: topic,
      partitions: partitions.map(([partitionIndex, o]) => ({
        partitionIndex, committedOffset: BigInt(o?.offset ?? -1), committedLeaderEpoch: o?.leaderEpoch ?? -1,
        metadata: o?.metadata ?? '', errorCode: 0,
      })),
    })).concat(refused),
  };
}

/** A topic whose partitions all answer `errorCode` with no offset (OffsetFetchResponse.INVALID_OFFSET, NO_METADATA). */
function unanswered(topic: { name: string; partitionIndexes: number[] }, errorCode: number): TopicAnswer {
  return {
    name: topic.name,
    partitions: topic.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode })),
  };
}
