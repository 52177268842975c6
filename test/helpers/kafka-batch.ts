import { crc32c } from '@node-rs/crc32';

/**
 * A small RecordBatch v2 encoder for tests, written from the layout in [AK]
 * DefaultRecordBatch.java / DefaultRecord.java (not from src/kafka, so a bug there cannot cancel
 * out here). Records are uncompressed unless `compression` is set, in which case the record bytes
 * are stored as they are under that codec id (the broker never decompresses).
 */
export interface TestRecord {
  key?: Buffer | null;
  value: Buffer | null;
  /** Milliseconds after the batch's baseTimestamp. */
  timestampDelta?: number;
  headers?: Array<[string, Buffer | null]>;
}

export interface TestBatchOptions {
  baseOffset?: number;
  baseTimestamp?: number;
  compression?: number;
  logAppendTime?: boolean;
  transactional?: boolean;
  control?: boolean;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  /** Override the count / lastOffsetDelta written (to build invalid batches). */
  recordCount?: number;
  lastOffsetDelta?: number;
}

function zigzag(value: number): Buffer {
  let raw = value >= 0 ? value * 2 : -value * 2 - 1;
  const out: number[] = [];
  while (raw >= 0x80) {
    out.push((raw % 128) | 0x80);
    raw = Math.floor(raw / 128);
  }
  out.push(raw);
  return Buffer.from(out);
}

function bytesField(b: Buffer | null | undefined): Buffer[] {
  return b === null || b === undefined ? [zigzag(-1)] : [zigzag(b.length), b];
}

export function encodeRecord(r: TestRecord, offsetDelta: number): Buffer {
  const headers = r.headers ?? [];
  const body = Buffer.concat([
    Buffer.from([0]), zigzag(r.timestampDelta ?? 0), zigzag(offsetDelta), ...bytesField(r.key), ...bytesField(r.value),
    zigzag(headers.length), ...headers.flatMap(([k, v]) => [zigzag(Buffer.byteLength(k)), Buffer.from(k), ...bytesField(v)]),
  ]);
  return Buffer.concat([zigzag(body.length), body]);
}

export function encodeBatch(records: TestRecord[], opts: TestBatchOptions = {}): Buffer {
  const body = Buffer.concat(records.map((r, i) => encodeRecord(r, i)));
  const header = Buffer.alloc(61);
  const baseTimestamp = opts.baseTimestamp ?? 1_700_000_000_000;
  const maxDelta = Math.max(0, ...records.map((r) => r.timestampDelta ?? 0));
  const attributes = (opts.compression ?? 0) | (opts.logAppendTime ? 0x08 : 0) | (opts.transactional ? 0x10 : 0) | (opts.control ? 0x20 : 0);
  header.writeBigInt64BE(BigInt(opts.baseOffset ?? 0), 0);
  header.writeInt32BE(61 - 12 + body.length, 8);
  header.writeInt32BE(-1, 12);
  header.writeInt8(2, 16);
  header.writeInt16BE(attributes, 21);
  header.writeInt32BE(opts.lastOffsetDelta ?? records.length - 1, 23);
  header.writeBigInt64BE(BigInt(baseTimestamp), 27);
  header.writeBigInt64BE(BigInt(baseTimestamp + maxDelta), 35);
  header.writeBigInt64BE(BigInt(opts.producerId ?? -1), 43);
  header.writeInt16BE(opts.producerEpoch ?? -1, 51);
  header.writeInt32BE(opts.baseSequence ?? -1, 53);
  header.writeInt32BE(opts.recordCount ?? records.length, 57);
  const batch = Buffer.concat([header, body]);
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17);
  return batch;
}

/** `count` records of `valueBytes` each, values recognisable from (tag, i). */
export function valueRecords(count: number, valueBytes: number, tag: string): TestRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const value = Buffer.alloc(valueBytes, `${tag}:${i};`);
    return { key: Buffer.from(`k${i}`), value, timestampDelta: i };
  });
}
