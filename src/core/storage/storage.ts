import { join } from 'node:path';
import { StorageError } from '../errors.js';
import { CommitScheduler, type CommitSchedulerOptions } from '../log/commit-scheduler.js';
import { SegmentedLog } from '../log/segmented-log.js';
import type { AppendLog, FsyncPolicy, LogOptions } from '../log/types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/registry.js';
import { DurableStore, type DurableStoreOptions } from '../state/durable-store.js';
import type { Command, StateMachine } from '../state/state-machine.js';
import { inspectJournal } from './journal/inspect.js';
import { JOURNAL_DIR, Journal, type JournalCheckpoint, type JournalSettings } from './journal/journal.js';
import { restoreFromJournal } from './journal/restore.js';

export interface StorageOptions {
  /** The data directory: stores live in <dataDir>/<name>/ (docs/storage.md). */
  dataDir: string;
  /** --fsync: when an append is acknowledged (README, docs/storage.md). */
  fsync: FsyncPolicy;
  logger: Logger;
  /** fdatasync durations are observed in junction_log_fsync_seconds{store=<metric label>}. */
  metrics?: Metrics;
  /** Under fsync=batch, how long a commit cycle waits to gather appends (default 2 ms). */
  batchDelayMs?: number;
  /** Hooks into the shared commit cycles (tests and benchmarks count or fail them). */
  commit?: CommitSchedulerOptions;
  /** The shared journal (docs/storage.md, "Journal"): on unless `enabled: false` (each log then
   *  fdatasyncs its own file every cycle, the layout before the journal); never used with
   *  fsync=never, which fdatasyncs nothing per cycle. A journal left by an earlier run is
   *  replayed either way. */
  journal?: JournalSettings & { enabled?: boolean; onCheckpoint?: (checkpoint: JournalCheckpoint) => void };
}

/** Log tuning a store may set; batchDelayMs overrides the Storage's (ZooKeeper's store: 0). */
export type LogTuning = Partial<Pick<LogOptions, 'segmentBytes' | 'indexIntervalBytes' | 'maxRecordBytes' | 'batchDelayMs'>>;

export interface StoreOptions {
  /** Directory to use instead of <dataDir>/<name> (e.g. a zoo.cfg dataDir). */
  dir?: string;
  /** Label of the fsync histogram; default the name's first part ('kafka/orders-0' → 'kafka'),
   *  so a thousand partitions do not make a thousand series. */
  metricLabel?: string;
  log?: LogTuning;
}

export interface CommandStoreOptions extends StoreOptions {
  /** Snapshot after this many durable commands (default 50,000). */
  snapshotEvery?: number;
  /** Snapshot images kept (default 2). */
  snapshotRetain?: number;
}

/**
 * A log of opaque records kept byte for byte (Kafka record batches, AMQP message bodies):
 * append(bytes, span) resolves with the record's first offset once durable under the fsync
 * policy; read(from, maxBytes) returns acknowledged records with their bytes exactly as
 * appended; deleteBefore/retain drop whole old segments. Same segment format and recovery rules
 * as every other log (docs/storage.md).
 */
export interface RawLog extends AppendLog {
  /** Bytes of all segment files. */
  readonly sizeBytes: number;
  /** First offset of each segment, oldest first. */
  readonly segmentBases: readonly number[];
  /** Roll segments at this size from the next write on (a topic's segment.bytes altered). */
  setSegmentBytes(bytes: number): void;
  /** Delete old segments by size and/or age (Kafka retention.bytes / retention.ms). */
  retain(policy: { maxBytes?: number; maxAgeMs?: number; now?: number }): Promise<number>;
  /** Bytes and creation time (ms) of the segment appends go to. */
  readonly activeSegment: { bytes: number; createdMs: number };
  /** Start a new segment at the next write if the active one holds anything (Kafka's segment.ms). */
  rollAtNextWrite(): void;
  /** Append one record at nextOffset; the promise is shared by the appends of one commit batch. */
  appendShared(pieces: readonly Buffer[]): Promise<void>;
  /** Every record below this offset is durable (its append resolved). */
  readonly durableEnd: number;
  /** Replace closed segments holding no needed record by gap records, and rewrite those `keepIn`
   *  names the few needed records of with only those (SegmentedLog.compactSegments). */
  compactSegments(isDead: (from: number, to: number) => boolean,
    keepIn?: (from: number, to: number, bytes: number) => readonly number[] | null): Promise<number>;
  /** No record in [from, to) can be read again (below the start or in gaps). */
  gapsCover(from: number, to: number): boolean;
}

/** Store names are relative paths of plain parts; callers encode anything else
 *  (an AMQP vhost "/" → encodeURIComponent → "%2F"). */
const NAME_PART = /^[A-Za-z0-9._%+=@-]+$/;

/**
 * Storage of one server, created once from (dataDir, fsync policy, metrics, logger): it opens
 * JSON command stores for models (a DurableStore over a StateMachine, in <dataDir>/<name>/ with
 * log/ and snapshot/) and raw-record logs for client bytes (<dataDir>/<name>/log/), and runs one
 * commit cycle for all of them (CommitScheduler) through one journal (data/journal/): N logs with
 * pending appends cost one journal write and one fdatasync, not N. Before the first store opens,
 * the journal left by the last run is replayed into the logs (open()).
 *
 *   const storage = new Storage({ dataDir, fsync, logger, metrics });
 *   const zk = await storage.commandStore('zk', zkMachine, { log: { batchDelayMs: 0 } });
 *   const partition = await storage.rawLog(`kafka/${topic}-${partition}`);
 *   const base = await partition.append(batchBytes, recordCount);
 *   …
 *   await storage.close();
 */
export class Storage {
  /** The commit cycles every store opened here shares. */
  readonly scheduler: CommitScheduler;
  private readonly opened = new Set<{ close(): Promise<void> }>();
  private ready: Promise<void> | null = null;
  private journalInUse: Journal | null = null;

  constructor(private readonly opts: StorageOptions) {
    this.scheduler = new CommitScheduler(opts.commit);
  }

  get fsync(): FsyncPolicy { return this.opts.fsync; }

  /** Stores opened here and not yet closed by their owners (what close() will close). */
  get openStores(): number { return this.opened.size; }

  /** The journal the commit cycles write (null before open(), with fsync=never or when off). */
  get journal(): Journal | null { return this.journalInUse; }

  /**
   * Replay the journal into the logs (restoring what a crash kept from their files) and start
   * it, or refuse — changing nothing — with RecoveryRefused naming journal and log files and bytes.
   * Opening a store calls this first; call it directly to recover before opening any.
   */
  open(): Promise<void> {
    this.ready ??= this.openJournal();
    return this.ready;
  }

  private async openJournal(): Promise<void> {
    const report = inspectJournal(this.opts.dataDir);
    const settings = this.opts.journal ?? {};
    const use = this.opts.fsync !== 'never' && settings.enabled !== false;
    // A data dir written before the journal, kept without one: nothing to replay, nothing to make.
    if (!report.exists && !use && report.problems.length === 0) return;
    const { active, checkpointed } = await restoreFromJournal(report, { fdatasync: this.scheduler.fdatasync, logger: this.opts.logger });
    if (!use) {
      active.close();
      return;
    }
    this.journalInUse = new Journal({ ...settings, dataDir: this.opts.dataDir, fdatasync: this.scheduler.fdatasync,
      logger: this.opts.logger }, active, checkpointed);
    this.scheduler.useJournal(this.journalInUse);
  }

  /** <dataDir>/<name>, after checking the name cannot leave the data directory. */
  dirOf(name: string): string {
    const parts = name.split('/');
    if (!parts.every((p) => NAME_PART.test(p) && p !== '.' && p !== '..')) {
      throw new StorageError(`store name ${JSON.stringify(name)}: expected /-separated parts of letters, digits and ._%+=@- ` +
        '(encode other characters, e.g. with encodeURIComponent)');
    }
    if (parts[0] === JOURNAL_DIR) throw new StorageError(`store name ${JSON.stringify(name)}: data/${JOURNAL_DIR} is the journal's`);
    return join(this.opts.dataDir, ...parts);
  }

  /** Open a command store: snapshot + log replayed through `machine` (DurableStore). */
  async commandStore<S, C extends Command>(name: string, machine: StateMachine<S, C>, opts: CommandStoreOptions = {}):
    Promise<DurableStore<S, C>> {
    await this.open();
    return this.track(await DurableStore.open(machine, this.durableOptions(name, opts)));
  }

  /**
   * The options DurableStore.open takes for store `name` — directory, fsync policy, logger,
   * metrics and the shared commit cycles — for code that opens its store itself: await open()
   * first (the journal must be replayed before any store does), then spread them into its
   * DurableStore.open call.
   */
  durableOptions(name: string, opts: CommandStoreOptions = {}): DurableStoreOptions {
    return {
      dir: opts.dir ?? this.dirOf(name), fsync: this.opts.fsync, logger: this.opts.logger,
      onFsync: this.fsyncObserver(name, opts), scheduler: this.scheduler, log: this.tuning(opts),
      ...(opts.snapshotEvery !== undefined ? { snapshotEvery: opts.snapshotEvery } : {}),
      ...(opts.snapshotRetain !== undefined ? { snapshotRetain: opts.snapshotRetain } : {}),
    };
  }

  /** Open (or create) a raw-record log in <dataDir>/<name>/log/. */
  async rawLog(name: string, opts: StoreOptions = {}): Promise<RawLog> {
    await this.open();
    const log = await SegmentedLog.open(join(opts.dir ?? this.dirOf(name), 'log'), {
      ...this.tuning(opts), fsync: this.opts.fsync, onFsync: this.fsyncObserver(name, opts),
      scheduler: this.scheduler, logger: this.opts.logger,
    });
    return this.track(log);
  }

  /**
   * Remember a store for close(), until its owner closes it: a queue or topic deleted while the
   * server runs closes its log, and keeping the closed log here would hold its segments' memory
   * until shutdown.
   */
  private track<T extends { close(): Promise<void> }>(store: T): T {
    this.opened.add(store);
    const close = store.close.bind(store);
    store.close = () => {
      this.opened.delete(store);
      return close();
    };
    return store;
  }

  /**
   * Make everything appended so far durable in the logs' own files and move the journal's
   * checkpoint past it (no-op without a journal). A log must be closed and checkpointed before its
   * directory is deleted while the server runs: otherwise a crash leaves journal records for a log
   * that is gone, or for an older log of the same name, and the next start refuses (docs/storage.md).
   * Rejects once a checkpoint has failed (the journal then keeps everything until the next start):
   * the directory must not be deleted.
   */
  async checkpoint(): Promise<void> {
    await this.ready;
    await this.journalInUse?.checkpoint();
  }

  /** Close every store opened here that its owner has not closed (closing twice is harmless):
   *  pending appends are committed and each log writes its clean-stop marker; then the journal
   *  takes a last checkpoint, so a clean stop leaves it nothing to replay. */
  async close(): Promise<void> {
    await this.ready?.catch(() => undefined);
    const all = [...this.opened];
    this.opened.clear();
    const results = await Promise.allSettled(all.map((s) => s.close()));
    results.push(...await Promise.allSettled([this.journalInUse?.close()]));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private tuning(opts: StoreOptions): LogTuning {
    return { ...(this.opts.batchDelayMs !== undefined ? { batchDelayMs: this.opts.batchDelayMs } : {}), ...opts.log };
  }

  private fsyncObserver(name: string, opts: StoreOptions): ((seconds: number) => void) | undefined {
    const metrics = this.opts.metrics;
    if (!metrics) return undefined;
    const store = opts.metricLabel ?? name.split('/')[0]!;
    return (seconds) => metrics.fsyncSeconds.observe({ store }, seconds);
  }
}
