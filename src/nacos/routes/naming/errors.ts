import { ErrorCode as E, type ErrorCodeEntry, NacosError } from '../../errors.js';
import type { NamingResult } from '../../model/naming/types.js';

/**
 * A naming error: v1 answers `status` with the plain text (naming ResponseExceptionHandler);
 * v2 answers `{code, message: <ErrorCode text>, data: <detail>}` (NacosApiExceptionHandler).
 * `v2Detail` is for the few errors whose v2 text differs from v1's.
 */
export class NamingError extends NacosError {
  constructor(status: number, detail: string, errorCode: ErrorCodeEntry = E.PARAMETER_VALIDATE_ERROR, v2Detail = detail) {
    super(status, detail, errorCode, v2Detail);
  }
}

export function throwIfFailed(result: NamingResult): void {
  if (!result.ok) throw new NamingError(result.status, result.message, result.errorCode);
}
