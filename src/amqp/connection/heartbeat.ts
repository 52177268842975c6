/**
 * rabbit_heartbeat: a heartbeat frame goes out when nothing was sent for half the negotiated
 * interval, and the connection is closed when nothing at all (any frame counts) was received
 * for two intervals ("missed heartbeats from client, timeout: 60s"). One timer per connection
 * ticking at half the interval; traffic only sets flags, so a busy connection pays nothing.
 */
export class Heartbeat {
  private sent = false;
  private received = false;
  private silentTicks = 0;
  private timer: NodeJS.Timeout | null = null;
  /** rabbit_heartbeat:pause_monitor: a connection blocked by an alarm is not read, so silence is not the peer's. */
  private monitorPaused = false;

  constructor(private readonly sendHeartbeat: () => void, private readonly timedOut: () => void) {}

  start(seconds: number): void {
    if (seconds <= 0) return;
    this.timer = setInterval(() => this.tick(), seconds * 500);
    this.timer.unref();
  }

  noteSent(): void { this.sent = true; }
  noteReceived(): void { this.received = true; }

  pauseMonitor(): void { this.monitorPaused = true; }

  resumeMonitor(): void {
    this.monitorPaused = false;
    this.silentTicks = 0;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    if (!this.sent) this.sendHeartbeat();
    this.sent = false;
    this.silentTicks = this.received || this.monitorPaused ? 0 : this.silentTicks + 1;
    this.received = false;
    // Four half-intervals of silence = two missed heartbeats.
    if (this.silentTicks >= 4) {
      this.stop();
      this.timedOut();
    }
  }
}
