import { fdatasync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

export const fdatasyncAsync = promisify(fdatasync);

/** A log that a journal covers between checkpoints (SegmentedLog). */
export interface JournaledLog {
  /** Checkpoint: fdatasync what has been written to the log's own files; fails the log if that fails. */
  syncWritten(fdatasync: (fd: number) => Promise<void>): Promise<void>;
}

/** One on-disk record as the pieces that make it when written back to back. */
export type EncodedRecord = readonly Buffer[];

/** Bytes of an encoded record. */
export function recordBytes(record: EncodedRecord): number {
  let bytes = 0;
  for (const piece of record) bytes += piece.length;
  return bytes;
}

/** One log's share of a commit cycle: the records it had pending, taken out of its queue. */
export interface CommitBatch {
  readonly log: JournaledLog;
  /** The log's directory: how the journal names it. */
  readonly logDir: string;
  /** The records encoded exactly as the log's segment holds them (docs/storage.md), in offset order;
   *  each record is the Buffers that, written one after another, make it (header, then payload). */
  readonly records: readonly EncodedRecord[];
  /** false under fsync=never: acknowledged once written, without an fdatasync. */
  readonly durable: boolean;
  /** Write the records to the log's own segment (synchronously); returns the file whose
   *  fdatasync covers them. Throws when writing fails. */
  write(): number;
  /** Acknowledge the batch (err null) or fail it; `fsyncSeconds` is the fdatasync that made it
   *  durable (the log's own, or the journal's), null without one. */
  settle(err: Error | null, fsyncSeconds: number | null): void;
}

/** A log that takes part in commit cycles (SegmentedLog). */
export interface CommitParticipant {
  /** Take every pending record for this cycle; null when none, or while an earlier batch of the
   *  log is still in a cycle. */
  takePending(): CommitBatch | null;
}

/**
 * A write-ahead journal in front of the logs (core/storage's Journal): the records of every log
 * in a cycle go to it in one write and are made durable by one fdatasync; each log's segment
 * gets the same bytes without an fdatasync of its own until a checkpoint.
 */
export interface CommitJournal {
  /** Write the batches' records in one write (throws if the journal cannot take them) and start
   *  the fdatasync that covers them; `durable` resolves with its duration in seconds. */
  append(batches: readonly CommitBatch[]): { durable: Promise<number> };
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
 * pending appends. Appends arriving meanwhile wait for a later cycle, so load turns into bigger
 * batches rather than more cycles. PostgreSQL's commit_delay gathers commits the same way.
 *
 * With a journal (useJournal, as a Storage does): a cycle with two or more logs writes every
 * log's records to the journal in one write, starts its one fdatasync, then writes each log's
 * segment while that runs, and acknowledges every log when it returns — one fdatasync for N logs,
 * as RabbitMQ's Ra WAL does for all quorum queues and BookKeeper's journal for all ledgers. A
 * cycle with a single log skips the journal and fdatasyncs that log's segment: the journal would
 * save no fdatasync there, only add a second copy of every byte (a lone ZooKeeper store keeps
 * its path as before). Nor does a cycle whose logs bring JOURNAL_BYPASS_AVERAGE_BYTES or more
 * each (Kafka partitions under a producer's large batches): there the second copy costs more than
 * the fdatasyncs it saves, so each log fdatasyncs its own segment, all of them concurrently, and
 * the next cycle may start meanwhile for the other logs, as without a journal. Cycles do not overlap: appends that arrive during the fdatasync form the
 * next cycle, started as soon as it returns (ZooKeeper's SyncRequestProcessor, Ra's WAL batches).
 *
 * Without one (a log opened on its own, or a Storage with the journal off): each log's segment
 * is written and fdatasynced, all of them concurrently on libuv's pool (UV_THREADPOOL_SIZE), and
 * each log is acknowledged when its own fdatasync returns; such cycles may overlap.
 */
/**
 * A cycle whose logs bring this many bytes each on average skips the journal. Measured with
 * bench:kafka-log (8 partitions, 16 KiB batches): past a few batches per log, copying every byte
 * into the journal and writing it twice costs more main-thread time than one fdatasync per log,
 * which runs on libuv's pool. Small appends to many logs (ZooKeeper, Nacos, Kafka at low rates)
 * stay well below it and keep one fdatasync per cycle.
 */
export const JOURNAL_BYPASS_AVERAGE_BYTES = 64 * 1024;

function averageBytes(batches: readonly CommitBatch[]): number {
  let bytes = 0;
  for (const b of batches) for (const record of b.records) bytes += recordBytes(record);
  return bytes / batches.length;
}

export class CommitScheduler {
  /** Logs waiting for a cycle → when their gathering delay ends (performance.now() ms). */
  private readonly waiting = new Map<CommitParticipant, number>();
  private timer: { due: number; cancel(): void } | null = null;
  readonly fdatasync: (fd: number) => Promise<void>;
  private journal: CommitJournal | null = null;
  /** With a journal: a cycle's fdatasync is running; a cycle due meanwhile runs when it returns. */
  private busy = false;
  /** Totals since creation (cycles run, fdatasyncs issued on the acknowledgement path). */
  readonly totals = { cycles: 0, fsyncs: 0 };

  constructor(private readonly opts: CommitSchedulerOptions = {}) {
    this.fdatasync = opts.fdatasync ?? fdatasyncAsync;
  }

  /** From now on, durable batches go through `journal` (one fdatasync per cycle). */
  useJournal(journal: CommitJournal): void { this.journal = journal; }

  /** Logs must fdatasync their own files when they close (the journal covered them until then). */
  get journaled(): boolean { return this.journal !== null; }

  /** Ask for a cycle that includes `log`, at most `delayMs` from now. */
  request(log: CommitParticipant, delayMs: number): void {
    const due = performance.now() + delayMs;
    const known = this.waiting.get(log);
    if (known !== undefined && known <= due) return;
    this.waiting.set(log, due);
    if (!this.busy && (!this.timer || due < this.timer.due)) this.startTimer(due);
  }

  /** After a cycle took the waiting logs: time the next one for those that asked meanwhile. */
  private rearm(): void {
    if (this.waiting.size === 0 || this.busy) return;
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

  private cycle(): void {
    if (this.busy) return; // rearmed when the running cycle's fdatasync returns
    const t0 = performance.now();
    const logs = [...this.waiting.keys()];
    this.waiting.clear();
    const batches: CommitBatch[] = [];
    try {
      for (const log of logs) {
        const batch = log.takePending();
        if (batch) batches.push(batch);
      }
    } finally {
      if (batches.length === 0) this.rearm();
    }
    if (batches.length === 0) return;
    this.totals.cycles++;
    const stats: CommitCycle = { logs: batches.length, records: 0, fsyncs: 0, failed: 0, seconds: 0 };
    for (const b of batches) stats.records += b.records.length;
    const done = () => { stats.seconds = (performance.now() - t0) / 1000; this.opts.onCycle?.(stats); };
    const durable = batches.filter((b) => b.durable);
    const large = durable.length > 1 && averageBytes(durable) >= JOURNAL_BYPASS_AVERAGE_BYTES;
    if (this.journal && durable.length > 1 && !large) {
      this.journalCycle(durable, stats, done);
      this.settleUnsynced(batches.filter((b) => !b.durable), stats);
    } else if (this.journal && !large) {
      this.busy = true;
      this.perLogCycle(batches, stats, () => { this.busy = false; this.rearm(); done(); });
    } else {
      this.rearm();
      this.perLogCycle(batches, stats, done);
    }
  }

  /** One journal write + one fdatasync for every batch; the segments are written meanwhile. */
  private journalCycle(batches: CommitBatch[], stats: CommitCycle, done: () => void): void {
    let durable: Promise<number>;
    try {
      durable = this.journal!.append(batches).durable;
    } catch (err) {
      for (const b of batches) b.settle(err as Error, null);
      stats.failed = batches.length;
      this.rearm();
      done();
      return;
    }
    this.busy = true;
    const writeErrors = batches.map((b) => { try { b.write(); return null; } catch (err) { return err as Error; } });
    const finish = (err: Error | null, seconds: number | null) => {
      this.busy = false;
      if (seconds !== null) { stats.fsyncs = 1; this.totals.fsyncs++; }
      batches.forEach((b, i) => {
        const failure = writeErrors[i] ?? err;
        if (failure) stats.failed++;
        b.settle(failure, failure ? null : seconds);
      });
      this.rearm();
      done();
    };
    durable.then((seconds) => finish(null, seconds), (err: Error) => finish(err, 0));
  }

  /** fsync=never batches in a journal cycle: written, acknowledged, no fdatasync. */
  private settleUnsynced(batches: CommitBatch[], stats: CommitCycle): void {
    for (const b of batches) {
      try { b.write(); b.settle(null, null); } catch (err) { stats.failed++; b.settle(err as Error, null); }
    }
  }

  /** Write every log's segment, then issue their fdatasyncs together; each log settles when its
   *  own returns. */
  private perLogCycle(batches: CommitBatch[], stats: CommitCycle, done: () => void): void {
    let open = batches.length;
    for (const batch of batches) {
      void this.writeAndSync(batch).then(({ err, seconds }) => {
        if (seconds !== null) { stats.fsyncs++; this.totals.fsyncs++; }
        if (err) stats.failed++;
        batch.settle(err, err ? null : seconds);
        if (--open === 0) done();
      });
    }
  }

  private async writeAndSync(batch: CommitBatch): Promise<{ err: Error | null; seconds: number | null }> {
    let fd: number;
    try { fd = batch.write(); } catch (err) { return { err: err as Error, seconds: null }; }
    if (!batch.durable) return { err: null, seconds: null };
    const t0 = performance.now();
    try {
      await this.fdatasync(fd);
      return { err: null, seconds: (performance.now() - t0) / 1000 };
    } catch (err) {
      return { err: err as Error, seconds: (performance.now() - t0) / 1000 };
    }
  }
}
