import { KafkaErrors, type KafkaErrorName } from '../errors.js';
import { KafkaLogError } from '../log/errors.js';
import type { AppendResult, PartitionLog } from '../log/partition-log.js';
import { splitBatches, validateClientBatch } from '../log/produce-validation.js';
import type { RecordBatch } from '../log/record-batch.js';
import type { ProduceRequest, ProduceResponse } from '../protocol/apis/produce.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import { NO_RESPONSE, type BrokerContext, type RequestContext } from './context.js';

type Request = MessageValue<typeof ProduceRequest>;
type Response = MessageInput<typeof ProduceResponse>;
type PartitionResponse = NonNullable<NonNullable<Response['responses']>[number]['partitionResponses']>[number];

/**
 * Produce (key 0), v3–v11: each partition's record batches are split, validated as Kafka's
 * LogValidator validates a client's batches, and appended — all synchronously, so batches of one
 * connection keep their order — and the answer waits until they are durable under --fsync (acks 1
 * and -1 alike: this broker is the whole ISR). acks=0 gets no response, and when it fails the
 * connection is closed, since the client reads no answer (KafkaApis.handleProduceRequest,
 * closeConnection). Errors are per partition
 * (v8: with errorMessage); a missing topic is UNKNOWN_TOPIC_OR_PARTITION, never auto-created.
 */
export function handleProduce(req: Request, ctx: RequestContext): Promise<Response> | typeof NO_RESPONSE {
  const { broker, apiVersion } = ctx;
  const validAcks = req.acks === 0 || req.acks === 1 || req.acks === -1;
  const pending = req.topicData.map((topic) => {
    // KafkaApis.handleProduceRequest: WRITE on the topic, else TOPIC_AUTHORIZATION_FAILED per partition.
    const refused = !validAcks ? 'INVALID_REQUIRED_ACKS' : ctx.authorize('WRITE', 'topic', topic.name) ? null : 'TOPIC_AUTHORIZATION_FAILED';
    return {
      name: topic.name,
      partitions: topic.partitionData.map((p) => (refused === null
        ? appendPartition(broker, topic.name, p.index, p.records, apiVersion)
        : Promise.resolve(failed(p.index, refused)))),
    };
  });
  const answered = Promise.all(pending.map(async (t) => ({ name: t.name, partitionResponses: await Promise.all(t.partitions) })))
    .then((responses) => ({ responses, throttleTimeMs: 0 }));
  if (req.acks !== 0) return answered;
  void answered.then((r) => {
    const error = r.responses.flatMap((t) => t.partitionResponses).find((p) => p.errorCode !== KafkaErrors.NONE.code);
    if (error) ctx.close(`acks=0 produce failed with error ${error.errorCode}: ${error.errorMessage ?? ''}`);
  }, (err: unknown) => ctx.fail(err));
  return NO_RESPONSE;
}

function failed(index: number, error: KafkaErrorName, message?: string): PartitionResponse {
  return {
    index, errorCode: KafkaErrors[error].code, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, recordErrors: [],
    errorMessage: message ?? null,
  };
}

/** Validate and append one partition's batches now; resolves with its response once durable. */
function appendPartition(broker: BrokerContext, topic: string, index: number, records: Buffer | null, apiVersion: number): Promise<PartitionResponse> {
  const partition = broker.topics.partition(topic, index);
  if (!partition) return Promise.resolve(failed(index, 'UNKNOWN_TOPIC_OR_PARTITION'));
  let batches: RecordBatch[];
  try {
    // Kafka checks the whole request's batches before it appends any of them.
    batches = splitBatches(records ?? Buffer.alloc(0), broker.topics.config(topic)!.maxMessageBytes);
    for (const batch of batches) validateClientBatch(batch, { allowZstd: apiVersion >= 7 });
    if (batches.length === 0) throw new KafkaLogError('INVALID_RECORD', 'Produce request carries no record batch for this partition');
  } catch (err) {
    if (err instanceof KafkaLogError) return Promise.resolve(failed(index, err.code, err.message));
    throw err;
  }
  let bytes = 0;
  let messages = 0;
  for (const b of batches) { bytes += b.bytes.length; messages += b.recordCount; }
  broker.metrics.bytesIn.inc(bytes);
  broker.metrics.messagesIn.inc(messages);
  return appendAll(partition, batches).then((first) => ({
    index, errorCode: KafkaErrors.NONE.code, baseOffset: BigInt(first.baseOffset), logAppendTimeMs: BigInt(first.logAppendTime),
    logStartOffset: BigInt(first.logStartOffset), recordErrors: [], errorMessage: null,
  }), (err: unknown) => {
    if (err instanceof KafkaLogError) return failed(index, err.code, err.message);
    throw err;
  });
}

/** Append every batch synchronously (offsets assigned in order), resolve with the first's result. */
function appendAll(partition: PartitionLog, batches: readonly RecordBatch[]): Promise<AppendResult> {
  const appended = batches.map((b) => partition.append(b));
  return Promise.all(appended).then((results) => results[0]!);
}
