import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';

/**
 * The journal's checkpoint marker `data/journal/checkpoint` (docs/storage.md, "Journal"): every
 * journal entry below its offset is durable in its log's own segment, so replay starts there
 * and journal segments wholly below it may be deleted. BookKeeper keeps the same mark
 * (`lastMark`, the journal position its checkpoint flushed the entry logs up to).
 *
 *   8 bytes  magic "JCKPT001"
 *   u64      journal offset: first entry not covered
 *   u32      CRC-32C of the 16 bytes above
 */
export const CHECKPOINT_FILE = 'checkpoint';
const MAGIC = Buffer.from('JCKPT001');
const BYTES = 20;

/** The marker in the journal directory: its offset, null when absent (nothing was checkpointed
 *  yet: replay the whole journal), 'unreadable' when damaged. Reads only. */
export function readCheckpoint(journalDir: string): number | 'unreadable' | null {
  const path = join(journalDir, CHECKPOINT_FILE);
  if (!existsSync(path)) return null;
  let buf: Buffer;
  try { buf = readFileSync(path); } catch { return 'unreadable'; }
  if (buf.length !== BYTES || !buf.subarray(0, 8).equals(MAGIC)) return 'unreadable';
  if (crc32c(buf.subarray(0, 16)) !== buf.readUInt32BE(16)) return 'unreadable';
  const offset = Number(buf.readBigUInt64BE(8));
  return Number.isSafeInteger(offset) ? offset : 'unreadable';
}

/** Write the marker durably: temp file, fsync, rename, fsync the directory. */
export async function writeCheckpoint(journalDir: string, offset: number): Promise<void> {
  const buf = Buffer.alloc(BYTES);
  MAGIC.copy(buf, 0);
  buf.writeBigUInt64BE(BigInt(offset), 8);
  buf.writeUInt32BE(crc32c(buf.subarray(0, 16)), 16);
  const path = join(journalDir, CHECKPOINT_FILE);
  const tmp = `${path}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.writeFile(buf);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  const dir = await open(journalDir, 'r');
  try { await dir.sync(); } finally { await dir.close(); }
}

/** Remove a temp file a crash in writeCheckpoint left behind. */
export function removeCheckpointTemp(journalDir: string): void {
  const tmp = join(journalDir, `${CHECKPOINT_FILE}.tmp`);
  if (existsSync(tmp)) unlinkSync(tmp);
}
