/**
 * RecordBatch v2 (magic 2) for the CLI's client: building a producer batch and reading the batches
 * of a Fetch answer, layout as in Kafka's DefaultRecordBatch / DefaultRecord (61-byte batch header,
 * CRC-32C over attributes…end, records as zig-zag varint fields, optionally compressed).
 */
import { crc32c } from '@node-rs/crc32';
import { KafkaClientError } from './connection.js';
import { compress, decompress, type CodecName, CODEC_IDS } from './compression.js';

export interface ProducerRecord { key: Buffer | null; value: Buffer | null; headers?: Array<[string, Buffer | null]> }

export interface ConsumedRecord {
  partition: number;
  offset: bigint;
  timestamp: bigint;
  timestampType: 'CreateTime' | 'LogAppendTime';
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<[string, Buffer | null]>;
}

const HEADER_BYTES = 61;
const ATTRIBUTES = 21;
const TIMESTAMP_TYPE_BIT = 0x08;
const CONTROL_BIT = 0x20;

/** Appends records' bytes (DefaultRecord.writeTo) into one growing buffer. */
class RecordsWriter {
  buf = Buffer.allocUnsafe(16 * 1024);
  length = 0;

  ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  varint(v: number): void {
    this.ensure(10);
    let raw = v >= 0 ? v * 2 : -v * 2 - 1;
    while (raw >= 0x80) { this.buf[this.length++] = (raw % 128) | 0x80; raw = Math.floor(raw / 128); }
    this.buf[this.length++] = raw;
  }

  bytes(b: Buffer | null): void {
    if (b === null) { this.varint(-1); return; }
    this.varint(b.length);
    this.ensure(b.length);
    b.copy(this.buf, this.length);
    this.length += b.length;
  }

  /** One record at `offsetDelta`; its length prefix is written after its body (built in `scratch`). */
  record(r: ProducerRecord, offsetDelta: number, body: RecordsWriter): void {
    body.length = 0;
    body.ensure(1);
    body.buf[body.length++] = 0; // attributes: unused in v2
    body.varint(0); // timestampDelta: every record of a console batch carries the batch's timestamp
    body.varint(offsetDelta);
    body.bytes(r.key);
    body.bytes(r.value);
    const headers = r.headers ?? [];
    body.varint(headers.length);
    for (const [k, v] of headers) { body.bytes(Buffer.from(k, 'utf8')); body.bytes(v); }
    this.varint(body.length);
    this.ensure(body.length);
    body.buf.copy(this.buf, this.length, 0, body.length);
    this.length += body.length;
  }
}

/** Approximate encoded size of a record, for batch.size accounting (Kafka's estimateSizeInBytes). */
export function estimateRecordSize(r: ProducerRecord): number {
  let size = 12 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
  for (const [k, v] of r.headers ?? []) size += 10 + Buffer.byteLength(k) + (v?.length ?? 0);
  return size;
}

/** A complete batch (base offset 0: the broker assigns offsets) of `records`, compressed with `codec`. */
export async function encodeBatch(records: readonly ProducerRecord[], codec: CodecName, timestamp = Date.now()): Promise<Buffer> {
  const w = new RecordsWriter();
  const scratch = new RecordsWriter();
  records.forEach((r, i) => w.record(r, i, scratch));
  const payload = await compress(codec, w.buf.subarray(0, w.length));
  const batch = Buffer.alloc(HEADER_BYTES + payload.length);
  batch.writeBigInt64BE(0n, 0);
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeInt32BE(-1, 12); // partitionLeaderEpoch
  batch.writeInt8(2, 16); // magic
  batch.writeInt16BE(CODEC_IDS[codec], ATTRIBUTES);
  batch.writeInt32BE(records.length - 1, 23); // lastOffsetDelta
  batch.writeBigInt64BE(BigInt(timestamp), 27); // baseTimestamp
  batch.writeBigInt64BE(BigInt(timestamp), 35); // maxTimestamp
  batch.writeBigInt64BE(-1n, 43); // producerId: not idempotent
  batch.writeInt16BE(-1, 51); // producerEpoch
  batch.writeInt32BE(-1, 53); // baseSequence
  batch.writeInt32BE(records.length, 57);
  payload.copy(batch, HEADER_BYTES);
  batch.writeUInt32BE(crc32c(batch.subarray(ATTRIBUTES)), 17);
  return batch;
}

/** Reads zig-zag varints and length-prefixed fields, bounds-checked. */
class Cursor {
  constructor(private readonly buf: Buffer, public at = 0) {}

  varint(): number {
    let raw = 0;
    for (let i = 0, scale = 1; i < 10; i++, scale *= 128) {
      if (this.at >= this.buf.length) throw new KafkaClientError('truncated record');
      const byte = this.buf[this.at++]!;
      raw += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    }
    throw new KafkaClientError('varint too long');
  }

  bytes(): Buffer | null {
    const n = this.varint();
    if (n < 0) return null;
    if (this.at + n > this.buf.length) throw new KafkaClientError('truncated record field');
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}

/**
 * Every data record of the batches in `data` (a Fetch partition's records), in offset order.
 * Control batches (transaction markers) are skipped as the Java consumer skips them; a trailing
 * partial batch (Fetch cuts at max bytes) is ignored. Records below `fromOffset` are dropped: a
 * fetch returns whole batches, possibly starting before the requested offset.
 */
export async function decodeBatches(data: Buffer, partition: number, fromOffset: bigint): Promise<ConsumedRecord[]> {
  const out: ConsumedRecord[] = [];
  for (let at = 0; at + HEADER_BYTES <= data.length;) {
    const size = 12 + data.readInt32BE(at + 8);
    if (at + size > data.length) break;
    const batch = data.subarray(at, at + size);
    at += size;
    const magic = batch.readInt8(16);
    if (magic !== 2) throw new KafkaClientError(`unsupported record batch magic ${magic}`);
    const attributes = batch.readInt16BE(ATTRIBUTES);
    if (attributes & CONTROL_BIT) continue;
    await readBatchRecords(batch, attributes, partition, fromOffset, out);
  }
  return out;
}

async function readBatchRecords(batch: Buffer, attributes: number, partition: number, fromOffset: bigint, out: ConsumedRecord[]): Promise<void> {
  const baseOffset = batch.readBigInt64BE(0);
  const baseTimestamp = batch.readBigInt64BE(27);
  const maxTimestamp = batch.readBigInt64BE(35);
  const logAppendTime = (attributes & TIMESTAMP_TYPE_BIT) !== 0;
  const count = batch.readInt32BE(57);
  const payload = await decompress(attributes & 0x07, batch.subarray(HEADER_BYTES));
  const c = new Cursor(payload);
  for (let i = 0; i < count; i++) {
    const length = c.varint();
    const end = c.at + length;
    c.at += 1; // attributes
    const timestampDelta = c.varint();
    const offsetDelta = c.varint();
    const key = c.bytes();
    const value = c.bytes();
    const headerCount = c.varint();
    const headers: Array<[string, Buffer | null]> = [];
    for (let h = 0; h < headerCount; h++) headers.push([c.bytes()?.toString('utf8') ?? '', c.bytes()]);
    c.at = end;
    const offset = baseOffset + BigInt(offsetDelta);
    if (offset < fromOffset) continue;
    out.push({
      partition, offset, key, value, headers,
      timestamp: logAppendTime ? maxTimestamp : baseTimestamp + BigInt(timestampDelta),
      timestampType: logAppendTime ? 'LogAppendTime' : 'CreateTime',
    });
  }
}

/** Kafka's Utils.murmur2 (the DefaultPartitioner / BuiltInPartitioner hash of a record key). */
export function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  let h = (0x9747b28c ^ data.length) | 0;
  const whole = data.length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = data.length & 3;
  if (rest === 3) h ^= data[whole + 2]! << 16;
  if (rest >= 2) h ^= data[whole + 1]! << 8;
  if (rest >= 1) { h ^= data[whole]!; h = Math.imul(h, m); }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition of a keyed record: toPositive(murmur2(key)) % partitions (BuiltInPartitioner.partitionForKey). */
export function partitionForKey(key: Buffer, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
