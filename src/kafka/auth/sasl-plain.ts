import { AuthDenied } from '../../core/auth/auth-service.js';
import { SaslAuthenticationFailed, type SaslCredentials, type SaslServer } from './sasl-server.js';

/**
 * SASL/PLAIN (RFC 4616) as Kafka's PlainSaslServer checks it: one token
 * `authzid NUL username NUL password`, an authzid that is empty or the username, the password
 * checked against the shared user store; one empty token back. Its failure texts are sent to the
 * client as they are (they are SaslAuthenticationExceptions in Kafka).
 */
export class PlainSaslServer implements SaslServer {
  readonly mechanism = 'PLAIN';
  principal: string | null = null;

  constructor(private readonly credentials: SaslCredentials) {}

  async evaluate(token: Buffer): Promise<Buffer> {
    if (this.principal !== null) throw new SaslAuthenticationFailed('Unexpected challenge in Sasl server state COMPLETE');
    const parts = token.toString('utf8').split('\0');
    if (parts.length !== 3) throw new SaslAuthenticationFailed(`Invalid SASL/PLAIN response: expected 3 tokens, got ${parts.length}`);
    const [authorizationId, username, password] = parts as [string, string, string];
    if (username === '') throw new SaslAuthenticationFailed('Authentication failed: username not specified');
    if (password === '') throw new SaslAuthenticationFailed('Authentication failed: password not specified');
    if (authorizationId !== '' && authorizationId !== username) {
      throw new SaslAuthenticationFailed('Authentication failed: Client requested an authorization id that is different from username');
    }
    if (this.credentials.authRequired) await this.check(username, password);
    this.principal = username;
    return Buffer.alloc(0);
  }

  private async check(username: string, password: string): Promise<void> {
    try {
      await this.credentials.users.authenticate(username, password);
    } catch (err) {
      if (!(err instanceof AuthDenied)) throw err;
      throw new SaslAuthenticationFailed('Authentication failed: Invalid username or password', `user ${username}`);
    }
  }
}
