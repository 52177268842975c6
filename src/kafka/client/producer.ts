/**
 * A batching producer for one topic, after the Java producer's RecordAccumulator and Sender: records
 * are appended to a per-partition batch until batch.size bytes, a full batch (or every batch after
 * linger.ms, or at flush) goes out in a Produce request carrying at most one batch per partition,
 * with up to max.in.flight.requests.per.connection requests outstanding. Partitioning follows
 * BuiltInPartitioner: murmur2 of the key, and for keyless records a sticky partition changed when
 * its batch is sent (KIP-480/KIP-794).
 */
import { KafkaErrors, kafkaErrorName } from '../errors.js';
import { ApiKey } from '../protocol/api-keys.js';
import { topicWithAutoCreate } from './admin.js';
import type { Body, KafkaConnection } from './connection.js';
import type { CodecName } from './compression.js';
import { encodeBatch, estimateRecordSize, partitionForKey, type ProducerRecord } from './records.js';

export interface ProducerOptions {
  topic: string;
  /** acks: 0, 1 or -1 (all). */
  acks: number;
  codec: CodecName;
  batchSize: number;
  lingerMs: number;
  requestTimeoutMs: number;
  retries: number;
  retryBackoffMs: number;
  maxInFlight: number;
  /** Called once per record that could not be written (after retries). */
  onError(record: ProducerRecord, message: string): void;
}

interface Batch { partition: number; records: ProducerRecord[]; bytes: number; attempts: number }

export class BatchingProducer {
  private readonly open = new Map<number, Batch>();
  private readonly ready: Batch[] = [];
  private inFlight = 0;
  /** Batches waiting out retry.backoff.ms before they are sent again. */
  private retrying = 0;
  private stickyPartition = -1;
  private lingerTimer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];
  /** Records acknowledged (or sent, with acks=0). */
  sent = 0;
  failed = 0;

  private constructor(private readonly conn: KafkaConnection, private readonly opts: ProducerOptions, readonly partitions: number) {}

  /** Looks the topic up (auto-creating it as the Java producer's metadata request allows). */
  static async create(conn: KafkaConnection, opts: ProducerOptions): Promise<BatchingProducer> {
    const topic = await topicWithAutoCreate(conn, opts.topic);
    return new BatchingProducer(conn, opts, topic.partitions.length);
  }

  /**
   * Appends a record. Returns a promise only when too many requests are in flight (back-pressure):
   * a caller feeding a million lines then pays no promise per record.
   */
  send(record: ProducerRecord): Promise<void> | undefined {
    this.append(record);
    return this.inFlight >= this.opts.maxInFlight ? this.roomInFlight() : undefined;
  }

  private append(record: ProducerRecord): void {
    const partition = record.key !== null ? partitionForKey(record.key, this.partitions) : this.sticky();
    const batch = this.open.get(partition);
    const size = estimateRecordSize(record);
    if (batch && batch.bytes + size > this.opts.batchSize && batch.records.length > 0) {
      this.seal(batch);
      // A keyless record follows the sticky partition, which sealing may have moved.
      this.append(record);
      return;
    }
    const target = batch ?? { partition, records: [], bytes: 0, attempts: 0 };
    if (!batch) this.open.set(partition, target);
    target.records.push(record);
    target.bytes += size;
    this.lingerTimer ??= setTimeout(() => { this.lingerTimer = null; this.sealAll(); }, this.opts.lingerMs);
  }

  private async roomInFlight(): Promise<void> {
    while (this.inFlight >= this.opts.maxInFlight) await this.nextCompletion();
  }

  /** Sends every open batch and waits until all requests are answered. */
  async flush(): Promise<void> {
    this.sealAll();
    while (this.inFlight > 0 || this.ready.length > 0 || this.retrying > 0) await this.nextCompletion();
  }

  close(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }

  private sticky(): number {
    if (this.stickyPartition < 0) this.stickyPartition = Math.floor(Math.random() * this.partitions);
    return this.stickyPartition;
  }

  private seal(batch: Batch): void {
    this.open.delete(batch.partition);
    this.ready.push(batch);
    // The sticky partition moves on once its batch is complete (BuiltInPartitioner.updatePartitionInfo).
    if (batch.partition === this.stickyPartition && this.partitions > 1) {
      this.stickyPartition = (batch.partition + 1 + Math.floor(Math.random() * (this.partitions - 1))) % this.partitions;
    }
    this.pump();
  }

  private sealAll(): void {
    for (const batch of [...this.open.values()]) this.seal(batch);
  }

  /** Starts requests while there are ready batches and room in flight: one batch per partition each. */
  private pump(): void {
    while (this.ready.length > 0 && this.inFlight < this.opts.maxInFlight) {
      const taken = new Map<number, Batch>();
      for (let i = 0; i < this.ready.length;) {
        const b = this.ready[i]!;
        if (taken.has(b.partition)) { i++; continue; }
        taken.set(b.partition, b);
        this.ready.splice(i, 1);
      }
      this.inFlight++;
      this.sendRequest([...taken.values()]).catch((err: Error) => {
        for (const b of taken.values()) this.fail(b, err.message);
      }).finally(() => { this.inFlight--; this.wake(); this.pump(); });
    }
  }

  private async sendRequest(batches: Batch[]): Promise<void> {
    const encoded = await Promise.all(batches.map((b) => encodeBatch(b.records, this.opts.codec)));
    const body = {
      transactionalId: null, acks: this.opts.acks, timeoutMs: this.opts.requestTimeoutMs,
      topicData: [{ name: this.opts.topic, partitionData: batches.map((b, i) => ({ index: b.partition, records: encoded[i] })) }],
    };
    if (this.opts.acks === 0) {
      this.conn.sendOnly(ApiKey.Produce, body);
      await this.conn.drained();
      for (const b of batches) this.sent += b.records.length;
      return;
    }
    const response = await this.conn.request(ApiKey.Produce, body);
    const byPartition = new Map<number, Body>();
    for (const t of response.responses as Body[]) for (const p of t.partitionResponses as Body[]) byPartition.set(p.index as number, p);
    for (const b of batches) this.settle(b, byPartition.get(b.partition));
  }

  private settle(batch: Batch, result: Body | undefined): void {
    const code = (result?.errorCode as number | undefined) ?? -1;
    if (code === 0) { this.sent += batch.records.length; return; }
    const name = kafkaErrorName(code);
    if (name && KafkaErrors[name].retriable && batch.attempts < this.opts.retries) {
      batch.attempts++;
      this.retrying++;
      setTimeout(() => { this.retrying--; this.ready.push(batch); this.pump(); this.wake(); }, this.opts.retryBackoffMs);
      return;
    }
    const message = (result?.errorMessage as string | null | undefined) ?? (name ? KafkaErrors[name].message : null) ?? `error code ${code}`;
    this.fail(batch, message);
  }

  private fail(batch: Batch, message: string): void {
    this.failed += batch.records.length;
    for (const r of batch.records) this.opts.onError(r, message);
  }

  private nextCompletion(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
