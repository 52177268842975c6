import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readMarker, writeMarker } from './marker-file.js';

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
const FORMAT = { magic: Buffer.from('JSTOP001'), fields: 3 };

export interface CleanStop {
  segmentBase: number;
  segmentBytes: number;
  nextOffset: number;
}

/** The marker in `dir`: null when absent (the last run did not stop cleanly), 'unreadable' when
 *  present but damaged (a clean stop happened, where it ended is unknown). Reads only. */
export function readCleanStop(dir: string): CleanStop | 'unreadable' | null {
  const fields = readMarker(join(dir, CLEAN_STOP_FILE), FORMAT);
  if (fields === null || fields === 'unreadable') return fields;
  const [segmentBase, segmentBytes, nextOffset] = fields as [number, number, number];
  return { segmentBase, segmentBytes, nextOffset };
}

/** Write the marker durably (writeMarker). */
export function writeCleanStop(dir: string, marker: CleanStop): Promise<void> {
  return writeMarker(join(dir, CLEAN_STOP_FILE), FORMAT, [marker.segmentBase, marker.segmentBytes, marker.nextOffset]);
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
