import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { damageText, loadLog, type LogInspection } from '../../log/recovery.js';
import type { Segment } from '../../log/segment.js';
import { logDirOf, type EntryRecord } from './entry.js';
import { JOURNAL_MAX_RECORD } from './journal.js';

/** One log record as the journal holds it, and where (for messages). */
export interface JournalItem { file: string; position: number; record: EntryRecord }

/** Records a log lacks, to be written back from the journal into its active segment. */
export interface JournalRestore {
  /** The log's last (active) segment and the byte where its valid records end. */
  file: string;
  position: number;
  fromOffset: number;
  toOffset: number;
  records: number;
  bytes: number;
  /** The records' bytes, exactly as the journal holds them. */
  image: Buffer[];
}

export interface JournaledLogPlan {
  /** The journal's name for the log, and its directory. */
  key: string;
  logDir: string;
  /** Offsets the journal holds for the log from its checkpoint on. */
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

const where = (item: JournalItem) => `${item.file} (journal entry at byte ${item.position})`;

/**
 * Compare the journal's records for one log with the log itself. The log must hold each one
 * byte for byte, or end where the journal's run continues (the records after that are
 * restored). A restore writes over the log's torn tail only if each byte already there is the
 * journal's or zero (a block the OS never wrote): anything else is damage the journal cannot
 * explain, and the start refuses. Reads only.
 */
export function planLog(dataDir: string, key: string, items: JournalItem[]): JournaledLogPlan {
  const logDir = logDirOf(dataDir, key);
  const { inspection, segments } = loadLog(logDir, { indexIntervalBytes: 4096, maxRecordBytes: JOURNAL_MAX_RECORD });
  const last = items[items.length - 1]!.record;
  const plan: JournaledLogPlan = {
    key, logDir, fromOffset: items[0]!.record.offset, toOffset: last.offset + last.span, records: items.length,
    present: 0, belowStart: 0, restore: null, lastSegment: inspection.segments[inspection.segments.length - 1]!.file, problem: null,
  };
  const outcome = compare(plan, inspection, segments, items);
  if (typeof outcome === 'string') plan.problem = outcome;
  return plan;
}

/** Fill in `plan` (present, belowStart, restore); a string is why the start refuses. */
function compare(plan: JournaledLogPlan, inspection: LogInspection, segments: readonly Segment[], items: JournalItem[]): string | null {
  const { logDir } = plan;
  for (let i = 1; i < items.length; i++) {
    const prev = items[i - 1]!.record;
    if (items[i]!.record.offset !== prev.offset + prev.span) {
      return `journal: ${where(items[i]!)}: the journal's records for ${logDir} jump from offset ${prev.offset + prev.span} ` +
        `to ${items[i]!.record.offset}`;
    }
  }
  const start = inspection.startOffset;
  const end = inspection.readableEnd;
  let i = 0;
  while (i < items.length && items[i]!.record.offset + items[i]!.record.span <= start) i++;
  plan.belowStart = i;
  if (i < items.length && items[i]!.record.offset < start) {
    return `${logDir}: the log starts at offset ${start}, inside the journal's record at offset ${items[i]!.record.offset} ` +
      `(${where(items[i]!)}): the two disagree`;
  }
  const checked = verifyPresent(segments, items, i, end);
  if (typeof checked === 'string') return checked;
  plan.present = checked - i;
  i = checked;
  if (i === items.length) return null;
  const first = items[i]!;
  if (first.record.offset !== end) {
    return `${logDir}: the log's readable records end at offset ${end} but the journal's records for it start at offset ` +
      `${first.record.offset} (${where(first)}): offsets ${end}..${first.record.offset - 1} are in neither`;
  }
  const d = inspection.damage;
  if (d && !d.active) {
    return `${damageText(d)}; the journal holds offsets ${end}..${plan.toOffset - 1} for this log but cannot restore ` +
      'records into a closed segment';
  }
  const lastReport = inspection.segments[inspection.segments.length - 1]!;
  const position = d ? d.position : lastReport.validBytes;
  const image = items.slice(i).map((item) => item.record.raw);
  const conflict = compareTail(lastReport.file, position, image);
  if (conflict) return `${conflict}: the journal (${where(first)}) and the log disagree about offsets ${end}..${plan.toOffset - 1}`;
  plan.restore = { file: lastReport.file, position, fromOffset: end, toOffset: plan.toOffset, records: image.length,
    bytes: image.reduce((n, b) => n + b.length, 0), image };
  return null;
}

/** Check the log's records from items[i] up to `end` against the journal's; returns the index
 *  of the first journal record not checked (at or beyond `end`), or a problem. */
function verifyPresent(segments: readonly Segment[], items: JournalItem[], i: number, end: number): number | string {
  if (i >= items.length || items[i]!.record.offset >= end) return i;
  const from = items[i]!.record.offset;
  let k = i;
  for (const seg of segments) {
    if (seg.endOffset <= from) continue;
    for (const item of seg.records(seg.positionFor(from), Infinity)) {
      if (item.stop) {
        // Where the valid records end (a torn tail) is fine; earlier, a closed segment whose index
        // open trusted is damaged.
        if (k >= items.length || items[k]!.record.offset >= end) return k;
        return `${seg.path}: the record at byte ${item.position} is unreadable (${item.stop}); the journal holds offset ` +
          `${items[k]!.record.offset} (${where(items[k]!)}) but cannot restore it into a closed segment`;
      }
      const rec = item.record;
      if (rec.offset < from) continue;
      if (rec.offset >= end || k >= items.length) return k;
      const copy = items[k]!;
      if (rec.offset !== copy.record.offset || rec.span !== copy.record.span || !rec.payload.equals(copy.record.payload)) {
        return `${seg.path}: the record at byte ${item.position} (offset ${rec.offset}) differs from the journal's copy of offset ` +
          `${copy.record.offset} in ${where(copy)}: the journal and the log disagree`;
      }
      k++;
    }
  }
  return k;
}

/** The first byte of `file` from `position` that is neither the journal's nor zero, or null. */
function compareTail(file: string, position: number, image: Buffer[]): string | null {
  const size = existsSync(file) ? statSync(file).size : 0;
  const expected = Buffer.concat(image);
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
