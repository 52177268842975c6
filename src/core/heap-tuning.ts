import { setFlagsFromString } from 'node:v8';

/**
 * The growing factor of V8's old generation for the server process, fixed at 1 + 300 % = 4: the
 * top of the range V8's own factor moves in (1.1–4, by its measured GC and mutator speeds).
 *
 * Why: after ~8 s without traffic V8's memory reducer runs full GCs that set the old generation's
 * limit just above the live heap (factor 1.1), and under the next load a broker promotes messages
 * in flight fast enough that V8's speed-based factor stays near its minimum: a full GC every few
 * MiB promoted. Measured on the AMQP race's rows, each started 12 s after the server: persistent
 * with confirms 35.2k msg/s at 30.4 µs of server CPU a message, against 42.9k at 22.1 µs with this
 * factor; transient 1→1 72.1k at 13.0 µs against 94.2k at 8.2 µs. Started 1.3 s after the server
 * (before the reducer ran) the two factors cost the same (8.4–8.9 against 8.5–8.6 µs); a fixed 3
 * was worse there (9.5–10.0 µs). Idle RSS is unchanged: the reducer's GCs still free what is dead;
 * only how much garbage the old generation may hold under load grows.
 *
 * V8 reads the flag each time it sets a limit, so it applies when set at start. A value given to
 * node itself (`node --heap-growing-percent=N`, NODE_OPTIONS) is kept.
 */
export const HEAP_GROWING_PERCENT = 300;

export function tuneHeapForServer(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  const given = (arg: string) => /^--heap[-_]growing[-_]percent\b/.test(arg);
  if (execArgv.some(given) || nodeOptions.split(/\s+/).some(given)) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
