import { KafkaLogError } from './errors.js';
import { CompressionCodec, RECORD_BATCH_OVERHEAD, type RecordBatch } from './record-batch.js';

/** Where a record's header says it sits in its batch. */
export interface RecordHead { index: number; timestampDelta: number; offsetDelta: number }

function invalid(message: string): KafkaLogError {
  return new KafkaLogError('INVALID_RECORD', message);
}

/** Reads zig-zag varints and length-prefixed fields of one batch's records, bounds-checked: running
 *  past the end is Kafka's "premature EOF" (DefaultRecordBatch.RecordIterator), never a RangeError. */
class RecordCursor {
  constructor(private readonly buf: Buffer, public position: number) {}

  /** ByteUtils.readVarint/readVarlong, in Number arithmetic so deltas past 32 bits survive. */
  zigZag(): number {
    let raw = 0;
    for (let i = 0, scale = 1; i < 10; i++, scale *= 128) {
      if (this.position >= this.buf.length) throw invalid('Incorrect declared batch size, premature EOF reached');
      const byte = this.buf[this.position++]!;
      raw += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    }
    throw invalid('Varint is too long');
  }

  skip(bytes: number): void {
    if (this.position + bytes > this.buf.length) throw invalid('Incorrect declared batch size, premature EOF reached');
    this.position += bytes;
  }

  /** A length-prefixed field: -1 is null; any other negative length is invalid. */
  field(what: string, nullable: boolean): void {
    const length = this.zigZag();
    if (length < -1 || (length === -1 && !nullable)) throw invalid(`Invalid negative ${what} size ${length}`);
    if (length > 0) this.skip(length);
  }
}

/**
 * Walk the records of an uncompressed batch as DefaultRecord.readFrom parses them — length,
 * attributes, timestampDelta, offsetDelta, key, value, headers — refusing a structure Kafka
 * refuses (INVALID_RECORD: a body shorter or longer than its length, a negative header count, bytes
 * left after recordCount records). `visit` returning true stops the walk. A compressed batch is
 * not walked: the broker keeps no codecs and trusts its header, as research §3.3 decides.
 */
export function walkRecords(batch: RecordBatch, visit?: (head: RecordHead) => boolean | void): void {
  if (batch.compression !== CompressionCodec.none) return;
  const bytes = batch.bytes;
  const cursor = new RecordCursor(bytes, RECORD_BATCH_OVERHEAD);
  for (let index = 0; index < batch.recordCount; index++) {
    const length = cursor.zigZag();
    const start = cursor.position;
    if (length <= 0) throw invalid(`Invalid record size ${length}`);
    cursor.skip(1); // attributes, unused
    const timestampDelta = cursor.zigZag();
    const offsetDelta = cursor.zigZag();
    cursor.field('key', true);
    cursor.field('value', true);
    const headers = cursor.zigZag();
    if (headers < 0) throw invalid(`Found invalid number of record headers ${headers}`);
    for (let h = 0; h < headers; h++) {
      cursor.field('header key', false);
      cursor.field('header value', true);
    }
    if (cursor.position - start !== length) {
      throw invalid(`Invalid record size: expected to read ${length} bytes in record payload, but instead read ${cursor.position - start}`);
    }
    if (visit?.({ index, timestampDelta, offsetDelta })) return;
  }
  if (cursor.position !== bytes.length) throw invalid('Incorrect declared batch size, records still remaining in file');
}

/**
 * The first record of `batch` at or after `minOffset` whose timestamp is ≥ ts, as Kafka's
 * LogSegment.findOffsetByTimestamp(timestamp, startingOffset = log start) answers ListOffsets.
 * For a LogAppendTime batch every record carries maxTimestamp. A compressed batch is answered with
 * its first offset (≥ minOffset) and maxTimestamp without decompressing it (the broker keeps no
 * codecs); a consumer starting there skips the earlier records itself. Null when none qualifies.
 */
export function firstRecordAtOrAfter(batch: RecordBatch, ts: number, minOffset = 0): { offset: number; timestamp: number } | null {
  if (batch.maxTimestamp < ts || batch.lastOffset < minOffset) return null;
  if (batch.timestampType === 'LogAppendTime' || batch.compression !== CompressionCodec.none) {
    return { offset: Math.max(batch.baseOffset, minOffset), timestamp: batch.maxTimestamp };
  }
  let found: { offset: number; timestamp: number } | null = null;
  walkRecords(batch, ({ timestampDelta, offsetDelta }) => {
    const timestamp = batch.baseTimestamp + timestampDelta;
    const offset = batch.baseOffset + offsetDelta;
    if (timestamp >= ts && offset >= minOffset) found = { offset, timestamp };
    return found !== null;
  });
  return found;
}
