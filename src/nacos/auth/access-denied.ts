import { ErrorCode, NacosError } from '../errors.js';

/**
 * A request refused by Nacos's AuthFilter. Nacos answers it with
 * `response.sendError(403, reason)`, which Spring Boot (server.error.include-message=ALWAYS)
 * renders as its JSON error page, on v1 and v2 paths alike:
 * `{"timestamp":"…","status":403,"error":"Forbidden","message":"token expired!","path":"/nacos/v1/ns/instance"}`.
 * As a NacosError it still answers 403 with the reason wherever that page is not rendered.
 */
export class NacosAccessDenied extends NacosError {
  constructor(readonly reason: string) {
    super(403, reason, ErrorCode.ACCESS_DENIED);
  }

  springBody(path: string, nowMs: number): Record<string, unknown> {
    return { timestamp: springTimestamp(nowMs), status: 403, error: 'Forbidden', message: this.reason, path };
  }
}

/** Spring Boot's error timestamp: ISO-8601 with an explicit offset, e.g. 2024-05-01T08:00:00.000+00:00. */
function springTimestamp(nowMs: number): string {
  return new Date(nowMs).toISOString().replace('Z', '+00:00');
}
