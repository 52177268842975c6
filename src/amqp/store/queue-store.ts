import { createHash } from 'node:crypto';
import { existsSync, renameSync, unlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StorageError } from '../../core/errors.js';
import { syncDir } from '../../core/log/dir-sync.js';
import type { RawLog, Storage as CoreStorage } from '../../core/storage/storage.js';
/** What the store uses of the storage (a personality's view of it, durable/queue-storage.ts). */
type Storage = Pick<CoreStorage, 'dirOf' | 'rawLog' | 'checkpoint'>;
import { INDEX_FILE, loadIndexFile, writeIndexFile } from './index-file.js';
import { LazyLog } from './lazy-log.js';
import { type IndexEntry, MessageIndex } from './message-index.js';
import { decodeMessageRecord, decodeRecordHead, encodeMessageRecord, isTransient, type ReadMessage, type StoredMessage } from './message-record.js';
import { RemovalLog } from './removal-log.js';

/** Where appendHeld() tells a message's location and the promise of its write. */
export interface Placement { location?: number; stored?: Promise<unknown> }

/** How one append enters the index (durable-message-store.ts pages with these). */
export interface AppendOptions {
  /** Held in the broker's memory: entered as delivered, so nextReady() skips it. */
  held?: boolean;
  /** Told the location as soon as the log assigns it (before the write is durable). */
  located?: (location: number) => void;
}

export interface QueueStoreOptions {
  /** Message segment size: a segment is deleted once all its messages are removed (LavinMQ's
   *  segment_size, default 8 MiB). */
  segmentBytes?: number;
  /** Ack segment size (default 1 MiB). */
  ackSegmentBytes?: number;
  /** Bytes read ahead on a read() miss and kept for the next reads (default 1 MiB: the log reads
   *  that much from disk per call anyway). */
  readAheadBytes?: number;
  /** A non-durable queue's paging store (wiped at every start): every message is indexed as
   *  transient — no ack records — and close() writes no index file. */
  volatile?: boolean;
}

/** appendHeld()'s fallback while the log opens. */
const HELD_APPEND: AppendOptions = { held: true };

/** remove() of a location that is not live: nothing to write (one promise for all). */
const NOT_LIVE: Promise<boolean> = Promise.resolve(false);
/** remove() of a transient message: nothing to write either (recovery never brings one back). */
const TRANSIENT_REMOVED: Promise<boolean> = Promise.resolve(true);

/** Bytes a message record takes beside its body (record header, message head, content header:
 *  ~60-100), for the removed bytes that start a look for gaps (a look costs a binary search per
 *  closed segment: a few µs for a GiB log of 8 MiB segments). */
const RECORD_OVERHEAD = 64;

/** Purges in this process, to name their set-aside directories apart. */
let purges = 0;

/** Characters kept as they are in a directory name; everything else is %XX-encoded (UTF-8). */
const PLAIN = /[A-Za-z0-9_-]/;
/** Encoded names longer than this are hashed (file names stop at 255 bytes; a shortstr can take 765 encoded). */
const MAX_PART = 180;

/** A vhost or queue name as one directory name Storage.dirOf accepts: '/' → '%2F', '.' → '%2E';
 *  a long one becomes '=' + its SHA-1 (LavinMQ names queue directories by SHA-1 too) — '=' never
 *  starts an encoded name, so the two cannot collide. */
export function encodeNamePart(name: string): string {
  let out = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && PLAIN.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (out === '') return '%00';
  return out.length <= MAX_PART ? out : `=${createHash('sha1').update(name, 'utf8').digest('hex')}`;
}

/** Store name of a queue's directory: amqp/queues/<vhost>/<queue> (holds msgs/ and acks/). */
export function queueStoreName(vhost: string, queue: string): string {
  return `amqp/queues/${encodeNamePart(vhost)}/${encodeNamePart(queue)}`;
}

/**
 * The message store of one durable queue (LavinMQ's MessageStore, research amqp.md §6): messages
 * (persistent ones, and transient ones paged out of memory — isTransient: never recovered)
 * in one raw log (msgs/), removals in another (acks/), both on the server's shared commit cycles;
 * in memory only an index of the live messages (message-index.ts), bodies read from disk on
 * delivery. Locations are offsets in the message log, increasing in publish order, which is the
 * queue's order.
 */
export class QueueMessageStore {
  private readonly index = new MessageIndex();
  private readonly msgs: LazyLog;
  private readonly acks: LazyLog;
  private readonly removals: RemovalLog;
  private readonly readAheadBytes: number;
  private readonly segmentBytes: number;
  private readonly volatile: boolean;
  private cache = new Map<number, Buffer>();
  /** appendHeld()'s current commit batch: its shared promise and the locations it covers. */
  private batch: { stored: Promise<void>; start: number; end: number } | null = null;
  private compacting: Promise<void> | null = null;
  private deleted = false;

  private constructor(private readonly storage: Storage, readonly name: string, opts: QueueStoreOptions) {
    this.segmentBytes = opts.segmentBytes ?? 8 * 1024 * 1024;
    this.msgs = new LazyLog(storage, `${name}/msgs`, this.segmentBytes);
    this.acks = new LazyLog(storage, `${name}/acks`, opts.ackSegmentBytes ?? 1024 * 1024);
    this.removals = new RemovalLog(this.acks);
    this.readAheadBytes = opts.readAheadBytes ?? 1024 * 1024;
    this.volatile = opts.volatile === true;
  }

  /** Open the store of queue `queue` in `vhost`, recovering what earlier runs left: every message
   *  not removed, in queue order, marked redelivered. Opens no file if none was ever written. */
  static async open(storage: Storage, vhost: string, queue: string, opts: QueueStoreOptions = {}): Promise<QueueMessageStore> {
    const store = new QueueMessageStore(storage, queueStoreName(vhost, queue), opts);
    await store.recover();
    return store;
  }

  private async recover(): Promise<void> {
    const indexFile = join(this.storage.dirOf(this.name), INDEX_FILE);
    if (!this.msgs.existsOnDisk()) {
      if (existsSync(indexFile)) unlinkSync(indexFile);
      return;
    }
    const log = await this.msgs.open();
    const acks = this.acks.existsOnDisk() ? await this.acks.open() : null;
    const maxima = loadIndexFile(indexFile, this.index, { msgs: log.nextOffset, acks: acks ? acks.nextOffset : -1 });
    if (maxima) {
      this.recoveredFrom = 'index';
      await this.removals.resume(maxima);
      return;
    }
    this.recoveredFrom = 'logs';
    for await (const record of log.replay()) {
      const head = decodeRecordHead(record.payload);
      // A transient message was written only to page it: gone after a restart, as on RabbitMQ
      // (its msg_store_transient is wiped at start).
      if (head.transient) continue;
      this.index.push(record.offset, head.bodySize, head.priority, head.expiresAt, true);
    }
    await this.removals.recover((offset) => { this.index.remove(offset); });
    await this.compact();
  }

  /** How open() rebuilt the index: from the index file of a clean close, by replaying the logs, or
   *  nothing to rebuild. */
  recoveredFrom: 'index' | 'logs' | 'none' = 'none';

  /** Live messages. */
  get messageCount(): number { return this.index.size; }
  /** Body bytes of the live messages. */
  get bodyBytes(): number { return this.index.bodyBytes; }
  /** RAM the index takes (typed arrays), for the bytes-per-message figure. */
  get indexBytes(): number { return this.index.memoryBytes; }
  /** Raw logs open now (each holds the active segment's descriptor). */
  get openLogs(): number { return (this.msgs.current ? 1 : 0) + (this.acks.current ? 1 : 0); }

  /** The live messages in queue order, as recovered or appended (no bodies). */
  entries(): Iterable<IndexEntry> { return this.index.entries(); }

  has(location: number): boolean { return this.index.has(location); }

  /** Messages ready for delivery (live, not delivered) and delivered ones waiting for an ack. */
  get readyCount(): number { return this.index.readyCount; }
  get unackedCount(): number { return this.index.deliveredSize; }

  /**
   * The index can be the queue itself for a durable queue (no object per message in the broker):
   * nextReady() is the oldest ready message, markDelivered() hands it out, requeue() puts it back
   * in its original position marked redelivered, remove() acks it. All in memory: a delivery is
   * not written (after a restart every live message is ready; redelivered after a crash, and after a
   * clean stop only if markRedelivered() was called — the index file keeps the mark).
   */
  nextReady(): IndexEntry | null { return this.index.nextReady(); }
  markDelivered(location: number): boolean { return this.index.markDelivered(location); }
  requeue(location: number, redelivered = true): boolean { return this.index.requeue(location, redelivered); }
  /** The broker requeued this message from its memory: after a clean stop it comes back redelivered. */
  markRedelivered(location: number): boolean { return this.index.markRedelivered(location); }

  /**
   * Store a message; resolves with its location once durable under the server's fsync policy
   * (the shared commit cycle: what a publisher confirm waits for). It is in the index at once;
   * read() returns it from when the promise resolves.
   */
  append(message: StoredMessage, opts: AppendOptions = {}): Promise<number> {
    if (this.deleted) return Promise.reject(new StorageError(`queue store ${this.name} was deleted`));
    let pieces: [Buffer, Buffer];
    try {
      pieces = encodeMessageRecord(message);
    } catch (err) {
      return Promise.reject(err);
    }
    const log = this.msgs.current;
    if (log) return this.appendTo(log, pieces, message, opts);
    return new Promise((resolve, reject) => this.msgs.use((opened) => { this.appendTo(opened, pieces, message, opts).then(resolve, reject); }, reject));
  }

  private appendTo(log: RawLog, pieces: [Buffer, Buffer], message: StoredMessage, opts: AppendOptions): Promise<number> {
    // The log assigns offsets synchronously: nothing runs between reading nextOffset and append().
    const offset = log.nextOffset;
    const stored = log.append(pieces);
    if (log.nextOffset === offset) return stored; // refused: nothing appended (see place())
    this.enterIndex(offset, message, opts.held === true);
    opts.located?.(offset);
    return stored.then(undefined, (err: Error) => {
      this.index.remove(offset);
      throw err;
    });
  }

  /**
   * append() for a message the broker holds in memory (entered as delivered), without a promise
   * of its own: `placement.location` is set at once (once the log is open, if it is not yet) and
   * `placement.stored` to the promise shared by the appends of one commit batch, resolved once
   * they are durable. Until then isDurable(location) is false. A failed batch leaves the index.
   */
  appendHeld(message: StoredMessage, placement: Placement): void {
    const log = this.msgs.current;
    if (this.deleted || !log) {
      placement.stored = this.append(message, HELD_APPEND).then((location) => { placement.location = location; });
      return;
    }
    this.place(log, message, placement, true);
  }

  /** appendHeld() for a paged message (entered ready: nextReady() finds it). False, with nothing
   *  done, when it cannot be placed at once (the log not open yet): append() it then. */
  appendPaged(message: StoredMessage, placement: Placement): boolean {
    const log = this.msgs.current;
    if (this.deleted || !log) return false;
    this.place(log, message, placement, false);
    return true;
  }

  private place(log: RawLog, message: StoredMessage, placement: Placement, held: boolean): void {
    let pieces: [Buffer, Buffer];
    try {
      pieces = encodeMessageRecord(message);
    } catch (err) {
      placement.stored = Promise.reject(err);
      return;
    }
    const offset = log.nextOffset;
    const stored = log.appendShared(pieces);
    if (log.nextOffset === offset) {
      // Refused (the log failed or closed): nothing was appended, so no index entry and no
      // location — the next append would take the same offset.
      placement.stored = stored;
      return;
    }
    this.enterIndex(offset, message, held);
    placement.location = offset;
    placement.stored = stored;
    const batch = this.batch;
    if (batch && batch.stored === stored) {
      batch.end = offset + 1;
      return;
    }
    const joined = this.batch = { stored, start: offset, end: offset + 1 };
    stored.catch(() => { for (let o = joined.start; o < joined.end; o++) this.index.remove(o); });
  }

  /** An appended message enters the index (not redelivered; transient in a volatile store or by
   *  its delivery-mode). */
  private enterIndex(offset: number, message: StoredMessage, held: boolean): void {
    this.index.push(offset, message.body.length, message.properties.priority ?? 0, message.expiresAt ?? null, false, held,
      this.volatile || isTransient(message));
  }

  /** The message at `location` is on disk for good (its append resolved). */
  isDurable(location: number): boolean {
    const log = this.msgs.current;
    return log !== null && location < log.durableEnd;
  }

  /**
   * Remove a message (ack, reject, drop, expiry, dead-letter): gone from the index at once, its ack
   * record written within the next commit cycle. Resolves true once written, false if the
   * location was not live (nothing is written). A transient message's removal writes nothing: no
   * recovery brings it back (the index file leaves it out, the log replay skips it).
   */
  remove(location: number): Promise<boolean> {
    const liveBytes = this.index.bodyBytes;
    const transient = this.index.isTransient(location);
    if (!this.index.remove(location)) return NOT_LIVE;
    this.cache.delete(location);
    this.removedSinceCompaction += liveBytes - this.index.bodyBytes + RECORD_OVERHEAD;
    // Before the ack record is durable: compaction deletes only segments none of whose messages
    // is live, and a deleted message cannot come back whether or not its ack reached the disk.
    this.scheduleCompaction();
    return transient ? TRANSIENT_REMOVED : this.removals.add(location);
  }

  /** The message at `location` (its append has resolved), body read from disk; null if not live. */
  async read(location: number): Promise<ReadMessage | null> {
    if (!this.index.has(location)) return null;
    let payload = this.cache.get(location);
    if (!payload) {
      const log = this.msgs.current;
      if (!log) return null;
      const records = await log.read(location, this.readAheadBytes);
      this.cache = new Map(records.filter((r) => this.index.has(r.offset)).map((r) => [r.offset, r.payload]));
      payload = this.cache.get(location);
      if (!payload) throw new StorageError(`queue store ${this.name}: message ${location} is live but not readable yet (append not settled)`);
    }
    this.cache.delete(location);
    return decodeMessageRecord(payload);
  }

  /** Compaction has nothing to do while the first live message is below this offset: the message
   *  log's second segment base at the last look (its next offset then, if it had one segment). */
  private compactAt = 0;

  /** Bytes of the messages removed since the last compaction (bodies + RECORD_OVERHEAD each):
   *  once they reach a quarter of a segment, the closed segments behind a live head are looked at. */
  private removedSinceCompaction = 0;

  /** After a removal: compact once the first live message has passed compactAt, or once a quarter
   *  segment's worth of messages was removed while the log has closed segments behind its first (an
   *  ack of every message would otherwise start an asynchronous compaction that finds nothing to
   *  delete). A dead segment thus stays on disk for at most about a quarter segment of removals. */
  private scheduleCompaction(): void {
    if (this.compacting) return;
    const log = this.msgs.current;
    if (!log) return;
    const headMoved = (this.index.firstLive() ?? log.nextOffset) >= this.compactAt;
    if (!headMoved && this.removedSinceCompaction < this.segmentBytes / 4) return;
    if (!headMoved && log.segmentBases.length < 3) {
      this.removedSinceCompaction = 0;
      return;
    }
    this.compacting = this.compact().finally(() => { this.compacting = null; });
  }

  /**
   * Delete message segments whose messages are all removed and ack segments that only name
   * those. The message log drops a prefix; behind a live message (one long unacked, an old
   * low-priority one), each closed segment none of whose messages is live is replaced by a gap
   * record (SegmentedLog.compactSegments: core's offsets stay dense, a 28-byte file instead of
   * up to segmentBytes), then each closed ack segment naming only messages in gaps (RemovalLog.
   * compactBehind); the ack log's prefix goes below the message log's start.
   */
  async compact(): Promise<void> {
    const log = this.msgs.current;
    if (!log) return;
    this.removedSinceCompaction = 0;
    const first = this.index.firstLive() ?? log.nextOffset;
    const bases = log.segmentBases;
    if (bases.length > 1 && bases[1]! <= first) await log.deleteBefore(first);
    // A gap that cannot be written (disk full) leaves its segment whole: only space is lost, and
    // the next look tries again.
    if (log.segmentBases.length > 2) {
      // Segments holding a few live messages among many acked ones (a consumer slow to ack some,
      // an old low-priority message) are rewritten with only those once the log is over half
      // garbage (RabbitMQ 3.10.8's rabbit_msg_store compacts files once its garbage ratio passes
      // 0.5 with more than two files); a segment whose live messages take at most half of it is
      // rewritten, so a rewrite copies no more than it frees.
      const live = this.index.bodyBytes + RECORD_OVERHEAD * this.index.size;
      const keepIn = log.sizeBytes > 2 * live
        ? (from: number, to: number, bytes: number) => this.index.liveOffsetsIn(from, to, bytes / 2, RECORD_OVERHEAD)
        : undefined;
      await log.compactSegments((from, to) => !this.index.anyLiveIn(from, to), keepIn).catch(() => 0);
      await this.removals.compactBehind(log).catch(() => 0);
    }
    await this.removals.truncate(log.startOffset);
    const after = log.segmentBases;
    this.compactAt = after.length > 1 ? after[1]! : log.nextOffset;
  }

  /**
   * Remove every message by removing the queue's files (queue.purge; also what a drained idle
   * queue may do to give back its descriptors): logs closed, the journal checkpointed past them
   * (Storage.checkpoint's rule), the directory renamed aside in one step, then deleted. A crash
   * mid-delete leaves `<queue>.<ms>-<n>-purged` beside the queue, never half a queue (an ack log
   * without its message log would remove the new messages that reuse its offsets). Returns how
   * many messages were live. The store stays usable; the next append opens new files.
   */
  async purge(): Promise<number> {
    const count = this.index.size;
    await this.compacting;
    this.index.clear();
    this.cache.clear();
    await Promise.all([this.msgs.close(), this.acks.close()]);
    await this.storage.checkpoint();
    const dir = this.storage.dirOf(this.name);
    if (existsSync(dir)) {
      const aside = `${dir}.${Date.now()}-${++purges}-purged`;
      renameSync(dir, aside);
      syncDir(dirname(dir));
      // On libuv's pool: rmSync of a million 1 KB messages' segments (130 files, 1 GiB) took
      // 290 ms here, during which no other client was served.
      await rm(aside, { recursive: true, force: true });
    }
    this.removals.reset();
    this.compactAt = 0; // the next append opens new files, offsets from 0
    return count;
  }

  /** Delete the queue's storage for good (queue.delete, vhost deletion). */
  async delete(): Promise<void> {
    await this.purge();
    this.deleted = true;
  }

  /** Close the logs (pending appends and removals are committed first), then write the index
   *  file the next open loads instead of reading every message (index-file.ts). */
  async close(): Promise<void> {
    await this.compacting;
    const [msgs, acks] = [this.msgs.current, this.acks.current];
    await Promise.all([this.msgs.close(), this.acks.close()]);
    if (msgs && !this.deleted && !this.volatile) {
      writeIndexFile(join(this.storage.dirOf(this.name), INDEX_FILE), this.index, { msgs: msgs.nextOffset, acks: acks ? acks.nextOffset : -1 }, this.removals.maxima);
    }
  }
}
