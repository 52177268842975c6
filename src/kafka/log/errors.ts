import { JunctionError } from '../../core/errors.js';

/**
 * What the partition storage refuses, named as Kafka's Errors enum names it
 * ([AK] clients/.../common/protocol/Errors.java), so the protocol layer maps the name to the wire
 * code through its one error registry instead of this module repeating the numbers.
 */
export type KafkaLogErrorName =
  | 'CORRUPT_MESSAGE' // 2: bad CRC, truncated or undersized batch (CorruptRecordException)
  | 'MESSAGE_TOO_LARGE' // 10: batch larger than max.message.bytes (RecordTooLargeException)
  | 'INVALID_RECORD' // 87: not magic 2, control batch from a client, count/offset mismatch (InvalidRecordException)
  | 'UNSUPPORTED_COMPRESSION_TYPE' // 76: zstd in a Produce older than v7
  | 'OFFSET_OUT_OF_RANGE' // 1: fetch or DeleteRecords offset outside [log start, end]
  | 'INVALID_TOPIC_EXCEPTION' // 17: a topic name Kafka's Topic.validate refuses
  | 'KAFKA_STORAGE_ERROR' // 56: the log could not be written or read
  | 'OUT_OF_ORDER_SEQUENCE_NUMBER' // 45: an idempotent producer's sequence has a gap (ProducerAppendInfo)
  | 'INVALID_PRODUCER_EPOCH'; // 47: an idempotent producer's epoch is older than the last seen

/** A Kafka-level refusal from src/kafka/log; `code` is the Kafka error name. */
export class KafkaLogError extends JunctionError {
  declare readonly code: KafkaLogErrorName;
  constructor(code: KafkaLogErrorName, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
