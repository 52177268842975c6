import { crc32c } from '@node-rs/crc32';
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import type { MessageIndex } from './message-index.js';

/**
 * The index written at a clean close (`index` in the queue's directory), so the next open loads
 * ~22 bytes per live message instead of reading every stored message again (RabbitMQ's classic
 * queues recover from their index files, not the message store, after a clean shutdown):
 *
 *   8 B magic "JAQIDX02" | f64 message log end | f64 ack log end (-1: no ack log) | u32 count |
 *   count × (f64 offset | u32 body size | u8 priority | f64 deadline, 0 = none | u8 redelivered) |
 *   u32 n | n × (f64 ack segment base | f64 highest message offset it names) | u32 CRC-32C of all before
 *
 * It is a cache, never the truth: it is used only if both logs end exactly where it says (any
 * append or removal after it moves an end), and deleted once read, so a later crash replays the
 * logs. A damaged or stale file (or one of the older format, without the redelivered byte) is ignored.
 * Transient messages paged to the log are left out: a restart never brings one back (their records
 * need no ack record either — the log replay after a crash skips them too).
 *
 * The redelivered byte: after a clean stop RabbitMQ 3.10.8 marks redelivered only the messages
 * delivered before it (its queue index keeps delivery marks); after a crash, every recovered message
 * (the log replay, QueueMessageStore.open, marks them all).
 */
const MAGIC = Buffer.from('JAQIDX02');
const ENTRY_BYTES = 22;
const HEAD_BYTES = 8 + 8 + 8 + 4;
export const INDEX_FILE = 'index';

export interface LogEnds { msgs: number; acks: number }

/** Per ack segment (base) the highest message offset it names: what ack truncation needs. */
export type AckMaxima = [number, number][];

export function writeIndexFile(path: string, index: MessageIndex, ends: LogEnds, maxima: AckMaxima): void {
  const buf = Buffer.allocUnsafe(HEAD_BYTES + index.size * ENTRY_BYTES + 4 + maxima.length * 16 + 4);
  MAGIC.copy(buf, 0);
  buf.writeDoubleBE(ends.msgs, 8);
  buf.writeDoubleBE(ends.acks, 16);
  let at = HEAD_BYTES;
  const count = index.forEachLivePersistent((offset, size, priority, deadline, redelivered) => {
    at = buf.writeDoubleBE(offset, at);
    at = buf.writeUInt32BE(size, at);
    at = buf.writeUInt8(priority, at);
    at = buf.writeDoubleBE(deadline, at);
    at = buf.writeUInt8(redelivered ? 1 : 0, at);
  });
  buf.writeUInt32BE(count, 24);
  at = buf.writeUInt32BE(maxima.length, at);
  for (const [base, max] of maxima) at = buf.writeDoubleBE(max, buf.writeDoubleBE(base, at));
  buf.writeUInt32BE(crc32c(buf.subarray(0, at)), at);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, buf.subarray(0, at + 4));
  renameSync(tmp, path);
}

/** Fill `index` from the file if it is intact and matches `ends` (returning the ack maxima),
 *  else null; the file is deleted either way. */
export function loadIndexFile(path: string, index: MessageIndex, ends: LogEnds): AckMaxima | null {
  if (!existsSync(path)) return null;
  const buf = readFileSync(path);
  unlinkSync(path);
  if (buf.length < HEAD_BYTES + 8 || !buf.subarray(0, 8).equals(MAGIC) || buf.readDoubleBE(8) !== ends.msgs || buf.readDoubleBE(16) !== ends.acks) return null;
  const count = buf.readUInt32BE(24);
  const entriesEnd = HEAD_BYTES + count * ENTRY_BYTES;
  if (buf.length < entriesEnd + 8) return null;
  const pairs = buf.readUInt32BE(entriesEnd);
  const end = entriesEnd + 4 + pairs * 16;
  if (buf.length !== end + 4 || crc32c(buf.subarray(0, end)) !== buf.readUInt32BE(end)) return null;
  for (let at = HEAD_BYTES; at < entriesEnd; at += ENTRY_BYTES) {
    const deadline = buf.readDoubleBE(at + 13);
    index.push(buf.readDoubleBE(at), buf.readUInt32BE(at + 8), buf.readUInt8(at + 12), deadline === 0 ? null : deadline, buf[at + 21] === 1);
  }
  const maxima: AckMaxima = [];
  for (let at = entriesEnd + 4; at < end; at += 16) maxima.push([buf.readDoubleBE(at), buf.readDoubleBE(at + 8)]);
  return maxima;
}
