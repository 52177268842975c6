import type { NamingResult } from './types.js';

/** Nacos v2 ErrorCode numbers used by naming (api/model/v2/ErrorCode.java). */
export const NamingErrorCode = {
  PARAMETER_MISSING: 10000,
  PARAMETER_VALIDATE_ERROR: 20002,
  RESOURCE_NOT_FOUND: 20004,
  SERVICE_NAME_ERROR: 21000,
  WEIGHT_ERROR: 21001,
  INSTANCE_METADATA_ERROR: 21002,
  INSTANCE_NOT_FOUND: 21003,
  INSTANCE_ERROR: 21004,
  SERVICE_ALREADY_EXIST: 21007,
  SERVICE_NOT_EXIST: 21008,
  SERVICE_DELETE_FAILURE: 21009,
  SERVER_ERROR: 30000,
} as const;

export const OK_CHANGED: NamingResult = { ok: true, changed: true };
export const OK_UNCHANGED: NamingResult = { ok: true, changed: false };

export function fail(status: number, message: string, errorCode: number): NamingResult {
  return { ok: false, status, message, errorCode };
}
