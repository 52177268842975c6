import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';

/**
 * The clean-stop marker `<log dir>/clean-stop` (docs/storage.md): written by close() after the
 * last fdatasync, removed when the log is opened again, before any append. Its presence at open
 * says every byte of the log was acknowledged to someone, so no damage may be taken for a torn
 * write; its content says where the log ended, so a log found shorter than that lost records.
 *
 *   8 bytes  magic "JSTOP001"
 *   u64      base offset of the last segment
 *   u64      byte size of the last segment
 *   u64      next offset (end of the log)
 *   u32      CRC-32C of the 32 bytes above
 */
export const CLEAN_STOP_FILE = 'clean-stop';
const MAGIC = Buffer.from('JSTOP001');
const BYTES = 36;

export interface CleanStop {
  segmentBase: number;
  segmentBytes: number;
  nextOffset: number;
}

/** The marker in `dir`: null when absent (the last run did not stop cleanly), 'unreadable' when
 *  present but damaged (a clean stop happened, where it ended is unknown). Reads only. */
export function readCleanStop(dir: string): CleanStop | 'unreadable' | null {
  const path = join(dir, CLEAN_STOP_FILE);
  if (!existsSync(path)) return null;
  let buf: Buffer;
  try { buf = readFileSync(path); } catch { return 'unreadable'; }
  if (buf.length !== BYTES || !buf.subarray(0, 8).equals(MAGIC)) return 'unreadable';
  if (crc32c(buf.subarray(0, 32)) !== buf.readUInt32BE(32)) return 'unreadable';
  const fields = [8, 16, 24].map((at) => Number(buf.readBigUInt64BE(at)));
  if (!fields.every(Number.isSafeInteger)) return 'unreadable';
  const [segmentBase, segmentBytes, nextOffset] = fields as [number, number, number];
  return { segmentBase, segmentBytes, nextOffset };
}

/** Write the marker durably: temp file, fsync, rename, fsync the directory. Asynchronous, so
 *  that a Storage closing a thousand logs does their fsyncs concurrently. */
export async function writeCleanStop(dir: string, marker: CleanStop): Promise<void> {
  const buf = Buffer.alloc(BYTES);
  MAGIC.copy(buf, 0);
  buf.writeBigUInt64BE(BigInt(marker.segmentBase), 8);
  buf.writeBigUInt64BE(BigInt(marker.segmentBytes), 16);
  buf.writeBigUInt64BE(BigInt(marker.nextOffset), 24);
  buf.writeUInt32BE(crc32c(buf.subarray(0, 32)), 32);
  const path = join(dir, CLEAN_STOP_FILE);
  const tmp = `${path}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.writeFile(buf);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  const dirHandle = await open(dir, 'r');
  try { await dirHandle.sync(); } finally { await dirHandle.close(); }
}

/** Remove the marker and a temp file a crash mid-write left (the caller fsyncs the directory
 *  before the first append is written). True if there was a marker. */
export function removeCleanStop(dir: string): boolean {
  const path = join(dir, CLEAN_STOP_FILE);
  if (existsSync(`${path}.tmp`)) unlinkSync(`${path}.tmp`);
  if (!existsSync(path)) return false;
  unlinkSync(path);
  return true;
}
