/**
 * Publisher flow control per queue, Junction's form of RabbitMQ's credit flow (credit_flow.erl:
 * reader → channel → queue, each link with {InitialCredit, MoreCreditAfter} = {400, 200} in
 * 3.10's rabbit.app): a publisher whose queue cannot keep up runs out of credit and its reader
 * stops reading the socket (rabbit_reader recvloop while credit_flow:blocked()), so the client only
 * sees TCP backpressure — never connection.blocked, which is for memory and disk alarms.
 *
 * RabbitMQ's credit bounds the queue process's mailbox, which fills when the queue spends its time
 * delivering to consumers that lag. Here a queue is "pressed" when it has consumers and more than
 * `high` ready messages (its consumers are at their prefetch limit or their sockets are backed up):
 * a connection that publishes into it then stops being read until the ready count is back at or
 * under `low`. What RabbitMQ does not throttle is not throttled here either:
 * - a queue without consumers takes a backlog of any depth (it has nobody to wait for);
 * - consumers that make no progress for `stallMs` (a client that stopped acking) release the
 *   publishers and do not block them again until a delivery happens: a stuck consumer must not
 *   freeze every publisher for ever;
 * - the connection decides whether it can be blocked at all (see FlowBlockable): one whose reads
 *   carry acks is not, or publishing and consuming on one connection could deadlock.
 */

/** Ready-message marks of a consumed queue (high: block publishers; low: let them read again). */
export interface FlowLimits {
  readonly high: number;
  readonly low: number;
  /** Consumers that deliver nothing for this long no longer hold publishers back. */
  readonly stallMs: number;
}

/** About 2 × a 1000-message prefetch window ahead of the consumers: enough that they never wait
 *  for the publisher's next read, little enough that latency stays bounded (1000 × 1 KB at
 *  50k msg/s ≈ 20 ms of queueing). */
export const DEFAULT_FLOW_LIMITS: FlowLimits = { high: 2000, low: 1000, stallMs: 1000 };

/** What the gate reads of its queue. */
export interface FlowSubject {
  readonly readyCount: number;
  readonly consumerCount: number;
  /** Messages handed to consumers so far (progress of the consumers). */
  readonly deliveries: number;
}

/** A publishing connection: stops reading when blocked, reads again when every gate released it. */
export interface FlowBlockable {
  /** Stop reading because of `gate`; false when this connection must not be blocked (it is not then). */
  flowBlock(gate: QueueFlow): boolean;
  flowRelease(gate: QueueFlow): void;
}

export class QueueFlow {
  private readonly blocked = new Set<FlowBlockable>();
  private watchdog: NodeJS.Timeout | null = null;
  private deliveriesAtTick = 0;
  /** Consumers made no progress for stallMs: publishers are not blocked until `deliveries` moves. */
  private stalledAt: number | null = null;

  constructor(private readonly subject: FlowSubject, readonly limits: FlowLimits = DEFAULT_FLOW_LIMITS) {}

  /** Publishers this queue holds back right now. */
  get blockedCount(): number { return this.blocked.size; }

  /** A message from `publisher` was just enqueued: block it if the consumers lag. On the hot path:
   *  one comparison when the queue is short. */
  published(publisher: FlowBlockable): void {
    const s = this.subject;
    if (s.readyCount <= this.limits.high || s.consumerCount === 0) return;
    if (this.stalledAt !== null) {
      if (s.deliveries === this.stalledAt) return;
      this.stalledAt = null;
    }
    if (this.blocked.has(publisher) || !publisher.flowBlock(this)) return;
    this.blocked.add(publisher);
    this.armWatchdog();
  }

  /** The queue's ready count or consumers changed (after a dispatch, a consumer leaving). */
  changed(): void {
    if (this.blocked.size === 0) return;
    const s = this.subject;
    if (s.readyCount <= this.limits.low || s.consumerCount === 0) this.releaseAll();
  }

  /** A blocked publisher went away (its connection closed). */
  forget(publisher: FlowBlockable): void {
    this.blocked.delete(publisher);
    if (this.blocked.size === 0) this.disarmWatchdog();
  }

  /** Everyone reads again (the queue is deleted, its consumers went, or stalled). */
  releaseAll(): void {
    const released = [...this.blocked];
    this.blocked.clear();
    this.disarmWatchdog();
    for (const p of released) p.flowRelease(this);
  }

  private armWatchdog(): void {
    if (this.watchdog) return;
    this.deliveriesAtTick = this.subject.deliveries;
    this.watchdog = setInterval(() => this.tick(), this.limits.stallMs);
    this.watchdog.unref();
  }

  private disarmWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  /** Every stallMs while publishers are blocked: consumers that delivered nothing since the last
   *  tick are stalled, and the publishers go free (the condition changed() also checks, in case a
   *  change came by a path that does not call it, such as a purge). */
  private tick(): void {
    const delivered = this.subject.deliveries;
    if (delivered === this.deliveriesAtTick) {
      this.stalledAt = delivered;
      this.releaseAll();
      return;
    }
    this.deliveriesAtTick = delivered;
    this.changed();
  }
}
