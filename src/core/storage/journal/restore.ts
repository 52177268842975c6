import { closeSync, existsSync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RecoveryRefused } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { removeCleanStop } from '../../log/clean-stop.js';
import { Segment, segmentBases, segmentName } from '../../log/segment.js';
import { syncDir } from '../../log/dir-sync.js';
import { readCheckpoint, removeCheckpointTemp, writeCheckpoint } from './checkpoint-file.js';
import type { JournalReport } from './inspect.js';
import { JournalBytes, type JournalItem } from './items.js';
import { JOURNAL_INDEX_INTERVAL, JOURNAL_MAX_RECORD } from './journal.js';
import type { JournalRestore } from './plan-log.js';

export interface RestoreOptions {
  fdatasync: (fd: number) => Promise<void>;
  logger: Logger;
}

/**
 * Replay the journal into the logs at start, before any store opens (docs/storage.md, "Recovery
 * with the journal"), from a report of inspectJournal. A report with problems refuses, changing
 * nothing. Otherwise, in an order where a crash at any step leaves a state the next start
 * recovers from:
 *   1. write back the records each log lacks, byte for byte, and fdatasync every log the journal
 *      covered (after a kill -9 their pages may not have reached the disk yet);
 *   2. cut the journal's torn tail (logged);
 *   3. record a checkpoint at the journal's end;
 *   4. start a new empty journal segment there and delete the older ones.
 * Returns that segment (the journal appends to it) and the checkpoint offset.
 */
export async function restoreFromJournal(report: JournalReport, opts: RestoreOptions): Promise<{ active: Segment; checkpointed: number }> {
  if (report.problems.length > 0) throw new RecoveryRefused(report.dir, report.problems);
  const logDir = join(report.dir, 'log');
  if (report.checkpoint === 'unreadable') {
    opts.logger.warn({ journal: report.dir, replayFrom: report.replayFrom }, 'journal checkpoint marker unreadable: replaying every entry');
  }
  const bytes = new JournalBytes();
  try {
    for (const plan of report.logs) {
      if (!plan.restore) continue;
      writeBack(plan.restore, plan.logDir, bytes, report.restores.get(plan.logDir)!);
      opts.logger.warn({ log: plan.logDir, file: plan.restore.file, position: plan.restore.position, fromOffset: plan.restore.fromOffset,
        toOffset: plan.restore.toOffset, records: plan.restore.records }, 'restored log records from the journal');
    }
  } finally {
    bytes.close();
  }
  await Promise.all(report.logs.map((plan) => syncFile(plan.lastSegment, opts.fdatasync)));
  if (report.tornTail) {
    cutTail(report.tornTail.file, report.tornTail.position);
    opts.logger.warn({ file: report.tornTail.file, position: report.tornTail.position, bytes: report.tornTail.bytes }, 'cut a torn journal tail');
  }
  mkdirSync(logDir, { recursive: true });
  const found = readCheckpoint(report.dir);
  const checkpointed = Math.max(typeof found === 'number' ? found : 0, report.end);
  if (found !== checkpointed) await writeCheckpoint(report.dir, checkpointed);
  removeCheckpointTemp(report.dir);
  // A marker `junction data repair` left on the journal's segments: appends are about to resume.
  removeCleanStop(logDir);
  const active = Segment.create(logDir, checkpointed, JOURNAL_INDEX_INTERVAL, JOURNAL_MAX_RECORD);
  syncDir(logDir);
  for (const base of segmentBases(readdirSync(logDir))) {
    if (base === checkpointed) continue;
    for (const ext of ['log', 'index'] as const) {
      const file = join(logDir, segmentName(base, ext));
      if (existsSync(file)) unlinkSync(file);
    }
  }
  syncDir(logDir);
  if (report.entries > 0) {
    opts.logger.info({ journal: report.dir, entries: report.entries, logs: report.logs.length, checkpoint: checkpointed }, 'journal replayed');
  }
  return { active, checkpointed };
}

/** Write the journal's bytes over the log's torn tail (or past its end) and make them durable. */
function writeBack(restore: JournalRestore, logDir: string, bytes: JournalBytes, items: readonly JournalItem[]): void {
  const created = !existsSync(restore.file);
  if (created) mkdirSync(logDir, { recursive: true });
  const image = bytes.image(items);
  if (image.length !== restore.bytes) throw new Error(`${restore.file}: the journal's records changed since they were inspected`);
  const fd = openSync(restore.file, created ? 'w' : 'r+');
  try {
    for (let done = 0; done < image.length;) done += writeSync(fd, image, done, image.length - done, restore.position + done);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) {
    syncDir(logDir);
    syncDir(dirname(logDir));
  }
}

async function syncFile(file: string, fdatasync: (fd: number) => Promise<void>): Promise<void> {
  if (!existsSync(file)) return;
  const fd = openSync(file, 'r');
  try { await fdatasync(fd); } finally { closeSync(fd); }
}

function cutTail(file: string, position: number): void {
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, position);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
