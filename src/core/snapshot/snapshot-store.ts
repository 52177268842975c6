import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { syncDir } from '../log/segmented-log.js';

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
 * or the new file whole. latest() skips a damaged newest file and falls back to an older one.
 */
const MAGIC = Buffer.from('JSNAP001');
const HEADER = 24;

export interface Snapshot { offset: number; data: Buffer }

export class SnapshotStore {
  constructor(private readonly dir: string, private readonly keep = 2) {
    mkdirSync(dir, { recursive: true });
  }

  /** `data` may come in pieces (written in order, as if concatenated) so a big image need not be
   *  copied into one buffer first. */
  async save(offset: number, data: Buffer | readonly Buffer[]): Promise<void> {
    const pieces = Buffer.isBuffer(data) ? [data] : data;
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
    for (const file of this.files().reverse()) {
      const snap = readSnapshot(join(this.dir, file));
      if (snap) return snap;
    }
    return null;
  }

  /** Offsets of the snapshot files present (readable or not), oldest first. The log must keep
   *  every record from the oldest one on, so latest() can fall back to it. */
  offsets(): number[] {
    return this.files().map((f) => Number(f.slice(0, 20)));
  }

  private files(): string[] {
    if (!existsSync(this.dir)) return [];
    for (const f of readdirSync(this.dir)) if (f.endsWith('.tmp')) unlinkSync(join(this.dir, f));
    return readdirSync(this.dir).filter((f) => /^\d{20}\.snap$/.test(f)).sort();
  }

  private prune(): void {
    const files = this.files();
    for (const f of files.slice(0, Math.max(0, files.length - this.keep))) unlinkSync(join(this.dir, f));
  }
}

/** Parse a snapshot file; null when it is damaged (bad magic, length or CRC). */
export function readSnapshot(path: string): Snapshot | null {
  let buf: Buffer;
  try { buf = readFileSync(path); } catch { return null; }
  if (buf.length < HEADER || !buf.subarray(0, 8).equals(MAGIC)) return null;
  const length = buf.readUInt32BE(20);
  if (buf.length !== HEADER + length) return null;
  const data = buf.subarray(HEADER);
  if (crc32c(data) !== buf.readUInt32BE(16)) return null;
  return { offset: Number(buf.readBigUInt64BE(8)), data };
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
