import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { SegmentedLog } from '../log/segmented-log.js';
import type { AppendLog, FsyncPolicy } from '../log/types.js';
import { SnapshotStore } from '../snapshot/snapshot-store.js';
import type { Command, StateMachine } from './state-machine.js';

export interface DurableStoreOptions {
  /** Holds log/ and snapshot/. */
  dir: string;
  fsync: FsyncPolicy;
  logger: Logger;
  /** Take a snapshot (and drop the log segments it covers) after this many durable commands. */
  snapshotEvery?: number;
  onFsync?: (seconds: number) => void;
}

type Listener<C> = (command: C, result: unknown) => void;

/**
 * A StateMachine made durable: submit() appends the command to the log, and once the log says it
 * is durable, applies it and resolves with apply's result — so nobody reads or is acknowledged
 * for a change that a crash could lose. Commands resolve in log order (one flush resolves its
 * appends in order), so apply order is log order, and replay (snapshot + log) rebuilds the state.
 *
 * applyVolatile() applies a command without logging it, for state the original also keeps only in
 * memory (Nacos ephemeral instances, which clients restore by re-registering).
 */
export class DurableStore<S, C extends Command> {
  private listeners: Listener<C>[] = [];
  private appliedOffset: number;
  private sinceSnapshot = 0;
  private snapshotting: Promise<void> | null = null;

  private constructor(
    private readonly machine: StateMachine<S, C>,
    private readonly log: AppendLog,
    private readonly snapshots: SnapshotStore,
    private current: S,
    private readonly opts: DurableStoreOptions,
  ) {
    this.appliedOffset = log.nextOffset;
  }

  static async open<S, C extends Command>(machine: StateMachine<S, C>, opts: DurableStoreOptions): Promise<DurableStore<S, C>> {
    mkdirSync(opts.dir, { recursive: true });
    const snapshots = new SnapshotStore(join(opts.dir, 'snapshot'));
    const image = await snapshots.latest();
    const state = image ? machine.restore(JSON.parse(image.data.toString('utf8'))) : machine.initial();
    const log = await SegmentedLog.open(join(opts.dir, 'log'), { fsync: opts.fsync, onFsync: opts.onFsync });
    const from = image?.offset ?? log.startOffset;
    let replayed = 0;
    for await (const record of log.replay(from)) {
      machine.apply(state, JSON.parse(record.payload.toString('utf8')) as C);
      replayed++;
    }
    opts.logger.info({ dir: opts.dir, snapshotOffset: image?.offset ?? null, replayed,
      truncatedBytes: log.recovery.truncatedBytes, nextOffset: log.nextOffset }, 'store recovered');
    if (log.recovery.truncatedBytes > 0) {
      opts.logger.warn({ dir: opts.dir, truncatedBytes: log.recovery.truncatedBytes }, 'cut a torn or corrupt log tail');
    }
    return new DurableStore(machine, log, snapshots, state, opts);
  }

  get state(): S { return this.current; }

  /** Log, wait until durable, apply; resolves with apply's result. */
  submit<R = unknown>(command: C): Promise<R> {
    const payload = Buffer.from(JSON.stringify(command));
    return this.log.append(payload).then((offset) => {
      this.appliedOffset = offset + 1;
      const result = this.applyNow(command);
      if (++this.sinceSnapshot >= (this.opts.snapshotEvery ?? 50_000)) void this.snapshot();
      return result as R;
    });
  }

  /** Apply without logging: state that is not kept across restarts. */
  applyVolatile<R = unknown>(command: C): R {
    return this.applyNow(command) as R;
  }

  /** Observers of every applied command (long-poll wake-ups, push to subscribers, metrics). */
  onApply(listener: Listener<C>): void { this.listeners.push(listener); }

  /** Write an image of the durable state at the applied offset, then drop covered log segments. */
  snapshot(): Promise<void> {
    if (this.snapshotting) return this.snapshotting;
    this.sinceSnapshot = 0;
    const offset = this.appliedOffset;
    const data = Buffer.from(JSON.stringify(this.machine.snapshot(this.current)));
    this.snapshotting = (async () => {
      try {
        await this.snapshots.save(offset, data);
        await this.log.deleteBefore(offset);
        this.opts.logger.info({ dir: this.opts.dir, offset, bytes: data.length }, 'snapshot written');
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
    for (const l of this.listeners) l(command, result);
    return result;
  }
}
