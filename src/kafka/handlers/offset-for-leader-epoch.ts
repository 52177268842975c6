import { KafkaErrors } from '../errors.js';
import type { OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse } from '../protocol/apis/offset-for-leader-epoch.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import type { RequestContext } from './context.js';

type Request = MessageValue<typeof OffsetForLeaderEpochRequest>;
type Response = MessageInput<typeof OffsetForLeaderEpochResponse>;
type EpochEndOffset = NonNullable<NonNullable<Response['topics']>[number]['partitions']>[number];

/** The only leader epoch of every partition: this broker has led them all from the start. */
const LEADER_EPOCH = 0;

/**
 * OffsetForLeaderEpoch (key 23), v0–v4 (KIP-320 truncation detection), as Kafka's
 * Partition.lastOffsetForLeaderEpoch over a LeaderEpochFileCache holding one entry (epoch 0 from
 * offset 0): epoch 0 ends at the log end offset; any other epoch is unknown (leader epoch and end
 * offset -1, UNDEFINED_EPOCH_OFFSET). A current_leader_epoch (v2+) newer than 0 is
 * UNKNOWN_LEADER_EPOCH; -1 means the client did not say. Each topic needs DESCRIBE (KIP-320; Kafka
 * also accepts CLUSTER_ACTION, which only brokers hold), else its partitions are
 * TOPIC_AUTHORIZATION_FAILED (KafkaApis.handleOffsetForLeaderEpochRequest).
 */
export function handleOffsetForLeaderEpoch(req: Request, ctx: RequestContext): Response {
  const topics = req.topics.map((topic) => {
    const describable = ctx.authorize('DESCRIBE', 'topic', topic.topic);
    return { topic: topic.topic, partitions: topic.partitions.map((p): EpochEndOffset => {
      const undefinedEpoch = { partition: p.partition, leaderEpoch: -1, endOffset: -1n };
      if (!describable) return { ...undefinedEpoch, errorCode: KafkaErrors.TOPIC_AUTHORIZATION_FAILED.code };
      const log = ctx.broker.topics.partition(topic.topic, p.partition);
      if (!log) return { ...undefinedEpoch, errorCode: KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION.code };
      if (p.currentLeaderEpoch > LEADER_EPOCH) return { ...undefinedEpoch, errorCode: KafkaErrors.UNKNOWN_LEADER_EPOCH.code };
      if (p.leaderEpoch !== LEADER_EPOCH) return { ...undefinedEpoch, errorCode: KafkaErrors.NONE.code };
      return { partition: p.partition, leaderEpoch: LEADER_EPOCH, endOffset: BigInt(log.logEndOffset), errorCode: KafkaErrors.NONE.code };
    }) };
  });
  return { throttleTimeMs: 0, topics };
}
