import type { RawLog } from '../../core/storage/storage.js';
import { loadProducerSnapshot, writeProducerSnapshot } from './producer-snapshot.js';
import { ProducerStateTable } from './producer-state.js';
import { RecordBatch } from './record-batch.js';

/** Bytes appended between two producer-state snapshots: a crash replays at most about this much. */
export const DEFAULT_SNAPSHOT_INTERVAL_BYTES = 64 * 1024 * 1024;

export interface ProducerRebuild {
  /** Where the state came from: a snapshot, or the last two segments when there is none. */
  from: 'snapshot' | 'segments';
  /** Offset the replay started at, batches and bytes it read. */
  replayFrom: number;
  batches: number;
  bytes: number;
  /** Why the replay stopped early (an unreadable record): the producers after it are unknown, so
   *  their next batches are accepted at any sequence; reading the partition reports the damage. */
  stoppedBy?: string;
}

/**
 * A partition's producer state kept durable the way Kafka's ProducerStateManager does it: snapshots
 * written as the log grows (Kafka: at each segment roll; here every `intervalBytes` appended) and at
 * a clean close, and at open the newest snapshot plus a replay of the batches after it. Without a
 * snapshot only the last two segments are replayed, as Kafka's LogLoader does to avoid a full scan
 * ("we take empty snapshots from the start of the last two segments"): a producer whose batches all
 * lie before them is unknown, and Kafka 3.x accepts any sequence from an unknown producer.
 */
export class PartitionProducers {
  private bytesSinceSnapshot = 0;
  private snapshotting: Promise<void> = Promise.resolve();

  private constructor(readonly table: ProducerStateTable, private readonly dir: string, private readonly intervalBytes: number,
    readonly rebuild: ProducerRebuild, private lastSnapshotOffset: number) {}

  static async open(raw: RawLog, dir: string, name: string, logStart: number, intervalBytes = DEFAULT_SNAPSHOT_INTERVAL_BYTES,
    onDamaged: (file: string) => void = () => undefined): Promise<PartitionProducers> {
    const table = new ProducerStateTable(name);
    const snapshot = loadProducerSnapshot(dir, raw.nextOffset, onDamaged);
    let from: number;
    if (snapshot) {
      table.load(snapshot.producers);
      from = Math.max(snapshot.offset, logStart);
    } else {
      const bases = raw.segmentBases;
      from = Math.max(logStart, bases[Math.max(0, bases.length - 2)] ?? logStart);
    }
    const rebuild: ProducerRebuild = { from: snapshot ? 'snapshot' : 'segments', replayFrom: from, batches: 0, bytes: 0 };
    try {
      if (from < raw.nextOffset) {
        for await (const record of raw.replay(from)) {
          if (record.offset < from) continue;
          const batch = new RecordBatch(record.payload);
          if (batch.producerId >= 0) table.record(batch, record.offset, batch.maxTimestamp);
          rebuild.batches++;
          rebuild.bytes += record.payload.length;
        }
      }
    } catch (err) {
      // The partition still opens (as it did before producer state existed); Fetch meets the damage.
      rebuild.stoppedBy = (err as Error).message;
    }
    table.dropBefore(logStart);
    return new PartitionProducers(table, dir, intervalBytes, rebuild, snapshot?.offset ?? -1);
  }

  /**
   * `bytes` were appended; the log's next offset is now `nextOffset`. Past the interval, write a
   * snapshot of the state as of `nextOffset` (it includes batches not durable yet: if a crash loses
   * them, the snapshot lies past the log end and is discarded at the next open).
   */
  appended(bytes: number, nextOffset: number): void {
    this.bytesSinceSnapshot += bytes;
    if (this.bytesSinceSnapshot < this.intervalBytes) return;
    this.bytesSinceSnapshot = 0;
    // A failed snapshot (disk full, the topic deleted meanwhile) only lengthens the next replay.
    this.snapshot(nextOffset).catch(() => undefined);
  }

  /**
   * At a clean close: a snapshot at the log end, unless the newest one is already there (an idle
   * partition costs no write, so closing thousands of them stays quick).
   */
  async close(logEnd: number): Promise<void> {
    await this.snapshotting;
    if (logEnd !== this.lastSnapshotOffset) await this.snapshot(logEnd).catch(() => undefined);
  }

  /** Write a snapshot of the state as of `offset` (serialised now, written after the previous one). */
  snapshot(offset: number): Promise<void> {
    const image = { offset, producers: this.table.toJSON() };
    const write = this.snapshotting.then(() => writeProducerSnapshot(this.dir, image)).then(() => { this.lastSnapshotOffset = offset; });
    this.snapshotting = write.catch(() => undefined);
    return write;
  }
}
