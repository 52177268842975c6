/** One basic.ack or basic.nack to send for publisher confirms. */
export interface ConfirmFrame {
  readonly method: 'basic.ack' | 'basic.nack';
  readonly deliveryTag: number;
  readonly multiple: boolean;
}

/**
 * Publisher confirms that settle out of order (a persistent message waits for its queues' disk
 * writes, a transient one is confirmed at once), answered as RabbitMQ's rabbit_channel
 * send_confirms_and_nacks does: the settled seqs below the lowest one still waiting are covered
 * by one basic.ack multiple=true (its tag = the highest of them); settled seqs above it are acked
 * one by one, and a later multiple ack may cover them again (clients ignore a tag confirmed
 * already). A multiple ack never covers a seq still waiting, nor one this channel nacked (then
 * the acks go singly). Failed writes are nacked singly.
 */
export class ConfirmTracker {
  /** Every seq ≤ floor is answered. */
  private floor = 0;
  /** Highest seq handed out. */
  private last = 0;
  /** Seqs waiting for a disk write, in seq order (Map keeps insertion order, seqs increase). */
  private readonly waiting = new Map<number, true>();
  private acks: number[] = [];
  private nacks: number[] = [];
  /** Nacks sent for seqs above floor: a multiple ack must not reach over them. */
  private nackedAboveFloor: number[] = [];

  /** A new publish; `waits`: its confirm depends on a disk write (else it is settled now). */
  publish(seq: number, waits: boolean): void {
    this.last = seq;
    if (waits) this.waiting.set(seq, true);
    else this.acks.push(seq);
  }

  /** `seq`'s write resolved or failed; false when it was settled already (then nothing changes). */
  settle(seq: number, ok: boolean): boolean {
    if (!this.waiting.delete(seq)) return false;
    if (ok) this.acks.push(seq);
    else this.nacks.push(seq);
    return true;
  }

  get pending(): boolean { return this.acks.length > 0 || this.nacks.length > 0; }

  /** The frames to send now for everything settled since the last call. */
  flush(): ConfirmFrame[] {
    const out: ConfirmFrame[] = [];
    const cutoff = this.waiting.size > 0 ? this.waiting.keys().next().value! : this.last + 1;
    for (const seq of this.nacks.sort((a, b) => a - b)) {
      out.push({ method: 'basic.nack', deliveryTag: seq, multiple: false });
      this.nackedAboveFloor.push(seq);
    }
    this.nacks = [];
    let highest = 0;
    const above: number[] = [];
    const below: number[] = [];
    for (const seq of this.acks) {
      if (seq < cutoff) {
        below.push(seq);
        if (seq > highest) highest = seq;
      } else {
        above.push(seq);
      }
    }
    this.acks = [];
    if (highest > 0) {
      if (this.nackedAboveFloor.some((n) => n < highest)) {
        for (const seq of below.sort((a, b) => a - b)) out.push({ method: 'basic.ack', deliveryTag: seq, multiple: false });
      } else {
        out.push({ method: 'basic.ack', deliveryTag: highest, multiple: highest - this.floor > 1 });
      }
    }
    for (const seq of above.sort((a, b) => a - b)) out.push({ method: 'basic.ack', deliveryTag: seq, multiple: false });
    // Everything below the cutoff is answered now.
    this.floor = Math.max(this.floor, cutoff - 1);
    if (this.nackedAboveFloor.length > 0) this.nackedAboveFloor = this.nackedAboveFloor.filter((n) => n > this.floor);
    return out;
  }
}
