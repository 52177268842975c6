import type { OffsetFetchRequestData, OffsetFetchResponseInput } from '../protocol/apis/offset-fetch.js';
import type { RequestContext } from './context.js';

type Topics = OffsetFetchRequestData['topics'];

/**
 * OffsetFetch (key 9), v1–v9 (GroupCoordinator.handleFetchOffsets): a partition never committed
 * answers offset -1 with no error; from v2 a null topic list asks for every committed partition
 * (kafka-consumer-groups --describe). Offsets of a group without members stay readable. v8+
 * (KIP-709) asks for several groups at once and answers per group; v9's member id and epoch
 * belong to the new consumer protocol (KIP-848), which classic groups ignore.
 */
export function handleOffsetFetch(req: OffsetFetchRequestData, ctx: RequestContext): OffsetFetchResponseInput {
  if (ctx.apiVersion >= 8) {
    return { throttleTimeMs: 0, groups: req.groups.map((g) => ({ groupId: g.groupId, errorCode: 0, topics: committed(ctx, g.groupId, g.topics) })) };
  }
  return { throttleTimeMs: 0, errorCode: 0, topics: committed(ctx, req.groupId, ctx.apiVersion >= 2 ? req.topics : req.topics ?? []) };
}

function committed(ctx: RequestContext, groupId: string, topics: Topics) {
  return ctx.broker.groups.fetch(groupId, topics).map(({ topic, partitions }) => ({
    name: topic,
    partitions: partitions.map(([partitionIndex, o]) => ({
      partitionIndex, committedOffset: BigInt(o?.offset ?? -1), committedLeaderEpoch: o?.leaderEpoch ?? -1,
      metadata: o?.metadata ?? '', errorCode: 0,
    })),
  }));
}
