import { JunctionError } from '../core/errors.js';

/**
 * An error answered to a Nacos HTTP client. v1 routes answer `status` with `body` as plain text
 * (Nacos's `caused: …;` style); v2 routes answer the `{code, message, data}` envelope with
 * `v2Code` (Nacos ErrorCode, e.g. 10000 parameter missing, 20004 resource not found).
 */
export class NacosError extends JunctionError {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly v2Code: number = status === 404 ? 20004 : status === 403 ? 403 : 10000,
    readonly v2Message: string = body,
  ) {
    super(`NACOS_${status}`, body);
  }
}
