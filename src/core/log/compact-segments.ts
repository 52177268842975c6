import { close as closeCallback, openSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { syncDirAsync } from './dir-sync.js';
import { encodeRecord, GAP_PAYLOAD, isGapPayload, RECORD_HEADER_BYTES } from './record.js';
import { type KeptRecord, Segment } from './segment.js';

const closeAsync = promisify(closeCallback);

/** A record's span is a u32 on disk: a longer segment cannot become one gap, nor hold a longer run. */
const MAX_SPAN = 0xffff_ffff;

/** Temporary file a gap is written to before it replaces `<base>.log` (docs/storage.md). */
const TMP = /^\d{20}\.log\.tmp$/;

/** What compaction needs of the log it changes (SegmentedLog). */
export interface CompactedLog {
  readonly dir: string;
  /** The segment is still one of the log's and the log still open (checked just before the swap). */
  holds(segment: Segment): boolean;
  /** Put `next` where `old` was in the log's list (readers see it from now on); `kept`: how many
   *  offsets the plan kept (0 for a gap). */
  swap(old: Segment, next: Segment, kept: number): void;
  /** Keeping `kept` offsets would not shrink `segment`: it stays as it is. */
  unchanged(segment: Segment, kept: number): void;
  indexIntervalBytes: number;
  maxRecordBytes: number;
}

/** One closed segment to compact: `keep` holds the offsets of the records it must keep (ascending);
 *  empty, the whole segment becomes one gap record. */
export interface SegmentCompaction {
  segment: Segment;
  keep: readonly number[];
}

/**
 * Compact each closed, acknowledged segment of `plans` in place: the records whose offsets are
 * not in its `keep` list become gap records (one per run of them), so the log's offsets stay dense
 * (recovery unchanged: a really missing segment is still damage) while the file shrinks — to 28
 * bytes when nothing is kept. The kept records are copied byte for byte (their offsets, spans
 * and CRCs do not change). Per segment: `<base>.log.tmp` is written and fdatasynced on libuv's
 * pool, then, in one synchronous step, renamed over `<base>.log` and swapped into the log's list;
 * the old file's inode is held open across the rename and closed on the pool, so freeing its
 * pages (~5 ms for 8 MiB, see Segment.remove) does not run on the event loop. A crash leaves
 * either the old segment or the new one, plus at most a `.log.tmp` that accept() deletes. The
 * directory is fsynced once at the end. Returns how many segments were replaced.
 */
export async function compactInPlace(log: CompactedLog, plans: readonly SegmentCompaction[]): Promise<number> {
  let replaced = 0;
  try {
    for (const plan of plans) if (await replaceOne(log, plan)) replaced++;
  } finally {
    // Even after a failure: the gaps readers already see are durable before this returns (an AMQP
    // queue drops the acks of messages in gaps only after its message log's compaction returned).
    if (replaced > 0) await syncDirAsync(log.dir);
  }
  return replaced;
}

async function replaceOne(log: CompactedLog, { segment: seg, keep }: SegmentCompaction): Promise<boolean> {
  const span = seg.endOffset - seg.baseOffset;
  if (span < 1 || span > MAX_SPAN) return false;
  let bytes: Buffer;
  let replacement: () => Segment;
  if (keep.length === 0) {
    bytes = encodeRecord(seg.baseOffset, span, GAP_PAYLOAD);
    replacement = () => Segment.gapOf(log.dir, seg.baseOffset, seg.endOffset, log.indexIntervalBytes, log.maxRecordBytes);
  } else {
    const kept = keepOnly(await readFile(seg.path), seg, keep);
    // A file that does not walk as expected is left to readers and `junction data check` to report.
    if (kept === null) return false;
    if (kept.bytes.length >= seg.size) {
      log.unchanged(seg, keep.length);
      return false;
    }
    bytes = kept.bytes;
    replacement = () => Segment.closedOf(log.dir, seg.baseOffset, seg.endOffset, kept.records, log.indexIntervalBytes, log.maxRecordBytes);
  }
  return replaceFile(seg, bytes, () => log.holds(seg), () => {
    const next = replacement();
    log.swap(seg, next, keep.length);
    return next;
  });
}

/**
 * Replace `target`'s file by `bytes`: `<file>.tmp` written and fdatasynced on libuv's pool, then —
 * unless `stillWanted()` says the log changed meanwhile (the temp file is removed) — renamed over
 * the file in one synchronous step with `install()`, which puts the segment the new file makes in
 * the log's list. The old inode is held open across the rename and closed on the pool, where the
 * kernel frees its pages. Returns whether the file was replaced.
 */
async function replaceFile(target: Segment, bytes: Buffer, stillWanted: () => boolean, install: () => Segment): Promise<boolean> {
  const tmp = `${target.path}.tmp`;
  try {
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(bytes);
      await file.datasync();
    } finally {
      await file.close();
    }
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  if (!stillWanted()) {
    await rm(tmp, { force: true });
    return false;
  }
  const held = openSync(target.path, 'r');
  try {
    renameSync(tmp, target.path);
    const next = install();
    try { next.persistIndex(); } catch { /* an accelerator: the next open rebuilds it by a scan */ }
  } finally {
    await closeAsync(held);
  }
  return true;
}

/**
 * The segment's file with only the records whose range holds an offset of `keep`, each run of the
 * others (gap records from an earlier compaction included) replaced by one gap record; with the
 * offset, position and size of each record written. Headers are walked, not decoded: null when
 * they do not chain from the segment's base to its end offset and the file's end.
 */
function keepOnly(file: Buffer, seg: Segment, keep: readonly number[]): { bytes: Buffer; records: KeptRecord[] } | null {
  const pieces: Buffer[] = [];
  const records: KeptRecord[] = [];
  let size = 0;
  const put = (offset: number, piece: Buffer): void => {
    records.push({ offset, position: size, size: piece.length });
    pieces.push(piece);
    size += piece.length;
  };
  let expected = seg.baseOffset;
  let deadFrom = -1;
  let k = 0;
  for (let pos = 0; pos < file.length;) {
    if (pos + RECORD_HEADER_BYTES > file.length) return null;
    const recordSize = 4 + file.readUInt32BE(pos);
    const offset = file.readUInt32BE(pos + 8) * 0x1_0000_0000 + file.readUInt32BE(pos + 12);
    const span = file.readUInt32BE(pos + 16);
    if (recordSize < RECORD_HEADER_BYTES || pos + recordSize > file.length || offset !== expected || span < 1) return null;
    while (k < keep.length && keep[k]! < offset) k++;
    const live = k < keep.length && keep[k]! < offset + span && !isGapPayload(file.subarray(pos + RECORD_HEADER_BYTES, pos + recordSize));
    if (live) {
      if (deadFrom >= 0) put(deadFrom, encodeRecord(deadFrom, offset - deadFrom, GAP_PAYLOAD));
      deadFrom = -1;
      put(offset, file.subarray(pos, pos + recordSize));
    } else if (deadFrom < 0) {
      deadFrom = offset;
    }
    expected = offset + span;
    pos += recordSize;
  }
  if (expected !== seg.endOffset) return null;
  if (deadFrom >= 0) put(deadFrom, encodeRecord(deadFrom, expected - deadFrom, GAP_PAYLOAD));
  return { bytes: Buffer.concat(pieces, size), records };
}

/** What merging gaps needs of the log beyond CompactedLog. */
export interface MergingLog extends CompactedLog {
  /** Put `gap` where the adjacent segments of `run` were in the log's list. */
  merge(run: readonly Segment[], gap: Segment): void;
}

/**
 * Merge each run of adjacent closed gap segments among `closed` into its first: one gap record
 * spanning the run is written to `<first>.log.tmp` and fdatasynced, renamed over the first file
 * (its inode held, as above), the run replaced by it in the log's list, then the other files are
 * deleted and the directory fsynced. A crash after the rename leaves the others on disk inside the
 * longer gap's span: recovery leaves them out and open deletes them (recovery.ts, supersededBy).
 * So a head held for long leaves one small file behind it, not one and its index per segment that
 * flowed past. Returns how many segment files went.
 */
export async function mergeGaps(log: MergingLog, closed: readonly Segment[]): Promise<number> {
  let gone = 0;
  try {
    for (const run of gapRuns(closed)) gone += await mergeRun(log, run);
  } finally {
    if (gone > 0) await syncDirAsync(log.dir);
  }
  return gone;
}

/** Runs of two or more adjacent gap segments whose offsets one record can span. */
function gapRuns(closed: readonly Segment[]): Segment[][] {
  const runs: Segment[][] = [];
  let run: Segment[] = [];
  const end = (): void => { if (run.length > 1) runs.push(run); run = []; };
  for (const seg of closed) {
    if (!seg.isGap()) { end(); continue; }
    if (run.length > 0 && seg.endOffset - run[0]!.baseOffset > MAX_SPAN) end();
    run.push(seg);
  }
  end();
  return runs;
}

async function mergeRun(log: MergingLog, run: readonly Segment[]): Promise<number> {
  const first = run[0]!;
  const end = run[run.length - 1]!.endOffset;
  const merged = await replaceFile(first, encodeRecord(first.baseOffset, end - first.baseOffset, GAP_PAYLOAD),
    () => run.every((seg) => log.holds(seg)), () => {
      const gap = Segment.gapOf(log.dir, first.baseOffset, end, log.indexIntervalBytes, log.maxRecordBytes);
      log.merge(run, gap);
      return gap;
    });
  if (!merged) return 0;
  await Promise.all(run.slice(1).map((seg) => seg.remove()));
  return run.length - 1;
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

/** Delete what a crash left mid-compaction: `.log.tmp` files (the segment they were to replace is
 *  still whole) and the `superseded` segment files of a merge of gaps, with their indexes (recovery
 *  left them out: the merged gap spans them). Called when a log is accepted. */
export function removeGapLeftovers(dir: string, superseded: readonly string[]): void {
  for (const name of readdirSync(dir)) if (TMP.test(name)) unlinkSync(join(dir, name));
  for (const file of superseded) {
    rmSync(file, { force: true });
    rmSync(file.replace(/\.log$/, '.index'), { force: true });
  }
}
