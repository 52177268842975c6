import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { replaceFileDurably } from '../../core/log/dir-sync.js';
import type { ProducerEntry } from './producer-state.js';

/*
 * Producer-state snapshots of a partition, as Kafka's ProducerStateManager writes them
 * (<offset>.snapshot in the partition directory, the state as of that log offset): here
 * <20-digit offset>.producer-snapshot holding an 8-byte magic, a CRC-32C of the body and the body as
 * JSON. At open, the newest snapshot at or below the log end is loaded and only the batches after
 * its offset are replayed; a snapshot past the log end (the tail it covered was lost in a crash) is
 * deleted, as Kafka's ProducerStateManager.truncateFullyAndReloadSnapshots removes snapshots above
 * the log end.
 */
const SUFFIX = '.producer-snapshot';
const MAGIC = Buffer.from('JKPS0001');
/** Snapshots kept per partition (older ones are deleted after a newer one is durable). */
const KEEP = 2;

export interface ProducerSnapshot {
  /** The state covers every batch below this offset. */
  offset: number;
  producers: Array<[number, ProducerEntry]>;
}

function fileName(offset: number): string { return `${String(offset).padStart(20, '0')}${SUFFIX}`; }

function snapshotOffsets(dir: string): number[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  return names.filter((n) => n.endsWith(SUFFIX) && /^\d{20}$/.test(n.slice(0, -SUFFIX.length)))
    .map((n) => Number(n.slice(0, -SUFFIX.length))).sort((a, b) => a - b);
}

function parse(buf: Buffer): ProducerSnapshot | null {
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const body = buf.subarray(MAGIC.length + 4);
  if (crc32c(body) !== buf.readUInt32BE(MAGIC.length)) return null;
  try {
    const value = JSON.parse(body.toString('utf8')) as ProducerSnapshot;
    return Number.isSafeInteger(value.offset) && Array.isArray(value.producers) ? value : null;
  } catch {
    return null;
  }
}

/**
 * The newest readable snapshot whose offset is ≤ logEnd, or null. Snapshots past logEnd are
 * removed (they describe batches the log no longer has); a damaged one is skipped (and reported
 * through `onDamaged`), falling back to the one before it.
 */
export function loadProducerSnapshot(dir: string, logEnd: number, onDamaged: (file: string) => void): ProducerSnapshot | null {
  const offsets = snapshotOffsets(dir);
  for (let i = offsets.length - 1; i >= 0; i--) {
    const file = join(dir, fileName(offsets[i]!));
    if (offsets[i]! > logEnd) { rmSync(file, { force: true }); continue; }
    let parsed: ProducerSnapshot | null = null;
    try { parsed = parse(readFileSync(file)); } catch { parsed = null; }
    if (parsed && parsed.offset === offsets[i]) return parsed;
    onDamaged(file);
  }
  return null;
}

/** Write a snapshot durably (temp file, fsync, rename, fsync the directory), then drop all but the newest KEEP. */
export async function writeProducerSnapshot(dir: string, snapshot: ProducerSnapshot): Promise<void> {
  const body = Buffer.from(JSON.stringify(snapshot), 'utf8');
  const head = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(head, 0);
  head.writeUInt32BE(crc32c(body), MAGIC.length);
  await replaceFileDurably(join(dir, fileName(snapshot.offset)), Buffer.concat([head, body]));
  const offsets = snapshotOffsets(dir);
  for (const old of offsets.slice(0, Math.max(0, offsets.length - KEEP))) await rm(join(dir, fileName(old)), { force: true });
}
