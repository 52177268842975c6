import { deferred } from '../../core/deferred.js';
import type { Clock } from '../../core/clock.js';
import { configKey } from '../model/config/types.js';
import type { ListenKey } from './listening-configs.js';

/** Nacos LongPollingService defaults: switches MIN_LONG_POOLING_TIMEOUT and FIXED_DELAY_TIME. */
export const MIN_LONG_POLLING_TIMEOUT_MS = 10_000;
export const LONG_POLLING_DELAY_MS = 500;

/** How long Nacos holds a listener: max(10 s, Long-Pulling-Timeout − 500 ms). */
export function holdTimeMs(requestedTimeoutMs: number): number {
  return Math.max(MIN_LONG_POLLING_TIMEOUT_MS, requestedTimeoutMs - LONG_POLLING_DELAY_MS);
}

/** A changed config as the listener answer names it. */
export interface ChangedKey { dataId: string; group: string; tenant: string }

interface PollingClient {
  keys: string[];
  timer: { cancel(): void };
  /** Resolves the held request: the changed keys, or null on timeout / shutdown. */
  finish(changed: ChangedKey[] | null): void;
}

/**
 * Held long-poll listeners, indexed by config key so a change wakes exactly the listeners of
 * that config in O(listeners of the key). Like Nacos's DataChangeTask, a change answers each
 * waiting listener with that one changed key and forgets the listener.
 */
export class LongPollingService {
  private readonly byKey = new Map<string, Set<PollingClient>>();
  private held = 0;

  constructor(private readonly clock: Clock) {}

  /** Number of held listeners (Nacos's `longPolling` gauge). */
  get size(): number { return this.held; }

  /** Hold a listener until one of `keys` changes or `holdMs` passes; cancel() drops it silently. */
  hold(keys: readonly ListenKey[], holdMs: number): { result: Promise<ChangedKey[] | null>; cancel(): void } {
    const { promise: result, resolve } = deferred<ChangedKey[] | null>();
    let done = false;
    const client: PollingClient = {
      keys: keys.map((k) => configKey(k.tenant, k.group, k.dataId)),
      timer: { cancel() {} },
      finish: (changed) => {
        if (done) return;
        done = true;
        client.timer.cancel();
        this.detach(client);
        resolve(changed);
      },
    };
    for (const key of client.keys) {
      let set = this.byKey.get(key);
      if (!set) this.byKey.set(key, (set = new Set()));
      set.add(client);
    }
    this.held++;
    client.timer = this.clock.setTimeout(() => client.finish(null), holdMs);
    return { result, cancel: () => client.finish(null) };
  }

  /** A config's md5 changed (published with new content, or removed): wake its listeners. */
  configChanged(changed: ChangedKey): number {
    const set = this.byKey.get(configKey(changed.tenant, changed.group, changed.dataId));
    if (!set) return 0;
    const woken = [...set];
    for (const client of woken) client.finish([changed]);
    return woken.length;
  }

  /** Answer every held listener with "no change" (server shutdown). */
  releaseAll(): void {
    const all = new Set<PollingClient>();
    for (const set of this.byKey.values()) for (const c of set) all.add(c);
    for (const c of all) c.finish(null);
  }

  private detach(client: PollingClient): void {
    for (const key of client.keys) {
      const set = this.byKey.get(key);
      if (!set) continue;
      set.delete(client);
      if (set.size === 0) this.byKey.delete(key);
    }
    this.held--;
  }
}
