import { join } from 'node:path';
import type { PersonalityStorage } from '../../core/personality.js';
import type { Storage } from '../../core/storage/storage.js';

/** What a QueueMessageStore uses of the storage: directories, raw logs, journal checkpoints. */
export type QueueStorage = Pick<Storage, 'dirOf' | 'rawLog' | 'checkpoint'>;

const PREFIX = 'amqp/';

/** The personality's storage (data/amqp/…) seen with the store's names `amqp/queues/…`, as
 *  Kafka's partitionStorage maps `kafka/<topic>-<p>` (kafka/topics.ts). */
export function queueStorage(storage: PersonalityStorage): QueueStorage {
  const local = (name: string): string => (name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name);
  return {
    dirOf: (name) => join(storage.dir, local(name)),
    rawLog: (name, opts) => storage.rawLog(local(name), opts),
    checkpoint: () => storage.checkpoint(),
  };
}
