import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readMarker, writeMarker } from '../../log/marker-file.js';

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
const FORMAT = { magic: Buffer.from('JCKPT001'), fields: 1 };

/** The marker in the journal directory: its offset, null when absent (nothing was checkpointed
 *  yet: replay the whole journal), 'unreadable' when damaged. Reads only. */
export function readCheckpoint(journalDir: string): number | 'unreadable' | null {
  const fields = readMarker(join(journalDir, CHECKPOINT_FILE), FORMAT);
  return fields === null || fields === 'unreadable' ? fields : fields[0]!;
}

/** Write the marker durably (writeMarker). */
export function writeCheckpoint(journalDir: string, offset: number): Promise<void> {
  return writeMarker(join(journalDir, CHECKPOINT_FILE), FORMAT, [offset]);
}

/** Remove a temp file a crash in writeCheckpoint left behind. */
export function removeCheckpointTemp(journalDir: string): void {
  const tmp = join(journalDir, `${CHECKPOINT_FILE}.tmp`);
  if (existsSync(tmp)) unlinkSync(tmp);
}
