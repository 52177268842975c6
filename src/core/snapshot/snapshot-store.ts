import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { syncDir } from '../log/dir-sync.js';

/**
 * Point-in-time images of a model (core/snapshot). A file `<offset>.snap` holds the state after
 * every log record below `offset`:
 *
 *   8 bytes  magic "JSNAP001"
 *   u64      offset (the first log offset NOT covered)
 *   u32      crc32c of the data
 *   u32      data length (up to 4 GiB)
 *   …        data
 *
 * Written to a temp file, fsynced, renamed, directory fsynced: a crash leaves either the old set
 * or the new file whole. latest() skips a damaged newest file and falls back to an older one
 * (the caller logs what was skipped). Reading never changes the directory: a leftover temp file
 * is removed by the next save(), so a store refused at open is left as found.
 */
const MAGIC = Buffer.from('JSNAP001');
const HEADER = 24;

export interface Snapshot { offset: number; data: Buffer }

/** A snapshot file that could not be used, and why. */
export interface SkippedSnapshot { file: string; offset: number; reason: string }

export type SnapshotRead = { ok: true; snapshot: Snapshot } | { ok: false; reason: string };

export class SnapshotStore {
  constructor(private readonly dir: string, private readonly keep = 2) {}

  /** `data` may come in pieces (written in order, as if concatenated) so a big image need not be
   *  copied into one buffer first. */
  async save(offset: number, data: Buffer | readonly Buffer[]): Promise<void> {
    const pieces = Buffer.isBuffer(data) ? [data] : data;
    mkdirSync(this.dir, { recursive: true });
    const final = join(this.dir, `${String(offset).padStart(20, '0')}.snap`);
    const tmp = `${final}.tmp`;
    // Asynchronous I/O: an image of a big model is tens of MB, and writing + fsyncing it must not
    // stall the event loop (and every request behind it) the way a synchronous write would.
    const file = await open(tmp, 'w');
    try {
      // The header (CRC and length of the data) is known only at the end: write room for it,
      // then the data in batches of about 1 MiB, each CRC'd just before it is written, so no step
      // walks the whole image at once. writeFile continues at the current position and loops
      // over short writes.
      const header = Buffer.alloc(HEADER);
      await file.writeFile(header);
      let crc = 0;
      let length = 0;
      for (const batch of batches(pieces, 1 << 20)) {
        crc = crc32c(batch, crc);
        length += batch.length;
        await file.writeFile(batch);
      }
      MAGIC.copy(header, 0);
      header.writeBigUInt64BE(BigInt(offset), 8);
      header.writeUInt32BE(crc, 16);
      header.writeUInt32BE(length, 20);
      await file.write(header, 0, HEADER, 0);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, final);
    syncDir(this.dir);
    this.prune();
  }

  /** The newest readable snapshot, or null. */
  async latest(): Promise<Snapshot | null> {
    return this.latestReadable().snapshot;
  }

  /** The newest readable snapshot and the newer files skipped on the way (damaged). */
  latestReadable(): { snapshot: Snapshot | null; skipped: SkippedSnapshot[] } {
    const skipped: SkippedSnapshot[] = [];
    for (const file of this.files().reverse()) {
      const path = join(this.dir, file);
      const read = readSnapshotFile(path);
      if (read.ok) return { snapshot: read.snapshot, skipped };
      skipped.push({ file: path, offset: Number(file.slice(0, 20)), reason: read.reason });
    }
    return { snapshot: null, skipped };
  }

  /** Every snapshot file, oldest first, each read and checked (for `junction data check`). */
  inspect(): Array<{ file: string; offset: number; bytes: number; readable: boolean; reason?: string }> {
    return this.files().map((f) => {
      const file = join(this.dir, f);
      const read = readSnapshotFile(file);
      const bytes = statSync(file).size;
      return read.ok ? { file, offset: Number(f.slice(0, 20)), bytes, readable: true }
        : { file, offset: Number(f.slice(0, 20)), bytes, readable: false, reason: read.reason };
    });
  }

  /** Offsets of the snapshot files present (readable or not), oldest first. The log must keep
   *  every record from the oldest one on, so latest() can fall back to it. */
  offsets(): number[] {
    return this.files().map((f) => Number(f.slice(0, 20)));
  }

  private files(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).filter((f) => /^\d{20}\.snap$/.test(f)).sort();
  }

  /** Keep the newest `keep` files; remove temp files a crash mid-save left behind. */
  private prune(): void {
    for (const f of readdirSync(this.dir)) if (f.endsWith('.snap.tmp')) unlinkSync(join(this.dir, f));
    const files = this.files();
    for (const f of files.slice(0, Math.max(0, files.length - this.keep))) unlinkSync(join(this.dir, f));
  }
}

/** Parse a snapshot file; null when it is damaged (bad magic, length or CRC). */
export function readSnapshot(path: string): Snapshot | null {
  const read = readSnapshotFile(path);
  return read.ok ? read.snapshot : null;
}

/** Parse a snapshot file, saying why it cannot be used. */
export function readSnapshotFile(path: string): SnapshotRead {
  let buf: Buffer;
  try { buf = readFileSync(path); } catch (err) { return { ok: false, reason: `cannot read: ${(err as Error).message}` }; }
  if (buf.length < HEADER) return { ok: false, reason: `${buf.length} bytes, shorter than the ${HEADER}-byte header` };
  if (!buf.subarray(0, 8).equals(MAGIC)) return { ok: false, reason: 'bad magic' };
  const length = buf.readUInt32BE(20);
  if (buf.length !== HEADER + length) return { ok: false, reason: `length field says ${length} data bytes, file has ${buf.length - HEADER}` };
  const data = buf.subarray(HEADER);
  if (crc32c(data) !== buf.readUInt32BE(16)) return { ok: false, reason: 'CRC-32C mismatch' };
  return { ok: true, snapshot: { offset: Number(buf.readBigUInt64BE(8)), data } };
}

/** Consecutive pieces joined into buffers of about `size` bytes (a large piece stays alone). */
function* batches(pieces: readonly Buffer[], size: number): Generator<Buffer> {
  let group: Buffer[] = [];
  let bytes = 0;
  for (const piece of pieces) {
    group.push(piece);
    bytes += piece.length;
    if (bytes >= size) {
      yield group.length === 1 ? group[0]! : Buffer.concat(group, bytes);
      group = [];
      bytes = 0;
    }
  }
  if (group.length > 0) yield Buffer.concat(group, bytes);
}
