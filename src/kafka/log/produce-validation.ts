import { KafkaLogError } from './errors.js';
import { BATCH_LENGTH, CompressionCodec, DEFAULT_MAX_MESSAGE_BYTES, LOG_OVERHEAD, MAGIC, RecordBatch } from './record-batch.js';
import { walkRecords } from './records.js';

/*
 * What a Produce handler does with a partition's `records` before PartitionLog.append: split it
 * into batches, then check each as Kafka does for a client origin. Layered above the batch view
 * (record-batch.ts) and the record walk (records.ts), so neither imports the other's caller.
 */

/**
 * The batches of a Produce partition's `records` blob, each a view over its own bytes (no copy).
 * Framing follows ByteBufferLogInputStream.nextBatch: a size below the v0 record overhead or above
 * maxMessageBytes, or a magic other than 2, is refused; unlike Kafka, which stops silently at a
 * truncated tail, a blob that ends inside a batch is refused as CORRUPT_MESSAGE, since a Produce
 * blob is always whole batches.
 */
export function splitBatches(records: Buffer, maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES): RecordBatch[] {
  const batches: RecordBatch[] = [];
  let position = 0;
  while (position < records.length) {
    if (records.length - position < LOG_OVERHEAD + 5) {
      throw new KafkaLogError('CORRUPT_MESSAGE', `${records.length - position} trailing bytes at ${position} are not a record batch`);
    }
    const batchLength = records.readInt32BE(position + BATCH_LENGTH);
    // LegacyRecord.RECORD_OVERHEAD_V0 = 14 is the smallest size Kafka's reader accepts.
    if (batchLength < 14) throw new KafkaLogError('CORRUPT_MESSAGE', `Record size ${batchLength} is less than the minimum record overhead (14)`);
    const size = LOG_OVERHEAD + batchLength;
    if (size > maxMessageBytes) {
      throw new KafkaLogError('MESSAGE_TOO_LARGE', `The record batch of ${size} bytes exceeds max.message.bytes (${maxMessageBytes})`);
    }
    if (position + size > records.length) {
      throw new KafkaLogError('CORRUPT_MESSAGE', `record batch at ${position} claims ${size} bytes, only ${records.length - position} remain`);
    }
    const magic = records.readInt8(position + MAGIC);
    if (magic !== 2) throw new KafkaLogError('INVALID_RECORD', `Produce requests with version >= 3 must use message format v2 (got magic ${magic})`);
    batches.push(new RecordBatch(records.subarray(position, position + size)));
    position += size;
  }
  return batches;
}

export interface ClientBatchRules {
  /** Produce v7+ may carry zstd (ProduceRequest.validateRecords). */
  allowZstd: boolean;
}

/**
 * The checks Kafka makes on a batch a producer sent, in its order: CRC and size
 * (DefaultRecordBatch.ensureValid), compression (ProduceRequest.validateRecords), then
 * LogValidator.validateBatch for a client origin, and the records' structure of an uncompressed
 * batch (LogValidator iterates them; walkRecords). Transactions are not supported here, so a
 * transactional batch is refused rather than stored with no transaction coordinator behind it.
 */
export function validateClientBatch(batch: RecordBatch, rules: ClientBatchRules): void {
  batch.ensureValid();
  if (batch.compression > CompressionCodec.zstd) {
    throw new KafkaLogError('CORRUPT_MESSAGE', `Unknown compression type id ${batch.compression}`);
  }
  if (batch.compression === CompressionCodec.zstd && !rules.allowZstd) {
    throw new KafkaLogError('UNSUPPORTED_COMPRESSION_TYPE', 'Produce requests with version < 7 cannot use ZStandard compression');
  }
  if (batch.isControl) throw new KafkaLogError('INVALID_RECORD', 'Clients are not allowed to write control records');
  if (batch.isTransactional) throw new KafkaLogError('INVALID_RECORD', 'Transactional record batches are not supported by this broker');
  if (batch.producerId >= 0 && batch.baseSequence < 0) {
    throw new KafkaLogError('INVALID_RECORD', `Invalid sequence number ${batch.baseSequence} in record batch with producerId ${batch.producerId}`);
  }
  // UnifiedLog.analyzeAndValidateRecords: a v2 batch from a client starts at offset 0.
  if (batch.baseOffset !== 0) {
    throw new KafkaLogError('INVALID_RECORD', `The baseOffset of the record batch should be 0, but it is ${batch.baseOffset}`);
  }
  if (batch.recordCount <= 0) throw new KafkaLogError('INVALID_RECORD', 'Record batch has no records');
  if (batch.lastOffsetDelta + 1 !== batch.recordCount) {
    throw new KafkaLogError('INVALID_RECORD', `Inconsistent batch offset range: lastOffsetDelta ${batch.lastOffsetDelta} with ` +
      `${batch.recordCount} records`);
  }
  walkRecords(batch);
}
