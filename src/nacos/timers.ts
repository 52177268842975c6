// STUB — owned by the naming work (heartbeat sweeper, TCP health checks); replace wholesale.
import type { NacosContext } from './context.js';

/** Starts the Nacos timers; returns a function that stops them. */
export function startNacosTimers(_ctx: NacosContext): () => void {
  return () => {};
}
