import { KafkaErrors } from '../errors.js';
import type { PartitionLog } from '../log/partition-log.js';
import type { ListOffsetsRequest, ListOffsetsResponse } from '../protocol/apis/list-offsets.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import type { RequestContext } from './context.js';

type Request = MessageValue<typeof ListOffsetsRequest>;
type Response = MessageInput<typeof ListOffsetsResponse>;
type PartitionAnswer = NonNullable<NonNullable<Response['topics']>[number]['partitions']>[number];

/** ListOffsetsRequest.LATEST_TIMESTAMP / EARLIEST_TIMESTAMP / EARLIEST_LOCAL_TIMESTAMP (v8+) /
 *  LATEST_TIERED_TIMESTAMP (v9+, KIP-1005). */
const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;
const EARLIEST_LOCAL = -4n;
const LATEST_TIERED = -5n;

/**
 * ListOffsets (key 2), v0–v9: -1 → the high watermark (also the last stable offset: there are no
 * transactions, so read_committed reads as far), -2 → the log start offset, ts ≥ 0 → the first
 * offset whose record timestamp is ≥ ts, or offset -1 when none is (UnifiedLog.fetchOffsetByTimestamp).
 * v0 answers a list of offsets (old_style_offsets), holding the one offset found. Without tiered
 * storage -4 (v8+) is the log start offset and -5 (v9+) finds no offset (-1), as UnifiedLog answers
 * when remote storage is disabled; -3 (v7+, KIP-734) is the first record with the log's largest timestamp.
 */
export async function handleListOffsets(req: Request, ctx: RequestContext): Promise<Response> {
  const topics: Array<NonNullable<Response['topics']>[number]> = [];
  for (const topic of req.topics) {
    const partitions: PartitionAnswer[] = [];
    // KafkaApis.handleListOffsetRequest: DESCRIBE on the topic, else TOPIC_AUTHORIZATION_FAILED.
    const described = ctx.authorize('DESCRIBE', 'topic', topic.name);
    for (const p of topic.partitions) {
      const log = described ? ctx.broker.topics.partition(topic.name, p.partitionIndex) : undefined;
      const answer = log ? await lookup(log, p.timestamp) : { errorCode: notFound(described), found: null };
      partitions.push(inVersion(p.partitionIndex, answer, ctx.apiVersion));
    }
    topics.push({ name: topic.name, partitions });
  }
  return { throttleTimeMs: 0, topics };
}

function notFound(described: boolean): number {
  return (described ? KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION : KafkaErrors.TOPIC_AUTHORIZATION_FAILED).code;
}

interface Lookup { errorCode: number; found: { offset: number; timestamp: number } | null }

async function lookup(log: PartitionLog, timestamp: bigint): Promise<Lookup> {
  const none = KafkaErrors.NONE.code;
  if (timestamp === LATEST) return { errorCode: none, found: { offset: log.highWatermark, timestamp: -1 } };
  if (timestamp === LATEST_TIERED) return { errorCode: none, found: null };
  if (timestamp === EARLIEST || timestamp === EARLIEST_LOCAL) return { errorCode: none, found: { offset: log.logStartOffset, timestamp: -1 } };
  if (timestamp === MAX_TIMESTAMP) return { errorCode: none, found: await log.offsetOfMaxTimestamp() };
  if (timestamp < 0n) return { errorCode: KafkaErrors.INVALID_REQUEST.code, found: null };
  return { errorCode: none, found: await log.offsetForTimestamp(Number(timestamp)) };
}

/** v0 carries a list of offsets; v1+ one timestamp and offset (-1 when none); v4+ the leader epoch. */
function inVersion(partitionIndex: number, { errorCode, found }: Lookup, version: number): PartitionAnswer {
  if (version === 0) return { partitionIndex, errorCode, oldStyleOffsets: found ? [BigInt(found.offset)] : [] };
  return {
    partitionIndex, errorCode, timestamp: BigInt(found?.timestamp ?? -1), offset: BigInt(found?.offset ?? -1),
    ...(version >= 4 ? { leaderEpoch: found ? 0 : -1 } : {}),
  };
}
