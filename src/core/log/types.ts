import type { Logger } from '../logger.js';
import type { CommitScheduler } from './commit-scheduler.js';
import type { LogRequirements } from './recovery.js';

/**
 * Contract of the segmented append-only log (core/log). One instance per stream of records:
 * the Nacos command log, the auth command log, later a ZooKeeper txn log, a Kafka partition,
 * an AMQP queue. See docs/storage.md for the on-disk format.
 */
export type FsyncPolicy = 'always' | 'batch' | 'never';

export interface LogOptions {
  /** always: one fdatasync per flush cycle (group commit), resolve after it.
   *  batch: like always, but a cycle waits up to batchDelayMs to gather more appends.
   *  never: resolve once written to the OS (survives kill -9, not power loss). */
  fsync: FsyncPolicy;
  /** Roll to a new segment file once the active one reaches this size. Default 64 MiB. */
  segmentBytes?: number;
  /** Add a sparse index entry every this many bytes of records. Default 4 KiB. */
  indexIntervalBytes?: number;
  /** Largest payload accepted by append(); larger ones throw. Default 16 MiB. */
  maxRecordBytes?: number;
  /** For fsync=batch: how long a flush cycle waits to gather appends. Default 2 ms. */
  batchDelayMs?: number;
  /** Called with the duration of every fdatasync, in seconds (for metrics). */
  onFsync?: (seconds: number) => void;
  /** Commit cycles shared with other logs (core/storage); default: a private one. */
  scheduler?: CommitScheduler;
  /** What the owner has seen of this log (its snapshots): open refuses a log that does not
   *  hold it, before changing anything. */
  requirements?: LogRequirements;
  /** Where a cut torn tail is reported (a warning naming the file and the bytes). */
  logger?: Logger;
}

export interface LogRecord {
  /** First logical offset the record covers. */
  offset: number;
  /** How many logical offsets the record covers (1 for a command; a Kafka batch covers many). */
  span: number;
  payload: Buffer;
}

export interface RecoveryReport {
  /** Segments found on open. */
  segments: number;
  /** Bytes cut from the tail of the last segment: a torn last write (0 when none). */
  truncatedBytes: number;
  /** Where that cut was made. */
  tornTail: { file: string; position: number; bytes: number } | null;
  /** The previous run closed the log cleanly (its clean-stop marker was found). */
  cleanStop: boolean;
  /** Offset the next append will get. */
  nextOffset: number;
  /** Gap segment files a merge of gaps had replaced when the process stopped (deleted by accept). */
  superseded: string[];
}

export interface AppendLog {
  readonly startOffset: number;
  readonly nextOffset: number;
  readonly recovery: RecoveryReport;
  /** Append one record; resolves with its offset once durable under the fsync policy.
   *  The offset is assigned synchronously, so append order is offset order. `payload` is written
   *  as it is, not copied: it must not change until the append settles. Pieces are one payload,
   *  their concatenation, written with the header by one writev (no copy of a message body). */
  append(payload: Buffer | readonly Buffer[], span?: number): Promise<number>;
  /** Acknowledged records (their append has resolved) whose offset range ends after
   *  `fromOffset`, in order, up to maxBytes of payload (at least one record is returned if any
   *  exists). A record written but not yet durable is never returned. */
  read(fromOffset: number, maxBytes?: number): Promise<LogRecord[]>;
  /** Every acknowledged record from `fromOffset` on, for replay at start. */
  replay(fromOffset?: number): AsyncIterable<LogRecord>;
  /** Retention / compaction hook: delete whole segments that lie entirely below `offset`. */
  deleteBefore(offset: number): Promise<number>;
  /** Flush and fsync what is pending, write the clean-stop marker, then close files. */
  close(): Promise<void>;
}
