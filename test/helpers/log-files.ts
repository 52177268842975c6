import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { decodeRecord } from '../../src/core/log/record.js';

/** Tools for tests that damage a store's files on purpose (docs/storage.md formats). */

export interface RecordAt { position: number; offset: number; span: number; payload: Buffer }

/** Every valid record of a segment file, in order, with its byte position (stops at damage). */
export function segmentRecords(file: string): RecordAt[] {
  const buf = readFileSync(file);
  const out: RecordAt[] = [];
  for (let pos = 0; pos < buf.length;) {
    const r = decodeRecord(buf, pos, 1 << 30);
    if (!r.ok) break;
    out.push({ position: pos, offset: r.record.offset, span: r.record.span, payload: Buffer.from(r.record.payload) });
    pos += r.record.size;
  }
  return out;
}

/** Flip one bit of the byte at `position` (what a bad sector or a cosmic ray does). */
export function flipBit(file: string, position: number, bit = 3): void {
  const buf = readFileSync(file);
  buf[position]! ^= 1 << bit;
  writeFileSync(file, buf);
}

/** Every file under `dir` (relative path → SHA-256), to prove a refused start changed nothing. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}
