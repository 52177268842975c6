import type { OffsetFetchRequestData, OffsetFetchResponseInput } from '../protocol/apis/offset-fetch.js';
import type { RequestContext } from './context.js';

/**
 * OffsetFetch (key 9), v1–v5 (GroupCoordinator.handleFetchOffsets): a partition never committed
 * answers offset -1 with no error; from v2 a null topic list asks for every committed partition
 * (kafka-consumer-groups --describe). Offsets of a group without members stay readable.
 */
export function handleOffsetFetch(req: OffsetFetchRequestData, ctx: RequestContext): OffsetFetchResponseInput {
  const found = ctx.broker.groups.fetch(req.groupId, ctx.apiVersion >= 2 ? req.topics : req.topics ?? []);
  return {
    throttleTimeMs: 0, errorCode: 0,
    topics: found.map(({ topic, partitions }) => ({
      name: topic,
      partitions: partitions.map(([partitionIndex, o]) => ({
        partitionIndex, committedOffset: BigInt(o?.offset ?? -1), committedLeaderEpoch: o?.leaderEpoch ?? -1,
        metadata: o?.metadata ?? '', errorCode: 0,
      })),
    })),
  };
}
