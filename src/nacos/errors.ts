import { JunctionError } from '../core/errors.js';

/** One constant of Nacos's ErrorCode enum: its number (`getCode()`) and text (`getMsg()`). */
export interface ErrorCodeEntry { readonly code: number; readonly message: string }

/**
 * THE registry of Nacos v2 error codes: com.alibaba.nacos.api.model.v2.ErrorCode of Nacos 2.4.3
 * (the version Junction answers as, NACOS_COMPAT_VERSION), every constant with the same name,
 * number and text in declaration order. The v2 envelope `{code, message, data}` carries `code`
 * and `message` from here (NacosApiExceptionHandler: Result(detailErrCode, errAbstract, errMsg)).
 * Every Junction file that answers a v2 error names its entry from here; no code is a literal.
 * test/nacos/error-code.test.ts checks this table against the enum (test/fixtures/nacos/).
 */
export const ErrorCode = {
  SUCCESS: { code: 0, message: 'success' },
  PARAMETER_MISSING: { code: 10000, message: 'parameter missing' },
  ACCESS_DENIED: { code: 10001, message: 'access denied' },
  DATA_ACCESS_ERROR: { code: 10002, message: 'data access error' },
  TENANT_PARAM_ERROR: { code: 20001, message: "'tenant' parameter error" },
  PARAMETER_VALIDATE_ERROR: { code: 20002, message: 'parameter validate error' },
  MEDIA_TYPE_ERROR: { code: 20003, message: 'MediaType Error' },
  RESOURCE_NOT_FOUND: { code: 20004, message: 'resource not found' },
  RESOURCE_CONFLICT: { code: 20005, message: 'resource conflict' },
  CONFIG_LISTENER_IS_NULL: { code: 20006, message: 'config listener is null' },
  CONFIG_LISTENER_ERROR: { code: 20007, message: 'config listener error' },
  INVALID_DATA_ID: { code: 20008, message: 'invalid dataId' },
  PARAMETER_MISMATCH: { code: 20009, message: 'parameter mismatch' },
  SERVICE_NAME_ERROR: { code: 21000, message: 'service name error' },
  WEIGHT_ERROR: { code: 21001, message: 'weight error' },
  INSTANCE_METADATA_ERROR: { code: 21002, message: 'instance metadata error' },
  INSTANCE_NOT_FOUND: { code: 21003, message: 'instance not found' },
  INSTANCE_ERROR: { code: 21004, message: 'instance error' },
  SERVICE_METADATA_ERROR: { code: 21005, message: 'service metadata error' },
  SELECTOR_ERROR: { code: 21006, message: 'selector error' },
  SERVICE_ALREADY_EXIST: { code: 21007, message: 'service already exist' },
  SERVICE_NOT_EXIST: { code: 21008, message: 'service not exist' },
  SERVICE_DELETE_FAILURE: { code: 21009, message: 'service delete failure' },
  HEALTHY_PARAM_MISS: { code: 21010, message: 'healthy param miss' },
  HEALTH_CHECK_STILL_RUNNING: { code: 21011, message: 'health check still running' },
  ILLEGAL_NAMESPACE: { code: 22000, message: 'illegal namespace' },
  NAMESPACE_NOT_EXIST: { code: 22001, message: 'namespace not exist' },
  NAMESPACE_ALREADY_EXIST: { code: 22002, message: 'namespace already exist' },
  ILLEGAL_STATE: { code: 23000, message: 'illegal state' },
  NODE_INFO_ERROR: { code: 23001, message: 'node info error' },
  NODE_DOWN_FAILURE: { code: 23002, message: 'node down failure' },
  SERVER_ERROR: { code: 30000, message: 'server error' },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCodeName = keyof typeof ErrorCode;

/** Nacos Result.success(data): `{code: 0, message: 'success', data}`, the v2 envelope of an answer. */
export function v2Success<T>(data: T): { code: number; message: string; data: T } {
  return { code: ErrorCode.SUCCESS.code, message: ErrorCode.SUCCESS.message, data };
}

/**
 * The one HTTP status Nacos 2.4.3 answers with each of these codes (its NacosApiException and
 * NacosException throws, NacosApiExceptionHandler's @ResponseStatus; NacosException.INVALID_PARAM
 * is 400, NOT_FOUND 404), checked against test/fixtures/nacos/error-status-2.4.3.tsv. Codes
 * Nacos answers with more than one status are left out: RESOURCE_CONFLICT (500 for a failed CAS
 * publish, 409 while a config is being dumped) and SERVER_ERROR (500, or a NacosException's own
 * code). Junction's routes pair these codes with these statuses too.
 */
export const HTTP_STATUS: Readonly<Partial<Record<ErrorCodeName, number>>> = {
  PARAMETER_MISSING: 400,
  ACCESS_DENIED: 403,
  PARAMETER_VALIDATE_ERROR: 400,
  RESOURCE_NOT_FOUND: 404,
  INVALID_DATA_ID: 403,
  WEIGHT_ERROR: 400,
  INSTANCE_METADATA_ERROR: 400,
  INSTANCE_ERROR: 400,
  SELECTOR_ERROR: 400,
  SERVICE_ALREADY_EXIST: 400,
  SERVICE_NOT_EXIST: 400,
  SERVICE_DELETE_FAILURE: 400,
  ILLEGAL_NAMESPACE: 400,
  NAMESPACE_NOT_EXIST: 404,
  NAMESPACE_ALREADY_EXIST: 500,
};

/**
 * Codes of the v1 naming beat answer `{clientBeatInterval, code, lightBeatEnabled}`: not
 * ErrorCode constants but com.alibaba.nacos.api.common.ResponseCode.OK and
 * com.alibaba.nacos.api.naming.NamingResponseCode.RESOURCE_NOT_FOUND (the client re-registers).
 */
export const BeatResponseCode = { OK: 10200, RESOURCE_NOT_FOUND: 20404 } as const;

const NAME_BY_ENTRY: ReadonlyMap<ErrorCodeEntry, ErrorCodeName> = new Map(
  (Object.keys(ErrorCode) as ErrorCodeName[]).map((name) => [ErrorCode[name], name]),
);

/** The enum constant's name of an entry ("RESOURCE_NOT_FOUND"). */
export function errorCodeName(entry: ErrorCodeEntry): ErrorCodeName | undefined {
  return NAME_BY_ENTRY.get(entry);
}

/** What a v1 error's status means in v2 when the route names no code (404, 403, else missing parameter). */
function defaultCode(status: number): ErrorCodeEntry {
  if (status === 404) return ErrorCode.RESOURCE_NOT_FOUND;
  if (status === 403) return ErrorCode.ACCESS_DENIED;
  return ErrorCode.PARAMETER_MISSING;
}

/**
 * An error answered to a Nacos HTTP client. v1 routes answer `status` with `body` as plain text
 * (Nacos's `caused: …;` style); v2 routes answer the envelope NacosApiExceptionHandler writes:
 * `{code: errorCode.code, message: errorCode.message, data: detail}`.
 */
export class NacosError extends JunctionError {
  /** The v2 envelope's `data`: the error text without v1's `caused: …;` wrapping. */
  readonly detail: string;
  readonly errorCode: ErrorCodeEntry;

  constructor(readonly status: number, readonly body: string, errorCode?: ErrorCodeEntry, detail?: string) {
    const entry = errorCode ?? defaultCode(status);
    super(`NACOS_${errorCodeName(entry) ?? status}`, body);
    this.errorCode = entry;
    this.detail = detail ?? /^caused: (.*);$/s.exec(body)?.[1] ?? body;
  }

  v2Body(): { code: number; message: string; data: string } {
    return { code: this.errorCode.code, message: this.errorCode.message, data: this.detail };
  }
}
