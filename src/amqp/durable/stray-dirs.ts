import { existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { DefinitionsState } from '../store/definitions-machine.js';
import { encodeNamePart } from '../store/queue-store.js';

/** Suffix of a directory set aside (never matched again: encoded names hold no '.'). */
const STRAY = '-stray';

/**
 * Queue directories under data/amqp/queues/ that no stored durable queue names (a crash between a
 * queue.delete's log write and its file removal, files copied in by hand) and leftovers of an
 * interrupted purge are renamed aside with a log line, never deleted at start (ARCHITECTURE
 * principle 9; Kafka renames stray partition directories to `-stray`, KIP-858), so a queue
 * declared later under the same name starts empty.
 */
export function setAsideStrayQueueDirs(amqpDir: string, state: DefinitionsState, logger: Logger, now = Date.now()): string[] {
  const root = join(amqpDir, 'queues');
  if (!existsSync(root)) return [];
  const known = new Set<string>();
  for (const [vhost, defs] of state.vhosts) {
    for (const name of defs.queues.keys()) known.add(`${encodeNamePart(vhost)}/${encodeNamePart(name)}`);
  }
  const setAside: string[] = [];
  for (const vhostDir of readdirSync(root, { withFileTypes: true })) {
    if (!vhostDir.isDirectory() || vhostDir.name.endsWith(STRAY)) continue;
    for (const queueDir of readdirSync(join(root, vhostDir.name), { withFileTypes: true })) {
      if (!queueDir.isDirectory() || queueDir.name.endsWith(STRAY)) continue;
      if (known.has(`${vhostDir.name}/${queueDir.name}`)) continue;
      const dir = join(root, vhostDir.name, queueDir.name);
      const aside = `${dir}.${now}${STRAY}`;
      logger.warn({ dir, renamedTo: aside }, 'amqp queue directory of no durable queue set aside');
      renameSync(dir, aside);
      setAside.push(aside);
    }
  }
  return setAside;
}
