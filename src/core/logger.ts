import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One structured line per event (pino). Info level carries lifecycle events only; per-request
 * detail is at debug. JSON lines for machines; with `pretty` (a person at a terminal) readable
 * lines through pino-pretty, which is loaded only then.
 */
export async function createLogger(level: string, pretty = false): Promise<Logger> {
  if (!pretty) return pino({ level, base: { svc: 'junction' } });
  const { default: prettyStream } = await import('pino-pretty');
  return pino({ level, base: undefined }, prettyStream({ sync: true, singleLine: true, translateTime: 'HH:MM:ss.l', ignore: 'svc' }));
}

/** A logger that drops everything, for unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
