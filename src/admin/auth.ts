import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * What the admin API needs from the user store (AuthService provides it): check a password,
 * check a Nacos access token, and tell a global admin from other users. Both checks reject
 * (throw) on a bad credential and resolve with the username otherwise.
 */
export interface AdminCredentialChecker {
  authenticate(username: string | undefined, password: string | undefined): Promise<string>;
  verifyToken(token: string): Promise<string>;
  isGlobalAdmin(username: string): boolean;
}

type Credential = { kind: 'basic'; username: string; password: string } | { kind: 'token'; token: string };

/**
 * The credential of an admin API request: HTTP Basic (what `junction status -u … -p …` sends),
 * or a Nacos access token from POST /nacos/v1/auth/login as `Authorization: Bearer …`,
 * an `accessToken` header or an `accessToken` query parameter (the places Nacos reads it from).
 */
export function credentialOf(req: FastifyRequest): Credential | null {
  const header = req.headers.authorization ?? '';
  const [scheme, value] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (scheme?.toLowerCase() === 'bearer' && value) return { kind: 'token', token: value };
  const tokenHeader = req.headers.accesstoken;
  if (typeof tokenHeader === 'string' && tokenHeader) return { kind: 'token', token: tokenHeader };
  const query = req.query as Record<string, unknown> | undefined;
  if (typeof query?.accessToken === 'string' && query.accessToken) return { kind: 'token', token: query.accessToken };
  return null;
}

/**
 * A preHandler for /api/*: 401 without a valid credential (with a Basic challenge so curl -u and
 * browsers know what to send), 403 for a valid user who is not a global admin.
 */
export function requireAdmin(checker: AdminCredentialChecker) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const credential = credentialOf(req);
    let username: string;
    try {
      if (!credential) throw new Error('no credential');
      username = credential.kind === 'basic'
        ? await checker.authenticate(credential.username, credential.password)
        : await checker.verifyToken(credential.token);
    } catch {
      await reply.code(401).header('www-authenticate', 'Basic realm="junction admin"')
        .send({ error: 'unauthorized', message: 'admin API needs a global admin credential (HTTP Basic or a Nacos accessToken)' });
      return;
    }
    if (!checker.isGlobalAdmin(username)) {
      await reply.code(403).send({ error: 'forbidden', message: `user ${username} is not a global admin` });
    }
  };
}
