import { closeSync, openSync, readSync } from 'node:fs';
import { decodeRecord, RECORD_HEADER_BYTES, type DecodedRecord } from './record.js';

const CHUNK = 1 << 20;
/** A record's offset is a u64 below 2^53 (decodeRecord refuses others), so the high 32 bits of
 *  its offset field are below 2^21: a cheap, exact filter before paying for a CRC. */
const MAX_OFFSET_HIGH_WORD = 0x20_0000;

export interface FoundRecord { position: number; record: DecodedRecord }

/**
 * The first position at or after `from` (and before `fileBytes`) where a whole, CRC-valid record
 * starts, or null. Recovery asks this after a bad record: anything valid beyond it means the bad
 * bytes are not a torn last write but damage in the middle of written data (ZooKeeper and etcd
 * both refuse such a log; only a torn tail may be cut).
 *
 * Every byte position is tried. A position costs a few comparisons unless its header is
 * plausible (length within limits and within the file, offset below 2^53, span ≥ 1); only then
 * is the record read and its CRC-32C checked. A false match needs a 32-bit CRC collision on top
 * of a plausible header, so it is negligible, and zero-filled or truncated tails cost almost
 * nothing. `accept` can refuse a CRC-valid record as evidence (the journal: a log record
 * embedded in a journal entry is valid on its own but is not a journal record). Reads only.
 */
export function findValidRecord(path: string, from: number, fileBytes: number, maxRecordBytes: number,
  accept: (record: DecodedRecord) => boolean = () => true): FoundRecord | null {
  if (from >= fileBytes) return null;
  const fd = openSync(path, 'r');
  try {
    for (let chunkStart = from; chunkStart + RECORD_HEADER_BYTES <= fileBytes; chunkStart += CHUNK) {
      // Read the header window of every position in this chunk (the chunk plus one header).
      const windowBytes = Math.min(CHUNK + RECORD_HEADER_BYTES, fileBytes - chunkStart);
      const window = readExactly(fd, chunkStart, windowBytes);
      const last = Math.min(CHUNK, window.length - RECORD_HEADER_BYTES + 1);
      for (let rel = 0; rel < last; rel++) {
        const position = chunkStart + rel;
        const length = window.readUInt32BE(rel);
        if (length < 16 || length - 16 > maxRecordBytes || position + 4 + length > fileBytes) continue;
        if (window.readUInt32BE(rel + 8) >= MAX_OFFSET_HIGH_WORD || window.readUInt32BE(rel + 16) === 0) continue;
        const bytes = rel + 4 + length <= window.length ? window.subarray(rel, rel + 4 + length) : readExactly(fd, position, 4 + length);
        const decoded = decodeRecord(bytes, 0, maxRecordBytes);
        if (decoded.ok && accept(decoded.record)) return { position, record: decoded.record };
      }
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

function readExactly(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) return buf.subarray(0, done);
    done += n;
  }
  return buf;
}
