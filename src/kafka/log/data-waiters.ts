interface Waiter { offset: number; settle: (hasData: boolean) => void }

/**
 * Fetches parked on one partition until its high watermark passes their offset (Kafka's
 * DelayedFetch in the purgatory, completed from the append path rather than by polling). Each
 * waiter owns one timer, cleared when it settles, so a woken or aborted fetch leaves nothing behind.
 */
export class DataWaiters {
  private readonly waiting = new Set<Waiter>();

  get size(): number { return this.waiting.size; }

  wait(offset: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => waiter.settle(false);
      const timer = setTimeout(onAbort, Math.max(0, timeoutMs));
      const waiter: Waiter = {
        offset,
        settle: (hasData) => {
          if (!this.waiting.delete(waiter)) return;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(hasData);
        },
      };
      this.waiting.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The high watermark moved to `end`: wake every fetch waiting below it. */
  advance(end: number): void {
    if (this.waiting.size === 0) return;
    for (const waiter of [...this.waiting]) if (waiter.offset < end) waiter.settle(true);
  }

  closeAll(): void {
    for (const waiter of [...this.waiting]) waiter.settle(false);
  }
}
