import type { ErrorCodeEntry } from '../../errors.js';
import type { NamingResult } from './types.js';

export const OK_CHANGED: NamingResult = { ok: true, changed: true };
export const OK_UNCHANGED: NamingResult = { ok: true, changed: false };

export function fail(status: number, message: string, errorCode: ErrorCodeEntry): NamingResult {
  return { ok: false, status, message, errorCode };
}
