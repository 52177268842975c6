import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, statSync, writeFileSync, writevSync, existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { StorageError } from '../errors.js';
import { recordBytes, type EncodedRecord } from './commit-scheduler.js';
import { decodeRecord, GAP_RECORD_BYTES, isGapPayload, RECORD_HEADER_BYTES, type DecodedRecord, type DecodeFailure } from './record.js';

/** A record of a segment compaction wrote, where it lies in the new file. */
export interface KeptRecord { offset: number; position: number; size: number }

export type ScanItem =
  | { record: DecodedRecord; position: number; stop?: undefined }
  | { stop: DecodeFailure; position: number; record?: undefined };

/** Why a segment's records stop before its end: a record that does not decode, or one whose
 *  offset is not the expected next one. */
export type ScanFailure = DecodeFailure | 'offset-gap';

/** What a scan of a whole segment found; `failure` is null when every byte is a valid record. */
export interface ScanOutcome {
  records: number;
  /** Bytes of the valid prefix (= the file size when nothing failed). */
  validBytes: number;
  failure: { reason: ScanFailure; position: number } | null;
}

const INDEX_ENTRY_BYTES = 12; // u64 offset + u32 position
const INDEX_CRC_BYTES = 4; // trailing crc32c of all entries: a half-written index fails it
const READ_CHUNK = 1 << 20;

export function segmentName(baseOffset: number, ext: 'log' | 'index'): string {
  return `${String(baseOffset).padStart(20, '0')}.${ext}`;
}

/** Base offsets of the segment files in `dir`, ascending. */
export function segmentBases(names: readonly string[]): number[] {
  return names.filter((f) => /^\d{20}\.log$/.test(f)).map((f) => Number(f.slice(0, 20))).sort((a, b) => a - b);
}

/**
 * One segment file `<baseOffset>.log` plus its sparse index `<baseOffset>.index` (entries of
 * offset → byte position, one every indexIntervalBytes). The index of the active segment lives in
 * memory and is written when the segment is rolled; a missing, damaged or inconsistent index is
 * rebuilt by scanning (and rewritten once the log is accepted), so the index file is never needed
 * for correctness.
 *
 * Opening is split in two so that a log refused at open is left exactly as found: existing() +
 * tryIndex()/scan() only read; persistIndex() and openForAppend() (which may cut a torn tail)
 * write, and SegmentedLog calls them only after recovery accepted the whole log.
 */
export class Segment {
  private fd: number | null = null;
  private indexOffsets: number[] = [];
  private indexPositions: number[] = [];
  private bytesSinceIndex = 0;
  /** The in-memory index was rebuilt by a scan and differs from (or lacks) the file. */
  private indexStale = false;
  /** When the file was created (wall clock, ms): Kafka's LogSegment.created, what a time-based
   *  roll (segment.ms) measures the segment's age from. */
  createdMs = Date.now();
  /** fdatasyncs of `fd` still running (syncData), and the fd to close once they return. */
  private syncsInFlight = 0;
  private closeAfterSyncs: number | null = null;
  /** Whether the file is one gap record (compact-segments.ts), once known. */
  private gap: boolean | undefined;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    public size: number,
    public endOffset: number,
    private readonly indexIntervalBytes: number,
    private readonly maxRecordBytes: number,
  ) {}

  get path(): string { return join(this.dir, segmentName(this.baseOffset, 'log')); }
  private get indexPath(): string { return join(this.dir, segmentName(this.baseOffset, 'index')); }

  static create(dir: string, baseOffset: number, indexIntervalBytes: number, maxRecordBytes: number): Segment {
    const seg = new Segment(dir, baseOffset, 0, baseOffset, indexIntervalBytes, maxRecordBytes);
    seg.fd = openSync(seg.path, 'a+');
    seg.createdMs = Date.now();
    return seg;
  }

  /** The closed segment that one gap record at `baseOffset` spanning to `endOffset` makes (its file
   *  is written by compact-segments.ts); its index is written by persistIndex(). */
  static gapOf(dir: string, baseOffset: number, endOffset: number, indexIntervalBytes: number, maxRecordBytes: number): Segment {
    const seg = new Segment(dir, baseOffset, GAP_RECORD_BYTES, endOffset, indexIntervalBytes, maxRecordBytes);
    seg.indexOffsets = [baseOffset];
    seg.indexPositions = [0];
    seg.indexStale = true;
    seg.gap = true;
    return seg;
  }

  /** The closed segment a compaction that kept some records wrote (compact-segments.ts): its
   *  sparse index from the records' positions; written by persistIndex(). */
  static closedOf(dir: string, baseOffset: number, endOffset: number, records: readonly KeptRecord[], indexIntervalBytes: number, maxRecordBytes: number): Segment {
    const last = records[records.length - 1]!;
    const seg = new Segment(dir, baseOffset, last.position + last.size, endOffset, indexIntervalBytes, maxRecordBytes);
    for (const r of records) seg.noteIndexed(r.offset, r.position, r.size);
    seg.indexStale = true;
    seg.gap = records.length === 1 && last.size === GAP_RECORD_BYTES ? undefined : false;
    return seg;
  }

  /** A closed segment that holds only a gap record (read once, from a file of that size). */
  isGap(): boolean {
    if (this.gap === undefined) {
      this.gap = false;
      if (this.size === GAP_RECORD_BYTES) {
        for (const item of this.records(0, Infinity)) {
          this.gap = !item.stop && isGapPayload(item.record.payload) && item.record.offset + item.record.span === this.endOffset;
          break;
        }
      }
    }
    return this.gap;
  }

  /** A read-only view of an existing segment file (size = file size; end offset unknown until
   *  tryIndex() or scan()). A missing file reads as empty (a log that has no segment yet). */
  static existing(dir: string, baseOffset: number, indexIntervalBytes: number, maxRecordBytes: number): Segment {
    const seg = new Segment(dir, baseOffset, 0, baseOffset, indexIntervalBytes, maxRecordBytes);
    if (existsSync(seg.path)) {
      const stat = statSync(seg.path);
      seg.size = stat.size;
      // statx's birth time where the file system keeps one (ext4, xfs, btrfs), else the last write.
      seg.createdMs = stat.birthtimeMs > 0 ? stat.birthtimeMs : stat.mtimeMs;
    }
    return seg;
  }

  /** For a closed segment whose end offset is known (the next segment's base): use its index
   *  file if it is consistent and the records after its last entry end the file at `endOffset`.
   *  False means: scan it (a scan reports a missing next segment, or a file cut short, as damage). */
  tryIndex(endOffset: number): boolean {
    this.endOffset = endOffset;
    return this.loadIndex() && this.tailEndsAt(endOffset);
  }

  /**
   * The record headers from the index's last entry on (at most an index interval of records) chain
   * in offset order to the end of the file, and the last one ends at `endOffset`. Headers only:
   * this is the segment's shape (a missing next segment, a file cut short); records' CRCs are
   * checked when replay or a reader decodes them, as before.
   */
  private tailEndsAt(endOffset: number): boolean {
    let expected = this.indexOffsets[this.indexOffsets.length - 1]!;
    let position = this.indexPositions[this.indexPositions.length - 1]!;
    const header = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
    const fd = openSync(this.path, 'r');
    try {
      while (position < this.size) {
        if (readSync(fd, header, 0, RECORD_HEADER_BYTES, position) < RECORD_HEADER_BYTES) return false;
        const length = header.readUInt32BE(0);
        const offset = header.readUInt32BE(8) * 0x1_0000_0000 + header.readUInt32BE(12);
        if (length < RECORD_HEADER_BYTES - 4 || offset !== expected) return false;
        expected = offset + header.readUInt32BE(16);
        position += 4 + length;
      }
    } finally {
      closeSync(fd);
    }
    return position === this.size && expected === endOffset;
  }

  /** Rebuild index and end offset from the records, stopping at the first invalid one. Reads
   *  only: `size` stays the file size, so a caller can see how much follows the failure. */
  scan(): ScanOutcome {
    this.indexOffsets = [];
    this.indexPositions = [];
    this.bytesSinceIndex = 0;
    this.indexStale = true;
    let expected = this.baseOffset;
    let validBytes = 0;
    let records = 0;
    let failure: ScanOutcome['failure'] = null;
    for (const { record, position, stop } of this.records(0, Infinity)) {
      if (stop) { failure = { reason: stop, position }; break; }
      if (record.offset !== expected) { failure = { reason: 'offset-gap', position }; break; }
      this.noteIndexed(record.offset, position, record.size);
      expected = record.offset + record.span;
      validBytes = position + record.size;
      records++;
    }
    this.endOffset = expected;
    return { records, validBytes, failure };
  }

  /** Write the index rebuilt by scan() (a closed segment, once the log is accepted). */
  persistIndex(): void {
    if (this.indexStale) this.writeIndex();
    this.indexStale = false;
  }

  /** Make this (last) segment the active one: open it for appending, first cutting the file to
   *  `size` if it is longer (the torn tail recovery accepted) and making the cut durable. */
  openForAppend(): void {
    this.fd = openSync(this.path, 'a+');
    if (fstatSync(this.fd).size > this.size) {
      ftruncateSync(this.fd, this.size);
      fdatasyncSync(this.fd);
    }
  }

  /** Records from byte `start` up to `limit` bytes; yields a `stop` reason at the first bad one. */
  *records(start: number, limit: number): Generator<ScanItem> {
    const end = Math.min(this.size, start + limit);
    if (start >= end) return;
    const fd = this.fd ?? openSync(this.path, 'r');
    try {
      let pos = start;
      let buf = Buffer.alloc(0);
      let bufStart = start;
      let hitEof = false;
      while (pos < end) {
        const rel = pos - bufStart;
        const result = decodeRecord(buf, rel, this.maxRecordBytes);
        if (result.ok) {
          yield { record: result.record, position: pos };
          pos += result.record.size;
          continue;
        }
        const available = this.size - pos;
        // hitEof: the file is shorter than `size` says (changed under us); stop, do not spin.
        if (result.reason !== 'incomplete' || buf.length - rel >= available || (hitEof && rel === 0)) {
          yield { stop: result.reason, position: pos };
          return;
        }
        // The buffer ends inside this record: read it whole (or a chunk of many) from pos.
        const need = buf.length - rel >= 4 ? buf.readUInt32BE(rel) + 4 : 0;
        const chunk = Buffer.allocUnsafe(Math.min(Math.max(READ_CHUNK, need), available));
        const n = readSync(fd, chunk, 0, chunk.length, pos);
        if (n === 0) { yield { stop: 'incomplete', position: pos }; return; }
        hitEof = n < chunk.length;
        buf = chunk.subarray(0, n);
        bufStart = pos;
      }
    } finally {
      if (this.fd === null) closeSync(fd);
    }
  }

  /** Byte position from which a scan for `offset` should start (sparse index lookup). */
  positionFor(offset: number): number {
    let lo = 0, hi = this.indexOffsets.length - 1, best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.indexOffsets[mid]! <= offset) { best = this.indexPositions[mid]!; lo = mid + 1; } else hi = mid - 1;
    }
    return best;
  }

  /** Decode one record known to be valid (closed data): a bad one is a StorageError. */
  readAt(position: number): DecodedRecord {
    for (const item of this.records(position, Infinity)) {
      if (item.stop) throw new StorageError(`${this.path}: record at byte ${position} is unreadable (${item.stop})`);
      return item.record;
    }
    throw new StorageError(`${this.path}: no record at byte ${position}`);
  }

  /** Write already-encoded records (each the pieces that make it) at the end; caller tracks offsets. */
  write(records: readonly EncodedRecord[], firstOffsets: number[], spans: number[]): void {
    if (this.fd === null) throw new Error(`segment ${this.path} is closed for writing`);
    // A loop, not records.flat(): V8's generic flat() took 136 of the server's 5,900 ms of CPU
    // in the AMQP persistent row (300,000 messages), the loop 22.
    const pieces: Buffer[] = [];
    for (const record of records) for (const piece of record) pieces.push(piece);
    for (let written = 0; written < pieces.length; written += IOV_MAX) {
      const group = pieces.slice(written, written + IOV_MAX);
      const total = group.reduce((n, b) => n + b.length, 0);
      let done = writevSync(this.fd, group);
      while (done < total) done += writevSync(this.fd, remainder(group, done));
    }
    for (let i = 0; i < records.length; i++) {
      const size = recordBytes(records[i]!);
      this.noteIndexed(firstOffsets[i]!, this.size, size);
      this.size += size;
      this.endOffset = firstOffsets[i]! + spans[i]!;
    }
  }

  private noteIndexed(offset: number, position: number, size: number): void {
    if (this.indexOffsets.length === 0 || this.bytesSinceIndex >= this.indexIntervalBytes) {
      this.indexOffsets.push(offset);
      this.indexPositions.push(position);
      this.bytesSinceIndex = 0;
    }
    this.bytesSinceIndex += size;
  }

  get writeFd(): number | null { return this.fd; }

  /**
   * fdatasync what has been written so far, off the event loop, with `fdatasync` (injected by
   * tests). The file descriptor stays open until it returns even if the segment is sealed or
   * closed meanwhile (a journal checkpoint racing a roll), so the call never lands on a number
   * the process has reused for another file. A closed segment returns at once: it was
   * fdatasynced when it was sealed.
   */
  async syncData(fdatasync: (fd: number) => Promise<void>): Promise<void> {
    const fd = this.fd;
    if (fd === null) return;
    this.syncsInFlight++;
    try {
      await fdatasync(fd);
    } finally {
      if (--this.syncsInFlight === 0 && this.closeAfterSyncs !== null) {
        closeSync(this.closeAfterSyncs);
        this.closeAfterSyncs = null;
      }
    }
  }

  /** Stop appending: fsync, close, persist the sparse index. */
  seal(): void {
    if (this.fd !== null) {
      fdatasyncSync(this.fd);
      this.releaseFd();
    }
    this.writeIndex();
  }

  private releaseFd(): void {
    if (this.fd === null) return;
    if (this.syncsInFlight > 0) this.closeAfterSyncs = this.fd;
    else closeSync(this.fd);
    this.fd = null;
  }

  /** Persist the sparse index. Not fsynced: a lost or half-written index is detected by its CRC
   *  and rebuilt from the (fsynced) segment on the next open. */
  private writeIndex(): void {
    const entries = this.indexOffsets.length * INDEX_ENTRY_BYTES;
    const buf = Buffer.alloc(entries + INDEX_CRC_BYTES);
    this.indexOffsets.forEach((o, i) => {
      buf.writeBigUInt64BE(BigInt(o), i * INDEX_ENTRY_BYTES);
      buf.writeUInt32BE(this.indexPositions[i]!, i * INDEX_ENTRY_BYTES + 8);
    });
    buf.writeUInt32BE(crc32c(buf.subarray(0, entries)), entries);
    writeFileSync(this.indexPath, buf);
  }

  close(): void {
    this.releaseFd();
  }

  /** Close and delete the files. The unlinks run on libuv's pool: freeing an 8 MiB segment's
   *  page-cache pages took ~5 ms of the event loop per segment (race, persistent row). */
  async remove(): Promise<void> {
    this.close();
    await Promise.all([this.path, this.indexPath].map((p) => rm(p, { force: true })));
  }

  /** Load a persisted index; false if absent or inconsistent with the segment (then rescan). */
  private loadIndex(): boolean {
    if (!existsSync(this.indexPath)) return false;
    const file = readFileSync(this.indexPath);
    const entries = file.length - INDEX_CRC_BYTES;
    if (entries <= 0 || entries % INDEX_ENTRY_BYTES !== 0) return false;
    const buf = file.subarray(0, entries);
    if (crc32c(buf) !== file.readUInt32BE(entries)) return false;
    const offsets: number[] = [];
    const positions: number[] = [];
    for (let p = 0; p < buf.length; p += INDEX_ENTRY_BYTES) {
      const o = Number(buf.readBigUInt64BE(p));
      const pos = buf.readUInt32BE(p + 8);
      if (pos >= this.size || o < this.baseOffset || o >= this.endOffset) return false;
      if (offsets.length && (o <= offsets[offsets.length - 1]! || pos <= positions[positions.length - 1]!)) return false;
      offsets.push(o);
      positions.push(pos);
    }
    if (offsets[0] !== this.baseOffset || positions[0] !== 0) return false;
    this.indexOffsets = offsets;
    this.indexPositions = positions;
    return true;
  }
}

/** writev takes at most this many buffers (Linux IOV_MAX). */
const IOV_MAX = 1024;

/** What a short write left of `group` after its first `done` bytes. */
function remainder(group: Buffer[], done: number): Buffer[] {
  const rest: Buffer[] = [];
  for (const b of group) {
    if (done >= b.length) { done -= b.length; continue; }
    rest.push(done > 0 ? b.subarray(done) : b);
    done = 0;
  }
  return rest;
}
