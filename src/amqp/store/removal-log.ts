import { deferred, type Deferred } from '../../core/deferred.js';
import type { RawLog } from '../../core/storage/storage.js';
import type { LazyLog } from './lazy-log.js';

/** The removals of one flush: they are written in one record, so they share one promise. */
interface Batch { offsets: number[]; done: Deferred<true> }

function encodeOffsets(offsets: readonly number[]): Buffer {
  const buf = Buffer.allocUnsafe(offsets.length * 8);
  offsets.forEach((o, i) => buf.writeDoubleBE(o, i * 8));
  return buf;
}

function decodeOffsets(payload: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at + 8 <= payload.length; at += 8) out.push(payload.readDoubleBE(at));
  return out;
}

/**
 * A queue's ack log (LavinMQ's acks files): one record per burst of removals — ack, reject, drop,
 * expiry, dead-letter — holding the removed messages' offsets in the message log (f64 each, exact
 * below 2^53). The record goes into the next shared commit cycle, so a removal is written to the
 * file within a cycle of being asked for: what survives kill -9 (an fdatasync is only needed
 * against power loss, and the cycle gives that too under fsync=always|batch).
 *
 * Truncation follows the message log: an ack segment can go once every offset it names lies
 * below the message log's first kept offset (those messages are gone with their segments); behind
 * a live head, a closed ack segment becomes a gap once every message log offset between the least
 * and the greatest it names is in a gap of the message log (compactBehind).
 */
export class RemovalLog {
  private batch: Batch | null = null;
  /** Per ack-log segment (by base offset), the highest message offset its records name. */
  private segmentMax = new Map<number, number>();
  /** … and the lowest (known only for records noted in this run or replayed: the index file keeps
   *  maxima only, so a segment without one waits for the prefix rule). */
  private segmentMin = new Map<number, number>();
  /** Ack segments from this offset on have every record noted in segmentMin; below it (what was
   *  written before a resume from the index file) the least offset named is unknown. */
  private minKnownFrom = 0;

  constructor(private readonly lazy: LazyLog) {}

  /** Replay the removals of earlier runs (opens the log only if one was written). */
  async recover(onRemoved: (offset: number) => void): Promise<void> {
    if (!this.lazy.existsOnDisk()) return;
    const log = await this.lazy.open();
    for await (const record of log.replay()) {
      const offsets = decodeOffsets(record.payload);
      this.note(record.offset, log.segmentBases, offsets);
      for (const o of offsets) onRemoved(o);
    }
  }

  /** Per ack segment, the highest message offset it names (saved in the index file at close). */
  get maxima(): [number, number][] { return [...this.segmentMax]; }

  /** Open the ack log, if one exists, without replaying it: the index file gave its maxima. */
  async resume(maxima: readonly [number, number][]): Promise<void> {
    this.segmentMax = new Map(maxima);
    if (this.lazy.existsOnDisk()) this.minKnownFrom = (await this.lazy.open()).nextOffset;
  }

  /** Log the removal of message `offset`; resolves once its record is written and committed.
   *  Removals asked for in the same turn share the promise (a multiple ack makes one, not one
   *  per message). */
  add(offset: number): Promise<true> {
    let batch = this.batch;
    if (!batch) {
      batch = this.batch = { offsets: [], done: deferred<true>() };
      queueMicrotask(() => this.flush());
    }
    batch.offsets.push(offset);
    return batch.done.promise;
  }

  private flush(): void {
    const { offsets, done } = this.batch!;
    this.batch = null;
    this.lazy.use((log) => {
      const at = log.nextOffset;
      log.append(encodeOffsets(offsets)).then(() => {
        this.note(at, log.segmentBases, offsets);
        done.resolve(true);
      }, done.reject);
    }, done.reject);
  }

  private note(ackOffset: number, bases: readonly number[], offsets: readonly number[]): void {
    let base = bases[0]!;
    for (let i = bases.length - 1; i >= 0; i--) if (bases[i]! <= ackOffset) { base = bases[i]!; break; }
    let max = this.segmentMax.get(base) ?? -1;
    let min = this.segmentMin.get(base) ?? Infinity;
    for (const o of offsets) {
      if (o > max) max = o;
      if (o < min) min = o;
    }
    this.segmentMax.set(base, max);
    this.segmentMin.set(base, min);
  }

  /** Replace closed ack segments by gaps when no message they name can come back: every message
   *  log offset from the least to the greatest they name lies in a gap of `msgs` or below its
   *  start. Call after the message log's compactSegments() returned (its gaps are durable then). */
  async compactBehind(msgs: RawLog): Promise<number> {
    const log = this.lazy.current;
    if (!log || log.segmentBases.length < 3) return 0;
    return log.compactSegments((base) => {
      if (base < this.minKnownFrom) return false;
      const min = this.segmentMin.get(base);
      const max = this.segmentMax.get(base);
      return min !== undefined && max !== undefined && msgs.gapsCover(min, max + 1);
    });
  }

  /** Delete leading ack segments that only name messages below `firstKeptMessage`. */
  async truncate(firstKeptMessage: number): Promise<number> {
    const log = this.lazy.current;
    if (!log) return 0;
    const bases = log.segmentBases;
    let cut = -1;
    for (let i = 0; i < bases.length - 1; i++) {
      if ((this.segmentMax.get(bases[i]!) ?? -1) >= firstKeptMessage) break;
      cut = bases[i + 1]!;
    }
    if (cut < 0) return 0;
    for (const base of this.segmentMax.keys()) if (base < cut) this.segmentMax.delete(base);
    for (const base of this.segmentMin.keys()) if (base < cut) this.segmentMin.delete(base);
    return log.deleteBefore(cut);
  }

  /** Drop what is known of the log (after its directory was removed). */
  reset(): void {
    this.segmentMax.clear();
    this.segmentMin.clear();
    this.minKnownFrom = 0;
  }
}
