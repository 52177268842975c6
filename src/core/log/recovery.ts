import { existsSync, readdirSync } from 'node:fs';
import { readCleanStop, type CleanStop } from './clean-stop.js';
import { Segment, segmentBases, type ScanFailure } from './segment.js';
import type { DecodedRecord } from './record.js';
import { findValidRecord } from './tail-scan.js';

/**
 * Recovery of a segmented log, in two steps (ARCHITECTURE principle 9, docs/storage.md):
 * inspectLog() reads the files and says what is there; assessRecovery() says whether open may
 * proceed and what it would cut. Only a torn tail — bad bytes at the end of the last segment with
 * no valid record after them, after a run that did not stop cleanly, and cutting below nothing a
 * snapshot saw — is cut. Anything else is a problem and open changes nothing. The offline
 * `junction data check` runs the very same two steps.
 */

export interface SegmentReport {
  file: string;
  baseOffset: number;
  fileBytes: number;
  /** Bytes of valid records from the start of the file (= fileBytes unless damaged). */
  validBytes: number;
  /** Offset after the last valid record. */
  endOffset: number;
  /** Records counted by a scan; null when a consistent index made the scan unnecessary. */
  records: number | null;
  active: boolean;
}

export type DamageReason = ScanFailure | 'offset-mismatch';

export interface LogDamage {
  file: string;
  /** Byte where the first bad record starts. */
  position: number;
  reason: DamageReason;
  /** Offset the bad record should have had. */
  expectedOffset: number;
  /** Bytes from `position` to the end of the file. */
  bytesAfter: number;
  /** The first whole, CRC-valid record after the bad one in the same file and the run of valid
   *  records from there: written data, not a torn write. */
  validAfter: { position: number; records: number; firstOffset: number; endOffset: number } | null;
  /** Segments after the damaged one. */
  laterSegments: number;
  active: boolean;
}

export interface LogInspection {
  dir: string;
  segments: SegmentReport[];
  startOffset: number;
  /** End of the valid records counted from the start: how far replay can go. */
  readableEnd: number;
  /** The first damage in log order, or null. */
  damage: LogDamage | null;
  cleanStop: CleanStop | 'unreadable' | null;
  /** Gap segments that a merge of gaps (compact-segments.ts) replaced but a crash left on disk: the
   *  gap record before them spans them. Left out of `segments`; open deletes them. */
  superseded: string[];
}

/** What the log must hold for its owner (a DurableStore's snapshots). */
export interface LogRequirements {
  /** Replay starts here (the snapshot loaded, or 0): the log must start at or before it. */
  replayFrom?: { offset: number; what: string };
  /** Offsets below this were seen (a snapshot covers them): the log must reach it. */
  reach?: { offset: number; what: string };
}

export interface RecoveryVerdict {
  /** The torn tail open cuts (only when there are no problems). */
  tornTail: { file: string; position: number; bytes: number } | null;
  /** Why open refuses; empty when it may proceed. */
  problems: string[];
}

export interface InspectOptions {
  indexIntervalBytes: number;
  maxRecordBytes: number;
  /** Scan every closed segment even when its index is consistent (data check); open trusts
   *  the index of a closed segment (it was fdatasynced before the next one was created) once the
   *  record headers after its last entry end at the next segment's base (Segment.tryIndex). */
  verifyAll?: boolean;
  /** Leave out segments whose records all lie below this offset (the next segment starts at or
   *  below it): a journal's segments that a checkpoint covers, kept only until deleted. */
  skipBelow?: number;
  /** Whether a CRC-valid record found after damage is one of this log's records (default: any
   *  is). The journal's entries embed whole log records, which must not count as its own. */
  recordAfterDamage?: (record: DecodedRecord, expectedOffset: number) => boolean;
}

/** Read a log directory without changing anything; also returns the segments for open(). */
export function loadLog(dir: string, opts: InspectOptions): { inspection: LogInspection; segments: Segment[] } {
  const all = existsSync(dir) ? segmentBases(readdirSync(dir)) : [];
  const skip = opts.skipBelow;
  const bases = skip === undefined ? all : all.filter((_, i) => i === all.length - 1 || all[i + 1]! > skip);
  if (bases.length === 0) bases.push(0);
  const segments = bases.map((base) => Segment.existing(dir, base, opts.indexIntervalBytes, opts.maxRecordBytes));
  const reports: SegmentReport[] = [];
  const superseded: string[] = [];
  let damage: LogDamage | null = null;
  let readableEnd = bases[0]!;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    let active = i === segments.length - 1;
    let nextBase = active ? null : bases[i + 1]!;
    const indexed = nextBase !== null && !opts.verifyAll && seg.tryIndex(nextBase);
    const outcome = indexed ? null : seg.scan();
    if (!damage && nextBase !== null && !outcome?.failure && seg.endOffset > nextBase) {
      const covered = supersededBy(segments, i);
      if (covered > 0) {
        superseded.push(...segments.splice(i + 1, covered).map((s) => s.path));
        bases.splice(i + 1, covered);
        active = i === segments.length - 1;
        nextBase = active ? null : bases[i + 1]!;
      }
    }
    reports.push({ file: seg.path, baseOffset: seg.baseOffset, fileBytes: seg.size, validBytes: outcome ? outcome.validBytes : seg.size,
      endOffset: seg.endOffset, records: outcome ? outcome.records : null, active });
    if (damage) continue;
    const laterSegments = segments.length - 1 - i;
    if (outcome?.failure) {
      damage = describeDamage(seg, outcome.failure, laterSegments, active, opts);
    } else if (nextBase !== null && seg.endOffset !== nextBase) {
      damage = { file: seg.path, position: seg.size, reason: 'offset-mismatch', expectedOffset: seg.endOffset, bytesAfter: 0,
        validAfter: null, laterSegments, active };
    }
    readableEnd = seg.endOffset;
  }
  const inspection: LogInspection = { dir, segments: reports, startOffset: bases[0]!, readableEnd, damage, cleanStop: readCleanStop(dir), superseded };
  return { inspection, segments };
}

/**
 * How many segments after segments[i] a merge of gaps left behind: segments[i] is one gap record
 * spanning past the next base, every segment starting inside its span is a closed gap ending
 * within it, and the segment after them starts exactly where it ends (the merge's order: the
 * longer gap renamed in, then the others deleted). 0 when that is not so: then it is damage.
 */
function supersededBy(segments: readonly Segment[], i: number): number {
  const gap = segments[i]!;
  if (!gap.isGap()) return 0;
  let j = i + 1;
  for (; j < segments.length && segments[j]!.baseOffset < gap.endOffset; j++) {
    const inside = segments[j]!;
    if (j === segments.length - 1 || inside.scan().failure || !inside.isGap() || inside.endOffset > gap.endOffset) return 0;
  }
  return j < segments.length && segments[j]!.baseOffset === gap.endOffset ? j - i - 1 : 0;
}

export function inspectLog(dir: string, opts: InspectOptions): LogInspection {
  return loadLog(dir, opts).inspection;
}

function describeDamage(seg: Segment, failure: { reason: ScanFailure; position: number }, laterSegments: number,
  active: boolean, opts: InspectOptions): LogDamage {
  const plausible = opts.recordAfterDamage;
  const found = findValidRecord(seg.path, failure.position + 1, seg.size, opts.maxRecordBytes,
    plausible ? (record) => plausible(record, seg.endOffset) : undefined);
  let validAfter: LogDamage['validAfter'] = null;
  if (found) {
    let records = 0;
    let endOffset = found.record.offset;
    for (const item of seg.records(found.position, Infinity)) {
      if (item.stop) break;
      records++;
      endOffset = item.record.offset + item.record.span;
    }
    validAfter = { position: found.position, records, firstOffset: found.record.offset, endOffset };
  }
  return { file: seg.path, position: failure.position, reason: failure.reason, expectedOffset: seg.endOffset,
    bytesAfter: seg.size - failure.position, validAfter, laterSegments, active };
}

/** Decide what open may do with an inspected log. */
export function assessRecovery(log: LogInspection, required: LogRequirements = {}): RecoveryVerdict {
  const problems: string[] = [];
  let tornTail: RecoveryVerdict['tornTail'] = null;
  const d = log.damage;
  if (d && !d.active) {
    problems.push(`${damageText(d)}; a closed segment was fdatasynced before the next one was created, so this is not a torn ` +
      `write${lossText(d)}`);
  } else if (d && d.validAfter) {
    problems.push(`${damageText(d)} and valid records follow it, so this is not a torn write${lossText(d)}`);
  } else if (d && log.cleanStop === 'unreadable') {
    problems.push(`${damageText(d)} and the clean-stop marker is unreadable: the last run stopped cleanly, so these ` +
      `${d.bytesAfter} bytes may hold acknowledged records`);
  } else if (d) {
    tornTail = { file: d.file, position: d.position, bytes: d.bytesAfter };
  }
  // Where the readable records end, unless a problem above already said it.
  const last = log.segments[log.segments.length - 1]!;
  const where = !d ? ` (${last.file} ends at byte ${last.validBytes})` : problems.length === 0 ? ` (${damageText(d)})` : '';
  const stop = log.cleanStop;
  if (stop && stop !== 'unreadable' && log.readableEnd < stop.nextOffset) {
    problems.push(`the log stopped cleanly at offset ${stop.nextOffset} (every record below it was acknowledged) but its ` +
      `readable records end at offset ${log.readableEnd}${where}: offsets ${log.readableEnd}..${stop.nextOffset - 1} would be lost`);
  }
  if (required.reach && log.readableEnd < required.reach.offset) {
    problems.push(`${required.reach.what} covers offsets below ${required.reach.offset} but the log's readable records end at ` +
      `offset ${log.readableEnd}${where}: offsets ${log.readableEnd}..${required.reach.offset - 1} would be lost, and new ` +
      `records would reuse offsets already seen`);
  }
  if (required.replayFrom && required.replayFrom.offset < log.startOffset) {
    problems.push(`${required.replayFrom.what} but the log starts at ${log.startOffset}; offsets ` +
      `${required.replayFrom.offset}..${log.startOffset - 1} are lost`);
  }
  return { tornTail: problems.length === 0 ? tornTail : null, problems };
}

const REASONS: Record<DamageReason, string> = {
  'incomplete': 'the file ends inside a record',
  'bad-length': 'a record has an impossible length',
  'bad-crc': 'a record fails its CRC-32C',
  'bad-span': 'a record has an invalid offset or span',
  'offset-gap': 'a record has the wrong offset',
  'offset-mismatch': 'the records end at another offset than the next segment starts at',
};

export function damageText(d: LogDamage): string {
  return `${d.file}: ${REASONS[d.reason]} at byte ${d.position} (expected offset ${d.expectedOffset})`;
}

function lossText(d: LogDamage): string {
  const parts: string[] = [];
  if (d.validAfter) {
    parts.push(`${d.validAfter.records} valid records from byte ${d.validAfter.position} ` +
      `(offsets ${d.validAfter.firstOffset}..${d.validAfter.endOffset - 1})`);
  }
  if (d.laterSegments > 0) parts.push(`${d.laterSegments} later segment file(s)`);
  const bytes = d.bytesAfter > 0 ? `${d.bytesAfter} bytes from byte ${d.position} on` : '';
  const what = [bytes, ...parts].filter(Boolean).join(', ');
  return what ? `; cutting there would lose ${what}` : '';
}
