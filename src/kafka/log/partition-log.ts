import { join } from 'node:path';
import { readMarker, writeMarker } from '../../core/log/marker-file.js';
import type { RawLog, Storage } from '../../core/storage/storage.js';
import { KafkaLogError } from './errors.js';
import { DataWaiters } from './data-waiters.js';
import { PartitionProducers, type ProducerRebuild } from './partition-producers.js';
import type { BatchMetadata } from './producer-state.js';
import { RecordBatch, type TimestampType } from './record-batch.js';
import { firstRecordAtOrAfter } from './records.js';
import { TimeIndex } from './time-index.js';

export interface PartitionLogOptions {
  /** log.segment.bytes (Kafka default 1 GiB; the RawLog's default when absent). */
  segmentBytes?: number;
  /** message.timestamp.type: LogAppendTime makes the broker stamp every batch (default CreateTime). */
  timestampType?: TimestampType;
  /** Bytes of batches between two time-index entries (Kafka's index.interval.bytes is 4 KiB per
   *  segment file; this index lives in memory, so it is sparser). Default 64 KiB. */
  timeIndexIntervalBytes?: number;
  /** segment.ms / log.roll.ms: an append to a segment created this long ago starts a new one
   *  (Kafka's time-based roll, so retention can delete a quiet partition's data). Absent: size only. */
  segmentMs?: number;
  /** The clock LogAppendTime stamps with and segment.ms measures by (tests inject one). */
  now?: () => number;
  /** Bytes appended between two producer-state snapshots (default 64 MiB, partition-producers.ts). */
  producerSnapshotIntervalBytes?: number;
}

export interface AppendResult {
  baseOffset: number;
  /** The stamped time for a LogAppendTime topic, -1 for CreateTime (ProduceResponse log_append_time_ms). */
  logAppendTime: number;
  logStartOffset: number;
  /** An idempotent producer's retry of a batch already stored: nothing was appended. */
  duplicate?: boolean;
}

export interface FetchResult {
  /** Whole stored batches, byte for byte, the first one containing the fetch offset. */
  batches: Buffer[];
  bytes: number;
  highWatermark: number;
  logStartOffset: number;
}

// Kafka's topic names: [a-zA-Z0-9._-]{1,249}, not "." or ".." ([AK] clients/.../internals/Topic.java).
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * The store name of a partition, `kafka/<topic>-<partition>` as Kafka names its log directories
 * (the partition is the text after the last dash, so the name is unambiguous). Every legal topic
 * name is a legal store name part as is; anything else is refused as Kafka refuses it.
 */
export function partitionStoreName(topic: string, partition: number): string {
  if (!LEGAL_TOPIC.test(topic) || topic === '.' || topic === '..') {
    throw new KafkaLogError('INVALID_TOPIC_EXCEPTION', `Topic name ${JSON.stringify(topic)} is illegal, it contains a character ` +
      "other than ASCII alphanumerics, '.', '_' and '-', is empty, longer than 249 characters, or '.' or '..'");
  }
  if (!Number.isInteger(partition) || partition < 0 || partition > 0x7fff_ffff) {
    throw new KafkaLogError('INVALID_TOPIC_EXCEPTION', `partition ${partition} of ${topic} is not a non-negative int32`);
  }
  return `kafka/${topic}-${partition}`;
}

/** <partition dir>/log-start-offset: the start DeleteRecords set, durable before it answers
 *  (Kafka's log-start-offset-checkpoint, one file per partition here). */
const LOG_START_FILE = 'log-start-offset';
const LOG_START_FORMAT = { magic: Buffer.from('JKLSO001'), fields: 1 };

/**
 * One Kafka partition on one RawLog: each record of the log is one RecordBatch v2, stored byte for
 * byte (after the broker's rewrites) with span = the batch's offset count, so the log's offsets are
 * Kafka offsets. Single broker: the high watermark is the end of the acknowledged (durable) batches,
 * which is also the last stable offset since transactions are refused.
 */
export class PartitionLog {
  private logStart: number;
  private acknowledgedEnd: number;
  private readonly timeIndex: TimeIndex;
  private readonly waiters = new DataWaiters();
  /** DeleteRecords calls, one after another, so the persisted start only moves forward. */
  private startChanges: Promise<unknown> = Promise.resolve();
  private producers!: PartitionProducers;
  /** Idempotent batches not yet durable: a retry of one answers when the original does. */
  private readonly inFlight = new Map<BatchMetadata, Promise<number>>();

  private constructor(readonly topic: string, readonly partition: number, private readonly raw: RawLog,
    private readonly dir: string, persistedStart: number, private readonly opts: PartitionLogOptions) {
    this.logStart = PartitionLog.startOf(raw, persistedStart);
    this.acknowledgedEnd = raw.nextOffset;
    this.timeIndex = new TimeIndex(this.logStart, opts.timeIndexIntervalBytes ?? 64 * 1024);
  }

  /** Open (or create) partition `partition` of `topic` in `storage` (a Storage, or a personality's
   *  view of one that places `kafka/<topic>-<partition>` under its own directory). */
  static async open(storage: Pick<Storage, 'dirOf' | 'rawLog'>, topic: string, partition: number, opts: PartitionLogOptions = {}): Promise<PartitionLog> {
    const name = partitionStoreName(topic, partition);
    const dir = storage.dirOf(name);
    // No gathering delay under fsync=batch (as ZooKeeper's store): a producer has already gathered
    // its records for linger.ms, and appends that arrive during a cycle's fdatasync share the next
    // one. bench:kafka-log, 1 partition × 5 batches in flight: 21 MB/s with the 2 ms delay, 175 without.
    const raw = await storage.rawLog(name, { log: { batchDelayMs: 0, ...(opts.segmentBytes !== undefined ? { segmentBytes: opts.segmentBytes } : {}) } });
    const marker = readMarker(join(dir, LOG_START_FILE), LOG_START_FORMAT);
    if (marker === 'unreadable') {
      await raw.close();
      throw new KafkaLogError('KAFKA_STORAGE_ERROR', `${join(dir, LOG_START_FILE)} is damaged; refusing to guess the log start offset ` +
        'of a partition (delete the file to fall back to the first segment)');
    }
    const persistedStart = marker?.[0] ?? 0;
    try {
      const log = new PartitionLog(topic, partition, raw, dir, persistedStart, opts);
      log.producers = await PartitionProducers.open(raw, dir, `${topic}-${partition}`, log.logStart, opts.producerSnapshotIntervalBytes);
      return log;
    } catch (err) {
      await raw.close();
      throw err;
    }
  }

  private static startOf(raw: RawLog, persistedStart: number): number {
    return Math.min(Math.max(persistedStart, raw.startOffset), raw.nextOffset);
  }

  /** How the producer state was rebuilt at open (snapshot or last segments, and what was replayed). */
  get producerRebuild(): ProducerRebuild { return this.producers.rebuild; }

  /** Idempotent producers this partition knows. */
  get producerCount(): number { return this.producers.table.size; }

  /** Forget idempotent producers whose newest batch is older than `cutoff` (ms since the epoch,
   *  compared with the batch's max timestamp, as ProducerStateManager.removeExpiredProducers). */
  expireProducers(cutoff: number): number { return this.producers.table.expireBefore(cutoff); }

  /** A topic config changed (AlterConfigs): segment.bytes and message.timestamp.type from the next append on. */
  reconfigure(opts: Pick<PartitionLogOptions, 'segmentBytes' | 'timestampType'>): void {
    if (opts.segmentBytes !== undefined) this.raw.setSegmentBytes(opts.segmentBytes);
    this.opts.timestampType = opts.timestampType;
  }

  get logStartOffset(): number { return this.logStart; }
  /** Offset the next batch will get (includes batches not yet durable). */
  get logEndOffset(): number { return this.raw.nextOffset; }
  /** End of the acknowledged batches: what consumers may read (= LEO once appends settle). */
  get highWatermark(): number { return this.acknowledgedEnd; }
  get sizeBytes(): number { return this.raw.sizeBytes; }

  /**
   * Append a validated client batch (validateClientBatch): rewrite its base offset (and, for a
   * LogAppendTime topic, its timestamp and CRC) in place, then store it. Resolves once durable
   * under --fsync, i.e. when acks=1/all may be answered.
   */
  async append(batch: RecordBatch): Promise<AppendResult> {
    // The RawLog assigns offsets synchronously, so nothing may run between reading nextOffset and append().
    const baseOffset = this.raw.nextOffset;
    if (batch.producerId >= 0) {
      const check = this.producers.table.check(batch, baseOffset);
      if (check.kind === 'duplicate') return this.answerDuplicate(check.batch);
    }
    batch.setBaseOffset(baseOffset);
    batch.setPartitionLeaderEpoch(0);
    const now = (this.opts.now ?? Date.now)();
    let logAppendTime = -1;
    if (this.opts.timestampType === 'LogAppendTime') {
      logAppendTime = now;
      batch.setLogAppendTime(logAppendTime);
    }
    this.rollIfOld(now);
    const span = batch.offsetSpan;
    const stored = this.raw.append(batch.bytes, span);
    // Only a batch the log took (an oversized one is refused before it gets offsets).
    let meta: BatchMetadata | null = null;
    if (this.raw.nextOffset === baseOffset + span) {
      this.timeIndex.observe(baseOffset, baseOffset + span, batch.maxTimestamp, batch.bytes.length);
      if (batch.producerId >= 0) {
        meta = this.producers.table.record(batch, baseOffset, batch.maxTimestamp);
        this.inFlight.set(meta, stored);
      }
      this.producers.appended(batch.bytes.length, this.raw.nextOffset);
    }
    let offset: number;
    try {
      offset = await stored;
    } catch (err) {
      throw new KafkaLogError('KAFKA_STORAGE_ERROR', `${this.topic}-${this.partition}: ${(err as Error).message}`, { cause: err });
    } finally {
      if (meta) this.inFlight.delete(meta);
    }
    if (offset !== baseOffset) throw new KafkaLogError('KAFKA_STORAGE_ERROR', `log assigned ${offset}, batch says ${baseOffset}`);
    // Appends of one log resolve in offset order, so the end only moves forward.
    this.acknowledgedEnd = Math.max(this.acknowledgedEnd, baseOffset + span);
    this.waiters.advance(this.acknowledgedEnd);
    return { baseOffset, logAppendTime, logStartOffset: this.logStart };
  }

  /** Kafka's LogSegment.shouldRoll by time: the active segment holds data and is segment.ms old. */
  private rollIfOld(now: number): void {
    if (this.opts.segmentMs === undefined) return;
    const active = this.raw.activeSegment;
    if (active.bytes > 0 && now - active.createdMs >= this.opts.segmentMs) this.raw.rollAtNextWrite();
  }

  /**
   * A retried idempotent batch: success with the original's offsets once the original is durable,
   * nothing appended (UnifiedLog.analyzeAndValidateProducerState returns the duplicate's
   * LogAppendInfo; the client sees its first send's result).
   */
  private async answerDuplicate(original: BatchMetadata): Promise<AppendResult> {
    const pending = this.inFlight.get(original);
    if (pending) {
      try { await pending; } catch (err) {
        throw new KafkaLogError('KAFKA_STORAGE_ERROR', `${this.topic}-${this.partition}: ${(err as Error).message}`, { cause: err });
      }
    }
    const logAppendTime = this.opts.timestampType === 'LogAppendTime' ? original.timestamp : -1;
    return { baseOffset: original.firstOffset, logAppendTime, logStartOffset: this.logStart, duplicate: true };
  }

  /**
   * Stored batches from the one containing `fromOffset`, up to maxBytes but at least one whole
   * batch (KIP-74 minOneMessage), as Kafka's LogSegment.read slices them. An offset below the log
   * start or past the log end is OFFSET_OUT_OF_RANGE; at the high watermark the answer is empty.
   */
  async read(fromOffset: number, maxBytes: number): Promise<FetchResult> {
    if (fromOffset < this.logStart || fromOffset > this.logEndOffset) {
      throw new KafkaLogError('OFFSET_OUT_OF_RANGE', `Fetch offset ${fromOffset} is out of range for partition ` +
        `${this.topic}-${this.partition}, log start ${this.logStart}, log end ${this.logEndOffset}`);
    }
    const records = fromOffset < this.acknowledgedEnd ? await this.raw.read(fromOffset, maxBytes) : [];
    const batches = records.map((r) => r.payload);
    return {
      batches, bytes: batches.reduce((n, b) => n + b.length, 0), highWatermark: this.acknowledgedEnd, logStartOffset: this.logStart,
    };
  }

  /**
   * ListOffsets by timestamp: the first record with timestamp ≥ ts in the first batch whose
   * maxTimestamp ≥ ts (Kafka's UnifiedLog.fetchOffsetByTimestamp), or null when none has.
   */
  async offsetForTimestamp(ts: number): Promise<{ offset: number; timestamp: number } | null> {
    let from = this.timeIndex.scanStart(ts, this.logStart);
    while (from < this.acknowledgedEnd) {
      const records = await this.raw.read(from, 1024 * 1024);
      if (records.length === 0) break;
      for (const record of records) {
        const batch = new RecordBatch(record.payload);
        this.timeIndex.observe(record.offset, record.offset + record.span, batch.maxTimestamp, record.payload.length);
        // A batch straddling the log start: Kafka answers no offset below the start.
        const found = firstRecordAtOrAfter(batch, ts, this.logStart);
        if (found) return found;
      }
      const last = records[records.length - 1]!;
      from = last.offset + last.span;
    }
    return null;
  }

  /**
   * ListOffsets MAX_TIMESTAMP (-3, v7+, KIP-734): the first record carrying the largest timestamp of
   * the log, found in the first batch whose maxTimestamp is the largest (LogSegment keeps
   * offsetOfMaxTimestampSoFar, replaced only by a strictly larger one); null for an empty log. It
   * reads the whole log, as an admin call may.
   */
  async offsetOfMaxTimestamp(): Promise<{ offset: number; timestamp: number } | null> {
    let best: RecordBatch | null = null;
    for (let from = this.logStart; from < this.acknowledgedEnd;) {
      const records = await this.raw.read(from, 1024 * 1024);
      if (records.length === 0) break;
      for (const record of records) {
        const batch = new RecordBatch(record.payload);
        if (best === null || batch.maxTimestamp > best.maxTimestamp) best = batch;
      }
      const last = records[records.length - 1]!;
      from = last.offset + last.span;
    }
    return best === null ? null : firstRecordAtOrAfter(best, best.maxTimestamp, this.logStart);
  }

  /**
   * DeleteRecords: move the log start offset to `offset` (-1: the high watermark), durably, then
   * delete the segments wholly below it. An offset past the high watermark is OFFSET_OUT_OF_RANGE
   * ([AK] UnifiedLog.maybeIncrementLogStartOffset). Resolves with the new log start (low watermark).
   */
  deleteRecordsBefore(offset: number): Promise<number> {
    const change = this.startChanges.then(async () => {
      const target = offset === -1 ? this.acknowledgedEnd : offset;
      if (target < 0 || target > this.acknowledgedEnd) {
        throw new KafkaLogError('OFFSET_OUT_OF_RANGE', `Cannot increment the log start offset to ${target} of partition ` +
          `${this.topic}-${this.partition} since it is larger than the high watermark ${this.acknowledgedEnd}`);
      }
      if (target <= this.logStart) return this.logStart;
      await writeMarker(join(this.dir, LOG_START_FILE), LOG_START_FORMAT, [target]);
      this.logStart = target;
      this.timeIndex.dropBefore(target);
      this.producers.table.dropBefore(target);
      await this.raw.deleteBefore(target);
      return this.logStart;
    });
    this.startChanges = change.catch(() => undefined);
    return change;
  }

  /**
   * Retention (retention.bytes / retention.ms): delete whole old segments, never the active one,
   * and move the log start to the first one kept, as Kafka's UnifiedLog.deleteOldSegments does.
   * Resolves with the number of segments deleted.
   */
  async retain(policy: { maxBytes?: number; maxAgeMs?: number; now?: number }): Promise<number> {
    const removed = await this.raw.retain(policy);
    if (this.raw.startOffset > this.logStart) {
      this.logStart = this.raw.startOffset;
      this.timeIndex.dropBefore(this.logStart);
      this.producers.table.dropBefore(this.logStart);
    }
    return removed;
  }

  /**
   * Long poll for Fetch: resolves true as soon as the high watermark passes `offset` (data at or
   * after it can be read), false after timeoutMs, when `signal` aborts or the log closes. No timer
   * runs while data is already there. ([AK] DelayedFetch, woken from the append path.)
   */
  waitForData(offset: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.acknowledgedEnd > offset) return Promise.resolve(true);
    return this.waiters.wait(offset, timeoutMs, signal);
  }

  /** Commit what is pending, close the log; parked fetches are answered (false). */
  async close(): Promise<void> {
    this.waiters.closeAll();
    await this.startChanges;
    await this.raw.close();
    // A clean stop leaves a snapshot at the log end, so the next open replays nothing.
    await this.producers.close(this.raw.nextOffset);
  }
}
