/**
 * Injected time source. Models never read the clock: timers read it and append commands
 * carrying the time (ARCHITECTURE principle 1). Tests use ManualClock to drive expiry.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setInterval(fn: () => void, ms: number): { cancel(): void };
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setInterval(fn, ms) {
    const t = setInterval(fn, ms);
    t.unref();
    return { cancel: () => clearInterval(t) };
  },
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

function delay(ms: number): number {
  return Number.isFinite(ms) && ms >= 1 ? ms : 1;
}

interface ManualTimer { at: number; every: number; fn: () => void; live: boolean }

/** A clock that moves only when a test calls advance(); due timers fire in time order. */
export class ManualClock implements Clock {
  private timers: ManualTimer[] = [];
  constructor(private current = 1_700_000_000_000) {}
  now(): number { return this.current; }
  // Like Node's timers: a delay below 1 ms (or not a number) counts as 1 ms, so an interval of
  // 0 cannot spin advance() forever and a negative timeout cannot move time backwards.
  setInterval(fn: () => void, ms: number) { const d = delay(ms); return this.add(fn, d, d); }
  setTimeout(fn: () => void, ms: number) { return this.add(fn, delay(ms), 0); }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.current = due.at;
      if (due.every > 0) due.at += due.every; else due.live = false;
      due.fn();
    }
    this.current = target;
    this.timers = this.timers.filter((t) => t.live);
  }
  private add(fn: () => void, ms: number, every: number) {
    const timer: ManualTimer = { at: this.current + ms, every, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => { timer.live = false; } };
  }
}
