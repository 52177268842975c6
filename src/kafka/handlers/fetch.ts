import { KafkaErrors } from '../errors.js';
import { KafkaLogError } from '../log/errors.js';
import type { FetchRequest, FetchResponse } from '../protocol/apis/fetch.js';
import { ZERO_UUID } from '../protocol/reader.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import { REFERENCE_MIN_BYTES } from '../protocol/writer.js';
import type { BrokerContext, RequestContext } from './context.js';

type Request = MessageValue<typeof FetchRequest>;
type Response = MessageInput<typeof FetchResponse>;
type PartitionData = NonNullable<NonNullable<Response['responses']>[number]['partitions']>[number];
/** A requested topic by name; null when v13+ named an id this broker does not know. */
interface FetchTopic { topic: string | null; topicId: string; partitions: Request['topics'][number]['partitions'] }

const EMPTY = Buffer.alloc(0);

interface Collected { responses: Array<NonNullable<Response['responses']>[number]>; bytes: number; error: boolean }

/**
 * Fetch (key 1), v4–v17 (kafka.md §6). Partitions are read in request order; each answer holds the
 * stored batches from the one containing fetch_offset, byte for byte, up to partition_max_bytes and
 * the request's max_bytes — except that the first batch of the first partition with data is sent
 * whole however large (KIP-74). With fewer than min_bytes ready and no error, the request waits
 * (Kafka's DelayedFetch) until an append brings enough or max_wait_ms passes. Fetch sessions are
 * not kept: session_id 0 makes every client send full fetches. v13+ (KIP-516) names topics by id,
 * as Metadata v10+ gives them; an unknown id answers UNKNOWN_TOPIC_ID (KafkaApis.handleFetchRequest).
 */
export async function handleFetch(req: Request, ctx: RequestContext): Promise<Response> {
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  const topics = requestedTopics(req, ctx);
  const readable = readableTopics(topics, ctx);
  let collected = await collect(req, topics, ctx.broker, readable);
  // ReplicaManager.fetchMessages answers at once when nothing was asked for.
  const asked = topics.some((t) => t.partitions.length > 0);
  while (asked && collected.bytes < req.minBytes && !collected.error && !ctx.signal.aborted) {
    const left = deadline - Date.now();
    if (left <= 0 || !(await waitForAnyData(topics, ctx, left))) break;
    collected = await collect(req, topics, ctx.broker, readable);
  }
  ctx.broker.metrics.bytesOut.inc(collected.bytes);
  return { throttleTimeMs: 0, errorCode: KafkaErrors.NONE.code, sessionId: 0, responses: collected.responses };
}

/** About the bytes a Fetch response's frame buffer needs: a little per partition, plus the records
 *  small enough to be copied in (larger ones are referenced and sent as they are, Writer.reference). */
export function fetchResponseSize(response: Response): number {
  let size = 64;
  for (const topic of response.responses ?? []) {
    size += 8 + (topic.topic?.length ?? 0) * 3;
    for (const p of topic.partitions ?? []) {
      const records = p.records?.length ?? 0;
      size += 64 + (records < REFERENCE_MIN_BYTES ? records : 0);
    }
  }
  return size;
}

/** The request's topics by name: v4–v12 name them, v13+ give their ids. */
function requestedTopics(req: Request, ctx: RequestContext): FetchTopic[] {
  if (ctx.apiVersion < 13) return req.topics.map((t) => ({ topic: t.topic, topicId: ZERO_UUID, partitions: t.partitions }));
  return req.topics.map((t) => ({ topic: ctx.broker.topics.nameOfId(t.topicId) ?? null, topicId: t.topicId, partitions: t.partitions }));
}

/** KafkaApis.handleFetchRequest: READ on each topic; the others answer TOPIC_AUTHORIZATION_FAILED. */
function readableTopics(topics: readonly FetchTopic[], ctx: RequestContext): ReadonlySet<string> {
  return new Set(topics.flatMap((t) => (t.topic !== null && ctx.authorize('READ', 'topic', t.topic) ? [t.topic] : [])));
}

async function collect(req: Request, topics: readonly FetchTopic[], broker: BrokerContext, readable: ReadonlySet<string>): Promise<Collected> {
  let bytes = 0;
  let error = false;
  const responses: Collected['responses'] = [];
  for (const { topic, topicId, partitions: asked } of topics) {
    const partitions: PartitionData[] = [];
    for (const p of asked) {
      const left = req.maxBytes - bytes;
      const data = topic === null ? unreadable(p.partition, 'UNKNOWN_TOPIC_ID')
        : readable.has(topic) ? await readPartition(broker, topic, p.partition, p.fetchOffset, Math.min(p.partitionMaxBytes, left), bytes === 0)
          : unreadable(p.partition, 'TOPIC_AUTHORIZATION_FAILED');
      bytes += data.records?.length ?? 0;
      error ||= data.errorCode !== KafkaErrors.NONE.code;
      partitions.push(data);
    }
    // v4–v12 carry the name, v13+ the id (the other field is ignorable and dropped by the codec).
    responses.push({ topic: topic ?? '', topicId, partitions });
  }
  return { responses, bytes, error };
}

/** One partition's answer; `minOne`: nothing was sent yet, so the first batch goes whole (KIP-74). */
async function readPartition(broker: BrokerContext, topic: string, partition: number, offset: bigint, limit: number,
  minOne: boolean): Promise<PartitionData> {
  const log = broker.topics.partition(topic, partition);
  const base = { partitionIndex: partition, abortedTransactions: [], preferredReadReplica: -1 };
  if (!log) return unreadable(partition, 'UNKNOWN_TOPIC_OR_PARTITION');
  try {
    const read = limit > 0 || minOne ? await log.read(Number(offset), Math.max(limit, 1)) : null;
    let records = read && read.batches.length > 0 ? joinBatches(read.batches, read.bytes) : EMPTY;
    // Only the first partition with data may exceed the limits (FetchRequest.json: "if the first
    // record batch … is larger than this value, the record batch will still be returned").
    if (!minOne && records.length > limit) records = EMPTY;
    const hw = BigInt(log.highWatermark);
    return { ...base, errorCode: KafkaErrors.NONE.code, highWatermark: hw, lastStableOffset: hw, logStartOffset: BigInt(log.logStartOffset), records };
  } catch (err) {
    if (!(err instanceof KafkaLogError)) throw err;
    return {
      ...base, errorCode: KafkaErrors[err.code].code, highWatermark: BigInt(log.highWatermark), lastStableOffset: BigInt(log.highWatermark),
      logStartOffset: BigInt(log.logStartOffset), records: EMPTY,
    };
  }
}

function unreadable(partition: number, error: 'UNKNOWN_TOPIC_OR_PARTITION' | 'UNKNOWN_TOPIC_ID' | 'TOPIC_AUTHORIZATION_FAILED'): PartitionData {
  return {
    partitionIndex: partition, abortedTransactions: [], preferredReadReplica: -1, errorCode: KafkaErrors[error].code,
    highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, records: EMPTY,
  };
}

/** Park until any requested partition has data past its fetch offset, or `ms` pass. */
async function waitForAnyData(topics: readonly FetchTopic[], ctx: RequestContext, ms: number): Promise<boolean> {
  const stop = new AbortController();
  const onClose = (): void => stop.abort();
  ctx.signal.addEventListener('abort', onClose, { once: true });
  try {
    const waits = topics.flatMap((t) => t.partitions.map((p) => {
      const log = t.topic === null ? undefined : ctx.broker.topics.partition(t.topic, p.partition);
      return log ? log.waitForData(Number(p.fetchOffset), ms, stop.signal) : null;
    })).filter((w): w is Promise<boolean> => w !== null);
    // A topic deleted meanwhile leaves nothing to wait on: answer now (it reads as unknown).
    return waits.length > 0 && await Promise.race(waits);
  } finally {
    stop.abort();
    ctx.signal.removeEventListener('abort', onClose);
  }
}

/** The batches as one Buffer: a view over them when they lie back to back in one read buffer (as
 *  batches read from one segment chunk do), else a copy. */
function joinBatches(batches: readonly Buffer[], bytes: number): Buffer {
  const first = batches[0]!;
  const last = batches[batches.length - 1]!;
  const contiguous = batches.every((b, i) => i === 0 || (b.buffer === first.buffer && b.byteOffset === batches[i - 1]!.byteOffset + batches[i - 1]!.length));
  if (contiguous && last.byteOffset + last.length - first.byteOffset === bytes) {
    return Buffer.from(first.buffer, first.byteOffset, bytes);
  }
  return Buffer.concat(batches as Buffer[], bytes);
}
