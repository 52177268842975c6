import { KafkaErrors } from '../errors.js';
import { KafkaLogError } from '../log/errors.js';
import type { FetchRequest, FetchResponse } from '../protocol/apis/fetch.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import type { BrokerContext, RequestContext } from './context.js';

type Request = MessageValue<typeof FetchRequest>;
type Response = MessageInput<typeof FetchResponse>;
type PartitionData = NonNullable<NonNullable<Response['responses']>[number]['partitions']>[number];

const EMPTY = Buffer.alloc(0);

interface Collected { responses: Array<NonNullable<Response['responses']>[number]>; bytes: number; error: boolean }

/**
 * Fetch (key 1), v4–v12 (kafka.md §6). Partitions are read in request order; each answer holds the
 * stored batches from the one containing fetch_offset, byte for byte, up to partition_max_bytes and
 * the request's max_bytes — except that the first batch of the first partition with data is sent
 * whole however large (KIP-74). With fewer than min_bytes ready and no error, the request waits
 * (Kafka's DelayedFetch) until an append brings enough or max_wait_ms passes. Fetch sessions are
 * not kept: session_id 0 makes every client send full fetches.
 */
export async function handleFetch(req: Request, ctx: RequestContext): Promise<Response> {
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  const readable = readableTopics(req, ctx);
  let collected = await collect(req, ctx.broker, readable);
  // ReplicaManager.fetchMessages answers at once when nothing was asked for.
  const asked = req.topics.some((t) => t.partitions.length > 0);
  while (asked && collected.bytes < req.minBytes && !collected.error && !ctx.signal.aborted) {
    const left = deadline - Date.now();
    if (left <= 0 || !(await waitForAnyData(req, ctx, left))) break;
    collected = await collect(req, ctx.broker, readable);
  }
  ctx.broker.metrics.bytesOut.inc(collected.bytes);
  return { throttleTimeMs: 0, errorCode: KafkaErrors.NONE.code, sessionId: 0, responses: collected.responses };
}

/** About the encoded size of a Fetch response: its records plus a little per partition. */
export function fetchResponseSize(response: Response): number {
  let size = 64;
  for (const topic of response.responses ?? []) {
    size += 8 + (topic.topic?.length ?? 0) * 3;
    for (const p of topic.partitions ?? []) size += 64 + (p.records?.length ?? 0);
  }
  return size;
}

/** KafkaApis.handleFetchRequest: READ on each topic; the others answer TOPIC_AUTHORIZATION_FAILED. */
function readableTopics(req: Request, ctx: RequestContext): ReadonlySet<string> {
  return new Set(req.topics.map((t) => t.topic).filter((name) => ctx.authorize('READ', 'topic', name)));
}

async function collect(req: Request, broker: BrokerContext, readable: ReadonlySet<string>): Promise<Collected> {
  let bytes = 0;
  let error = false;
  const responses: Collected['responses'] = [];
  for (const topic of req.topics) {
    const partitions: PartitionData[] = [];
    for (const p of topic.partitions) {
      const left = req.maxBytes - bytes;
      const data = readable.has(topic.topic)
        ? await readPartition(broker, topic.topic, p.partition, p.fetchOffset, Math.min(p.partitionMaxBytes, left), bytes === 0)
        : unreadable(p.partition, 'TOPIC_AUTHORIZATION_FAILED');
      bytes += data.records?.length ?? 0;
      error ||= data.errorCode !== KafkaErrors.NONE.code;
      partitions.push(data);
    }
    responses.push({ topic: topic.topic, partitions });
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
    let records = read && read.batches.length > 0 ? Buffer.concat(read.batches, read.bytes) : EMPTY;
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

function unreadable(partition: number, error: 'UNKNOWN_TOPIC_OR_PARTITION' | 'TOPIC_AUTHORIZATION_FAILED'): PartitionData {
  return {
    partitionIndex: partition, abortedTransactions: [], preferredReadReplica: -1, errorCode: KafkaErrors[error].code,
    highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, records: EMPTY,
  };
}

/** Park until any requested partition has data past its fetch offset, or `ms` pass. */
async function waitForAnyData(req: Request, ctx: RequestContext, ms: number): Promise<boolean> {
  const stop = new AbortController();
  const onClose = (): void => stop.abort();
  ctx.signal.addEventListener('abort', onClose, { once: true });
  try {
    const waits = req.topics.flatMap((t) => t.partitions.map((p) => {
      const log = ctx.broker.topics.partition(t.topic, p.partition);
      return log ? log.waitForData(Number(p.fetchOffset), ms, stop.signal) : null;
    })).filter((w): w is Promise<boolean> => w !== null);
    // A topic deleted meanwhile leaves nothing to wait on: answer now (it reads as unknown).
    return waits.length > 0 && await Promise.race(waits);
  } finally {
    stop.abort();
    ctx.signal.removeEventListener('abort', onClose);
  }
}
