import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { recordBytes, type EncodedRecord } from '../../log/commit-scheduler.js';
import { decodeRecord, type DecodedRecord } from '../../log/record.js';

/**
 * A journal entry: the payload of one record in data/journal/log/ (docs/storage.md, "Journal").
 * It carries some of one log's records, byte for byte as that log's segment holds them:
 *
 *   u8   kind      1 = records of one log
 *   u16  key bytes n
 *   n    key       the log's directory, UTF-8: relative to the data dir ('/'-separated), or
 *                  absolute when it lies outside (a zoo.cfg dataDir)
 *   …    records   ≥ 1 log records (length, crc32c, offset, span, payload), dense offsets
 *
 * The journal record around it has its own CRC-32C, so the log's record bytes are checked twice
 * on replay: once as the journal wrote them, once as the log will hold them. Pure.
 */
export const ENTRY_KIND_RECORDS = 1;
const ENTRY_HEADER_BYTES = 3;
/** A log's records in one cycle are split into entries of at most this many record bytes (a
 *  single larger record gets an entry of its own), so an entry stays far below any record limit. */
export const ENTRY_RECORD_BYTES = 1 << 20;
/** Replay accepts records as large as the log format allows (a log may raise maxRecordBytes). */
const ANY_RECORD = 0xffff_ffff - 16;

/** The journal's name for a log directory. */
export function journalKey(dataDir: string, logDir: string): string {
  const abs = resolve(logDir);
  const rel = relative(resolve(dataDir), abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return abs;
  return rel.split(sep).join('/');
}

/** The log directory a key names. */
export function logDirOf(dataDir: string, key: string): string {
  return isAbsolute(key) ? key : join(dataDir, ...key.split('/'));
}

/** kind + key length + key: the fixed start of every entry of one log. */
export function entryHeader(key: string): Buffer {
  const keyBytes = Buffer.from(key, 'utf8');
  if (keyBytes.length === 0 || keyBytes.length > 0xffff) throw new RangeError(`journal key of ${keyBytes.length} bytes`);
  const head = Buffer.allocUnsafe(ENTRY_HEADER_BYTES + keyBytes.length);
  head.writeUInt8(ENTRY_KIND_RECORDS, 0);
  head.writeUInt16BE(keyBytes.length, 1);
  keyBytes.copy(head, ENTRY_HEADER_BYTES);
  return head;
}

/** Split one log's records into entry-sized groups, in order; each group is the pieces of its
 *  records back to back. */
export function groupRecords(records: readonly EncodedRecord[]): Buffer[][] {
  const groups: Buffer[][] = [];
  let group: Buffer[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = recordBytes(record);
    if (group.length > 0 && bytes + size > ENTRY_RECORD_BYTES) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(...record);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** One decoded log record of an entry, with its bytes exactly as the segment should hold them. */
export interface EntryRecord extends DecodedRecord {
  raw: Buffer;
}

export interface JournalEntry {
  key: string;
  records: EntryRecord[];
}

export type EntryResult = { ok: true; entry: JournalEntry } | { ok: false; reason: string };

/** Decode an entry payload. Never throws, whatever the bytes. */
export function decodeEntry(payload: Buffer): EntryResult {
  if (payload.length < ENTRY_HEADER_BYTES) return { ok: false, reason: 'shorter than an entry header' };
  const kind = payload.readUInt8(0);
  if (kind !== ENTRY_KIND_RECORDS) return { ok: false, reason: `unknown entry kind ${kind}` };
  const keyBytes = payload.readUInt16BE(1);
  const keyEnd = ENTRY_HEADER_BYTES + keyBytes;
  if (keyBytes === 0 || keyEnd > payload.length) return { ok: false, reason: `bad key length ${keyBytes}` };
  const keyBuf = payload.subarray(ENTRY_HEADER_BYTES, keyEnd);
  const key = keyBuf.toString('utf8');
  if (!Buffer.from(key, 'utf8').equals(keyBuf) || key.includes('\0')) return { ok: false, reason: 'key is not a path in UTF-8' };
  const records: EntryRecord[] = [];
  for (let pos = keyEnd; pos < payload.length;) {
    const decoded = decodeRecord(payload, pos, ANY_RECORD);
    if (!decoded.ok) return { ok: false, reason: `log record ${records.length} at entry byte ${pos}: ${decoded.reason}` };
    const { record } = decoded;
    const prev = records[records.length - 1];
    if (prev && record.offset !== prev.offset + prev.span) {
      return { ok: false, reason: `log record ${records.length} has offset ${record.offset}, expected ${prev.offset + prev.span}` };
    }
    records.push({ ...record, raw: payload.subarray(pos, pos + record.size) });
    pos += record.size;
  }
  if (records.length === 0) return { ok: false, reason: 'no log records' };
  return { ok: true, entry: { key, records } };
}
