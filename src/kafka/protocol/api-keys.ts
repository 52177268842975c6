/**
 * Kafka API keys (org.apache.kafka.common.protocol.ApiKeys), the first flexible version of each
 * (the `flexibleVersions` of its *Request.json in apache/kafka 1eb7644, which decides the header
 * version even for versions we do not serve), and the [min, max] range Junction advertises in
 * ApiVersions. The minima are those of /work/shared/research/kafka.md §2.1; the maxima were the
 * non-flexible ceilings there ("Decision A") and are now the flexible versions that
 * @platformatic/kafka 1.x requires (it implements only flexible versions: Metadata 9+, Fetch 12+,
 * Produce 7+, JoinGroup 6+ …) and that Java 3.x clients pick when offered (docs/compat/kafka.md,
 * "Flexible versions"). The reasons for the non-obvious ones are beside them. A client uses
 * min(its max, our max) for each API.
 */

export interface ApiKeyInfo {
  readonly key: number;
  /** The name of the ApiKeys constant's message, as in its *Request.json (e.g. "Metadata"). */
  readonly name: string;
  /** First flexible version in Kafka's definition; null when no version is flexible. */
  readonly firstFlexible: number | null;
  /** The version range Junction advertises (kafka.md §2.1, "advertise" column). */
  readonly min: number;
  readonly max: number;
}

function api(key: number, name: string, firstFlexible: number | null, min: number, max: number): ApiKeyInfo {
  return { key, name, firstFlexible, min, max };
}

export const API_KEYS = [
  // Produce 3+ only: magic-2 RecordBatch (Decision C). v8 in range makes kafka-python infer
  // broker 2.4 and produce magic-2 batches at v7 (kafka-python conn.py:1170-1191, §2.2 gotcha 2).
  // v9+ (flexible) for @platformatic/kafka (7–11) and Java 3.x producers.
  api(0, 'Produce', 9, 3, 11),
  // Fetch 4+ with Produce 3 turns on librdkafka's MSGVER2 feature (rdkafka_feature.c, §2.2 gotcha 3);
  // kafka-python needs 4, Fetch v11 in range → it infers ≥2.3. v13+ (topic ids) for @platformatic/kafka
  // 1.x, whose v12 sends the topic id where the name belongs (fetch-v12.js): it needs 13–17.
  api(1, 'Fetch', 12, 4, 17),
  // Min 0: librdkafka 1.7 hard-codes ListOffsets v0 for watermark queries (§2.2 gotcha 4).
  api(2, 'ListOffsets', 6, 0, 9),
  // Min 0: kafka-python's version probe sends Metadata v0 right after ApiVersions v0 (§2.2 gotcha 1).
  api(3, 'Metadata', 9, 0, 12),
  // OffsetCommit must overlap 1..2 and OffsetFetch include 1, or librdkafka 2.0.2 disables
  // balanced consumer groups (rdkafka_feature.c:112-125, Decision B).
  api(8, 'OffsetCommit', 8, 2, 9),
  api(9, 'OffsetFetch', 6, 1, 9),
  // Group APIs keep min 0 for librdkafka's BROKER_BALANCED_CONSUMER feature (Decision B).
  api(10, 'FindCoordinator', 3, 0, 6),
  api(11, 'JoinGroup', 6, 0, 9),
  api(12, 'Heartbeat', 4, 0, 4),
  api(13, 'LeaveGroup', 4, 0, 5),
  api(14, 'SyncGroup', 4, 0, 5),
  api(15, 'DescribeGroups', 5, 0, 5),
  api(16, 'ListGroups', 3, 0, 5),
  // v0 is used by kafka-python (raw SASL tokens follow), v1 by kafkajs and librdkafka.
  api(17, 'SaslHandshake', null, 0, 1),
  // v3 is flexible; v4 has v3's layout and is what Java clients of the 3.9 line send (KAFKA-17011).
  api(18, 'ApiVersions', 3, 0, 4),
  api(19, 'CreateTopics', 5, 0, 7),
  api(20, 'DeleteTopics', 4, 0, 6),
  api(21, 'DeleteRecords', 2, 0, 2),
  // InitProducerId 0 overlap enables librdkafka's IDEMPOTENT_PRODUCER feature (§2.2 gotcha 3).
  api(22, 'InitProducerId', 2, 0, 5),
  api(23, 'OffsetForLeaderEpoch', 4, 0, 4),
  api(32, 'DescribeConfigs', 4, 0, 4),
  // kafkajs and kafka-python alter topic configs with the legacy AlterConfigs (v0-1).
  api(33, 'AlterConfigs', 2, 0, 2),
  // SaslHandshake 1 and SaslAuthenticate 0 overlap enables librdkafka's SASL_AUTH_REQ.
  api(36, 'SaslAuthenticate', 2, 0, 2),
  api(37, 'CreatePartitions', 2, 0, 3),
  api(42, 'DeleteGroups', 2, 0, 2),
  // v1 is flexible; Java's Admin.incrementalAlterConfigs (kafka-configs --alter) uses it.
  api(44, 'IncrementalAlterConfigs', 1, 0, 1),
  // KIP-700: Admin.describeCluster (@platformatic/kafka admin.describeCluster, Java 3.x kafka-cluster.sh).
  api(60, 'DescribeCluster', 0, 0, 1),
] as const satisfies readonly ApiKeyInfo[];

const BY_KEY = new Map<number, ApiKeyInfo>(API_KEYS.map((a) => [a.key, a]));

export function apiKeyInfo(key: number): ApiKeyInfo | undefined { return BY_KEY.get(key); }

/** ApiKeys constants used by code that names an API (e.g. handlers, tests). */
export const ApiKey = {
  Produce: 0, Fetch: 1, ListOffsets: 2, Metadata: 3, OffsetCommit: 8, OffsetFetch: 9, FindCoordinator: 10,
  JoinGroup: 11, Heartbeat: 12, LeaveGroup: 13, SyncGroup: 14, DescribeGroups: 15, ListGroups: 16,
  SaslHandshake: 17, ApiVersions: 18, CreateTopics: 19, DeleteTopics: 20, DeleteRecords: 21, InitProducerId: 22,
  OffsetForLeaderEpoch: 23, DescribeConfigs: 32, SaslAuthenticate: 36, CreatePartitions: 37, DeleteGroups: 42,
  AlterConfigs: 33, IncrementalAlterConfigs: 44,
  DescribeCluster: 60,
} as const;
