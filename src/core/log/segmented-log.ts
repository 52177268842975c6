import { mkdirSync, statSync } from 'node:fs';
import { deferred, type Deferred } from '../deferred.js';
import { JunctionError, RecoveryRefused, StorageError } from '../errors.js';
import { removeCleanStop, writeCleanStop } from './clean-stop.js';
import { CommitScheduler, type CommitBatch, type CommitParticipant, type EncodedRecord } from './commit-scheduler.js';
import { compactInPlace, gapsCover, mergeGaps, type MergingLog, removeGapLeftovers, type SegmentCompaction } from './compact-segments.js';
import { syncDir, syncDirAsync } from './dir-sync.js';
import { encodeRecordHeader, isGapPayload, recordSize } from './record.js';
import { assessRecovery, loadLog } from './recovery.js';
import { Segment } from './segment.js';
import type { AppendLog, FsyncPolicy, LogOptions, LogRecord, RecoveryReport } from './types.js';

/** An append waiting for its cycle: the record as its header and the caller's payload (written
 *  with writev, the payload is never copied), its size on disk, and its promise's settlers (null
 *  for appendShared: the batch's shared promise settles it). */
interface Pending { record: EncodedRecord; size: number; offset: number; span: number; resolve: ((offset: number) => void) | null; reject: ((e: Error) => void) | null }

/** The one promise of every appendShared() of a batch: settled when the batch is. */
type SharedOutcome = Deferred<void>;

/** The log refused an append (payload too large, log closed or failed). */
export class LogAppendError extends JunctionError {
  constructor(message: string, options?: { cause?: unknown }) { super('LOG_APPEND', message, options); }
}

interface Tuning {
  fsync: FsyncPolicy; segmentBytes: number; indexIntervalBytes: number; maxRecordBytes: number; batchDelayMs: number;
  onFsync: ((seconds: number) => void) | undefined;
  logger: LogOptions['logger'];
}

/**
 * Segmented append-only log with group commit (see types.ts for the contract and
 * docs/storage.md for the format and the recovery rules). Appends are encoded at once and
 * queued; a commit cycle (CommitScheduler, possibly shared with other logs) writes every queued
 * record with one writev and covers them with one fdatasync, then resolves them in order.
 * Appends arriving during an fsync wait for the next cycle, so load turns into larger batches
 * rather than more fsyncs.
 */
export class SegmentedLog implements AppendLog, CommitParticipant {
  private segments: Segment[];
  private pending: Pending[] = [];
  /** The pending batch's shared promise, made by its first appendShared(). */
  private pendingShared: SharedOutcome | null = null;
  /** The batch of the current cycle: written, waiting for its fdatasync. */
  private inFlight: Pending[] | null = null;
  private idleWaiters: Array<() => void> = [];
  private rollRequested = false;
  private closed = false;
  private failed: Error | null = null;
  /** accept() ran: the files are ours to change. */
  private accepted = false;
  private next: number;
  /** End of the acknowledged records: readers never see a record before its append resolved,
   *  so nothing read (e.g. by a Kafka consumer) can vanish in a crash. */
  private acked: number;
  private readonly opts: Tuning;
  private readonly scheduler: CommitScheduler;

  private constructor(private readonly dir: string, segments: Segment[], readonly recovery: RecoveryReport, opts: LogOptions) {
    this.segments = segments;
    this.next = recovery.nextOffset;
    this.acked = recovery.nextOffset;
    this.opts = {
      fsync: opts.fsync, segmentBytes: opts.segmentBytes ?? 64 * 1024 * 1024, indexIntervalBytes: opts.indexIntervalBytes ?? 4096,
      maxRecordBytes: opts.maxRecordBytes ?? 16 * 1024 * 1024, batchDelayMs: opts.batchDelayMs ?? 2, onFsync: opts.onFsync,
      logger: opts.logger,
    };
    this.scheduler = opts.scheduler ?? new CommitScheduler();
  }

  /** Open (or create) the log in `dir` for reading and appending: prepare(), then accept(). */
  static async open(dir: string, opts: LogOptions): Promise<SegmentedLog> {
    const log = SegmentedLog.prepare(dir, opts);
    log.accept();
    return log;
  }

  /**
   * Recovery without changing anything yet. It inspects the files; if it finds damage other
   * than a torn tail, or the log no longer holds what opts.requirements or its clean-stop marker
   * say was seen, it throws RecoveryRefused. Otherwise the log can be read (a DurableStore
   * replays it) but not appended to until accept(); close() before accept() leaves every file as
   * it was, so damage found by replay also changes nothing.
   */
  static prepare(dir: string, opts: LogOptions): SegmentedLog {
    const { inspection, segments } = loadLog(dir, {
      indexIntervalBytes: opts.indexIntervalBytes ?? 4096, maxRecordBytes: opts.maxRecordBytes ?? 16 * 1024 * 1024,
    });
    const verdict = assessRecovery(inspection, opts.requirements);
    if (verdict.problems.length > 0) throw new RecoveryRefused(dir, verdict.problems);
    const active = segments[segments.length - 1]!;
    const cut = verdict.tornTail;
    // Readers stop where the valid records end; the bytes after stay on disk until accept().
    if (cut) active.size = cut.position;
    const recovery: RecoveryReport = {
      segments: inspection.segments.length, truncatedBytes: cut?.bytes ?? 0, tornTail: cut,
      cleanStop: inspection.cleanStop !== null, nextOffset: active.endOffset, superseded: inspection.superseded,
    };
    return new SegmentedLog(dir, segments, recovery, { ...opts });
  }

  /**
   * Make the recovered log appendable: cut the torn tail (logged), write indexes rebuilt by
   * scans, and remove the clean-stop marker, since appends are about to resume.
   */
  accept(): void {
    if (this.accepted) return;
    if (this.closed) throw new LogAppendError(`log ${this.dir} is closed`);
    mkdirSync(this.dir, { recursive: true });
    for (const seg of this.segments.slice(0, -1)) seg.persistIndex();
    this.active.openForAppend();
    const cut = this.recovery.tornTail;
    if (cut) this.opts.logger?.warn({ file: cut.file, position: cut.position, bytes: cut.bytes }, 'cut a torn log tail');
    removeCleanStop(this.dir);
    removeGapLeftovers(this.dir, this.recovery.superseded);
    syncDir(this.dir);
    this.accepted = true;
  }

  get startOffset(): number { return this.segments[0]!.baseOffset; }
  /** Bytes and creation time of the segment appends go to (a time-based roll looks at them). */
  get activeSegment(): { bytes: number; createdMs: number } { return { bytes: this.active.size, createdMs: this.active.createdMs }; }

  /** The next cycle's write starts a new segment if the active one holds anything (Kafka's
   *  time-based roll, segment.ms, decided by the caller). */
  rollAtNextWrite(): void { this.rollRequested = true; }

  /** Roll at a new size from the next write on (Kafka's segment.bytes changed by AlterConfigs). */
  setSegmentBytes(bytes: number): void { this.opts.segmentBytes = bytes; }
  /** First offset of each segment, oldest first (Kafka's producer-state rebuild reads only the last two). */
  get segmentBases(): number[] { return this.segments.map((s) => s.baseOffset); }
  get nextOffset(): number { return this.next; }
  private get active(): Segment { return this.segments[this.segments.length - 1]!; }

  append(payload: Buffer | readonly Buffer[], span = 1): Promise<number> {
    const pieces = Buffer.isBuffer(payload) ? [payload] : payload;
    const refused = this.refusal(pieces, span);
    if (refused) return Promise.reject(refused);
    return new Promise((resolve, reject) => this.enqueue(pieces, span, resolve, reject));
  }

  /**
   * Append one record (span 1) at nextOffset, read before the call, like append(); the promise
   * returned is shared by every appendShared() that joins the same commit batch and resolves when
   * the batch is durable. For a caller appending per message (an AMQP queue), this saves a promise
   * and two closures per record.
   */
  appendShared(pieces: readonly Buffer[]): Promise<void> {
    const refused = this.refusal(pieces, 1);
    if (refused) return Promise.reject(refused);
    const shared = this.pendingShared ??= deferred<void>();
    this.enqueue(pieces, 1, null, null);
    return shared.promise;
  }

  /** End of the records known durable: every append below it has resolved. */
  get durableEnd(): number { return this.acked; }

  /** Why an append cannot be taken, or null. */
  private refusal(pieces: readonly Buffer[], span: number): LogAppendError | null {
    if (this.closed) return new LogAppendError(`log ${this.dir} is closed`);
    if (!this.accepted) return new LogAppendError(`log ${this.dir} is not accepted yet (call accept() after replay)`);
    if (this.failed) return new LogAppendError(`log ${this.dir} failed earlier: ${this.failed.message}`);
    let bytes = 0;
    for (const piece of pieces) bytes += piece.length;
    if (bytes > this.opts.maxRecordBytes) return new LogAppendError(`record of ${bytes} bytes exceeds the ${this.opts.maxRecordBytes}-byte limit`);
    // span is a u32 on disk
    if (!Number.isInteger(span) || span < 1 || span > 0xffff_ffff) return new LogAppendError(`span must be an integer in 1..${0xffff_ffff}, got ${span}`);
    return null;
  }

  private enqueue(pieces: readonly Buffer[], span: number, resolve: Pending['resolve'], reject: Pending['reject']): void {
    const offset = this.next;
    this.next += span;
    let bytes = 0;
    for (const piece of pieces) bytes += piece.length;
    this.pending.push({ record: [encodeRecordHeader(offset, span, pieces), ...pieces], size: recordSize(bytes), offset, span, resolve, reject });
    // A log in a cycle asks again when that cycle settles it.
    if (this.pending.length === 1 && !this.inFlight) this.scheduler.request(this, this.gatherDelay());
  }

  private gatherDelay(): number {
    return this.opts.fsync === 'batch' ? this.opts.batchDelayMs : 0;
  }

  /** CommitParticipant: hand what is pending to a cycle, which writes it (journal and/or
   *  segment), makes it durable and settles it. */
  takePending(): CommitBatch | null {
    if (this.pending.length === 0 || this.inFlight) return null;
    if (this.failed) {
      this.rejectPending(this.failed);
      return null;
    }
    const batch = this.pending;
    const shared = this.pendingShared;
    this.pending = [];
    this.pendingShared = null;
    this.inFlight = batch;
    return {
      log: this, logDir: this.dir, records: batch.map((p) => p.record), durable: this.opts.fsync !== 'never',
      write: () => {
        this.writeBatch(batch);
        return this.active.writeFd!;
      },
      settle: (err, seconds) => this.settle(batch, shared, err, seconds),
    };
  }

  /**
   * JournaledLog: a journal checkpoint makes what the journal covered durable in the log's own
   * file. Sealed segments were fdatasynced when they were rolled; the active one is synced here.
   * A failure fails the log as a failed commit does (the pages may be gone, fsyncgate); the
   * journal still holds the records, so the next start restores them.
   */
  async syncWritten(fdatasync: (fd: number) => Promise<void>): Promise<void> {
    if (this.failed) throw new LogAppendError(`log ${this.dir} failed earlier: ${this.failed.message}`);
    try {
      await this.active.syncData(fdatasync);
    } catch (err) {
      this.failed ??= err as Error;
      throw new LogAppendError(`log ${this.dir}: checkpoint fdatasync failed: ${(err as Error).message}`, { cause: err });
    }
  }

  private settle(batch: Pending[], shared: SharedOutcome | null, err: Error | null, fsyncSeconds: number | null): void {
    this.inFlight = null;
    if (err) {
      // A failed write or fsync leaves the file in an unknown state: refuse further appends
      // rather than acknowledge anything that may not be on disk (fsyncgate).
      this.failed = err;
      const failure = new LogAppendError(`log write failed: ${err.message}`, { cause: err });
      for (const p of batch) p.reject?.(failure);
      shared?.reject(failure);
      this.rejectPending(err);
    } else {
      if (fsyncSeconds !== null) this.opts.onFsync?.(fsyncSeconds);
      const last = batch[batch.length - 1]!;
      this.acked = last.offset + last.span;
      for (const p of batch) p.resolve?.(p.offset);
      shared?.resolve();
    }
    if (this.pending.length > 0) this.scheduler.request(this, this.gatherDelay());
    else for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private rejectPending(err: Error): void {
    const failure = new LogAppendError(`log write failed: ${err.message}`, { cause: err });
    for (const p of this.pending.splice(0)) p.reject?.(failure);
    this.pendingShared?.reject(failure);
    this.pendingShared = null;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Write a batch, rolling to new segments on the way so none grows past segmentBytes. */
  private writeBatch(batch: Pending[]): void {
    if (this.rollRequested) {
      this.rollRequested = false;
      if (this.active.size > 0) this.roll(batch[0]!.offset);
    }
    let i = 0;
    while (i < batch.length) {
      let room = this.opts.segmentBytes - this.active.size;
      if (room <= 0 || (this.active.size > 0 && batch[i]!.size > room)) {
        this.roll(batch[i]!.offset);
        room = this.opts.segmentBytes;
      }
      let j = i;
      let bytes = 0;
      // Always take at least one record, even one larger than a segment.
      while (j < batch.length && (j === i || bytes + batch[j]!.size <= room)) bytes += batch[j++]!.size;
      const group = batch.slice(i, j);
      this.active.write(group.map((p) => p.record), group.map((p) => p.offset), group.map((p) => p.span));
      i = j;
    }
  }

  private roll(baseOffset: number): void {
    this.active.seal();
    this.segments.push(Segment.create(this.dir, baseOffset, this.opts.indexIntervalBytes, this.opts.maxRecordBytes));
    syncDir(this.dir);
  }

  async read(fromOffset: number, maxBytes = 1024 * 1024): Promise<LogRecord[]> {
    const out: LogRecord[] = [];
    let bytes = 0;
    for (const record of this.recordsFrom(fromOffset)) {
      if (out.length > 0 && bytes + record.payload.length > maxBytes) break;
      out.push(record);
      bytes += record.payload.length;
    }
    return out;
  }

  async *replay(fromOffset = this.startOffset): AsyncIterable<LogRecord> {
    yield* this.recordsFrom(fromOffset);
  }

  /** Acknowledged records whose range ends after fromOffset, segment by segment. */
  private *recordsFrom(fromOffset: number): Generator<LogRecord> {
    const end = this.acked;
    const first = Math.max(0, this.segments.findIndex((s) => s.endOffset > fromOffset));
    for (let i = first; i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      if (seg.endOffset <= fromOffset) continue;
      for (const item of seg.records(seg.positionFor(fromOffset), Infinity)) {
        if (item.stop) {
          throw new StorageError(`${seg.path}: record at byte ${item.position} is unreadable (${item.stop}); nothing was changed, ` +
            'run `junction data check` for details');
        }
        const { offset, span, payload } = item.record;
        if (offset >= end) return;
        if (offset + span > fromOffset && !isGapPayload(payload)) yield { offset, span, payload };
      }
    }
  }

  async deleteBefore(offset: number): Promise<number> {
    const gone: Segment[] = [];
    while (this.segments.length > 1 && this.segments[0]!.endOffset <= offset) gone.push(this.segments.shift()!);
    return this.removeSegments(gone);
  }

  /**
   * Compaction beyond a prefix (compact-segments.ts; docs/storage.md, "Gap records"): every closed,
   * acknowledged segment for whose offsets `isDead(base, end)` says no record is needed any more
   * becomes one gap record spanning them. With `keepIn`, a segment that is not dead but for which
   * `keepIn(base, end, bytes)` names the offsets still needed (ascending) is rewritten with only
   * those records, gap records in between; null leaves it whole. Segments already gaps are
   * skipped, and so is a rewritten one until fewer of its records are to be kept. Then adjacent
   * gap segments are merged into one (mergeGaps). Calls run one after another. Returns how many
   * segments were replaced (merges not counted).
   */
  compactSegments(isDead: (from: number, to: number) => boolean,
    keepIn?: (from: number, to: number, bytes: number) => readonly number[] | null): Promise<number> {
    const run = async () => {
      if (!this.accepted || this.closed || this.failed) return 0;
      const plans: SegmentCompaction[] = [];
      for (const segment of this.segments.slice(0, -1)) {
        if (segment.endOffset > this.acked || segment.isGap()) continue;
        if (isDead(segment.baseOffset, segment.endOffset)) { plans.push({ segment, keep: [] }); continue; }
        const keep = keepIn?.(segment.baseOffset, segment.endOffset, segment.size);
        if (keep && keep.length > 0 && keep.length !== this.keptRecords.get(segment)) plans.push({ segment, keep });
      }
      const log: MergingLog = {
        dir: this.dir, indexIntervalBytes: this.opts.indexIntervalBytes, maxRecordBytes: this.opts.maxRecordBytes,
        holds: (seg) => !this.closed && this.segments.includes(seg),
        swap: (old, next, kept) => {
          this.segments[this.segments.indexOf(old)] = next;
          if (kept > 0) this.keptRecords.set(next, kept);
        },
        unchanged: (segment, kept) => { this.keptRecords.set(segment, kept); },
        merge: (run, gap) => { this.segments.splice(this.segments.indexOf(run[0]!), run.length, gap); },
      };
      const replaced = plans.length === 0 ? 0 : await compactInPlace(log, plans);
      if (!this.closed) await mergeGaps(log, this.segments.slice(0, -1));
      return replaced;
    };
    const next = this.compaction.then(run);
    this.compaction = next.catch(() => 0);
    return next;
  }

  /** How many offsets the last compactSegments() of a rewritten segment (or of one a rewrite would
   *  not have shrunk) was asked to keep: asked to keep as many again, nothing was removed since
   *  and the file is not read again. */
  private readonly keptRecords = new WeakMap<Segment, number>();

  /** The running compactSegments() call, if any. */
  private compaction: Promise<number> = Promise.resolve(0);

  /** Whether no record with an offset in [from, to) can be read again: each lies below the log's
   *  start or in a gap (compactSegments), durable once its compactSegments() call returned. */
  gapsCover(from: number, to: number): boolean { return gapsCover(this.segments, from, to); }

  /** Bytes of every segment file. */
  get sizeBytes(): number {
    return this.segments.reduce((sum, seg) => sum + seg.size, 0);
  }

  /**
   * Retention: delete whole closed segments, oldest first, while the log is larger than
   * `maxBytes` or while the oldest was last written more than `maxAgeMs` before `now` (Kafka's
   * retention.bytes and retention.ms per partition; the age is the segment file's modification
   * time, i.e. when its last record was written). The active segment is never deleted.
   */
  async retain(policy: { maxBytes?: number; maxAgeMs?: number; now?: number }): Promise<number> {
    const now = policy.now ?? Date.now();
    let size = this.sizeBytes;
    const gone: Segment[] = [];
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      const tooBig = policy.maxBytes !== undefined && size > policy.maxBytes;
      const tooOld = policy.maxAgeMs !== undefined && now - statSync(oldest.path).mtimeMs > policy.maxAgeMs;
      if (!tooBig && !tooOld) break;
      size -= oldest.size;
      gone.push(this.segments.shift()!);
    }
    return this.removeSegments(gone);
  }

  /** Delete segments already taken out of the list (readers no longer see them), off the event
   *  loop, then make the deletions durable. */
  private async removeSegments(gone: Segment[]): Promise<number> {
    if (gone.length === 0) return 0;
    await Promise.all(gone.map((s) => s.remove()));
    await syncDirAsync(this.dir);
    return gone.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.pending.length > 0 || this.inFlight) {
      const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      if (this.pending.length > 0 && !this.inFlight) this.scheduler.request(this, 0);
      await idle;
    }
    const fd = this.active.writeFd;
    if (this.accepted && fd !== null && !this.failed) {
      // Under fsync=never, and while a journal covered the log, the segment was not fdatasynced
      // by the commit cycles: make it durable before saying it stopped cleanly.
      if (this.opts.fsync === 'never' || this.scheduler.journaled) {
        try {
          await this.scheduler.fdatasync(fd);
        } catch (err) {
          // No clean-stop marker; a journal checkpoint sees the failure and keeps the records.
          this.failed = err as Error;
          for (const s of this.segments) s.close();
          throw new LogAppendError(`log ${this.dir}: fdatasync at close failed: ${(err as Error).message}`, { cause: err });
        }
      }
      // Every record is durable and acknowledged: say so for the next open (docs/storage.md).
      await writeCleanStop(this.dir, { segmentBase: this.active.baseOffset, segmentBytes: this.active.size, nextOffset: this.next });
    }
    for (const s of this.segments) s.close();
  }
}
