/** What the outstanding-request limit pauses and resumes: a connection's reading. */
export interface Throttleable {
  pauseReading(reason: PauseReason): void;
  resumeReading(reason: PauseReason): void;
}

/**
 * Why a connection is not reading: its unsent replies are above the cap, the server is over its
 * outstanding-request limit, or the protocol holds further requests back (a handshake or an
 * authentication still being decided, or a request later ones must see done: a Kafka topic
 * creation).
 */
export type PauseReason = 'unsent-bytes' | 'outstanding-limit' | 'handshake' | 'authentication' | 'request-order'
  /** AMQP: a publisher blocked while a memory or disk alarm is on (rabbit_reader `blocked`). */
  | 'resource-alarm'
  /** AMQP: a publisher whose queues' consumers lag (rabbit_reader's credit flow, state "flow"). */
  | 'flow';

/**
 * Requests read from clients and not answered yet, counted across every connection of a listener,
 * with ZooKeeper's throttle (ServerCnxn.incrOutstandingAndCheckThrottle /
 * decrOutstandingAndCheckThrottle, ZooKeeperServer.shouldThrottle, zookeeper.globalOutstandingLimit):
 * a connection that adds a request while more than `limit` are outstanding stops reading; it reads
 * again once the total is back at or under the limit, or once its own requests are all answered.
 * Each connection overshoots by at most the one request that paused it, so the total stays below
 * limit + connections. Kafka's queued.max.requests bounds the same thing.
 */
export class OutstandingRequests {
  private total = 0;
  private readonly throttled = new Set<Throttleable>();

  /** limit: outstanding requests allowed before connections are throttled (Infinity = never). */
  constructor(readonly limit: number = Number.POSITIVE_INFINITY) {}

  get count(): number { return this.total; }
  get throttledConnections(): number { return this.throttled.size; }

  /** `conn` took on one more request it has not answered yet. */
  added(conn: Throttleable): void {
    this.total++;
    if (this.total > this.limit && !this.throttled.has(conn)) {
      this.throttled.add(conn);
      conn.pauseReading('outstanding-limit');
    }
  }

  /** `conn` answered (or dropped) `count` requests and now has `ownLeft` outstanding. */
  settled(conn: Throttleable, ownLeft: number, count = 1): void {
    this.total -= count;
    if (this.throttled.size === 0) return;
    if (this.total <= this.limit) {
      const released = [...this.throttled];
      this.throttled.clear();
      for (const c of released) c.resumeReading('outstanding-limit');
    } else if (ownLeft === 0 && this.throttled.delete(conn)) {
      conn.resumeReading('outstanding-limit');
    }
  }

  /** A closed connection is never resumed. */
  forget(conn: Throttleable): void { this.throttled.delete(conn); }
}
