import { KafkaErrors } from '../errors.js';
import { KafkaLogError } from '../log/errors.js';
import type { DeleteRecordsRequest, DeleteRecordsResponse } from '../protocol/apis/delete-records.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import type { RequestContext } from './context.js';

type Request = MessageValue<typeof DeleteRecordsRequest>;
type Response = MessageInput<typeof DeleteRecordsResponse>;
type PartitionResult = NonNullable<NonNullable<Response['topics']>[number]['partitions']>[number];

/**
 * DeleteRecords (key 21), v0–v2 (ReplicaManager.deleteRecords): move each partition's log start
 * offset to `offset` (-1: the high watermark), durably, before answering with the new low
 * watermark; past the high watermark is OFFSET_OUT_OF_RANGE. Fetch below the new start is then
 * OFFSET_OUT_OF_RANGE and ListOffsets earliest answers it. Each topic needs DELETE, else its
 * partitions are TOPIC_AUTHORIZATION_FAILED (KafkaApis.handleDeleteRecordsRequest).
 */
export async function handleDeleteRecords(req: Request, ctx: RequestContext): Promise<Response> {
  const topics: Array<NonNullable<Response['topics']>[number]> = [];
  for (const topic of req.topics) {
    if (!ctx.authorize('DELETE', 'topic', topic.name)) {
      const denied = KafkaErrors.TOPIC_AUTHORIZATION_FAILED.code;
      topics.push({ name: topic.name, partitions: topic.partitions.map((p) => ({ partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: denied })) });
      continue;
    }
    const partitions: PartitionResult[] = await Promise.all(topic.partitions.map(async (p): Promise<PartitionResult> => {
      const log = ctx.broker.topics.partition(topic.name, p.partitionIndex);
      if (!log) return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION.code };
      try {
        const start = await log.deleteRecordsBefore(Number(p.offset));
        return { partitionIndex: p.partitionIndex, lowWatermark: BigInt(start), errorCode: KafkaErrors.NONE.code };
      } catch (err) {
        if (!(err instanceof KafkaLogError)) throw err;
        return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: KafkaErrors[err.code].code };
      }
    }));
    topics.push({ name: topic.name, partitions });
  }
  return { throttleTimeMs: 0, topics };
}
