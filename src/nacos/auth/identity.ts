import type { FastifyRequest } from 'fastify';
import { AuthDenied, type AuthService } from '../../core/auth/auth-service.js';
import { Params } from '../params.js';
import { NacosAccessDenied } from './access-denied.js';

const BEARER = 'Bearer ';

/**
 * Who is asking, resolved as Nacos's NacosAuthPluginService does: a token from
 * `Authorization: Bearer …`, else the `accessToken` parameter (query or form); without a token,
 * the `username` and `password` parameters (what the nacos npm client sends on every request).
 * Nothing else counts — in particular `User-Agent: Nacos-Server` grants nothing (CVE-2021-29441).
 */
export function resolveToken(req: FastifyRequest, params: Params = new Params(req)): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith(BEARER)) {
    const token = header.slice(BEARER.length).trim();
    if (token !== '') return token;
  }
  return params.optional('accessToken');
}

/** The authenticated username; throws what `toError` makes of Nacos's reason ("user not found!", "token expired!", …). */
export async function identify(
  auth: AuthService, req: FastifyRequest,
  toError: (reason: string) => Error = (reason) => new NacosAccessDenied(reason),
): Promise<string> {
  const params = new Params(req);
  const token = resolveToken(req, params);
  try {
    if (token !== undefined) return await auth.verifyToken(token);
    return await auth.authenticate(params.optional('username'), params.optional('password'));
  } catch (err) {
    if (err instanceof AuthDenied) throw toError(err.reason);
    throw err;
  }
}
