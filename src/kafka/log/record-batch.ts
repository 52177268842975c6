import { crc32c } from '@node-rs/crc32';
import { KafkaLogError } from './errors.js';

/*
 * RecordBatch v2 (magic 2), [AK] clients/.../record/DefaultRecordBatch.java:47-100:
 *
 *   0  baseOffset int64          12 partitionLeaderEpoch int32   17 crc uint32 (CRC-32C of [21, end))
 *   8  batchLength int32         16 magic int8
 *  21  attributes int16   23 lastOffsetDelta int32   27 baseTimestamp int64   35 maxTimestamp int64
 *  43  producerId int64   51 producerEpoch int16     53 baseSequence int32    57 recordCount int32
 *  61  records (compressed as one blob when the codec is not none)
 *
 * baseOffset, batchLength and partitionLeaderEpoch lie before the CRC'd range, so the broker
 * assigns them without recomputing it; maxTimestamp and attributes are inside it.
 */
const BASE_OFFSET = 0;
const BATCH_LENGTH = 8;
const PARTITION_LEADER_EPOCH = 12;
const MAGIC = 16;
const CRC = 17;
const ATTRIBUTES = 21;
const LAST_OFFSET_DELTA = 23;
const BASE_TIMESTAMP = 27;
const MAX_TIMESTAMP = 35;
const PRODUCER_ID = 43;
const PRODUCER_EPOCH = 51;
const BASE_SEQUENCE = 53;
const RECORD_COUNT = 57;

/** Bytes before batchLength's count starts (baseOffset + batchLength): Records.LOG_OVERHEAD. */
export const LOG_OVERHEAD = 12;
/** Header of a v2 batch: DefaultRecordBatch.RECORD_BATCH_OVERHEAD. */
export const RECORD_BATCH_OVERHEAD = 61;
/** Kafka's max.message.bytes default: 1 MiB + LOG_OVERHEAD ([AK] LogConfig.java:171). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + LOG_OVERHEAD;

const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_BIT = 0x08;
const TRANSACTIONAL_BIT = 0x10;
const CONTROL_BIT = 0x20;

export enum CompressionCodec { none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4 }
export type TimestampType = 'CreateTime' | 'LogAppendTime';

/**
 * A view over the bytes of one v2 record batch: reads the header in place and applies the
 * broker's rewrites (§3.2 of the research notes) to the same bytes, so what is stored and later
 * fetched is the client's batch byte for byte apart from those fields.
 */
export class RecordBatch {
  constructor(readonly bytes: Buffer) {}

  get baseOffset(): number { return Number(this.bytes.readBigInt64BE(BASE_OFFSET)); }
  /** Bytes after the batchLength field: the batch is LOG_OVERHEAD + batchLength bytes. */
  get batchLength(): number { return this.bytes.readInt32BE(BATCH_LENGTH); }
  get partitionLeaderEpoch(): number { return this.bytes.readInt32BE(PARTITION_LEADER_EPOCH); }
  get magic(): number { return this.bytes.readInt8(MAGIC); }
  get crc(): number { return this.bytes.readUInt32BE(CRC); }
  get attributes(): number { return this.bytes.readInt16BE(ATTRIBUTES); }
  get compression(): CompressionCodec { return this.attributes & COMPRESSION_MASK; }
  get timestampType(): TimestampType { return this.attributes & TIMESTAMP_TYPE_BIT ? 'LogAppendTime' : 'CreateTime'; }
  get isTransactional(): boolean { return (this.attributes & TRANSACTIONAL_BIT) !== 0; }
  get isControl(): boolean { return (this.attributes & CONTROL_BIT) !== 0; }
  get lastOffsetDelta(): number { return this.bytes.readInt32BE(LAST_OFFSET_DELTA); }
  get baseTimestamp(): number { return Number(this.bytes.readBigInt64BE(BASE_TIMESTAMP)); }
  get maxTimestamp(): number { return Number(this.bytes.readBigInt64BE(MAX_TIMESTAMP)); }
  /** -1 unless the producer is idempotent. Producer ids are allocated from 0 up, so Number holds them. */
  get producerId(): number { return Number(this.bytes.readBigInt64BE(PRODUCER_ID)); }
  get producerEpoch(): number { return this.bytes.readInt16BE(PRODUCER_EPOCH); }
  get baseSequence(): number { return this.bytes.readInt32BE(BASE_SEQUENCE); }
  get recordCount(): number { return this.bytes.readInt32BE(RECORD_COUNT); }
  /** Offsets the batch covers: lastOffsetDelta + 1 (= recordCount for a batch a client wrote). */
  get offsetSpan(): number { return this.lastOffsetDelta + 1; }
  get lastOffset(): number { return this.baseOffset + this.lastOffsetDelta; }
  /** The next batch's base offset (DefaultRecordBatch.nextOffset). */
  get nextOffset(): number { return this.lastOffset + 1; }

  /** CRC-32C of attributes..end, as DefaultRecordBatch.computeChecksum. */
  computeCrc(): number { return crc32c(this.bytes.subarray(ATTRIBUTES)); }

  /** DefaultRecordBatch.ensureValid: the size covers a header and the CRC matches. */
  ensureValid(): void {
    if (this.bytes.length < RECORD_BATCH_OVERHEAD) {
      throw new KafkaLogError('CORRUPT_MESSAGE', `Record batch is corrupt (the size ${this.bytes.length} is smaller than the ` +
        `minimum allowed overhead ${RECORD_BATCH_OVERHEAD})`);
    }
    const computed = this.computeCrc();
    if (computed !== this.crc) {
      throw new KafkaLogError('CORRUPT_MESSAGE', `Record is corrupt (stored crc = ${this.crc}, computed crc = ${computed})`);
    }
  }

  /** Outside the CRC'd range: no CRC change (DefaultRecordBatch.setLastOffset). */
  setBaseOffset(offset: number): void { this.bytes.writeBigInt64BE(BigInt(offset), BASE_OFFSET); }

  /** Outside the CRC'd range: no CRC change (DefaultRecordBatch.setPartitionLeaderEpoch). */
  setPartitionLeaderEpoch(epoch: number): void { this.bytes.writeInt32BE(epoch, PARTITION_LEADER_EPOCH); }

  /**
   * For a topic with message.timestamp.type=LogAppendTime: set the timestamp-type bit and
   * maxTimestamp := now, both inside the CRC'd range, so the CRC is recomputed
   * (DefaultRecordBatch.setMaxTimestamp; LogValidator sets it for every batch of such a topic).
   */
  setLogAppendTime(now: number): void {
    this.bytes.writeInt16BE(this.attributes | TIMESTAMP_TYPE_BIT, ATTRIBUTES);
    this.bytes.writeBigInt64BE(BigInt(now), MAX_TIMESTAMP);
    this.bytes.writeUInt32BE(this.computeCrc(), CRC);
  }
}

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
 * LogValidator.validateBatch for a client origin. Transactions are not supported here, so a
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
}

/** A zig-zag varint/varlong at `position` ([AK] ByteUtils.readVarlong), in Number arithmetic so
 *  values past 32 bits (timestamp deltas) survive; null when it runs past the end or 10 bytes. */
function readZigZag(buf: Buffer, position: number): { value: number; next: number } | null {
  let raw = 0;
  for (let i = 0, scale = 1; i < 10; i++, scale *= 128) {
    if (position + i >= buf.length) return null;
    const byte = buf[position + i]!;
    raw += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return { value: raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2, next: position + i + 1 };
  }
  return null;
}

/**
 * The first record of `batch` at or after `minOffset` whose timestamp is ≥ ts, as Kafka's
 * LogSegment.findOffsetByTimestamp(timestamp, startingOffset = log start) answers ListOffsets. For a LogAppendTime batch every record carries maxTimestamp. A compressed
 * batch is answered with its base offset and maxTimestamp without decompressing it (the broker
 * keeps no codecs); a consumer starting there skips the earlier records itself. Null when no
 * record qualifies (or the records cannot be parsed, which CRC-checked batches rule out).
 */
export function firstRecordAtOrAfter(batch: RecordBatch, ts: number, minOffset = 0): { offset: number; timestamp: number } | null {
  if (batch.maxTimestamp < ts || batch.lastOffset < minOffset) return null;
  if (batch.timestampType === 'LogAppendTime' || batch.compression !== CompressionCodec.none) {
    return { offset: Math.max(batch.baseOffset, minOffset), timestamp: batch.maxTimestamp };
  }
  const bytes = batch.bytes;
  let position = RECORD_BATCH_OVERHEAD;
  for (let i = 0; i < batch.recordCount; i++) {
    const length = readZigZag(bytes, position);
    if (!length) return null;
    // length, attributes int8, timestampDelta varlong, offsetDelta varint (DefaultRecord.java:39-67)
    const timestampDelta = readZigZag(bytes, length.next + 1);
    const offsetDelta = timestampDelta && readZigZag(bytes, timestampDelta.next);
    if (!timestampDelta || !offsetDelta) return null;
    const timestamp = batch.baseTimestamp + timestampDelta.value;
    const offset = batch.baseOffset + offsetDelta.value;
    if (timestamp >= ts && offset >= minOffset) return { offset, timestamp };
    position = length.next + length.value;
  }
  return null;
}
