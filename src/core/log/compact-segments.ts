import { close as closeCallback, openSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { syncDirAsync } from './dir-sync.js';
import { encodeRecord, GAP_PAYLOAD } from './record.js';
import { Segment } from './segment.js';

const closeAsync = promisify(closeCallback);

/** A gap record's span is a u32 on disk: a longer segment cannot become one. */
const MAX_SPAN = 0xffff_ffff;

/** Temporary file a gap is written to before it replaces `<base>.log` (docs/storage.md). */
const TMP = /^\d{20}\.log\.tmp$/;

/** What compaction needs of the log it changes (SegmentedLog). */
export interface CompactedLog {
  readonly dir: string;
  /** The segment is still one of the log's and the log still open (checked just before the swap). */
  holds(segment: Segment): boolean;
  /** Put `gap` where `old` was in the log's list (readers see it from now on). */
  swap(old: Segment, gap: Segment): void;
  indexIntervalBytes: number;
  maxRecordBytes: number;
}

/**
 * Replace each of `segments` (closed, every record acknowledged, none needed any more) by a gap
 * record spanning its offsets, so that the log's offsets stay dense (recovery unchanged: a
 * really missing segment is still damage) while the file shrinks to 28 bytes. Per segment:
 * `<base>.log.tmp` is written and fdatasynced on libuv's pool, then, in one synchronous step,
 * renamed over `<base>.log` and swapped into the log's list; the old file's inode is held open
 * across the rename and closed on the pool, so freeing its pages (~5 ms for 8 MiB, see
 * Segment.remove) does not run on the event loop. A crash leaves either the old segment or the
 * gap, plus at most a `.log.tmp` that accept() deletes. The directory is fsynced once at the end.
 * Returns how many segments were replaced.
 */
export async function replaceWithGaps(log: CompactedLog, segments: readonly Segment[]): Promise<number> {
  let replaced = 0;
  try {
    for (const seg of segments) if (await replaceOne(log, seg)) replaced++;
  } finally {
    // Even after a failure: the gaps readers already see are durable before this returns (an AMQP
    // queue drops the acks of messages in gaps only after its message log's compaction returned).
    if (replaced > 0) await syncDirAsync(log.dir);
  }
  return replaced;
}

async function replaceOne(log: CompactedLog, seg: Segment): Promise<boolean> {
  const span = seg.endOffset - seg.baseOffset;
  if (span < 1 || span > MAX_SPAN) return false;
  const tmp = `${seg.path}.tmp`;
  try {
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(encodeRecord(seg.baseOffset, span, GAP_PAYLOAD));
      await file.datasync();
    } finally {
      await file.close();
    }
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  if (!log.holds(seg)) {
    await rm(tmp, { force: true });
    return false;
  }
  const held = openSync(seg.path, 'r');
  try {
    renameSync(tmp, seg.path);
    const gap = Segment.gapOf(log.dir, seg.baseOffset, seg.endOffset, log.indexIntervalBytes, log.maxRecordBytes);
    log.swap(seg, gap);
    try { gap.persistIndex(); } catch { /* an accelerator: the next open rebuilds it by a scan */ }
  } finally {
    await closeAsync(held);
  }
  return true;
}

/** Whether every offset in [from, to) lies below the log's first segment or in a gap segment:
 *  no record there can be read again. */
export function gapsCover(segments: readonly Segment[], from: number, to: number): boolean {
  if (to <= segments[0]!.baseOffset) return true;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i]!;
    if (seg.endOffset <= from) continue;
    if (seg.baseOffset >= to) return true;
    if (!seg.isGap()) return false;
  }
  return segments[segments.length - 1]!.baseOffset >= to;
}

/** Delete the `.log.tmp` files a crash left mid-compaction (the segment they were to replace is
 *  still whole). Called when a log is accepted. */
export function removeGapLeftovers(dir: string): void {
  for (const name of readdirSync(dir)) if (TMP.test(name)) unlinkSync(join(dir, name));
}
