import type { NacosContext } from './context.js';
import { SWEEP_INTERVAL_MS, sweepHeartbeats } from './health/heartbeat.js';
import type { NamingRuntime } from './health/naming-runtime.js';
import { TCP_CHECK_INTERVAL_MS, TcpHealthChecker } from './health/tcp-check.js';

/**
 * Starts the Nacos naming timers: heartbeat expiry of ephemeral instances, TCP health checks of
 * persistent ones, subscriber pruning. Returns a function that stops them (and the UDP pusher).
 */
export function startNacosTimers(ctx: NacosContext, runtime: NamingRuntime): () => void {
  const tcp = new TcpHealthChecker(ctx);
  const sweep = ctx.clock.setInterval(() => {
    sweepHeartbeats(ctx);
    runtime.pruneSubscribers(ctx.clock.now());
  }, SWEEP_INTERVAL_MS);
  const check = ctx.clock.setInterval(() => {
    tcp.round().catch((err: unknown) => ctx.logger.warn({ err }, 'naming tcp health check failed'));
  }, TCP_CHECK_INTERVAL_MS);
  return () => {
    sweep.cancel();
    check.cancel();
    runtime.pusher.close();
  };
}
