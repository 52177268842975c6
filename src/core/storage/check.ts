import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { assessRecovery, damageText, loadLog, type LogInspection, type LogRequirements } from '../log/recovery.js';
import { SnapshotStore } from '../snapshot/snapshot-store.js';
import { snapshotRequirements } from '../state/durable-store.js';
import { inspectJournal, journalDirOf, type JournalReport } from './journal/inspect.js';
import type { JournaledLogPlan } from './journal/plan-log.js';

/**
 * Offline check of a data directory (`junction data check`): the journal and every store — a
 * directory with a log/ (and, for a command store, snapshot/) — are inspected with the same code
 * a start runs, so "a start would refuse" here means exactly that. A store is judged as it will
 * be once the journal has restored what it lacks. Reads only.
 */

/** Log tuning used offline: the defaults, with the record limit as high as the format allows so
 *  that a record written under a larger limit is not mistaken for damage. */
export const OFFLINE_LOG = { indexIntervalBytes: 4096, maxRecordBytes: 0xffff_ffff - 16 };

export interface SnapshotFileReport { file: string; offset: number; bytes: number; readable: boolean; reason?: string }

export interface StoreReport {
  dir: string;
  /** Path relative to the data dir ('.' when the data dir is the store itself). */
  name: string;
  /** command: log/ + snapshot/ (a model's DurableStore); log: log/ only (a raw-record log, or a
   *  command store written before every store got its snapshot/), checked without snapshots. */
  kind: 'command' | 'log';
  /** Every segment scanned and CRC-checked. */
  log: LogInspection;
  snapshots: SnapshotFileReport[];
  requirements: LogRequirements;
  /** Why a start would refuse (empty: it would start). */
  problems: string[];
  /** Damage a start does not read today (below the snapshot it replays from). */
  warnings: string[];
  /** What a start would cut on its own. */
  tornTail: { file: string; position: number; bytes: number } | null;
  /** What the journal holds for this store's log and what a start restores from it, or null. */
  journal: JournaledLogPlan | null;
  /** The repair command to consider, or null. */
  repair: RepairHint | null;
}

export type RepairHint =
  | { action: 'truncate-at'; target: string; loses: string }
  | { action: 'rebase-on-snapshot'; target: string; loses: string }
  | { action: 'none'; loses: string };

/** Store directories under `dataDir` (itself included, the journal not), sorted. */
export function findStores(dataDir: string, depth = 4): string[] {
  const out: string[] = [];
  const walk = (dir: string, left: number): void => {
    if (dir === journalDirOf(dataDir)) return; // the journal is checked on its own (inspectJournal)
    const names = readdirSync(dir);
    if (names.includes('log') && statSync(join(dir, 'log')).isDirectory()) out.push(dir);
    if (left === 0) return;
    for (const name of names) {
      if (name === 'log' || name === 'snapshot' || name.startsWith('removed-')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, left - 1);
    }
  };
  if (existsSync(dataDir)) walk(dataDir, depth);
  return out.sort();
}

export interface DataDirReport { dataDir: string; journal: JournalReport; stores: StoreReport[]; refuses: boolean }

export function checkDataDir(dataDir: string): DataDirReport {
  const journal = inspectJournal(dataDir, { verifyAll: true });
  const stores = findStores(dataDir).map((dir) => checkStore(dir, relative(dataDir, dir) || '.', journal));
  return { dataDir, journal, stores, refuses: journal.problems.length > 0 || stores.some((s) => s.problems.length > 0) };
}

/** Inspect one store as open() would — after the journal (when given) restored what the log
 *  lacks — plus a full scan for what open does not read. */
export function checkStore(dir: string, name = dir, journal: JournalReport | null = null): StoreReport {
  const snapshotDir = join(dir, 'snapshot');
  const kind = existsSync(snapshotDir) ? 'command' : 'log';
  const snapshots = kind === 'command' ? new SnapshotStore(snapshotDir).inspect() : [];
  const newest = [...snapshots].reverse().find((s) => s.readable) ?? null;
  const requirements = kind === 'command' ? snapshotRequirements(snapshotDir, newest, snapshots.map((s) => s.offset)) : {};
  const logDir = join(dir, 'log');
  const plan = journal?.logs.find((l) => l.logDir === logDir) ?? null;
  const opened = afterJournal(loadLog(logDir, OFFLINE_LOG).inspection, plan);
  const atOpen = assessRecovery(opened, requirements);
  const log = afterJournal(loadLog(logDir, { ...OFFLINE_LOG, verifyAll: true }).inspection, plan);
  const problems = plan?.problem ? [plan.problem, ...atOpen.problems] : [...atOpen.problems];
  const warnings: string[] = [];
  const d = log.damage;
  if (d && !d.active && opened.damage?.file !== d.file) {
    // open trusted this closed segment's index; replay still reads it unless it lies wholly
    // below the snapshot replay starts from.
    const segment = log.segments.find((s) => s.file === d.file)!;
    const nextBase = log.segments[log.segments.indexOf(segment) + 1]!.baseOffset;
    const replayFrom = requirements.replayFrom?.offset ?? log.startOffset;
    const text = `${damageText(d)} (found by a full scan; a start trusts this closed segment's index)`;
    if (nextBase > replayFrom) problems.push(`${text}; replay from offset ${replayFrom} reads it and would stop there`);
    else warnings.push(`${text}; it lies below the snapshot replay starts from, but falling back to an older snapshot would read it`);
  }
  const report: StoreReport = { dir, name, kind, log, snapshots, requirements, problems, warnings, tornTail: atOpen.tornTail,
    journal: plan, repair: null };
  report.repair = problems.length > 0 ? suggestRepair(report, newest?.offset ?? null) : null;
  return report;
}

/**
 * The log as a start will see it after the journal wrote back the records it lacked: its last
 * segment's valid records reach the journal's end, and damage inside the restored bytes is gone.
 * What lies beyond them (bytes the journal did not have) stays as it was found.
 */
function afterJournal(log: LogInspection, plan: JournaledLogPlan | null): LogInspection {
  const r = plan?.restore;
  if (!r) return log;
  const restoredEnd = r.position + r.bytes;
  const segments = [...log.segments];
  const last = segments[segments.length - 1]!;
  const fileBytes = Math.max(last.fileBytes, restoredEnd);
  segments[segments.length - 1] = { ...last, fileBytes, validBytes: restoredEnd, endOffset: r.toOffset,
    records: last.records === null ? null : last.records + r.records };
  const d = log.damage;
  const damage = !d || fileBytes === restoredEnd ? null : {
    ...d, position: restoredEnd, expectedOffset: r.toOffset, bytesAfter: fileBytes - restoredEnd,
    validAfter: d.validAfter && d.validAfter.position >= restoredEnd ? d.validAfter : null,
  };
  return { ...log, segments, readableEnd: r.toOffset, damage };
}

/** truncate-at when cutting at the first damage keeps everything a snapshot saw; otherwise
 *  rebase-on-snapshot when there is a readable snapshot; otherwise nothing automatic. */
function suggestRepair(r: StoreReport, newestReadable: number | null): RepairHint {
  const { log, requirements } = r;
  const d = log.damage;
  const last = log.segments[log.segments.length - 1]!;
  const cut = d ? { file: d.file, position: d.position, end: d.expectedOffset } : { file: last.file, position: last.fileBytes, end: log.readableEnd };
  const replayOk = !requirements.replayFrom || requirements.replayFrom.offset >= log.startOffset;
  if (replayOk && (!requirements.reach || cut.end >= requirements.reach.offset)) {
    return { action: 'truncate-at', target: `${cut.file}:${cut.position}`, loses: lossAfter(log, cut.end) };
  }
  if (newestReadable !== null) {
    return { action: 'rebase-on-snapshot', target: r.dir, loses: `the log is set aside: state comes from the snapshot at offset ` +
      `${newestReadable} plus the log records that follow it without a gap; ${lossAfter(log, newestReadable)} beyond those` };
  }
  return { action: 'none', loses: 'no readable snapshot and the log does not start at offset 0: restore this store from a backup' };
}

/** What is lost when the log ends at `end`. */
function lossAfter(log: LogInspection, end: number): string {
  const high = Math.max(highestOffset(log), log.cleanStop && log.cleanStop !== 'unreadable' ? log.cleanStop.nextOffset : 0);
  return high > end ? `offsets ${end}..${high - 1}` : 'no offsets';
}

/** The highest offset any valid record in the log reaches (past damage too). */
export function highestOffset(log: LogInspection): number {
  let high = log.readableEnd;
  if (log.damage?.validAfter) high = Math.max(high, log.damage.validAfter.endOffset);
  for (const s of log.segments) high = Math.max(high, s.endOffset);
  return high;
}
