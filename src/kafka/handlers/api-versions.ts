import { API_KEYS } from '../protocol/api-keys.js';
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
    apiKeys: API_KEYS.filter((a) => implemented.has(a.key)).map((a) => ({ apiKey: a.key, minVersion: a.min, maxVersion: a.max })),
    throttleTimeMs: 0,
  };
}
