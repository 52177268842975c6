import { fdatasync, mkdirSync, openSync, closeSync, fsyncSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { JunctionError, StorageError } from '../errors.js';
import { encodeRecord } from './record.js';
import { Segment } from './segment.js';
import type { AppendLog, LogOptions, LogRecord, RecoveryReport } from './types.js';

const fdatasyncAsync = promisify(fdatasync);

interface Pending { buf: Buffer; offset: number; span: number; resolve: (offset: number) => void; reject: (e: Error) => void }

/** The log refused an append (payload too large, log closed or failed). */
export class LogAppendError extends JunctionError {
  constructor(message: string, options?: { cause?: unknown }) { super('LOG_APPEND', message, options); }
}

/**
 * Segmented append-only log with group commit (see types.ts for the contract and
 * docs/storage.md for the format). Appends are encoded at once and queued; a flush cycle writes
 * every queued record with one writev and covers them with one fdatasync, then resolves them in
 * order. Appends arriving during an fsync wait for the next cycle, so load turns into larger
 * batches rather than more fsyncs.
 */
export class SegmentedLog implements AppendLog {
  private segments: Segment[];
  private pending: Pending[] = [];
  private flushing = false;
  private scheduled = false;
  private closed = false;
  private failed: Error | null = null;
  private next: number;
  /** End of the acknowledged records: readers never see a record before its append resolved,
   *  so nothing read (e.g. by a Kafka consumer) can vanish in a crash. */
  private acked: number;
  private readonly opts: Required<Omit<LogOptions, 'onFsync'>> & Pick<LogOptions, 'onFsync'>;

  private constructor(private readonly dir: string, segments: Segment[], readonly recovery: RecoveryReport, opts: LogOptions) {
    this.segments = segments;
    this.next = recovery.nextOffset;
    this.acked = recovery.nextOffset;
    this.opts = {
      segmentBytes: 64 * 1024 * 1024, indexIntervalBytes: 4096, maxRecordBytes: 16 * 1024 * 1024, batchDelayMs: 2,
      ...opts,
    };
  }

  static async open(dir: string, opts: LogOptions): Promise<SegmentedLog> {
    mkdirSync(dir, { recursive: true });
    const interval = opts.indexIntervalBytes ?? 4096;
    const maxRecord = opts.maxRecordBytes ?? 16 * 1024 * 1024;
    const bases = readdirSync(dir).filter((f) => /^\d{20}\.log$/.test(f)).map((f) => Number(f.slice(0, 20))).sort((a, b) => a - b);
    if (bases.length === 0) bases.push(0);
    const segments: Segment[] = [];
    for (let i = 0; i < bases.length - 1; i++) {
      segments.push(Segment.openClosed(dir, bases[i]!, bases[i + 1]!, interval, maxRecord));
    }
    const active = Segment.openActive(dir, bases[bases.length - 1]!, interval, maxRecord);
    segments.push(active.segment);
    syncDir(dir);
    const recovery: RecoveryReport = { segments: bases.length, truncatedBytes: active.truncatedBytes, nextOffset: active.segment.endOffset };
    return new SegmentedLog(dir, segments, recovery, opts);
  }

  get startOffset(): number { return this.segments[0]!.baseOffset; }
  get nextOffset(): number { return this.next; }
  private get active(): Segment { return this.segments[this.segments.length - 1]!; }

  append(payload: Buffer, span = 1): Promise<number> {
    if (this.closed) return Promise.reject(new LogAppendError(`log ${this.dir} is closed`));
    if (this.failed) return Promise.reject(new LogAppendError(`log ${this.dir} failed earlier: ${this.failed.message}`));
    if (payload.length > this.opts.maxRecordBytes) {
      return Promise.reject(new LogAppendError(`record of ${payload.length} bytes exceeds the ${this.opts.maxRecordBytes}-byte limit`));
    }
    // span is a u32 on disk
    if (!Number.isInteger(span) || span < 1 || span > 0xffff_ffff) {
      return Promise.reject(new LogAppendError(`span must be an integer in 1..${0xffff_ffff}, got ${span}`));
    }
    const offset = this.next;
    this.next += span;
    return new Promise((resolve, reject) => {
      this.pending.push({ buf: encodeRecord(offset, span, payload), offset, span, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    const run = () => { this.scheduled = false; void this.flush(); };
    if (this.opts.fsync === 'batch' && this.opts.batchDelayMs > 0) setTimeout(run, this.opts.batchDelayMs);
    else setImmediate(run);
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const batch = this.pending;
    this.pending = [];
    try {
      this.writeBatch(batch);
      if (this.opts.fsync !== 'never') {
        const fd = this.active.writeFd!;
        const t0 = process.hrtime.bigint();
        await fdatasyncAsync(fd);
        this.opts.onFsync?.(Number(process.hrtime.bigint() - t0) / 1e9);
      }
      const last = batch[batch.length - 1]!;
      this.acked = last.offset + last.span;
      for (const p of batch) p.resolve(p.offset);
    } catch (err) {
      // A failed write or fsync leaves the file in an unknown state: refuse further appends
      // rather than acknowledge anything that may not be on disk (fsyncgate).
      this.failed = err as Error;
      for (const p of [...batch, ...this.pending]) p.reject(new LogAppendError(`log write failed: ${(err as Error).message}`, { cause: err }));
      this.pending = [];
    } finally {
      this.flushing = false;
    }
    if (this.pending.length > 0) this.schedule();
  }

  /** Write a batch, rolling to new segments on the way so none grows past segmentBytes. */
  private writeBatch(batch: Pending[]): void {
    let i = 0;
    while (i < batch.length) {
      let room = this.opts.segmentBytes - this.active.size;
      if (room <= 0 || (this.active.size > 0 && batch[i]!.buf.length > room)) {
        this.roll(batch[i]!.offset);
        room = this.opts.segmentBytes;
      }
      let j = i;
      let bytes = 0;
      // Always take at least one record, even one larger than a segment.
      while (j < batch.length && (j === i || bytes + batch[j]!.buf.length <= room)) bytes += batch[j++]!.buf.length;
      const group = batch.slice(i, j);
      this.active.write(group.map((p) => p.buf), group.map((p) => p.offset), group.map((p) => p.span));
      i = j;
    }
  }

  private roll(baseOffset: number): void {
    this.active.seal();
    this.segments.push(Segment.create(this.dir, baseOffset, this.opts.indexIntervalBytes, this.opts.maxRecordBytes));
    syncDir(this.dir);
  }

  async read(fromOffset: number, maxBytes = 1024 * 1024): Promise<LogRecord[]> {
    const out: LogRecord[] = [];
    let bytes = 0;
    for (const record of this.recordsFrom(fromOffset)) {
      if (out.length > 0 && bytes + record.payload.length > maxBytes) break;
      out.push(record);
      bytes += record.payload.length;
    }
    return out;
  }

  async *replay(fromOffset = this.startOffset): AsyncIterable<LogRecord> {
    yield* this.recordsFrom(fromOffset);
  }

  /** Acknowledged records whose range ends after fromOffset, segment by segment. */
  private *recordsFrom(fromOffset: number): Generator<LogRecord> {
    const end = this.acked;
    const first = Math.max(0, this.segments.findIndex((s) => s.endOffset > fromOffset));
    for (let i = first; i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      if (seg.endOffset <= fromOffset) continue;
      for (const item of seg.records(seg.positionFor(fromOffset), Infinity)) {
        if (item.stop) throw new StorageError(`${seg.path}: record at byte ${item.position} is unreadable (${item.stop})`);
        const { offset, span, payload } = item.record;
        if (offset >= end) return;
        if (offset + span > fromOffset) yield { offset, span, payload };
      }
    }
  }

  async deleteBefore(offset: number): Promise<number> {
    let removed = 0;
    while (this.segments.length > 1 && this.segments[0]!.endOffset <= offset) {
      this.segments.shift()!.remove();
      removed++;
    }
    if (removed > 0) syncDir(this.dir);
    return removed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing || this.pending.length > 0) {
      if (!this.flushing) await this.flush();
      else await new Promise((r) => setImmediate(r));
    }
    const fd = this.active.writeFd;
    if (fd !== null && !this.failed && this.opts.fsync === 'never') await fdatasyncAsync(fd);
    for (const s of this.segments) s.close();
  }
}

/** fsync a directory so file creations, renames and deletions in it are durable. */
export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}
