import { API_KEYS, ApiKey } from '../protocol/api-keys.js';
import type { ApiVersionsResponse } from '../protocol/apis/api-versions.js';
import type { MessageInput } from '../protocol/schema.js';
import { KafkaErrors } from '../errors.js';

type Response = MessageInput<typeof ApiVersionsResponse>;

/**
 * ApiVersions (key 18): the ranges of api-keys.ts for the APIs this broker implements — never one it
 * does not (kafkajs picks min(its max, ours) for every key it finds, and librdkafka turns features
 * on from the overlaps, kafka.md §2.2). `implemented` is the dispatcher's key list. A request of a
 * version this broker does not know (a newer client) gets this body at v0 with UNSUPPORTED_VERSION,
 * so the client retries within ApiVersions' own range (KIP-511, RequestContext.parseRequest).
 */
export function apiVersionsBody(implemented: ReadonlySet<number>, errorCode: number = KafkaErrors.NONE.code): Response {
  return {
    errorCode,
    apiKeys: API_KEYS.filter((a) => implemented.has(a.key)).map((a) => ({ apiKey: a.key, minVersion: advertisedMin(a.key, a.min), maxVersion: a.max })),
    throttleTimeMs: 0,
  };
}

/**
 * Produce is advertised from v0 although only v3+ is served (a v0–v2 request closes the
 * connection, as for any version outside api-keys.ts): librdkafka ≤ 2.11 compresses with gzip,
 * snappy or lz4 only when the broker's Produce range overlaps [0, 0]
 * (rdkafka_msgset_writer.c, rd_kafka_msgset_writer_select_MsgVersion) and otherwise sends the
 * batch uncompressed. Kafka 4.0 does the same after removing Produce v0–v2 (KAFKA-18659). Clients
 * pick the highest common version, so none sends v0–v2 to a broker that advertises v11.
 */
function advertisedMin(key: number, min: number): number {
  return key === ApiKey.Produce ? 0 : min;
}
