import { KafkaApiError, KafkaErrors } from '../errors.js';
import type { CreatePartitionsRequest, CreatePartitionsResponse } from '../protocol/apis/create-partitions.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import type { RequestContext } from './context.js';

type Request = MessageValue<typeof CreatePartitionsRequest>;
type Response = MessageInput<typeof CreatePartitionsResponse>;
type Topic = Request['topics'][number];

/**
 * CreatePartitions (key 37), v0–v3 (`kafka-topics --alter --partitions`): a topic only grows, with
 * Kafka's texts (AdminZkClient.createPartitions / ReplicationControlManager.createPartitions); manual
 * assignments must name this broker once per new partition; validate_only checks without growing;
 * past MAX_PARTITIONS the growth is INVALID_PARTITIONS. Each topic needs ALTER, else
 * TOPIC_AUTHORIZATION_FAILED "The topic authorization is failed." (KafkaApis.handleCreatePartitionsRequest).
 */
export async function handleCreatePartitions(req: Request, ctx: RequestContext): Promise<Response> {
  const counts = new Map<string, number>();
  for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const results: Array<NonNullable<Response['results']>[number]> = [];
  for (const topic of req.topics) {
    try {
      if (counts.get(topic.name)! > 1) throw new KafkaApiError('INVALID_REQUEST', 'Duplicate topic in request.');
      if (!ctx.authorize('ALTER', 'topic', topic.name)) throw new KafkaApiError('TOPIC_AUTHORIZATION_FAILED', 'The topic authorization is failed.');
      const current = checkGrowth(topic, ctx);
      ctx.broker.topics.checkPartitionLimit(topic.count - current);
      if (!req.validateOnly) await ctx.broker.topics.addPartitions(topic.name, topic.count);
      results.push({ name: topic.name, errorCode: KafkaErrors.NONE.code, errorMessage: null });
    } catch (err) {
      if (!(err instanceof KafkaApiError)) throw err;
      results.push({ name: topic.name, errorCode: err.errorCode, errorMessage: err.message });
    }
  }
  return { throttleTimeMs: 0, results };
}

/** The topic's current partition count, after checking that `topic.count` grows it as Kafka allows. */
function checkGrowth(topic: Topic, ctx: RequestContext): number {
  const record = ctx.broker.topics.topic(topic.name);
  if (!record) throw new KafkaApiError('UNKNOWN_TOPIC_OR_PARTITION', `The topic '${topic.name}' does not exist.`);
  const current = record.partitions;
  if (topic.count < current) {
    throw new KafkaApiError('INVALID_PARTITIONS', `Topic currently has ${current} partitions, which is higher than the requested ${topic.count}.`);
  }
  if (topic.count === current) throw new KafkaApiError('INVALID_PARTITIONS', `Topic already has ${current} partitions.`);
  if (topic.assignments !== null) {
    const adding = topic.count - current;
    if (topic.assignments.length !== adding) {
      throw new KafkaApiError('INVALID_REPLICA_ASSIGNMENT', `Increasing the number of partitions by ${adding} but ${topic.assignments.length} assignments provided.`);
    }
    const nodeId = ctx.broker.settings.nodeId;
    for (const a of topic.assignments) {
      if (a.brokerIds.length !== 1 || a.brokerIds[0] !== nodeId) {
        throw new KafkaApiError('INVALID_REPLICA_ASSIGNMENT', `Unknown broker(s) or a replica count other than 1 in assignment ${JSON.stringify(a.brokerIds)}: ` +
          `the only broker is ${nodeId}.`);
      }
    }
  }
  return current;
}
