import { closeSync, openSync, readSync } from 'node:fs';
import { RECORD_HEADER_BYTES } from '../../log/record.js';

/** A journal entry's place in its segment file: the journal record at `position`, whose log
 *  records fill `dataBytes` bytes from `dataAt`. */
export interface EntryRef { file: string; position: number; dataAt: number; dataBytes: number }

/**
 * One log record as the journal holds it: where (its entry, and `at` bytes into the entry's
 * records) and which offsets. Replay keeps only these, not the bytes, so a large journal does
 * not have to fit in memory at start; JournalBytes reads the bytes back when they are compared
 * or restored.
 */
export interface JournalItem { entry: EntryRef; offset: number; span: number; at: number; size: number }

export const itemWhere = (item: JournalItem) => `${item.entry.file} (journal entry at byte ${item.entry.position})`;

/** Reads items' bytes back from the journal's segment files, an entry at a time. */
export class JournalBytes {
  private readonly fds = new Map<string, number>();
  private cached: { entry: EntryRef; data: Buffer } | null = null;

  /** The log record exactly as the journal holds it (length, CRC, offset, span, payload). */
  raw(item: JournalItem): Buffer {
    return this.entryData(item.entry).subarray(item.at, item.at + item.size);
  }

  payload(item: JournalItem): Buffer {
    return this.raw(item).subarray(RECORD_HEADER_BYTES);
  }

  /** Several items' records, concatenated (what a log's segment should hold from the first). */
  image(items: readonly JournalItem[]): Buffer {
    return Buffer.concat(items.map((item) => Buffer.from(this.raw(item))));
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
    this.cached = null;
  }

  private entryData(entry: EntryRef): Buffer {
    if (this.cached?.entry === entry) return this.cached.data;
    let fd = this.fds.get(entry.file);
    if (fd === undefined) {
      fd = openSync(entry.file, 'r');
      this.fds.set(entry.file, fd);
    }
    const data = Buffer.allocUnsafe(entry.dataBytes);
    for (let done = 0; done < data.length;) {
      const n = readSync(fd, data, done, data.length - done, entry.dataAt + done);
      if (n === 0) throw new Error(`${entry.file}: ends inside the entry at byte ${entry.position}, which read whole a moment ago`);
      done += n;
    }
    this.cached = { entry, data };
    return data;
  }
}
