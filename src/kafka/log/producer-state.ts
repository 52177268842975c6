import { KafkaLogError } from './errors.js';

/**
 * Per-partition idempotent-producer state, as Kafka's ProducerStateManager / ProducerStateEntry /
 * ProducerAppendInfo keep it for client appends: for each producer id, its epoch and the last
 * NUM_BATCHES_TO_RETAIN batches it wrote (first/last sequence, first/last offset, timestamp), so
 * that a retried batch is recognised as a duplicate and answered with its original offset, and a
 * gap in the sequence is refused.
 */

/** ProducerStateEntry.NUM_BATCHES_TO_RETAIN: a producer has at most 5 requests in flight per partition. */
export const NUM_BATCHES_TO_RETAIN = 5;
const INT32_MAX = 0x7fff_ffff;

export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
  /** maxTimestamp of the stored batch (the append time for a LogAppendTime topic). */
  timestamp: number;
}

export interface ProducerEntry {
  epoch: number;
  /** Oldest first, at most NUM_BATCHES_TO_RETAIN. */
  batches: BatchMetadata[];
}

/** The header fields of a batch the state looks at (RecordBatch provides them). */
export interface ProducerBatchHeader {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
}

/** DefaultRecordBatch.incrementSequence: sequences wrap from Integer.MAX_VALUE to 0. */
export function lastSequenceOf(batch: ProducerBatchHeader): number {
  const last = batch.baseSequence + batch.lastOffsetDelta;
  return last > INT32_MAX ? last - INT32_MAX - 1 : last;
}

/** ProducerAppendInfo.inSequence. */
function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

export type ProducerCheck = { kind: 'append' } | { kind: 'duplicate'; batch: BatchMetadata };

export class ProducerStateTable {
  private readonly entries = new Map<number, ProducerEntry>();

  constructor(private readonly partitionName: string) {}

  get size(): number { return this.entries.size; }

  entry(producerId: number): ProducerEntry | undefined { return this.entries.get(producerId); }

  /**
   * What to do with a client batch of an idempotent producer (producerId ≥ 0) about to be stored at
   * `offset`: a duplicate of one of the retained batches (same epoch, same first and last sequence;
   * ProducerStateEntry.findDuplicateBatch) is not stored again; an older epoch is
   * INVALID_PRODUCER_EPOCH and a sequence gap OUT_OF_ORDER_SEQUENCE_NUMBER (ProducerAppendInfo
   * checkProducerEpoch / checkSequence, Kafka 3.x: a producer with no state here — never seen, or
   * its batches all deleted — may start at any sequence).
   */
  check(batch: ProducerBatchHeader, offset: number): ProducerCheck {
    const current = this.entries.get(batch.producerId);
    if (!current) return { kind: 'append' };
    const lastSeq = lastSequenceOf(batch);
    if (batch.producerEpoch === current.epoch) {
      const dup = current.batches.find((b) => b.firstSeq === batch.baseSequence && b.lastSeq === lastSeq);
      if (dup) return { kind: 'duplicate', batch: dup };
    }
    const where = `producer ${batch.producerId} at offset ${offset} in partition ${this.partitionName}`;
    if (batch.producerEpoch < current.epoch) {
      throw new KafkaLogError('INVALID_PRODUCER_EPOCH', `Epoch of ${where} is ${batch.producerEpoch}, which is smaller than the ` +
        `last seen epoch ${current.epoch}`);
    }
    if (batch.producerEpoch > current.epoch) {
      if (batch.baseSequence !== 0) {
        throw new KafkaLogError('OUT_OF_ORDER_SEQUENCE_NUMBER', `Invalid sequence number for new epoch of ${where}: ` +
          `${batch.producerEpoch} (request epoch), ${batch.baseSequence} (seq. number), ${current.epoch} (current producer epoch)`);
      }
      return { kind: 'append' };
    }
    const last = current.batches[current.batches.length - 1];
    if (last && !inSequence(last.lastSeq, batch.baseSequence)) {
      throw new KafkaLogError('OUT_OF_ORDER_SEQUENCE_NUMBER', `Out of order sequence number for ${where}: ${batch.baseSequence} ` +
        `(incoming seq. number), ${last.lastSeq} (current end sequence number)`);
    }
    return { kind: 'append' };
  }

  /** Record a stored batch (ProducerStateEntry.addBatch: a new epoch forgets the old one's batches). */
  record(batch: ProducerBatchHeader, firstOffset: number, timestamp: number): BatchMetadata {
    let entry = this.entries.get(batch.producerId);
    if (!entry || entry.epoch !== batch.producerEpoch) {
      entry = { epoch: batch.producerEpoch, batches: [] };
      this.entries.set(batch.producerId, entry);
    }
    const meta: BatchMetadata = {
      firstSeq: batch.baseSequence, lastSeq: lastSequenceOf(batch), firstOffset, lastOffset: firstOffset + batch.lastOffsetDelta, timestamp,
    };
    entry.batches.push(meta);
    if (entry.batches.length > NUM_BATCHES_TO_RETAIN) entry.batches.shift();
    return meta;
  }

  /**
   * The log start moved (DeleteRecords, retention): forget producers whose last batch lies wholly
   * below it (ProducerStateManager.onLogStartOffsetIncremented / removeStraysAndIncrementStartOffset).
   */
  dropBefore(logStart: number): void {
    for (const [id, entry] of this.entries) {
      const last = entry.batches[entry.batches.length - 1];
      if (!last || last.lastOffset < logStart) this.entries.delete(id);
    }
  }

  /** Forget producers whose newest batch is older than `cutoff` ms (producer.id.expiration.ms). */
  expireBefore(cutoff: number): number {
    let removed = 0;
    for (const [id, entry] of this.entries) {
      const last = entry.batches[entry.batches.length - 1];
      if (!last || last.timestamp < cutoff) { this.entries.delete(id); removed++; }
    }
    return removed;
  }

  toJSON(): Array<[number, ProducerEntry]> {
    return [...this.entries].map(([id, e]) => [id, { epoch: e.epoch, batches: e.batches.map((b) => ({ ...b })) }]);
  }

  load(entries: ReadonlyArray<[number, ProducerEntry]>): void {
    this.entries.clear();
    for (const [id, e] of entries) this.entries.set(id, { epoch: e.epoch, batches: e.batches.map((b) => ({ ...b })) });
  }
}
