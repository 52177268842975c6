import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { isGapPayload } from '../../log/record.js';
import { damageText, loadLog, type LogInspection } from '../../log/recovery.js';
import type { Segment } from '../../log/segment.js';
import { logDirOf } from './entry.js';
import { itemWhere as where, type JournalBytes, type JournalItem } from './items.js';
import { JOURNAL_MAX_RECORD } from './journal.js';

/** Records a log lacks, to be written back from the journal into its last segment. */
export interface JournalRestore {
  /** The log's last (active) segment and the byte where its valid records end. */
  file: string;
  position: number;
  fromOffset: number;
  toOffset: number;
  records: number;
  bytes: number;
}

export interface JournaledLogPlan {
  /** The journal's name for the log, and its directory. */
  key: string;
  logDir: string;
  /** Offsets the journal holds for the log from its checkpoint on (it may skip some, below). */
  fromOffset: number;
  toOffset: number;
  records: number;
  /** Of those: records the log holds, checked byte for byte against the journal's copy … */
  present: number;
  /** … records below the log's start (deleted by retention or a snapshot since) … */
  belowStart: number;
  /** … and records it lacks (the OS had not written them to disk before a crash). */
  restore: JournalRestore | null;
  /** The log's last segment: fdatasynced before a new checkpoint drops the journal's copy. */
  lastSegment: string;
  /** Why a start refuses because of this log (then it changes nothing anywhere). */
  problem: string | null;
}

/**
 * Compare the journal's records for one log with the log itself. The log must hold each one
 * byte for byte, or end where the journal's records continue densely (those are restored). A
 * restore writes over the log's torn tail only if each byte already there is the journal's or
 * zero (a block the OS never wrote): anything else is damage the journal cannot explain, and the
 * start refuses. The journal's records may skip offsets below the log's end: a cycle with that
 * log alone fdatasynced its segment instead (CommitScheduler). Reads only; returns the items to
 * restore alongside the plan.
 */
export function planLog(dataDir: string, key: string, items: JournalItem[], bytes: JournalBytes): { plan: JournaledLogPlan; restore: JournalItem[] } {
  const logDir = logDirOf(dataDir, key);
  const { inspection, segments } = loadLog(logDir, { indexIntervalBytes: 4096, maxRecordBytes: JOURNAL_MAX_RECORD });
  const last = items[items.length - 1]!;
  const plan: JournaledLogPlan = {
    key, logDir, fromOffset: items[0]!.offset, toOffset: last.offset + last.span, records: items.length,
    present: 0, belowStart: 0, restore: null, lastSegment: inspection.segments[inspection.segments.length - 1]!.file, problem: null,
  };
  const outcome = compare(plan, inspection, segments, items, bytes);
  if (typeof outcome === 'string') {
    plan.problem = outcome;
    return { plan, restore: [] };
  }
  return { plan, restore: outcome };
}

/** Fill in `plan`; returns the items to restore, or why the start refuses. */
function compare(plan: JournaledLogPlan, inspection: LogInspection, segments: readonly Segment[], items: JournalItem[],
  bytes: JournalBytes): JournalItem[] | string {
  const { logDir } = plan;
  for (let i = 1; i < items.length; i++) {
    const prev = items[i - 1]!;
    if (items[i]!.offset < prev.offset + prev.span) {
      return `journal: ${where(items[i]!)}: the journal's records for ${logDir} go back from offset ${prev.offset + prev.span} to ${items[i]!.offset}`;
    }
  }
  const start = inspection.startOffset;
  const end = inspection.readableEnd;
  let i = 0;
  while (i < items.length && items[i]!.offset + items[i]!.span <= start) i++;
  plan.belowStart = i;
  if (i < items.length && items[i]!.offset < start) {
    return `${logDir}: the log starts at offset ${start}, inside the journal's record at offset ${items[i]!.offset} (${where(items[i]!)}): ` +
      'the two disagree';
  }
  const checked = verifyPresent(segments, items, i, end, bytes);
  if (typeof checked === 'string') return checked;
  plan.present = checked - i;
  if (checked === items.length) return [];
  const missing = items.slice(checked);
  const gap = missing.findIndex((item, k) => item.offset !== (k === 0 ? end : missing[k - 1]!.offset + missing[k - 1]!.span));
  if (gap >= 0) {
    const from = gap === 0 ? end : missing[gap - 1]!.offset + missing[gap - 1]!.span;
    return `${logDir}: the log's readable records end at offset ${end}; the journal's records for it ${gap === 0 ? 'start at' : 'jump to'} ` +
      `offset ${missing[gap]!.offset} (${where(missing[gap]!)}): offsets ${from}..${missing[gap]!.offset - 1} are in neither`;
  }
  const d = inspection.damage;
  if (d && !d.active) {
    return `${damageText(d)}; the journal holds offsets ${end}..${plan.toOffset - 1} for this log but cannot restore records into a closed segment`;
  }
  const lastReport = inspection.segments[inspection.segments.length - 1]!;
  const position = d ? d.position : lastReport.validBytes;
  const image = bytes.image(missing);
  const conflict = compareTail(lastReport.file, position, image);
  if (conflict) return `${conflict}: the journal (${where(missing[0]!)}) and the log disagree about offsets ${end}..${plan.toOffset - 1}`;
  plan.restore = { file: lastReport.file, position, fromOffset: end, toOffset: plan.toOffset, records: missing.length, bytes: image.length };
  return missing;
}

/** Check the log's records from items[i] up to `end` against the journal's; returns the index
 *  of the first journal record not checked (at or beyond `end`), or a problem. */
function verifyPresent(segments: readonly Segment[], items: JournalItem[], i: number, end: number, bytes: JournalBytes): number | string {
  if (i >= items.length || items[i]!.offset >= end) return i;
  const from = items[i]!.offset;
  let k = i;
  for (const seg of segments) {
    if (seg.endOffset <= from) continue;
    for (const item of seg.records(seg.positionFor(from), Infinity)) {
      if (item.stop) {
        // Where the valid records end (a torn tail) is fine; earlier, a closed segment whose index
        // open trusted is damaged.
        if (k >= items.length || items[k]!.offset >= end) return k;
        return `${seg.path}: the record at byte ${item.position} is unreadable (${item.stop}); the journal holds offset ` +
          `${items[k]!.offset} (${where(items[k]!)}) but cannot restore it into a closed segment`;
      }
      const rec = item.record;
      if (rec.offset >= end || k >= items.length) return k;
      const copy = items[k]!;
      if (isGapPayload(rec.payload) && rec.offset + rec.span > copy.offset && !isCopy(rec, copy, bytes)) {
        // Compaction replaced these records by a gap (SegmentedLog.compactSegments) after the
        // journal took them: they were deleted on purpose, as records below the log's start are.
        while (k < items.length && items[k]!.offset < rec.offset + rec.span) k++;
        continue;
      }
      if (rec.offset < from) continue;
      if (rec.offset + rec.span <= copy.offset) continue; // the log fdatasynced this one itself
      if (rec.offset !== copy.offset || rec.span !== copy.span || !rec.payload.equals(bytes.payload(copy))) {
        return `${seg.path}: the record at byte ${item.position} (offset ${rec.offset}) differs from the journal's copy of offset ` +
          `${copy.offset} in ${where(copy)}: the journal and the log disagree`;
      }
      k++;
    }
  }
  return k;
}

function isCopy(rec: { offset: number; span: number; payload: Buffer }, copy: JournalItem, bytes: JournalBytes): boolean {
  return rec.offset === copy.offset && rec.span === copy.span && rec.payload.equals(bytes.payload(copy));
}

/** The first byte of `file` from `position` that is neither the journal's nor zero, or null. */
function compareTail(file: string, position: number, expected: Buffer): string | null {
  const size = existsSync(file) ? statSync(file).size : 0;
  const overlap = Math.min(size, position + expected.length) - position;
  if (overlap <= 0) return null;
  const got = Buffer.allocUnsafe(overlap);
  const fd = openSync(file, 'r');
  try {
    for (let done = 0; done < overlap;) {
      const n = readSync(fd, got, done, overlap - done, position + done);
      if (n === 0) return `${file}: shorter than it was a moment ago`;
      done += n;
    }
  } finally { closeSync(fd); }
  if (got.equals(expected.subarray(0, overlap))) return null;
  for (let k = 0; k < overlap; k++) {
    if (got[k] !== 0 && got[k] !== expected[k]) {
      return `${file}: byte ${position + k} holds 0x${got[k]!.toString(16).padStart(2, '0')} where the journal's copy has ` +
        `0x${expected[k]!.toString(16).padStart(2, '0')}`;
    }
  }
  return null;
}
