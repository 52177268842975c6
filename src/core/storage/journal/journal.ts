import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { StorageError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { CommitBatch, CommitJournal, JournaledLog } from '../../log/commit-scheduler.js';
import { encodeRecordInto, recordSize } from '../../log/record.js';
import { Segment } from '../../log/segment.js';
import { syncDir, syncDirAsync } from '../../log/dir-sync.js';
import { LogAppendError } from '../../log/segmented-log.js';
import { writeCheckpoint } from './checkpoint-file.js';
import { entryHeader, groupRecords, journalKey } from './entry.js';

/** data/journal: the journal's segments live in data/journal/log/, its checkpoint next to them. */
export const JOURNAL_DIR = 'journal';
/** The journal reads records as large as the log format allows. */
export const JOURNAL_MAX_RECORD = 0xffff_ffff - 16;
export const JOURNAL_INDEX_INTERVAL = 4096;

export interface JournalSettings {
  /** Roll to a new journal segment past this size (a segment is deleted whole once a checkpoint
   *  covers it). Default 64 MiB. */
  segmentBytes?: number;
  /** Checkpoint once this many bytes were journaled since the last one: bounds the replay at
   *  start and, with segmentBytes, the journal's size on disk. Default 256 MiB. */
  checkpointBytes?: number;
  /** Checkpoint at least this often while logs are being written (ms). Default 10,000. */
  checkpointMs?: number;
}

/** fdatasyncs one checkpoint keeps in flight: libuv's pool (UV_THREADPOOL_SIZE, default 4) runs
 *  them in FIFO order, so a checkpoint of a thousand logs issued at once would queue the next
 *  commit cycle's journal fdatasync behind all of them; half the pool keeps the rest free. And
 *  at most 4 even with a wider pool: the disk, not the pool, is what they share, and more at once
 *  only lengthen the journal's fdatasync (bench:storage, 100 logs, pool 64: p99 42-65 ms with 32
 *  in flight, 13-15 ms with 2 at pool 4). */
export function checkpointConcurrency(poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4): number {
  return Math.min(4, Math.max(1, Math.floor(poolSize / 2)));
}

/** What one checkpoint did, for tests and benchmarks. */
export interface JournalCheckpoint { upTo: number; logs: number; deletedSegments: number; seconds: number }

export interface JournalOptions extends JournalSettings {
  dataDir: string;
  /** The fdatasync to issue (the commit scheduler's, so tests can count or fail it). */
  fdatasync: (fd: number) => Promise<void>;
  logger: Logger;
  onCheckpoint?: (checkpoint: JournalCheckpoint) => void;
}

/**
 * The write-ahead journal in front of every log of a Storage (docs/storage.md, "Journal"). A
 * commit cycle hands it the records of every log with pending appends: they become journal
 * entries (one per log, or a few for a large batch), written with one write and made durable by
 * one fdatasync; the logs' segments get the same bytes without an fdatasync of their own. This is
 * RabbitMQ's Ra WAL (one WAL for all quorum queues, segment files written behind it) and
 * BookKeeper's journal (one journal for all ledgers, entry logs flushed at checkpoints).
 *
 * A checkpoint (every `checkpointMs` while logs are written, every `checkpointBytes` journaled,
 * and at close) fdatasyncs each log written since the last one, then records the journal offset it
 * covers in data/journal/checkpoint and deletes the journal segments wholly below it. If a log's
 * checkpoint fdatasync fails, the checkpoint stops advancing for the rest of the run, so the
 * journal keeps that log's records and the next start restores them.
 */
export class Journal implements CommitJournal {
  private readonly dir: string;
  private readonly logDir: string;
  private readonly sealed: Segment[] = [];
  private next: number;
  /** Entry headers of the logs written since the last checkpoint, and of those written in the
   *  interval before it: a log not written for two checkpoints drops out, so a server that keeps
   *  creating and deleting durable queues does not keep a header for each one it ever saw. */
  private headers = new Map<string, Buffer>();
  private olderHeaders = new Map<string, Buffer>();
  /** Logs written since the last checkpoint. */
  private dirty = new Set<JournaledLog>();
  private failed: Error | null = null;
  private stuck = false;
  private queued: Promise<void> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private readonly segmentBytes: number;
  private readonly checkpointBytes: number;
  private bytesSinceCheckpoint = 0;
  readonly totals = { entries: 0, bytes: 0, checkpoints: 0, checkpointLogs: 0 };

  /** `active`: the empty segment recovery left at offset `checkpointed` (restoreFromJournal). */
  constructor(private readonly opts: JournalOptions, private active: Segment, private checkpointed: number) {
    this.dir = join(opts.dataDir, JOURNAL_DIR);
    this.logDir = join(this.dir, 'log');
    this.next = active.endOffset;
    this.segmentBytes = opts.segmentBytes ?? 64 * 1024 * 1024;
    this.checkpointBytes = opts.checkpointBytes ?? 256 * 1024 * 1024;
    this.timer = setInterval(() => { if (this.dirty.size > 0) this.checkpointQuietly(); }, opts.checkpointMs ?? 10_000);
    this.timer.unref();
  }

  /** Offset the next entry gets; every entry below it has been written to its log's segment. */
  get nextOffset(): number { return this.next; }
  /** Entries below this are durable in their logs (the checkpoint marker's offset). */
  get checkpointOffset(): number { return this.checkpointed; }

  /** CommitJournal: one buffer, one write, one fdatasync for every batch of a cycle. */
  append(batches: readonly CommitBatch[]): { durable: Promise<number> } {
    if (this.closed) throw new LogAppendError('the journal is closed');
    if (this.failed) throw new LogAppendError(`the journal failed earlier: ${this.failed.message}`);
    const { buffer, entries } = this.encode(batches);
    if (this.active.size > 0 && this.active.size + buffer.length > this.segmentBytes) this.roll();
    try {
      this.active.write([[buffer]], [this.next], [entries]);
    } catch (err) {
      this.fail(err as Error);
      throw err;
    }
    this.next += entries;
    for (const b of batches) this.dirty.add(b.log);
    this.totals.entries += entries;
    this.totals.bytes += buffer.length;
    this.bytesSinceCheckpoint += buffer.length;
    if (this.bytesSinceCheckpoint >= this.checkpointBytes) this.checkpointQuietly();
    const t0 = performance.now();
    const durable = this.active.syncData(this.opts.fdatasync).then(
      () => (performance.now() - t0) / 1000,
      (err: Error) => { this.fail(err); throw err; },
    );
    return { durable };
  }

  /** The cycle's entries, encoded one after another into one buffer (docs/storage.md). */
  private encode(batches: readonly CommitBatch[]): { buffer: Buffer; entries: number } {
    const entries: { pieces: Buffer[]; bytes: number }[] = [];
    let total = 0;
    for (const batch of batches) {
      const header = this.headerOf(batch.logDir);
      for (const group of groupRecords(batch.records)) {
        let payload = header.length;
        for (const buf of group) payload += buf.length;
        const bytes = recordSize(payload);
        entries.push({ pieces: [header, ...group], bytes });
        total += bytes;
      }
    }
    const buffer = Buffer.allocUnsafe(total);
    let pos = 0;
    entries.forEach((e, i) => { pos += encodeRecordInto(buffer, pos, this.next + i, 1, e.pieces); });
    return { buffer, entries: entries.length };
  }

  private headerOf(logDir: string): Buffer {
    let header = this.headers.get(logDir);
    if (!header) {
      header = this.olderHeaders.get(logDir) ?? entryHeader(journalKey(this.opts.dataDir, logDir));
      this.headers.set(logDir, header);
    }
    return header;
  }

  /** Entry headers cached now (at most the logs written in the last two checkpoint intervals). */
  get cachedHeaders(): number { return new Set([...this.headers.keys(), ...this.olderHeaders.keys()]).size; }

  /** Seal the active segment and start a new one (deleted once a checkpoint covers it). Journal
   *  cycles do not overlap, so no fdatasync of the old segment is running and the seal's own
   *  finds it clean. */
  private roll(): void {
    this.active.seal();
    this.sealed.push(this.active);
    this.active = Segment.create(this.logDir, this.next, JOURNAL_INDEX_INTERVAL, JOURNAL_MAX_RECORD);
    syncDir(this.logDir);
  }

  /** Checkpoint now (after any running one): see the class comment. Calls made before a queued
   *  checkpoint starts share it. */
  checkpoint(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.chain.then(() => { this.queued = null; return this.runCheckpoint(); });
    this.queued = run;
    this.chain = run.catch(() => undefined);
    return run;
  }

  private checkpointQuietly(): void {
    this.checkpoint().catch(() => { /* logged in runCheckpoint */ });
  }

  private async runCheckpoint(): Promise<void> {
    // Refused, not skipped: a caller about to delete a log's directory (Storage.checkpoint before a
    // purge or a topic deletion) must not go on as if the journal no longer held that log's
    // records — the next start would restore them into the deleted log.
    if (this.stuck) {
      throw new StorageError(`the journal's checkpoint failed earlier; it keeps every entry from offset ${this.checkpointed} ` +
        'until the next start restores them');
    }
    const upTo = this.next;
    if (upTo === this.checkpointed && this.dirty.size === 0) return;
    const t0 = performance.now();
    const logs = [...this.dirty];
    this.dirty = new Set();
    this.olderHeaders = this.headers;
    this.headers = new Map();
    this.bytesSinceCheckpoint = 0;
    const failure = await this.syncAll(logs);
    if (failure) {
      this.stuck = true;
      this.opts.logger.error({ err: failure, journal: this.dir, keptFrom: this.checkpointed },
        'journal checkpoint failed: the journal keeps every entry from its last checkpoint until the next start restores them');
      throw new StorageError(`journal checkpoint failed: ${failure.message}`, { cause: failure });
    }
    await writeCheckpoint(this.dir, upTo);
    this.checkpointed = upTo;
    const deletedSegments = await this.deleteCovered();
    this.totals.checkpoints++;
    this.opts.onCheckpoint?.({ upTo, logs: logs.length, deletedSegments, seconds: (performance.now() - t0) / 1000 });
  }

  /** fdatasync every log's segment, checkpointConcurrency() at a time; the first failure, if any. */
  private async syncAll(logs: readonly JournaledLog[]): Promise<Error | null> {
    let next = 0;
    let failure: Error | null = null;
    const worker = async () => {
      while (next < logs.length) {
        const log = logs[next++]!;
        try { await log.syncWritten(this.opts.fdatasync); } catch (err) { failure ??= err as Error; }
        this.totals.checkpointLogs++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(logs.length, checkpointConcurrency()) }, worker));
    return failure;
  }

  /** Delete sealed segments whose every entry lies below the checkpoint. */
  private async deleteCovered(): Promise<number> {
    const covered: Segment[] = [];
    while (this.sealed.length > 0 && this.sealed[0]!.endOffset <= this.checkpointed) covered.push(this.sealed.shift()!);
    if (covered.length === 0) return 0;
    await Promise.all(covered.map((segment) => segment.remove()));
    await syncDirAsync(this.logDir);
    return covered.length;
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    this.opts.logger.error({ err, journal: this.dir }, 'journal write failed: every later append fails until a restart');
  }

  /**
   * After every store closed (each fdatasynced its own segment): a last checkpoint covering the
   * whole journal, then a fresh empty segment, so a clean stop leaves nothing to replay.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      await this.checkpoint();
      if (!this.stuck && !this.failed && this.checkpointed === this.next && this.active.size > 0) {
        this.roll();
        await this.deleteCovered();
      }
    } finally {
      this.active.close();
      for (const s of this.sealed) s.close();
    }
  }
}
