import { closeSync, existsSync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { RepairRefused } from '../errors.js';
import { CLEAN_STOP_FILE, writeCleanStop } from '../log/clean-stop.js';
import { encodeRecord } from '../log/record.js';
import { Segment, segmentBases, segmentName } from '../log/segment.js';
import { syncDir } from '../log/dir-sync.js';
import { findValidRecord } from '../log/tail-scan.js';
import { checkStore, highestOffset, OFFLINE_LOG, type StoreReport } from './check.js';
import { inspectJournal } from './journal/inspect.js';

/**
 * Explicit repairs of a stopped server's store (`junction data repair`). Nothing is deleted:
 * whatever a repair takes out of the log (the bytes after a cut, whole segment files, a stale
 * clean-stop marker, unreadable snapshots in the way) is moved into <store>/removed-<time>/,
 * and the report says what that holds and which offsets the store no longer has.
 */
export interface RepairReport {
  action: 'truncate-at' | 'rebase-on-snapshot';
  store: string;
  /** Files taken out, with their size; all of them are in `savedIn`. */
  removed: { file: string; bytes: number }[];
  savedIn: string;
  /** Offsets the repaired store no longer has (valid records among what was removed). */
  lost: string;
  /** The log after the repair. */
  log: { startOffset: number; endOffset: number };
  /** The store as a start will see it now (no problems expected). */
  after: StoreReport;
}

/** Cut the segment `target` ("<file>:<byte>", relative to dataDir or absolute) at a record
 *  boundary at or before its first damage; later segments are set aside. */
export async function truncateAt(dataDir: string, target: string): Promise<RepairReport> {
  const colon = target.lastIndexOf(':');
  const byte = Number(target.slice(colon + 1));
  if (colon <= 0 || !Number.isSafeInteger(byte) || byte < 0) throw new RepairRefused(`--truncate-at: expected <segment file>:<byte>, got ${JSON.stringify(target)}`);
  const file = resolvePath(dataDir, target.slice(0, colon));
  if (!/^\d{20}\.log$/.test(basename(file)) || basename(dirname(file)) !== 'log' || !existsSync(file)) {
    throw new RepairRefused(`${file}: not a log segment (expected <store>/log/<20 digits>.log)`);
  }
  const logDir = dirname(file);
  const store = dirname(logDir);
  const before = requireDamaged(dataDir, store);
  const segments = before.log.segments;
  const index = segments.findIndex((s) => s.file === file);
  const damaged = before.log.damage ? segments.findIndex((s) => s.file === before.log.damage!.file) : segments.length - 1;
  if (index > damaged) throw new RepairRefused(`${file} lies after the first damage (${before.log.damage!.file}): cut at or before it`);
  const endOffset = offsetAtBoundary(segments[index]!.file, segments[index]!.baseOffset, byte);
  const reach = before.requirements.reach;
  if (reach && endOffset < reach.offset) {
    throw new RepairRefused(`cutting at byte ${byte} leaves the log ending at offset ${endOffset}, but ${reach.what} covers offsets below ` +
      `${reach.offset}: the store would still refuse to start. Use --rebase-on-snapshot ${store} to keep the snapshot's state instead`);
  }
  const replayFrom = before.requirements.replayFrom;
  if (replayFrom && replayFrom.offset < before.log.startOffset) {
    throw new RepairRefused(`${replayFrom.what} but the log starts at ${before.log.startOffset}: no cut can help; restore from a backup`);
  }
  const savedIn = removedDir(store);
  const removed: RepairReport['removed'] = [];
  const size = statSync(file).size;
  if (byte < size) {
    const tail = join(savedIn, `${basename(file)}.from-byte-${byte}`);
    copyRange(file, byte, size, tail);
    removed.push({ file: tail, bytes: size - byte });
  }
  for (const later of segments.slice(index + 1)) removed.push(...moveAside(later.file, savedIn, true));
  removed.push(...moveAside(file.replace(/\.log$/, '.index'), savedIn, false), ...moveAside(join(logDir, CLEAN_STOP_FILE), savedIn, false));
  const fd = openSync(file, 'r+');
  try { ftruncateSync(fd, byte); fdatasyncSync(fd); } finally { closeSync(fd); }
  // The cut log is exactly known now: mark it stopped cleanly there, so a later loss is caught.
  await writeCleanStop(logDir, { segmentBase: segments[index]!.baseOffset, segmentBytes: byte, nextOffset: endOffset });
  syncDir(savedIn);
  syncDir(store);
  return finish(dataDir, 'truncate-at', store, before, removed, savedIn, endOffset);
}

/** Keep the newest readable snapshot and the log records that follow it without a gap (in a
 *  new segment starting at the snapshot's offset); set every old segment aside. */
export async function rebaseOnSnapshot(dataDir: string, storeArg: string): Promise<RepairReport> {
  const store = resolvePath(dataDir, storeArg);
  if (!existsSync(join(store, 'log')) || !existsSync(join(store, 'snapshot'))) {
    throw new RepairRefused(`${store}: not a command store (expected log/ and snapshot/ in it)`);
  }
  const before = requireDamaged(dataDir, store);
  const newest = [...before.snapshots].reverse().find((s) => s.readable);
  if (!newest) throw new RepairRefused(`${store}: no readable snapshot to rebase on`);
  const logDir = join(store, 'log');
  const from = newest.offset;
  const staged = join(logDir, `${segmentName(from, 'log')}.rebase`);
  const { endOffset, bytes } = writeRunFrom(logDir, from, staged);
  const savedIn = removedDir(store);
  const removed: RepairReport['removed'] = [];
  for (const base of segmentBases(readdirSync(logDir))) removed.push(...moveAside(join(logDir, segmentName(base, 'log')), savedIn, true));
  removed.push(...moveAside(join(logDir, CLEAN_STOP_FILE), savedIn, false));
  // Unreadable snapshots newer than the one kept would make every start refuse (they claim offsets).
  for (const s of before.snapshots) if (!s.readable && s.offset > from) removed.push(...moveAside(s.file, savedIn, false));
  renameSync(staged, join(logDir, segmentName(from, 'log')));
  await writeCleanStop(logDir, { segmentBase: from, segmentBytes: bytes, nextOffset: endOffset });
  syncDir(join(store, 'snapshot'));
  syncDir(savedIn);
  return finish(dataDir, 'rebase-on-snapshot', store, before, removed, savedIn, endOffset);
}

function resolvePath(dataDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dataDir, path);
}

/** The store as a start sees it, after the journal restored what it lacks. */
function checkWithJournal(dataDir: string, store: string, name?: string): StoreReport {
  return checkStore(store, name, inspectJournal(dataDir));
}

function requireDamaged(dataDir: string, store: string): StoreReport {
  const report = checkWithJournal(dataDir, store);
  if (report.problems.length === 0) {
    throw new RepairRefused(`${store}: a start opens this store as it is${report.tornTail ? ' (cutting its torn tail itself)' : ''}; nothing to repair`);
  }
  return report;
}

/** The offset of the record starting at `byte`, or the end of the valid records if `byte` is
 *  where they end; anything else is not a place to cut. */
function offsetAtBoundary(file: string, baseOffset: number, byte: number): number {
  const seg = Segment.existing(dirname(file), baseOffset, OFFLINE_LOG.indexIntervalBytes, OFFLINE_LOG.maxRecordBytes);
  let end = baseOffset;
  let validEnd = 0;
  for (const item of seg.records(0, Infinity)) {
    if (item.stop) break;
    if (item.position === byte) return item.record.offset;
    if (item.position > byte) {
      throw new RepairRefused(`${file}: byte ${byte} is inside a record; the nearest record boundaries are bytes ${validEnd} and ${item.position}`);
    }
    end = item.record.offset + item.record.span;
    validEnd = item.position + item.record.size;
  }
  if (validEnd === byte) return end;
  throw new RepairRefused(`${file}: byte ${byte} lies beyond the valid records, which end at byte ${validEnd} (cut there or before)`);
}

/** Write the records with offsets from..(first gap) into `target`, wherever they are in the log
 *  (past damage too: scanning resumes at the next CRC-valid record). */
function writeRunFrom(logDir: string, from: number, target: string): { endOffset: number; bytes: number } {
  const fd = openSync(target, 'w');
  let expected = from;
  let bytes = 0;
  try {
    for (const base of segmentBases(readdirSync(logDir))) {
      const seg = Segment.existing(logDir, base, OFFLINE_LOG.indexIntervalBytes, OFFLINE_LOG.maxRecordBytes);
      for (let start = 0; start < seg.size;) {
        let resumeAt = seg.size;
        for (const item of seg.records(start, Infinity)) {
          if (item.stop) { resumeAt = findValidRecord(seg.path, item.position + 1, seg.size, OFFLINE_LOG.maxRecordBytes)?.position ?? seg.size; break; }
          const { offset, span, payload } = item.record;
          if (offset < expected) continue;
          if (offset !== expected) return { endOffset: expected, bytes };
          bytes += writeAll(fd, encodeRecord(offset, span, payload));
          expected = offset + span;
        }
        start = resumeAt;
      }
    }
    return { endOffset: expected, bytes };
  } finally {
    fdatasyncSync(fd);
    closeSync(fd);
  }
}

function removedDir(store: string): string {
  const dir = join(store, `removed-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Move a file (and, for a segment, its index) into `savedIn`; returns what moved. */
function moveAside(file: string, savedIn: string, withIndex: boolean): RepairReport['removed'] {
  const files = withIndex ? [file, file.replace(/\.log$/, '.index')] : [file];
  const moved: RepairReport['removed'] = [];
  for (const f of files) {
    if (!existsSync(f)) continue;
    const to = join(savedIn, basename(f));
    const bytes = statSync(f).size;
    renameSync(f, to);
    moved.push({ file: to, bytes });
  }
  if (moved.length > 0) syncDir(dirname(file));
  return moved;
}

/** Copy bytes [from, to) of `file` into a new file `target`, durably. */
function copyRange(file: string, from: number, to: number, target: string): void {
  const bytes = Buffer.alloc(to - from);
  const src = openSync(file, 'r');
  try {
    for (let done = 0; done < bytes.length;) {
      const n = readSync(src, bytes, done, bytes.length - done, from + done);
      if (n === 0) break;
      done += n;
    }
  } finally { closeSync(src); }
  const fd = openSync(target, 'w');
  try { writeAll(fd, bytes); fdatasyncSync(fd); } finally { closeSync(fd); }
}

function writeAll(fd: number, buf: Buffer): number {
  for (let done = 0; done < buf.length;) done += writeSync(fd, buf, done, buf.length - done);
  return buf.length;
}

function finish(dataDir: string, action: RepairReport['action'], store: string, before: StoreReport, removed: RepairReport['removed'],
  savedIn: string, endOffset: number): RepairReport {
  const after = checkWithJournal(dataDir, store, before.name);
  const high = Math.max(highestOffset(before.log), before.log.cleanStop && before.log.cleanStop !== 'unreadable' ? before.log.cleanStop.nextOffset : 0);
  return {
    action, store, removed, savedIn, after,
    lost: high > endOffset ? `offsets ${endOffset}..${high - 1}` : 'none',
    log: { startOffset: after.log.startOffset, endOffset: after.log.readableEnd },
  };
}
