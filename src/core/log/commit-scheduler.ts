import { fdatasync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const fdatasyncAsync = promisify(fdatasync);

/** One log's share of a commit cycle: its pending records, already written. */
export interface CommitBatch {
  /** File to fdatasync before acknowledging; null when none is needed (fsync=never). */
  fd: number | null;
  records: number;
  /** Set when writing the records failed: the batch fails without an fdatasync. */
  writeError?: Error;
  /** Acknowledge the batch (err null) or fail it; `fsyncSeconds` is null without an fdatasync. */
  settle(err: Error | null, fsyncSeconds: number | null): void;
}

/** A log that takes part in commit cycles (SegmentedLog). */
export interface CommitParticipant {
  /** Take every pending record and write it (synchronously); null when nothing is pending. */
  writePending(): CommitBatch | null;
}

/** What one cycle did, for tests and benchmarks. */
export interface CommitCycle { logs: number; records: number; fsyncs: number; failed: number; seconds: number }

export interface CommitSchedulerOptions {
  /** The fdatasync to issue (injected by tests to count or fail them); default fs.fdatasync. */
  fdatasync?: (fd: number) => Promise<void>;
  /** Called after every cycle. */
  onCycle?: (cycle: CommitCycle) => void;
}

/**
 * Group commit across many logs. A log with pending appends asks for a cycle, within its own
 * gathering delay (0 for fsync=always|never and for ZooKeeper's store, `batchDelayMs` for
 * fsync=batch); the cycle starts when the earliest of those is due and takes *every* log with
 * pending appends: it writes each one's records (writev) and issues all their fdatasyncs at once,
 * concurrently, so the file system folds them into few journal commits. Each log is acknowledged
 * when its own fdatasync returns, or failed if it failed; appends arriving meanwhile wait for a
 * later cycle, so load turns into bigger batches rather than more cycles.
 *
 * A log is in at most one cycle at a time, but cycles may overlap: a cycle does not wait for the
 * slowest fdatasync of the previous one before taking the logs that are ready, which keeps the
 * fdatasync threads (libuv's pool, UV_THREADPOOL_SIZE) busy instead of idle at every barrier.
 *
 * A Storage shares one scheduler among all its logs; a log opened on its own gets a private one
 * (one cycle per log, the behaviour before core/storage existed). PostgreSQL's commit_delay
 * gathers commits the same way, for one WAL.
 */
export class CommitScheduler {
  /** Logs waiting for a cycle → when their gathering delay ends (performance.now() ms). */
  private readonly waiting = new Map<CommitParticipant, number>();
  private timer: { due: number; cancel(): void } | null = null;
  private readonly fdatasync: (fd: number) => Promise<void>;
  /** Totals since creation (cycles run, fdatasyncs issued). */
  readonly totals = { cycles: 0, fsyncs: 0 };

  constructor(private readonly opts: CommitSchedulerOptions = {}) {
    this.fdatasync = opts.fdatasync ?? fdatasyncAsync;
  }

  /** Ask for a cycle that includes `log`, at most `delayMs` from now. */
  request(log: CommitParticipant, delayMs: number): void {
    const due = performance.now() + delayMs;
    const known = this.waiting.get(log);
    if (known !== undefined && known <= due) return;
    this.waiting.set(log, due);
    if (!this.timer || due < this.timer.due) this.startTimer(due);
  }

  /** After a cycle took the waiting logs: time the next one for those that asked meanwhile. */
  private rearm(): void {
    if (this.waiting.size === 0) return;
    let due = Infinity;
    for (const d of this.waiting.values()) if (d < due) due = d;
    if (!this.timer || due < this.timer.due) this.startTimer(due);
  }

  private startTimer(due: number): void {
    this.timer?.cancel();
    const run = () => { this.timer = null; this.cycle(); };
    const delay = due - performance.now();
    if (delay <= 0) {
      const handle = setImmediate(run);
      this.timer = { due, cancel: () => clearImmediate(handle) };
    } else {
      const handle = setTimeout(run, delay);
      this.timer = { due, cancel: () => clearTimeout(handle) };
    }
  }

  /** Write every waiting log, then issue their fdatasyncs together; each log settles when its
   *  own returns. */
  private cycle(): void {
    const t0 = performance.now();
    const logs = [...this.waiting.keys()];
    this.waiting.clear();
    const batches: CommitBatch[] = [];
    try {
      for (const log of logs) {
        const batch = log.writePending();
        if (batch) batches.push(batch);
      }
    } finally {
      this.rearm();
    }
    if (batches.length === 0) return;
    this.totals.cycles++;
    const stats: CommitCycle = { logs: batches.length, records: 0, fsyncs: 0, failed: 0, seconds: 0 };
    let open = batches.length;
    for (const batch of batches) {
      stats.records += batch.records;
      void this.sync(batch).then(({ err, seconds }) => {
        if (seconds !== null) { stats.fsyncs++; this.totals.fsyncs++; }
        if (err) stats.failed++;
        batch.settle(err, seconds);
        if (--open === 0) {
          stats.seconds = (performance.now() - t0) / 1000;
          this.opts.onCycle?.(stats);
        }
      });
    }
  }

  private async sync(batch: CommitBatch): Promise<{ err: Error | null; seconds: number | null }> {
    if (batch.writeError) return { err: batch.writeError, seconds: null };
    if (batch.fd === null) return { err: null, seconds: null };
    const t0 = performance.now();
    try {
      await this.fdatasync(batch.fd);
      return { err: null, seconds: (performance.now() - t0) / 1000 };
    } catch (err) {
      return { err: err as Error, seconds: (performance.now() - t0) / 1000 };
    }
  }
}
