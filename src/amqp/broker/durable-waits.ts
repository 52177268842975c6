/**
 * The disk writes one client's requests caused and its next replies must wait for: definitions
 * commands (a declare-ok means the declare survives a crash, as RabbitMQ answers after its Mnesia
 * transaction) and the disk removals of acked persistent messages (a client that acked and then
 * made a round trip knows the acks will not come back after a crash). An AMQP connection has one;
 * a management request makes its own. The broker notes writes into the one of the request it is
 * handling (Broker.within), so a client never waits for another client's writes.
 */
export class DurableWaits {
  private writes: Promise<unknown>[] = [];
  private removals: Promise<unknown>[] = [];

  noteWrite(write: Promise<unknown>): void { this.writes.push(write); }

  noteRemoval(removal: Promise<unknown>): void {
    // The removals of one turn share one promise (RemovalLog): note it once.
    if (this.removals[this.removals.length - 1] === removal) return;
    this.removals.push(removal);
    // Bounded: a consumer that only acks never takes them.
    if (this.removals.length >= 4096) this.removals = [Promise.all(this.removals)];
  }

  /** The writes noted since the last call, as one promise; null when none (every method asks:
   *  nothing is allocated then). */
  takeWrites(): Promise<unknown> | null {
    if (this.writes.length === 0) return null;
    const writes = this.writes;
    this.writes = [];
    return settleAll(writes);
  }

  /** The removals noted since the last call, as one promise; null when none. */
  takeRemovals(): Promise<unknown> | null {
    if (this.removals.length === 0) return null;
    const removals = this.removals;
    this.removals = [];
    return settleAll(removals);
  }
}

function settleAll(all: Promise<unknown>[]): Promise<unknown> {
  return all.length === 1 ? all[0]! : Promise.all(all);
}
