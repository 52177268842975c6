import type { QueueFlow } from '../broker/queue-flow.js';

/** rabbit_reader i(state): a connection shows "flow" while blocked and for 5 s after (?FLOW_GRACE). */
const FLOW_STATE_GRACE_MS = 5000;

/**
 * The queues (QueueFlow gates) holding one connection back: it stops reading at the first and
 * reads again when the last releases it (credit_flow's per-peer `credit_blocked` list).
 */
export class ConnectionFlow {
  private readonly gates = new Set<QueueFlow>();
  private lastBlockedAt = 0;

  constructor(private readonly stopReading: () => void, private readonly startReading: () => void,
    private readonly now: () => number = Date.now) {}

  get blocked(): boolean { return this.gates.size > 0; }

  block(gate: QueueFlow): void {
    if (this.gates.has(gate)) return;
    this.gates.add(gate);
    this.lastBlockedAt = this.now();
    if (this.gates.size === 1) this.stopReading();
  }

  release(gate: QueueFlow): void {
    if (!this.gates.delete(gate)) return;
    this.lastBlockedAt = this.now();
    if (this.gates.size === 0) this.startReading();
  }

  /** The management API's connection state "flow" (rabbit_reader i(state) / credit_flow:state()). */
  get showsFlow(): boolean {
    return this.blocked || (this.lastBlockedAt !== 0 && this.now() - this.lastBlockedAt < FLOW_STATE_GRACE_MS);
  }

  /** The connection is gone: the gates stop holding it. */
  detach(who: Parameters<QueueFlow['forget']>[0]): void {
    for (const gate of this.gates) gate.forget(who);
    this.gates.clear();
  }
}
