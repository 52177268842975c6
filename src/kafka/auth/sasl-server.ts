import type { AuthService } from '../../core/auth/auth-service.js';
import { JunctionError } from '../../core/errors.js';

/**
 * One SASL exchange on one connection (javax.security.sasl.SaslServer as Kafka uses it): each
 * client token is evaluated into the server's next token until the exchange is complete, and
 * then names the authenticated user. Implementations: PLAIN (sasl-plain.ts) and SCRAM
 * (sasl-scram.ts).
 */
export interface SaslServer {
  readonly mechanism: string;
  /** The next token to send the client; rejects with SaslAuthenticationFailed. */
  evaluate(token: Buffer): Promise<Buffer>;
  /** The user the exchange authenticated; null until it is complete. */
  readonly principal: string | null;
}

/**
 * The exchange failed: `message` goes to the client in SaslAuthenticate's error_message, so it
 * says no more than Kafka's does (SaslAuthenticationException messages are sent as they are;
 * for a plain SaslException Kafka sends a fixed text naming only the mechanism).
 */
export class SaslAuthenticationFailed extends JunctionError {
  constructor(message: string, readonly detail?: string) { super('KAFKA_SASL_AUTHENTICATION_FAILED', message); }
}

/** SaslServerAuthenticator's text for a SaslException, which must not tell whether the user exists. */
export function invalidCredentials(mechanism: string, detail: string): SaslAuthenticationFailed {
  return new SaslAuthenticationFailed(`Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`, detail);
}

/** What a SASL server checks credentials against. */
export interface SaslCredentials {
  readonly users: AuthService;
  /** --auth: PLAIN passwords are checked. Off, any PLAIN credentials are accepted (nothing is
   *  protected, as ZooKeeper's addauth without --auth); SCRAM is always checked, since the
   *  client verifies the server's signature and that needs the stored keys. */
  readonly authRequired: boolean;
}

/** sasl.enabled.mechanisms, in the order the handshake lists them. */
export const ENABLED_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
