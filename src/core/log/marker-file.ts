import { existsSync, readFileSync } from 'node:fs';
import { crc32c } from '@node-rs/crc32';
import { replaceFileDurably } from './dir-sync.js';

/**
 * A small marker file: an 8-byte magic, u64 fields (big-endian) and a CRC-32C of everything
 * before it. The clean-stop marker of a log and the journal's checkpoint are such files
 * (docs/storage.md).
 */
export interface MarkerFormat {
  magic: Buffer;
  fields: number;
}

const bytesOf = (format: MarkerFormat) => format.magic.length + 8 * format.fields + 4;

/** The fields of the marker at `path`: null when absent, 'unreadable' when present but damaged
 *  (wrong size or magic, a CRC that fails, a field beyond Number.MAX_SAFE_INTEGER). Reads only. */
export function readMarker(path: string, format: MarkerFormat): number[] | 'unreadable' | null {
  if (!existsSync(path)) return null;
  let buf: Buffer;
  try { buf = readFileSync(path); } catch { return 'unreadable'; }
  const crcAt = bytesOf(format) - 4;
  if (buf.length !== crcAt + 4 || !buf.subarray(0, format.magic.length).equals(format.magic)) return 'unreadable';
  if (crc32c(buf.subarray(0, crcAt)) !== buf.readUInt32BE(crcAt)) return 'unreadable';
  const fields = Array.from({ length: format.fields }, (_, i) => Number(buf.readBigUInt64BE(format.magic.length + 8 * i)));
  return fields.every(Number.isSafeInteger) ? fields : 'unreadable';
}

/** Write the marker durably: temp file, fsync, rename, fsync the directory. Asynchronous, so
 *  that a Storage closing a thousand logs does their fsyncs concurrently. */
export async function writeMarker(path: string, format: MarkerFormat, fields: readonly number[]): Promise<void> {
  if (fields.length !== format.fields) throw new Error(`${path}: expected ${format.fields} marker fields, got ${fields.length}`);
  const buf = Buffer.alloc(bytesOf(format));
  format.magic.copy(buf, 0);
  fields.forEach((value, i) => buf.writeBigUInt64BE(BigInt(value), format.magic.length + 8 * i));
  const crcAt = buf.length - 4;
  buf.writeUInt32BE(crc32c(buf.subarray(0, crcAt)), crcAt);
  await replaceFileDurably(path, buf);
}
