import { JunctionError } from '../core/errors.js';

/** Nacos's v2 ErrorCode texts (api/model/v2/ErrorCode.java): the v2 envelope's `message`. */
export const V2_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  10000: 'parameter missing', 10001: 'access denied', 20001: "'tenant' parameter error",
  20002: 'parameter validate error', 20004: 'resource not found', 20005: 'resource conflict',
  21000: 'service name error', 21001: 'weight error', 21002: 'instance metadata error',
  21003: 'instance not found', 21004: 'instance error', 21007: 'service already exist',
  21008: 'service not exist', 21009: 'service delete failure',
  22000: 'illegal namespace', 22001: 'namespace not exist', 22002: 'namespace already exist',
  30000: 'server error',
};

/**
 * An error answered to a Nacos HTTP client. v1 routes answer `status` with `body` as plain text
 * (Nacos's `caused: …;` style); v2 routes answer the envelope NacosApiExceptionHandler writes:
 * `{code: v2Code, message: <ErrorCode text>, data: detail}`.
 */
export class NacosError extends JunctionError {
  /** The v2 envelope's `data`: the error text without v1's `caused: …;` wrapping. */
  readonly detail: string;

  constructor(
    readonly status: number,
    readonly body: string,
    readonly v2Code: number = status === 404 ? 20004 : status === 403 ? 10001 : 10000,
    detail?: string,
  ) {
    super(`NACOS_${status}`, body);
    this.detail = detail ?? /^caused: (.*);$/s.exec(body)?.[1] ?? body;
  }

  v2Body(): { code: number; message: string; data: string } {
    return { code: this.v2Code, message: V2_ERROR_MESSAGES[this.v2Code] ?? this.detail, data: this.detail };
  }
}
