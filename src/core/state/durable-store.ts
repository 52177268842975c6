import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deferred } from '../deferred.js';
import { StorageError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CommitScheduler } from '../log/commit-scheduler.js';
import type { LogRequirements } from '../log/recovery.js';
import { SegmentedLog } from '../log/segmented-log.js';
import type { AppendLog, FsyncPolicy, LogOptions } from '../log/types.js';
import { SnapshotStore, type Snapshot } from '../snapshot/snapshot-store.js';
import type { Command, StateMachine } from './state-machine.js';

export interface DurableStoreOptions {
  /** Holds log/ and snapshot/. */
  dir: string;
  fsync: FsyncPolicy;
  logger: Logger;
  /** Take a snapshot (and drop the log segments it covers) after this many durable commands. */
  snapshotEvery?: number;
  /** Snapshot images kept (older ones and the log they cover are deleted); default 2. */
  snapshotRetain?: number;
  onFsync?: (seconds: number) => void;
  /** Commit cycles shared with other stores (core/storage); default: the log's own. */
  scheduler?: CommitScheduler;
  /** Log tuning (segment size, index interval, record limit, batch delay); defaults otherwise. */
  log?: Partial<Pick<LogOptions, 'segmentBytes' | 'indexIntervalBytes' | 'maxRecordBytes' | 'batchDelayMs'>>;
}

type Listener<C> = (command: C, result: unknown) => void;

/** A command submitted but not applied yet; durable ones become ready when the log acks them. */
interface Queued<C> {
  command: C;
  durable: boolean;
  ready: boolean;
  offset: number;
  error: Error | null;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * A StateMachine made durable: submit() appends the command to the log, and once the log says it
 * is durable, applies it and resolves with apply's result — so nobody reads or is acknowledged
 * for a change that a crash could lose. Commands resolve in log order (one flush resolves its
 * appends in order), so apply order is log order, and replay (snapshot + log) rebuilds the state.
 *
 * applyVolatile() applies a command without logging it, for state the original also keeps only in
 * memory (Nacos ephemeral instances, which clients restore by re-registering). Both kinds apply in
 * the order they were submitted: a volatile command waits behind durable ones still waiting for
 * their fsync, so a durable command is applied against the same durable history replay will see
 * (otherwise an ephemeral registration could slip in front of a pending persistent one and make
 * it fail live yet succeed on replay).
 */
export class DurableStore<S, C extends Command> {
  private listeners: Listener<C>[] = [];
  private appliedOffset: number;
  private sinceSnapshot = 0;
  private snapshotting: Promise<void> | null = null;
  /** Submitted, not yet applied, in submission order. */
  private queue: Queued<C>[] = [];

  private constructor(
    private readonly machine: StateMachine<S, C>,
    private readonly log: AppendLog,
    private readonly snapshots: SnapshotStore,
    private current: S,
    private readonly opts: DurableStoreOptions,
  ) {
    this.appliedOffset = log.nextOffset;
  }

  /** Load the newest readable snapshot, open the log (which refuses, changing nothing, if it
   *  no longer holds what the snapshots saw) and replay the log from the snapshot's offset. */
  static async open<S, C extends Command>(machine: StateMachine<S, C>, opts: DurableStoreOptions): Promise<DurableStore<S, C>> {
    mkdirSync(opts.dir, { recursive: true });
    const snapshotDir = join(opts.dir, 'snapshot');
    const snapshots = new SnapshotStore(snapshotDir, opts.snapshotRetain ?? 2);
    const { snapshot: image, skipped } = snapshots.latestReadable();
    for (const s of skipped) opts.logger.warn({ file: s.file, reason: s.reason }, 'skipped an unreadable snapshot');
    const state = !image ? machine.initial()
      : machine.decodeSnapshot ? machine.decodeSnapshot(image.data) : machine.restore(JSON.parse(image.data.toString('utf8')));
    // Replay before the log is accepted: damage replay finds (a bad record in a closed segment,
    // a record that is not a command) refuses the open with every file as it was.
    const log = SegmentedLog.prepare(join(opts.dir, 'log'), {
      ...opts.log, fsync: opts.fsync, onFsync: opts.onFsync, scheduler: opts.scheduler, logger: opts.logger,
      requirements: snapshotRequirements(snapshotDir, image, snapshots.offsets()),
    });
    const from = image?.offset ?? 0;
    let replayed = 0;
    try {
      for await (const record of log.replay(from)) {
        machine.apply(state, parseCommand<C>(record.payload, record.offset, opts.dir));
        replayed++;
      }
    } catch (err) {
      await log.close();
      throw err;
    }
    log.accept();
    // A store is a directory with log/ and snapshot/ (how `junction data check` tells a command
    // store from a raw log): make the layout whole.
    mkdirSync(snapshotDir, { recursive: true });
    opts.logger.info({ dir: opts.dir, snapshotOffset: image?.offset ?? null, replayed, cleanStop: log.recovery.cleanStop,
      truncatedBytes: log.recovery.truncatedBytes, nextOffset: log.nextOffset }, 'store recovered');
    const store = new DurableStore(machine, log, snapshots, state, opts);
    // A long replay means a long log: count it towards the next snapshot.
    store.sinceSnapshot = replayed;
    return store;
  }

  get state(): S { return this.current; }

  /** Log, wait until durable, apply; resolves with apply's result. */
  submit<R = unknown>(command: C): Promise<R> {
    const payload = Buffer.from(JSON.stringify(command));
    const { entry, promise } = this.enqueue<R>(command, true);
    this.log.append(payload).then(
      (offset) => { entry.offset = offset; entry.ready = true; this.drain(); },
      (err: Error) => { entry.error = err; entry.ready = true; this.drain(); },
    );
    return promise;
  }

  /** Apply without logging: state that is not kept across restarts. Applies at once unless
   *  durable commands submitted earlier are still waiting for their fsync. */
  applyVolatile<R = unknown>(command: C): Promise<R> {
    if (this.queue.length === 0) return Promise.resolve(this.applyNow(command) as R);
    const { entry, promise } = this.enqueue<R>(command, false);
    entry.ready = true;
    return promise;
  }

  private enqueue<R>(command: C, durable: boolean): { entry: Queued<C>; promise: Promise<R> } {
    const { promise, resolve, reject } = deferred<R>();
    const entry: Queued<C> = { command, durable, ready: false, offset: -1, error: null, resolve: resolve as (r: unknown) => void, reject };
    this.queue.push(entry);
    return { entry, promise };
  }

  /** Apply every ready command at the head of the queue. Log acks arrive in offset order, so
   *  durable commands apply in log order. */
  private drain(): void {
    while (this.queue.length > 0 && this.queue[0]!.ready) {
      const entry = this.queue.shift()!;
      if (entry.error) { entry.reject(entry.error); continue; }
      if (entry.durable) this.appliedOffset = entry.offset + 1;
      entry.resolve(this.applyNow(entry.command));
      if (entry.durable && ++this.sinceSnapshot >= (this.opts.snapshotEvery ?? 50_000)) {
        // Background: a failed snapshot costs only a longer replay, never the command.
        this.snapshot().catch((err: unknown) => this.opts.logger.error({ err, dir: this.opts.dir }, 'snapshot failed'));
      }
    }
  }

  /** Observers of every applied command (long-poll wake-ups, push to subscribers, metrics). */
  onApply(listener: Listener<C>): void { this.listeners.push(listener); }

  /** Write an image of the durable state at the applied offset, then drop the log segments that
   *  lie wholly below the *oldest* kept snapshot, so that if the newest image is found damaged
   *  at open the older one plus the log still rebuilds the state. */
  snapshot(): Promise<void> {
    if (this.snapshotting) return this.snapshotting;
    this.sinceSnapshot = 0;
    const offset = this.appliedOffset;
    let image: Buffer | Buffer[] | Promise<Buffer[]>;
    // Captured now, so the image is exactly the state at `offset` (a machine's own encoder may
    // finish later, see StateMachine.encodeSnapshot).
    try {
      image = this.machine.encodeSnapshot ? this.machine.encodeSnapshot(this.current)
        : Buffer.from(JSON.stringify(this.machine.snapshot(this.current)));
    } catch (err) { return Promise.reject(err); }
    this.snapshotting = (async () => {
      try {
        const data = await image;
        await this.snapshots.save(offset, data);
        const oldest = this.snapshots.offsets()[0] ?? 0;
        await this.log.deleteBefore(Math.min(oldest, offset));
        const bytes = Buffer.isBuffer(data) ? data.length : data.reduce((sum, piece) => sum + piece.length, 0);
        this.opts.logger.info({ dir: this.opts.dir, offset, bytes }, 'snapshot written');
      } finally {
        this.snapshotting = null;
      }
    })();
    return this.snapshotting;
  }

  async close(): Promise<void> {
    if (this.snapshotting) await this.snapshotting;
    await this.log.close();
  }

  private applyNow(command: C): unknown {
    const result = this.machine.apply(this.current, command);
    for (const l of this.listeners) {
      // The command is applied (and maybe durable) whatever an observer does: a throwing
      // listener must not turn the submitter's success into a failure.
      try { l(command, result); } catch (err) {
        this.opts.logger.error({ err, dir: this.opts.dir, command: command.type }, 'onApply listener failed');
      }
    }
    return result;
  }
}

/**
 * What a command log must hold given its snapshots: every record from the loaded snapshot's
 * offset (or from 0 without one), and every offset below the newest snapshot file's — readable
 * or not, a snapshot is only ever taken of acknowledged records, so a log ending before it lost
 * some. Shared with `junction data check`.
 */
export function snapshotRequirements(snapshotDir: string, loaded: Pick<Snapshot, 'offset'> | null, offsets: readonly number[]): LogRequirements {
  const name = (offset: number) => join(snapshotDir, `${String(offset).padStart(20, '0')}.snap`);
  const replayFrom = loaded
    ? { offset: loaded.offset, what: `the newest readable snapshot (${name(loaded.offset)}) covers offsets below ${loaded.offset}` }
    : { offset: 0, what: 'there is no readable snapshot' };
  const newest = offsets.length > 0 ? Math.max(...offsets) : null;
  return newest === null ? { replayFrom } : { replayFrom, reach: { offset: newest, what: `snapshot ${name(newest)}` } };
}

function parseCommand<C>(payload: Buffer, offset: number, dir: string): C {
  try {
    return JSON.parse(payload.toString('utf8')) as C;
  } catch (err) {
    throw new StorageError(`${dir}: log record at offset ${offset} is not a JSON command`, { cause: err });
  }
}
