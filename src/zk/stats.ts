/** Latency figures kept as ZooKeeper's ServerStats / ServerCnxn do (min/avg/max in ms). */
export class LatencyStats {
  min = Number.POSITIVE_INFINITY;
  max = 0;
  total = 0;
  count = 0;

  add(ms: number): void {
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
    this.total += ms;
    this.count++;
  }

  get avg(): number { return this.count === 0 ? 0 : this.total / this.count; }
  /** ZooKeeper prints min 0 before any request. */
  get minOrZero(): number { return this.count === 0 ? 0 : this.min; }

  reset(): void { this.min = Number.POSITIVE_INFINITY; this.max = 0; this.total = 0; this.count = 0; }
}

/** Server-wide counters (ServerStats). */
export class ServerStats {
  packetsReceived = 0;
  packetsSent = 0;
  readonly latency = new LatencyStats();

  reset(): void { this.packetsReceived = 0; this.packetsSent = 0; this.latency.reset(); }
}

/** Per-connection counters (ServerCnxn: cons / crst). */
export class ConnectionStats {
  received = 0;
  sent = 0;
  timeoutMs = 0;
  lastOperation = 'NA';
  lastCxid = -1;
  lastZxid = -1;
  lastResponseAt = 0;
  lastLatencyMs = 0;
  readonly latency = new LatencyStats();

  constructor(readonly establishedAt: number) {}

  reset(): void {
    this.received = 0; this.sent = 0; this.lastOperation = 'NA'; this.lastCxid = -1; this.lastZxid = -1;
    this.lastResponseAt = 0; this.lastLatencyMs = 0; this.latency.reset();
  }
}
