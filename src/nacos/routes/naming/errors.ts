import type { FastifyInstance } from 'fastify';
import { NacosError } from '../../errors.js';
import { NamingErrorCode as E } from '../../model/naming/errors.js';
import type { NamingResult } from '../../model/naming/types.js';

/** Nacos ErrorCode abbreviations, the v2 envelope's `message` (data carries the detail). */
const ABBR: Record<number, string> = {
  10000: 'parameter missing', 20002: 'parameter validate error', 20004: 'resource not found',
  21000: 'service name error', 21001: 'weight error', 21002: 'instance metadata error',
  21003: 'instance not found', 21004: 'instance error', 21007: 'service already exist',
  21008: 'service not exist', 21009: 'service delete failure', 30000: 'server error',
};

/**
 * A naming error: v1 answers `status` with the plain text (naming ResponseExceptionHandler);
 * v2 answers `{code, message: <ErrorCode abbreviation>, data: <detail>}` (NacosApiExceptionHandler).
 */
export class NamingError extends NacosError {
  constructor(status: number, readonly detail: string, errorCode: number = E.PARAMETER_VALIDATE_ERROR, v2Detail = detail) {
    super(status, detail, errorCode, ABBR[errorCode] ?? 'server error');
    this.v2Detail = v2Detail;
  }
  readonly v2Detail: string;
}

export function throwIfFailed(result: NamingResult): void {
  if (!result.ok) throw new NamingError(result.status, result.message, result.errorCode);
}

/** Inside the naming plugin only: put the v2 detail into `data`; anything else goes to the app's handler. */
export function installNamingErrorHandler(scope: FastifyInstance): void {
  scope.setErrorHandler((err: Error, req, reply) => {
    if (err instanceof NamingError && req.url.startsWith('/nacos/v2/')) {
      return reply.code(err.status).send({ code: err.v2Code, message: err.v2Message, data: err.v2Detail });
    }
    throw err;
  });
}
