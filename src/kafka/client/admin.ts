/**
 * The admin calls of the CLI's client, each one request on a KafkaConnection, shaped like the Java
 * Admin client's results (org.apache.kafka.clients.admin.KafkaAdminClient): an error code in a
 * response becomes a KafkaResponseError carrying the broker's message, or Errors' default message.
 */
import { KafkaErrors, kafkaErrorName } from '../errors.js';
import { ApiKey } from '../protocol/api-keys.js';
import { KafkaClientError, type Body, type KafkaConnection } from './connection.js';

/** A response carried a non-zero error code. */
export class KafkaResponseError extends KafkaClientError {
  readonly errorName: string;
  constructor(readonly errorCode: number, brokerMessage?: string | null) {
    const name = kafkaErrorName(errorCode);
    super(brokerMessage ?? (name ? KafkaErrors[name].message : null) ?? `error code ${errorCode}`);
    this.errorName = name ?? `UNKNOWN_${errorCode}`;
  }
}

export function check(errorCode: number, message?: string | null): void {
  if (errorCode !== 0) throw new KafkaResponseError(errorCode, message);
}

export interface PartitionInfo { partition: number; leader: number; replicas: number[]; isr: number[]; errorCode: number }
export interface TopicInfo { name: string; errorCode: number; isInternal: boolean; partitions: PartitionInfo[] }

/** Metadata for `topics` (null: every topic); never auto-creates (allow_auto_topic_creation=false, v4+). */
export async function describeTopics(conn: KafkaConnection, topics: string[] | null): Promise<TopicInfo[]> {
  const body = await conn.request(ApiKey.Metadata, {
    topics: topics === null ? null : topics.map((name) => ({ name })), allowAutoTopicCreation: false,
    includeTopicAuthorizedOperations: false,
  });
  return (body.topics as Body[]).map(toTopicInfo);
}

function toTopicInfo(t: Body): TopicInfo {
  return {
    name: t.name as string, errorCode: t.errorCode as number, isInternal: (t.isInternal as boolean | undefined) ?? false,
    partitions: (t.partitions as Body[]).map((p) => ({
      partition: p.partitionIndex as number, leader: p.leaderId as number, errorCode: p.errorCode as number,
      replicas: p.replicaNodes as number[], isr: p.isrNodes as number[],
    })).sort((a, b) => a.partition - b.partition),
  };
}

/**
 * The topic a producer or consumer uses, auto-created by the broker if it allows (the Java clients'
 * Metadata requests set allow_auto_topic_creation; the consumer's allow.auto.create.topics is true). Waits up to `maxBlockMs` for it to have partitions, then
 * fails as KafkaProducer.waitOnMetadata does.
 */
export async function topicWithAutoCreate(conn: KafkaConnection, topic: string, maxBlockMs = 60_000): Promise<TopicInfo> {
  const deadline = Date.now() + maxBlockMs;
  for (let backoff = 50; ; backoff = Math.min(backoff * 2, 1000)) {
    const body = await conn.request(ApiKey.Metadata, { topics: [{ name: topic }], allowAutoTopicCreation: true, includeTopicAuthorizedOperations: false });
    const t = (body.topics as Body[])[0];
    const code = (t?.errorCode as number | undefined) ?? 3;
    if (t && code === 0 && (t.partitions as Body[]).length > 0) return toTopicInfo(t);
    if (code !== 0 && !KafkaErrors[kafkaErrorName(code) ?? 'UNKNOWN_SERVER_ERROR'].retriable) throw new KafkaResponseError(code);
    if (Date.now() + backoff > deadline) throw new KafkaClientError(`Topic ${topic} not present in metadata after ${maxBlockMs} ms.`);
    await new Promise((r) => setTimeout(r, backoff));
  }
}

/** Topic names, sorted; internal topics left out unless asked (ListTopicsOptions.listInternal). */
export async function listTopics(conn: KafkaConnection, includeInternal = false): Promise<string[]> {
  const topics = await describeTopics(conn, null);
  return topics.filter((t) => includeInternal || !t.isInternal).map((t) => t.name).sort();
}

export interface NewTopic { name: string; partitions?: number; replicationFactor?: number; configs?: Record<string, string> }

/** CreateTopics for one topic; -1 partitions / replication factor mean the broker's defaults (KIP-464). */
export async function createTopic(conn: KafkaConnection, topic: NewTopic, timeoutMs = 30_000): Promise<void> {
  const body = await conn.request(ApiKey.CreateTopics, {
    topics: [{
      name: topic.name, numPartitions: topic.partitions ?? -1, replicationFactor: topic.replicationFactor ?? -1, assignments: [],
      configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
    }],
    timeoutMs, validateOnly: false,
  });
  const result = (body.topics as Body[])[0]!;
  check(result.errorCode as number, result.errorMessage as string | null | undefined);
}

export async function deleteTopics(conn: KafkaConnection, names: string[], timeoutMs = 30_000): Promise<void> {
  const body = await conn.request(ApiKey.DeleteTopics, { topicNames: names, timeoutMs });
  for (const r of body.responses as Body[]) check(r.errorCode as number, r.errorMessage as string | null | undefined);
}

/** CreatePartitions: grow `name` to `count` partitions (NewPartitions.increaseTo). */
export async function createPartitions(conn: KafkaConnection, name: string, count: number, timeoutMs = 30_000): Promise<void> {
  const body = await conn.request(ApiKey.CreatePartitions, { topics: [{ name, count, assignments: null }], timeoutMs, validateOnly: false });
  const result = (body.results as Body[])[0]!;
  check(result.errorCode as number, result.errorMessage as string | null | undefined);
}

export interface ConfigEntry { name: string; value: string | null; isDefault: boolean }

const TOPIC_RESOURCE = 2;
/** DescribeConfigs configSource values that are not defaults (DescribeConfigsResponse.ConfigSource). */
const TOPIC_CONFIG_SOURCE = 1;

/** A topic's configs, or null when the broker does not serve DescribeConfigs. */
export async function describeTopicConfigs(conn: KafkaConnection, topic: string): Promise<ConfigEntry[] | null> {
  if (!conn.supports(ApiKey.DescribeConfigs)) return null;
  const body = await conn.request(ApiKey.DescribeConfigs, {
    resources: [{ resourceType: TOPIC_RESOURCE, resourceName: topic, configurationKeys: null }], includeSynonyms: false,
  });
  const result = (body.results as Body[])[0]!;
  check(result.errorCode as number, result.errorMessage as string | null | undefined);
  return (result.configs as Body[]).map((c) => ({
    name: c.name as string, value: c.value as string | null,
    isDefault: c.configSource === undefined ? (c.isDefault as boolean) : c.configSource !== TOPIC_CONFIG_SOURCE,
  }));
}

/** ListOffsetsRequest.EARLIEST_TIMESTAMP / LATEST_TIMESTAMP. */
export const EARLIEST = -2n;
export const LATEST = -1n;

/** The offset of each partition at `timestamp` (EARLIEST, LATEST or a time), by partition. */
export async function listOffsets(conn: KafkaConnection, topic: string, partitions: number[], timestamp: bigint): Promise<Map<number, bigint>> {
  const body = await conn.request(ApiKey.ListOffsets, {
    replicaId: -1, isolationLevel: 0,
    topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 })) }],
  }, 5);
  const out = new Map<number, bigint>();
  for (const t of body.topics as Body[]) {
    for (const p of t.partitions as Body[]) {
      check(p.errorCode as number);
      out.set(p.partitionIndex as number, p.offset as bigint);
    }
  }
  return out;
}
