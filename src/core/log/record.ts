import { crc32cRange } from './crc32c.js';

/**
 * One log record on disk (big-endian), see docs/storage.md:
 *
 *   u32 length   bytes that follow this field (16 + payload length)
 *   u32 crc32c   CRC-32C (Castagnoli) of everything after this field
 *   u64 offset   first logical offset the record covers
 *   u32 span     how many logical offsets it covers (≥ 1)
 *   …   payload
 *
 * Pure: no file access, so the decoder can be fuzzed on its own.
 */
export const RECORD_HEADER_BYTES = 20;
const LENGTH_BYTES = 4;
const CRC_BYTES = 4;

export interface DecodedRecord {
  offset: number;
  span: number;
  payload: Buffer;
  /** Bytes the record takes on disk, header included. */
  size: number;
}

export function encodeRecord(offset: number, span: number, payload: Buffer): Buffer {
  return Buffer.concat([encodeRecordHeader(offset, span, payload), payload]);
}

/**
 * The record's 20-byte header alone: written before `payload` (writev), it makes the same bytes as
 * encodeRecord without copying the payload (a Kafka batch of up to a MiB). The CRC runs on from the
 * header's offset and span into the payload (CRC-32C continues over concatenated input). A payload
 * given as pieces (an AMQP message: its small header, then the client's body) is their concatenation.
 */
export function encodeRecordHeader(offset: number, span: number, payload: Buffer | readonly Buffer[]): Buffer {
  const pieces = Buffer.isBuffer(payload) ? [payload] : payload;
  const head = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
  let length = 0;
  for (const piece of pieces) length += piece.length;
  head.writeUInt32BE(16 + length, 0);
  writeOffset(head, offset, 8);
  head.writeUInt32BE(span, 16);
  let crc = crc32cRange(head, LENGTH_BYTES + CRC_BYTES, RECORD_HEADER_BYTES);
  for (const piece of pieces) crc = crc32cRange(piece, 0, piece.length, crc);
  head.writeUInt32BE(crc, 4);
  return head;
}

/** The u64 offset as two u32 halves: the same bytes as writeBigUInt64BE without a BigInt per
 *  record (offsets are safe integers). */
function writeOffset(buf: Buffer, offset: number, at: number): void {
  buf.writeUInt32BE(Math.floor(offset / 0x1_0000_0000), at);
  buf.writeUInt32BE(offset >>> 0, at + 4);
}

/** Bytes a record with a payload of `payloadBytes` takes on disk. */
export function recordSize(payloadBytes: number): number {
  return RECORD_HEADER_BYTES + payloadBytes;
}

/** Encode a record whose payload is `pieces` concatenated straight into `target` at `pos` (no
 *  intermediate copy: the journal builds a whole cycle in one buffer); returns the bytes written. */
export function encodeRecordInto(target: Buffer, pos: number, offset: number, span: number, pieces: readonly Buffer[]): number {
  let at = pos + RECORD_HEADER_BYTES;
  for (const piece of pieces) at += piece.copy(target, at);
  target.writeUInt32BE(at - pos - LENGTH_BYTES, pos);
  writeOffset(target, offset, pos + 8);
  target.writeUInt32BE(span, pos + 16);
  target.writeUInt32BE(crc32cRange(target, pos + LENGTH_BYTES + CRC_BYTES, at), pos + LENGTH_BYTES);
  return at - pos;
}

/** Why a record could not be decoded at a position. `incomplete` means the bytes simply end
 *  (a torn write at the tail); the others mean the bytes there are not a valid record. */
export type DecodeFailure = 'incomplete' | 'bad-length' | 'bad-crc' | 'bad-span';

export type DecodeResult = { ok: true; record: DecodedRecord } | { ok: false; reason: DecodeFailure };

/** Decode the record starting at `pos` in `buf`. Never throws, whatever the bytes. */
export function decodeRecord(buf: Buffer, pos: number, maxRecordBytes: number): DecodeResult {
  if (buf.length - pos < LENGTH_BYTES) return { ok: false, reason: 'incomplete' };
  const length = buf.readUInt32BE(pos);
  if (length < 16 || length - 16 > maxRecordBytes) return { ok: false, reason: 'bad-length' };
  if (buf.length - pos - LENGTH_BYTES < length) return { ok: false, reason: 'incomplete' };
  const body = buf.subarray(pos + LENGTH_BYTES + CRC_BYTES, pos + LENGTH_BYTES + length);
  if (crc32cRange(body, 0, body.length) !== buf.readUInt32BE(pos + LENGTH_BYTES)) return { ok: false, reason: 'bad-crc' };
  const offset = Number(body.readBigUInt64BE(0));
  const span = body.readUInt32BE(8);
  if (span < 1 || !Number.isSafeInteger(offset)) return { ok: false, reason: 'bad-span' };
  return { ok: true, record: { offset, span, payload: body.subarray(12), size: LENGTH_BYTES + length } };
}

/**
 * Payload of a gap record: a record that stands for offsets whose records were deleted on purpose
 * (SegmentedLog.compactSegments replaces a closed segment none of whose records is needed any more
 * by one gap record spanning the segment's offsets). Offsets stay dense, so recovery's rules are
 * unchanged and a really missing segment is still damage. 8 bytes no other record's payload is:
 * every record format on these logs (a command store's JSON, a Kafka batch, an AMQP message
 * record) starts otherwise. read() and replay() skip gap records.
 */
export const GAP_PAYLOAD = Buffer.from('JGAP\x00\x00\x00\x01', 'latin1');

/** Bytes a gap record takes on disk. */
export const GAP_RECORD_BYTES = RECORD_HEADER_BYTES + GAP_PAYLOAD.length;

export function isGapPayload(payload: Buffer): boolean {
  return payload.length === GAP_PAYLOAD.length && payload.equals(GAP_PAYLOAD);
}
