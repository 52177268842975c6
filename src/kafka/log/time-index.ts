/**
 * Sparse in-memory time index of one partition, for ListOffsets by timestamp. Kafka keeps a
 * `.timeindex` file per segment of (max timestamp so far, offset) entries every
 * index.interval.bytes ([AK] storage/.../log/TimeIndex.java); this keeps the same idea in memory
 * and builds it lazily: it covers the log from its start up to `coveredEnd`, and grows as appends
 * or lookup scans pass that point, so opening a partition reads nothing.
 *
 * An entry (offset, maxBefore) says: every batch before `offset` has maxTimestamp ≤ maxBefore. A
 * lookup for ts can therefore start scanning at the last entry with maxBefore < ts.
 */
export class TimeIndex {
  private readonly offsets: number[] = [];
  private readonly maxBefore: number[] = [];
  private runningMax = -Infinity;
  private bytesSinceEntry = Infinity;
  /** Offsets below this are indexed; the batch starting here is the next one to add. */
  private covered: number;

  constructor(startOffset: number, private readonly intervalBytes: number) {
    this.covered = startOffset;
  }

  get coveredEnd(): number { return this.covered; }
  get entries(): number { return this.offsets.length; }

  /** Take in a batch if it continues the covered range (a batch straddling the start counts). */
  observe(baseOffset: number, nextOffset: number, maxTimestamp: number, bytes: number): void {
    if (baseOffset > this.covered || nextOffset <= this.covered) return;
    if (this.bytesSinceEntry >= this.intervalBytes) {
      this.offsets.push(baseOffset);
      this.maxBefore.push(this.runningMax);
      this.bytesSinceEntry = 0;
    }
    this.bytesSinceEntry += bytes;
    this.runningMax = Math.max(this.runningMax, maxTimestamp);
    this.covered = nextOffset;
  }

  /** Where a scan for the first batch with maxTimestamp ≥ ts may start (≥ logStart). */
  scanStart(ts: number, logStart: number): number {
    let lo = 0, hi = this.offsets.length - 1, best = logStart;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.maxBefore[mid]! < ts) { best = Math.max(logStart, this.offsets[mid]!); lo = mid + 1; } else hi = mid - 1;
    }
    return best;
  }

  /** Drop entries below the new log start (retention, DeleteRecords). Kept entries stay true:
   *  their maxBefore still bounds every batch before them. */
  dropBefore(offset: number): void {
    let n = 0;
    while (n < this.offsets.length && this.offsets[n]! < offset) n++;
    this.offsets.splice(0, n);
    this.maxBefore.splice(0, n);
    if (this.covered < offset) {
      // Nothing indexed survives: start over from the new start.
      this.covered = offset;
      this.runningMax = -Infinity;
      this.bytesSinceEntry = Infinity;
    }
  }
}
