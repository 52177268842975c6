import type { Clock } from '../core/clock.js';
import type { SessionId } from './model/types.js';

/**
 * Live-session deadlines (ZooKeeper's SessionTrackerImpl + ExpiryQueue). Deadlines are volatile:
 * every packet a session sends pushes its deadline out; the durable fact "this session is gone"
 * is a logged closeSession command, which the expire callback submits (ARCHITECTURE principle 1).
 *
 * ZooKeeper rounds each deadline up to the next tickTime boundary and checks once per tick, so a
 * session expires between `timeout` and `timeout + tickTime` after it went quiet; we do the same.
 */
export class SessionTracker {
  private readonly deadlines = new Map<SessionId, { timeoutMs: number; expireAt: number }>();
  private readonly timer: { cancel(): void };
  /** Sessions whose closeSession is already submitted: don't expire them twice. */
  private readonly closing = new Set<SessionId>();

  constructor(
    private readonly clock: Clock,
    private readonly tickTime: number,
    private readonly expire: (id: SessionId) => void,
  ) {
    this.timer = clock.setInterval(() => this.expireDue(), tickTime);
  }

  /** ExpiryQueue.roundToNextInterval */
  private deadline(timeoutMs: number): number {
    const t = this.clock.now() + timeoutMs;
    return (Math.floor(t / this.tickTime) + 1) * this.tickTime;
  }

  /** A new, reopened or restored session; also SessionTrackerImpl.touchSession. */
  touch(id: SessionId, timeoutMs?: number): boolean {
    if (this.closing.has(id)) return false;
    const entry = this.deadlines.get(id);
    const timeout = timeoutMs ?? entry?.timeoutMs;
    if (timeout === undefined) return false;
    this.deadlines.set(id, { timeoutMs: timeout, expireAt: this.deadline(timeout) });
    return true;
  }

  /** Whether the session is alive and not being closed (SessionTrackerImpl.checkSession). */
  isLive(id: SessionId): boolean {
    return this.deadlines.has(id) && !this.closing.has(id);
  }

  /** The client asked to close, or expiry was submitted: stop tracking, refuse further touches. */
  markClosing(id: SessionId): void {
    this.closing.add(id);
    this.deadlines.delete(id);
  }

  /** The closeSession command was applied: forget the session for good. */
  forget(id: SessionId): void {
    this.closing.delete(id);
    this.deadlines.delete(id);
  }

  /** The tick at which the session expires if it stays quiet (dump). */
  expiresAt(id: SessionId): number | undefined { return this.deadlines.get(id)?.expireAt; }

  expireDue(): void {
    const now = this.clock.now();
    for (const [id, { expireAt }] of this.deadlines) {
      if (expireAt <= now) {
        this.markClosing(id);
        this.expire(id);
      }
    }
  }

  stop(): void { this.timer.cancel(); }
}
