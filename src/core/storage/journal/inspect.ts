import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assessRecovery, loadLog, type LogInspection } from '../../log/recovery.js';
import { segmentBases, segmentName, type Segment } from '../../log/segment.js';
import { readCheckpoint } from './checkpoint-file.js';
import { RECORD_HEADER_BYTES } from '../../log/record.js';
import { decodeEntry } from './entry.js';
import { JournalBytes, type EntryRef, type JournalItem } from './items.js';
import { JOURNAL_DIR, JOURNAL_INDEX_INTERVAL, JOURNAL_MAX_RECORD } from './journal.js';
import { planLog, type JournaledLogPlan } from './plan-log.js';

/**
 * What the journal holds and what a start will do with it (docs/storage.md, "Recovery with the
 * journal"). Reads only: the start (restoreFromJournal) and `junction data check` both use it.
 */
export interface JournalReport {
  /** data/journal */
  dir: string;
  /** false for a data dir written before the journal existed (or only with fsync=never):
   *  nothing to replay. */
  exists: boolean;
  /** The journal's own segments from the checkpoint on, inspected by core/log's recovery. */
  log: LogInspection | null;
  checkpoint: number | 'unreadable' | null;
  /** Segment files wholly below the checkpoint: redundant, a start deletes them. */
  obsolete: string[];
  /** Entries from here on are replayed. */
  replayFrom: number;
  /** Where the journal's valid entries end. */
  end: number;
  /** Entries read from replayFrom to end. */
  entries: number;
  /** The journal's own torn tail, which a start cuts (logged). */
  tornTail: { file: string; position: number; bytes: number } | null;
  /** Every log the replayed entries name, with what a start checks and restores. */
  logs: JournaledLogPlan[];
  /** The journal's records each restore writes back, by log directory (positions, not bytes). */
  restores: Map<string, JournalItem[]>;
  /** Why a start refuses (then nothing is changed, in the journal or any log). */
  problems: string[];
}

export function journalDirOf(dataDir: string): string {
  return join(dataDir, JOURNAL_DIR);
}

/** `verifyAll`: scan every journal segment even when its index is consistent (data check). */
export function inspectJournal(dataDir: string, opts: { verifyAll?: boolean } = {}): JournalReport {
  const dir = journalDirOf(dataDir);
  const logDir = join(dir, 'log');
  const report: JournalReport = {
    dir, exists: existsSync(logDir), log: null, checkpoint: null, obsolete: [], replayFrom: 0, end: 0, entries: 0,
    tornTail: null, logs: [], restores: new Map(), problems: [],
  };
  if (!report.exists) return report;
  const checkpoint = readCheckpoint(dir);
  report.checkpoint = checkpoint;
  const covered = typeof checkpoint === 'number' ? checkpoint : undefined;
  const { inspection, segments } = loadLog(logDir, {
    indexIntervalBytes: JOURNAL_INDEX_INTERVAL, maxRecordBytes: JOURNAL_MAX_RECORD, skipBelow: covered, verifyAll: opts.verifyAll,
    // Every entry embeds whole, CRC-valid log records: behind damage, only an entry at a later
    // journal offset is evidence of written data (else a torn entry would never count as torn).
    recordAfterDamage: (record, expected) => record.offset >= expected && decodeEntry(record.payload).ok,
  });
  report.log = inspection;
  const kept = new Set(inspection.segments.map((s) => s.baseOffset));
  report.obsolete = segmentBases(readdirSync(logDir)).filter((b) => !kept.has(b)).map((b) => join(logDir, segmentName(b, 'log')));
  const verdict = assessRecovery(inspection);
  report.problems.push(...verdict.problems.map((p) => `journal: ${p}`));
  report.tornTail = verdict.tornTail;
  report.end = inspection.readableEnd;
  report.replayFrom = Math.max(covered ?? 0, inspection.startOffset);
  if ((covered ?? 0) < inspection.startOffset) {
    report.problems.push(`journal: ${checkpoint === null ? 'there is no checkpoint' : `the checkpoint covers entries below ${covered}`} ` +
      `but the journal starts at entry ${inspection.startOffset} (${inspection.segments[0]!.file}): entries ` +
      `${covered ?? 0}..${inspection.startOffset - 1} are missing, and the records they held may be in no log`);
  }
  if (report.problems.length > 0) return report;
  const byLog = readEntries(segments, report);
  if (report.problems.length > 0) return report;
  const bytes = new JournalBytes();
  try {
    for (const [key, items] of byLog) {
      const { plan, restore } = planLog(dataDir, key, items, bytes);
      report.logs.push(plan);
      if (plan.problem) report.problems.push(plan.problem);
      if (restore.length > 0) report.restores.set(plan.logDir, restore);
    }
  } finally {
    bytes.close();
  }
  return report;
}

/** Decode the entries from replayFrom to the end of the valid ones, grouped by log, in order;
 *  keeps where each log record is, not its bytes. */
function readEntries(segments: readonly Segment[], report: JournalReport): Map<string, JournalItem[]> {
  const byLog = new Map<string, JournalItem[]>();
  for (const seg of segments) {
    if (seg.endOffset <= report.replayFrom) continue;
    for (const item of seg.records(seg.positionFor(report.replayFrom), Infinity)) {
      if (item.stop) {
        // Where the inspection found a torn tail, the entries end. Anywhere else it is damage in
        // a closed segment whose index the inspection trusted: entries after it would be skipped.
        if (report.tornTail?.file === seg.path && report.tornTail.position === item.position) break;
        report.problems.push(`journal: ${seg.path}: the entry at byte ${item.position} is unreadable (${item.stop}); a closed ` +
          'segment was fdatasynced before the next one was created, so this is not a torn write');
        return byLog;
      }
      if (item.record.offset >= report.end) break;
      const { record, position } = item;
      if (record.offset < report.replayFrom) continue;
      const decoded = decodeEntry(record.payload);
      if (!decoded.ok) {
        report.problems.push(`journal: ${seg.path}: the record at byte ${position} (journal entry ${record.offset}) passes its ` +
          `CRC-32C but is not a journal entry (${decoded.reason})`);
        return byLog;
      }
      report.entries++;
      const { key, records } = decoded.entry;
      const dataOffset = records[0]!.raw.byteOffset - record.payload.byteOffset;
      const dataBytes = record.payload.length - dataOffset;
      const entry: EntryRef = { file: seg.path, position, dataAt: position + RECORD_HEADER_BYTES + dataOffset, dataBytes };
      const list = byLog.get(key) ?? [];
      for (const rec of records) {
        list.push({ entry, offset: rec.offset, span: rec.span, at: rec.raw.byteOffset - records[0]!.raw.byteOffset, size: rec.size });
      }
      byLog.set(key, list);
    }
  }
  return byLog;
}
