import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { Storage } from '../../core/storage/storage.js';
import type { QueueStorage } from './queue-storage.js';

/** Under the personality's directory (data/amqp/): not amqp/queues/, whose unknown directories
 *  start sets aside as strays and keeps (stray-dirs.ts). */
export const VOLATILE_DIR = 'volatile';

const PREFIX = 'amqp/';

/**
 * Where non-durable queues page their messages (data/amqp/volatile/queues/<vhost>/<queue>/):
 * RabbitMQ's msg_store_transient, which it empties at every start. Its own Storage with
 * fsync=never and no journal — nothing here is ever recovered, so nothing waits for an fdatasync
 * — created on first use (10k idle queues make nothing), wiped at start and again at close.
 */
export class VolatileStorage {
  private storage: Storage | null = null;
  readonly dir: string;

  /** `personalityDir`: data/amqp/. Whatever an earlier run left is deleted now. */
  constructor(personalityDir: string, private readonly logger: Logger) {
    this.dir = join(personalityDir, VOLATILE_DIR);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The view a QueueMessageStore uses: its names `amqp/queues/…` map to `<dir>/queues/…`. */
  readonly queueStorage: QueueStorage = {
    dirOf: (name) => this.open().dirOf(local(name)),
    rawLog: (name, opts) => this.open().rawLog(local(name), opts),
    checkpoint: () => this.open().checkpoint(),
  };

  private open(): Storage {
    this.storage ??= new Storage({ dataDir: this.dir, fsync: 'never', logger: this.logger, journal: { enabled: false } });
    return this.storage;
  }

  /** Close the logs still open (the queues' stores close theirs first), then delete everything. */
  async close(): Promise<void> {
    await this.storage?.close();
    this.storage = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function local(name: string): string {
  return name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name;
}
