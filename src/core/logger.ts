import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One structured JSON line per event (pino). Info level carries lifecycle events only;
 * per-request detail is at debug.
 */
export function createLogger(level: string = process.env.JUNCTION_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { svc: 'junction' } });
}

/** A logger that drops everything, for unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
