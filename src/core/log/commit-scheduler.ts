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
 * pending appends: it writes each one's records (writev), issues all their fdatasyncs at once
 * (concurrently, so the file system can fold them into few journal commits), then settles each
 * log — acknowledged if its own fdatasync succeeded, failed otherwise. Appends arriving meanwhile
 * wait for the next cycle, so load turns into bigger batches rather than more cycles.
 *
 * A Storage shares one scheduler among all its logs; a log opened on its own gets a private one
 * (one cycle per log, the behaviour before core/storage existed). Kafka's equivalent is the
 * per-partition flush of `log.flush.interval.messages`; PostgreSQL's commit_delay gathers
 * commits the same way, for one WAL.
 */
export class CommitScheduler {
  /** Logs waiting for a cycle → when their gathering delay ends (performance.now() ms). */
  private readonly waiting = new Map<CommitParticipant, number>();
  private running = false;
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
    if (known === undefined || due < known) this.waiting.set(log, due);
    this.arm();
  }

  private arm(): void {
    if (this.running || this.waiting.size === 0) return;
    let due = Infinity;
    for (const d of this.waiting.values()) if (d < due) due = d;
    if (this.timer && this.timer.due <= due) return;
    this.timer?.cancel();
    const run = () => { this.timer = null; void this.cycle(); };
    const delay = due - performance.now();
    if (delay <= 0) {
      const handle = setImmediate(run);
      this.timer = { due, cancel: () => clearImmediate(handle) };
    } else {
      const handle = setTimeout(run, delay);
      this.timer = { due, cancel: () => clearTimeout(handle) };
    }
  }

  private async cycle(): Promise<void> {
    this.running = true;
    const t0 = performance.now();
    const logs = [...this.waiting.keys()];
    this.waiting.clear();
    try {
      const batches: CommitBatch[] = [];
      for (const log of logs) {
        const batch = log.writePending();
        if (batch) batches.push(batch);
      }
      const outcomes = await Promise.all(batches.map((b) => this.sync(b)));
      let records = 0, fsyncs = 0, failed = 0;
      batches.forEach((batch, i) => {
        const { err, seconds } = outcomes[i]!;
        records += batch.records;
        if (seconds !== null) fsyncs++;
        if (err) failed++;
        batch.settle(err, seconds);
      });
      this.totals.cycles++;
      this.totals.fsyncs += fsyncs;
      this.opts.onCycle?.({ logs: batches.length, records, fsyncs, failed, seconds: (performance.now() - t0) / 1000 });
    } finally {
      this.running = false;
      this.arm();
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
