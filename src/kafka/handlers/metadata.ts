import { KafkaApiError, KafkaErrors } from '../errors.js';
import type { MetadataRequest, MetadataResponse } from '../protocol/apis/metadata.js';
import { ZERO_UUID } from '../protocol/reader.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import { checkTopicName } from '../topics.js';
import type { BrokerContext, RequestContext } from './context.js';

type Request = MessageValue<typeof MetadataRequest>;
type Response = MessageInput<typeof MetadataResponse>;
type TopicEntry = NonNullable<Response['topics']>[number];

/**
 * Metadata (key 3), v0–v12. This broker is the only one, the leader and ISR of every partition and
 * the controller (controller_id = node id: kafkajs and kafka-python admins send CreateTopics to
 * the controller, kafka.md §2.2 item 6). A named topic that does not exist is created here when
 * auto.create.topics.enable and the request allow it (v4+ allow_auto_topic_creation; implied by
 * v0–3) — synchronously, so the answer carries it without error rather than Kafka's first
 * LEADER_NOT_AVAILABLE (kafka.md §7). "All topics" (v0: empty list, v1+: null) lists only existing
 * topics, never one with an error: kafkajs rejects a response with any topic error.
 * Authorization as KafkaApis.handleTopicMetadataRequest: "all topics" lists only those the
 * principal may DESCRIBE; a named one it may not describe, or a missing one it may not CREATE
 * when it would be auto-created, answers TOPIC_AUTHORIZATION_FAILED.
 * v10+ gives each topic its id; v12 may ask for a topic by id alone (name null), which v10–11 may
 * not (INVALID_REQUEST, as KafkaApis.handleTopicMetadataRequest); an unknown id is UNKNOWN_TOPIC_ID.
 */
export async function handleMetadata(req: Request, ctx: RequestContext): Promise<Response> {
  const { broker, apiVersion } = ctx;
  const all = req.topics === null || (apiVersion === 0 && req.topics.length === 0);
  const wanted = all ? broker.topics.names().filter((name) => ctx.authorize('DESCRIBE', 'topic', name)).map((name) => ({ name, topicId: ZERO_UUID }))
    : req.topics!;
  const mayCreate = broker.settings.autoCreateTopics && (apiVersion < 4 || req.allowAutoTopicCreation);
  const topics: TopicEntry[] = [];
  for (const { name, topicId } of wanted) {
    if (name !== null && topicId === ZERO_UUID) topics.push(await describeTopic(ctx, name, mayCreate && !all));
    else topics.push(describeById(ctx, name, topicId));
  }
  const { host, port } = broker.advertised();
  const nodeId = broker.settings.nodeId;
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId, host, port, rack: null }],
    clusterId: broker.topics.clusterId,
    controllerId: nodeId,
    topics,
  };
}

async function describeTopic(ctx: RequestContext, name: string, mayCreate: boolean): Promise<TopicEntry> {
  const { broker } = ctx;
  try {
    if (!ctx.authorize('DESCRIBE', 'topic', name)) throw new KafkaApiError('TOPIC_AUTHORIZATION_FAILED');
    if (!broker.topics.topic(name)) {
      checkTopicName(name);
      if (!mayCreate) throw new KafkaApiError('UNKNOWN_TOPIC_OR_PARTITION');
      if (!ctx.authorize('CREATE', 'topic', name)) throw new KafkaApiError('TOPIC_AUTHORIZATION_FAILED');
      await autoCreate(broker, name);
    }
  } catch (err) {
    if (!(err instanceof KafkaApiError)) throw err;
    return { errorCode: err.errorCode, name, topicId: ZERO_UUID, isInternal: false, partitions: [] };
  }
  return existingTopic(broker, name);
}

/** An existing topic's entry: this node leads every partition. */
function existingTopic(broker: BrokerContext, name: string): TopicEntry {
  const nodeId = broker.settings.nodeId;
  const { partitions: count, id } = broker.topics.topic(name)!;
  return {
    errorCode: KafkaErrors.NONE.code, name, topicId: id, isInternal: false,
    partitions: Array.from({ length: count }, (_, partitionIndex) => ({
      errorCode: KafkaErrors.NONE.code, partitionIndex, leaderId: nodeId, leaderEpoch: 0,
      replicaNodes: [nodeId], isrNodes: [nodeId], offlineReplicas: [],
    })),
  };
}

/** A topic asked for by id (v12; v10–11 must name it). Never auto-created, as in Kafka. */
function describeById(ctx: RequestContext, name: string | null, topicId: string): TopicEntry {
  const failed = (error: 'INVALID_REQUEST' | 'UNKNOWN_TOPIC_ID' | 'TOPIC_AUTHORIZATION_FAILED'): TopicEntry =>
    ({ errorCode: KafkaErrors[error].code, name: ctx.apiVersion >= 12 ? null : name ?? '', topicId, isInternal: false, partitions: [] });
  if (ctx.apiVersion < 12) return failed('INVALID_REQUEST');
  const found = ctx.broker.topics.nameOfId(topicId);
  if (found === undefined) return failed('UNKNOWN_TOPIC_ID');
  if (!ctx.authorize('DESCRIBE', 'topic', found)) return failed('TOPIC_AUTHORIZATION_FAILED');
  return existingTopic(ctx.broker, found);
}

/** Kafka's AutoTopicCreationManager: num.partitions, replication factor 1, no configs. Two clients
 *  asking at once both get the topic. */
async function autoCreate(broker: BrokerContext, name: string): Promise<void> {
  try {
    await broker.topics.create(name, broker.settings.numPartitions, {});
  } catch (err) {
    if (!(err instanceof KafkaApiError && err.kafkaError === 'TOPIC_ALREADY_EXISTS')) throw err;
  }
}
