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
/** Byte positions framing reads before a view exists (splitBatches). */
export const BATCH_LENGTH = 8;
const PARTITION_LEADER_EPOCH = 12;
export const MAGIC = 16;
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
