import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RawLog, Storage as CoreStorage } from '../../core/storage/storage.js';
/** What the store uses of the storage (a personality's view of it, durable/queue-storage.ts). */
type Storage = Pick<CoreStorage, 'dirOf' | 'rawLog' | 'checkpoint'>;

/**
 * A raw log opened on first use: a durable queue that never stores a message opens no file (10k
 * idle queues cost no descriptors). Work asked for while it opens runs, in call order, the moment
 * it is open, in one synchronous pass, so nothing can slip in between.
 */
export class LazyLog {
  private log: RawLog | null = null;
  private opening: Promise<void> | null = null;
  private waiting: Array<{ run: (log: RawLog) => void; fail: (err: Error) => void }> = [];

  constructor(private readonly storage: Storage, readonly name: string, private readonly segmentBytes: number) {}

  /** The log if it is open. */
  get current(): RawLog | null { return this.log; }

  /** Whether its directory exists (a previous run wrote to it). */
  existsOnDisk(): boolean {
    return existsSync(join(this.storage.dirOf(this.name), 'log'));
  }

  async open(): Promise<RawLog> {
    if (this.log) return this.log;
    return new Promise((resolve, reject) => this.use((log) => resolve(log), reject));
  }

  /** Run `work` with the open log: now if open, else once open (in call order). */
  use(work: (log: RawLog) => void, fail: (err: Error) => void): void {
    if (this.log) { work(this.log); return; }
    this.waiting.push({ run: work, fail });
    if (this.opening) return;
    // No gathering delay (as Kafka's partitions and ZooKeeper's store): a confirming publisher waits
    // for each cycle, and a log's next batch cannot start before its previous fsync ends, so what
    // arrives meanwhile is gathered anyway (race, persistent with confirms: +6 % msgs/s over 2 ms).
    this.opening = this.storage.rawLog(this.name, { log: { segmentBytes: this.segmentBytes, batchDelayMs: 0 } }).then((log) => {
      this.log = log;
      this.opening = null;
      for (const w of this.waiting.splice(0)) w.run(log);
    }, (err: Error) => {
      this.opening = null;
      for (const w of this.waiting.splice(0)) w.fail(err);
    });
  }

  /** Close the log (pending appends complete first; an open under way finishes first, so what
   *  waited for it is written before the close); the next use opens it again. */
  async close(): Promise<void> {
    await this.opening;
    const log = this.log;
    this.log = null;
    await log?.close();
  }
}
