/**
 * The fetch side of the CLI's consumer (the Java consumer's Fetcher): a position per assigned
 * partition, one Fetch request for all of them (long-polled: max.wait.ms / min bytes), records
 * decoded (and decompressed) from the returned batches, positions advanced past them.
 * OFFSET_OUT_OF_RANGE resets the position by auto.offset.reset, as SubscriptionState does.
 */
import { ApiKey } from '../protocol/api-keys.js';
import { check, EARLIEST, LATEST, listOffsets } from './admin.js';
import type { Body, KafkaConnection } from './connection.js';
import { decodeBatches, type ConsumedRecord } from './records.js';

export type ResetPolicy = 'earliest' | 'latest' | 'none';

export interface FetcherOptions {
  topic: string;
  maxWaitMs: number;
  /** fetch.max.bytes (50 MiB) and max.partition.fetch.bytes (1 MiB), the Java consumer's defaults. */
  maxBytes?: number;
  partitionMaxBytes?: number;
  /** isolation.level: 0 read_uncommitted, 1 read_committed. */
  isolationLevel?: number;
  reset: ResetPolicy;
  /** A batch that cannot be decoded: skip it (true) or fail the poll (false). */
  onBadBatch?(partition: number, offset: bigint, err: Error): boolean;
}

const OFFSET_OUT_OF_RANGE = 1;

export class Fetcher {
  /** Next offset to read, by partition. */
  readonly positions = new Map<number, bigint>();

  constructor(private readonly conn: KafkaConnection, private readonly opts: FetcherOptions) {}

  /** Positions the partitions without a known offset by the reset policy (EARLIEST / LATEST). */
  async seekByPolicy(partitions: number[], policy: 'earliest' | 'latest'): Promise<void> {
    if (partitions.length === 0) return;
    const offsets = await listOffsets(this.conn, this.opts.topic, partitions, policy === 'earliest' ? EARLIEST : LATEST);
    for (const [p, o] of offsets) this.positions.set(p, o);
  }

  seek(partition: number, offset: bigint): void { this.positions.set(partition, offset); }

  /** One Fetch for every positioned partition; the records it returned, in partition then offset order. */
  async poll(): Promise<ConsumedRecord[]> {
    if (this.positions.size === 0) {
      await new Promise((r) => setTimeout(r, this.opts.maxWaitMs));
      return [];
    }
    const body = await this.conn.request(ApiKey.Fetch, {
      replicaId: -1, maxWaitMs: this.opts.maxWaitMs, minBytes: 1, maxBytes: this.opts.maxBytes ?? 50 * 1024 * 1024,
      isolationLevel: this.opts.isolationLevel ?? 0, sessionId: 0, sessionEpoch: -1,
      topics: [{
        topic: this.opts.topic,
        partitions: [...this.positions].map(([partition, fetchOffset]) => ({
          partition, currentLeaderEpoch: -1, fetchOffset, logStartOffset: -1n, partitionMaxBytes: this.opts.partitionMaxBytes ?? 1024 * 1024,
        })),
      }],
      forgottenTopicsData: [], rackId: '',
    });
    check((body.errorCode as number | undefined) ?? 0);
    const out: ConsumedRecord[] = [];
    const outOfRange: number[] = [];
    for (const t of body.responses as Body[]) {
      for (const p of t.partitions as Body[]) {
        const partition = p.partitionIndex as number;
        if (p.errorCode === OFFSET_OUT_OF_RANGE) { outOfRange.push(partition); continue; }
        check(p.errorCode as number);
        out.push(...await this.decode(partition, (p.records as Buffer | null) ?? Buffer.alloc(0)));
      }
    }
    await this.resetOutOfRange(outOfRange);
    return out;
  }

  private async decode(partition: number, data: Buffer): Promise<ConsumedRecord[]> {
    const from = this.positions.get(partition)!;
    let records: ConsumedRecord[];
    try {
      records = await decodeBatches(data, partition, from);
    } catch (err) {
      if (!this.opts.onBadBatch?.(partition, from, err as Error)) throw err;
      // Skip the batch at the position: its header still says where the next one starts.
      if (data.length >= 61) this.positions.set(partition, data.readBigInt64BE(0) + BigInt(data.readInt32BE(23)) + 1n);
      return [];
    }
    const last = records.at(-1);
    if (last) this.positions.set(partition, last.offset + 1n);
    else if (data.length >= 61) this.skipEmptyBatches(partition, data, from);
    return records;
  }

  /** Batches with no data records for us (control batches, compacted) still move the position on. */
  private skipEmptyBatches(partition: number, data: Buffer, from: bigint): void {
    let next = from;
    for (let at = 0; at + 61 <= data.length;) {
      const size = 12 + data.readInt32BE(at + 8);
      if (at + size > data.length) break;
      const end = data.readBigInt64BE(at) + BigInt(data.readInt32BE(at + 23)) + 1n;
      if (end > next) next = end;
      at += size;
    }
    this.positions.set(partition, next);
  }

  private async resetOutOfRange(partitions: number[]): Promise<void> {
    if (partitions.length === 0) return;
    if (this.opts.reset === 'none') {
      throw new Error(`Offsets out of range with no configured reset policy for partitions: ${partitions.map((p) => `${this.opts.topic}-${p}`).join(', ')}`);
    }
    await this.seekByPolicy(partitions, this.opts.reset);
  }
}
