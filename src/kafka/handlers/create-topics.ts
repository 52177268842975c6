import { topicConfigEntries } from '../config-resources.js';
import { KafkaApiError, KafkaErrors } from '../errors.js';
import type { CreateTopicsRequest, CreateTopicsResponse } from '../protocol/apis/create-topics.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import { validateTopicConfigs } from '../topic-configs.js';
import { checkTopicName } from '../topics.js';
import type { RequestContext } from './context.js';

type Request = MessageValue<typeof CreateTopicsRequest>;
type Response = MessageInput<typeof CreateTopicsResponse>;
type CreatableTopic = Request['topics'][number];
type TopicResult = NonNullable<Response['topics']>[number];

/** One broker: every partition lives here, so the replication factor can only be 1. */
const AVAILABLE_BROKERS = 1;

/**
 * CreateTopics (key 19), v0–v7, with the checks and texts of Kafka's controller
 * (ReplicationControlManager.createTopic): -1 partitions / replication factor mean the broker
 * defaults (KIP-464), a replication factor above 1 is INVALID_REPLICATION_FACTOR "Replication
 * factor: 3 larger than available brokers: 1.", a name given twice is INVALID_REQUEST for each
 * entry, validate_only checks without creating. v5+ answers with the topic's partition count,
 * replication factor and configs (KIP-525), v7 with its id (KIP-516), as Kafka's controller does.
 */
export async function handleCreateTopics(req: Request, ctx: RequestContext): Promise<Response> {
  const counts = new Map<string, number>();
  for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const topics: TopicResult[] = [];
  for (const topic of req.topics) {
    try {
      if (counts.get(topic.name)! > 1) {
        throw new KafkaApiError('INVALID_REQUEST', `Create topics request from client \`${ctx.clientId}\` contains multiple entries for the following topics: ${topic.name}`);
      }
      // KafkaApis.handleCreateTopicsRequest: CREATE on the cluster or on the topic.
      if (!ctx.authorize('CREATE', 'topic', topic.name)) throw new KafkaApiError('TOPIC_AUTHORIZATION_FAILED', 'Authorization failed.');
      const { partitions, configs } = checkCreatable(topic, ctx);
      ctx.broker.topics.checkPartitionLimit(partitions);
      if (!req.validateOnly) await ctx.broker.topics.create(topic.name, partitions, configs);
      else if (ctx.broker.topics.topic(topic.name)) throw new KafkaApiError('TOPIC_ALREADY_EXISTS', `Topic '${topic.name}' already exists.`);
      topics.push({ name: topic.name, errorCode: KafkaErrors.NONE.code, errorMessage: null, ...createdTopic(ctx, topic.name, partitions, configs) });
    } catch (err) {
      if (!(err instanceof KafkaApiError)) throw err;
      topics.push({ name: topic.name, errorCode: err.errorCode, errorMessage: err.message });
    }
  }
  return { throttleTimeMs: 0, topics };
}

/** What v5+ (configs, counts) and v7 (id) say about the created — or, validate_only, creatable — topic. */
function createdTopic(ctx: RequestContext, name: string, partitions: number, configs: Record<string, string>): Partial<TopicResult> {
  if (ctx.apiVersion < 5) return {};
  const entries = topicConfigEntries(configs, ctx.broker.settings).map((e) => ({
    name: e.name, value: e.isSensitive ? null : e.value, readOnly: e.readOnly, configSource: e.source, isSensitive: e.isSensitive,
  }));
  const topicId = ctx.apiVersion >= 7 ? ctx.broker.topics.topic(name)?.id : undefined;
  return { numPartitions: partitions, replicationFactor: 1, configs: entries, ...(topicId !== undefined ? { topicId } : {}) };
}

function checkCreatable(topic: CreatableTopic, ctx: RequestContext): { partitions: number; configs: Record<string, string> } {
  checkTopicName(topic.name);
  const configs = validateTopicConfigs(topic.configs);
  if (topic.assignments.length > 0) {
    if (topic.numPartitions !== -1 || topic.replicationFactor !== -1) {
      throw new KafkaApiError('INVALID_REQUEST', 'A manual partition assignment was specified, but numPartitions was not set to -1.');
    }
    for (const a of topic.assignments) {
      if (a.brokerIds.some((id) => id !== ctx.broker.settings.nodeId) || a.brokerIds.length !== 1) {
        throw new KafkaApiError('INVALID_REPLICA_ASSIGNMENT', `The manual partition assignment includes a broker other than ${ctx.broker.settings.nodeId} or a replica count other than 1.`);
      }
    }
    return { partitions: topic.assignments.length, configs };
  }
  const partitions = topic.numPartitions === -1 ? ctx.broker.settings.numPartitions : topic.numPartitions;
  if (partitions <= 0) throw new KafkaApiError('INVALID_PARTITIONS', 'Number of partitions was set to an invalid non-positive value.');
  const replication = topic.replicationFactor === -1 ? 1 : topic.replicationFactor;
  if (replication <= 0) throw new KafkaApiError('INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0, or -1 to use the default value.');
  if (replication > AVAILABLE_BROKERS) {
    throw new KafkaApiError('INVALID_REPLICATION_FACTOR', `Replication factor: ${replication} larger than available brokers: ${AVAILABLE_BROKERS}.`);
  }
  return { partitions, configs };
}
