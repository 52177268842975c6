import { isScramMechanism } from '../../core/auth/scram.js';
import { KafkaErrors } from '../errors.js';
import { ApiKey } from '../protocol/api-keys.js';
import { PlainSaslServer } from './sasl-plain.js';
import { ScramSaslServer } from './sasl-scram.js';
import { ENABLED_MECHANISMS, SaslAuthenticationFailed, type SaslCredentials, type SaslServer } from './sasl-server.js';

/**
 * Where a connection is in Kafka's SaslServerAuthenticator state machine:
 *   handshake-or-versions → (ApiVersions) → handshake → (SaslHandshake) → authenticate → complete.
 * `anonymous` is a connection that needs no authentication (--auth off): every request is served,
 * and a client configured for SASL may still run the exchange (Kafka would answer its handshake
 * with ILLEGAL_SASL_STATE on a PLAINTEXT listener and the client would fail; a loopback dev server
 * lets it log in instead, see docs/compat/kafka.md).
 */
export type SaslStage = 'anonymous' | 'handshake-or-versions' | 'handshake' | 'authenticate' | 'complete';

export interface HandshakeAnswer { errorCode: number; mechanisms: string[]; closeReason: string | null }

/** One connection's authentication: which requests it may send now, and its SASL exchange. */
export class SaslAuthenticator {
  private current: SaslStage;
  private server: SaslServer | null = null;
  private raw = false;

  /** `onOutcome` hears how an exchange ended (metrics, the frame bound), before the next frame is read. */
  constructor(private readonly credentials: SaslCredentials,
    private readonly onOutcome: (mechanism: string, succeeded: boolean) => void = () => {}) {
    this.current = credentials.authRequired ? 'handshake-or-versions' : 'anonymous';
  }

  get stage(): SaslStage { return this.current; }
  /** The authenticated user; null while anonymous or not yet authenticated. */
  get principal(): string | null { return this.current === 'complete' ? this.server!.principal : null; }
  get mechanism(): string | null { return this.server?.mechanism ?? null; }
  /** After SaslHandshake v0 the client's SASL tokens come as bare size-prefixed frames, with no
   *  Kafka header (kafka-python 2.0.2; SaslServerAuthenticator without KafkaSaslAuthenticateHeaders). */
  get expectsRawToken(): boolean { return this.current === 'authenticate' && this.raw; }

  /** Why a request with this key may not be served now (the connection is then closed, as
   *  SaslServerAuthenticator does), or null. */
  refusal(apiKey: number): string | null {
    switch (this.current) {
      case 'anonymous': case 'complete':
        return null;
      case 'handshake-or-versions':
        return apiKey === ApiKey.ApiVersions || apiKey === ApiKey.SaslHandshake ? null
          : `Unexpected Kafka request of type ${apiKey} during SASL handshake.`;
      case 'handshake':
        if (apiKey === ApiKey.SaslHandshake) return null;
        return apiKey === ApiKey.ApiVersions ? 'Unexpected ApiVersions request received during SASL authentication state HANDSHAKE_REQUEST'
          : `Unexpected Kafka request of type ${apiKey} during SASL handshake.`;
      case 'authenticate':
        return apiKey === ApiKey.SaslAuthenticate ? null : `Unexpected Kafka request of type ${apiKey} during SASL authentication.`;
    }
  }

  /** ApiVersions was answered: only SaslHandshake may follow (HANDSHAKE_REQUEST). */
  versionsAnswered(): void {
    if (this.current === 'handshake-or-versions') this.current = 'handshake';
  }

  /** SaslHandshake: an enabled mechanism starts its exchange; an unknown one is refused with the
   *  enabled list and the connection closed. After authentication (or during it) Kafka's
   *  KafkaApis answers ILLEGAL_SASL_STATE. */
  handshake(mechanism: string, version: number): HandshakeAnswer {
    const mechanisms = [...ENABLED_MECHANISMS];
    if (this.current === 'complete' || this.current === 'authenticate') {
      return { errorCode: KafkaErrors.ILLEGAL_SASL_STATE.code, mechanisms: [], closeReason: null };
    }
    if (!(mechanisms as string[]).includes(mechanism)) {
      return { errorCode: KafkaErrors.UNSUPPORTED_SASL_MECHANISM.code, mechanisms, closeReason: `Unsupported SASL mechanism ${mechanism}` };
    }
    this.server = isScramMechanism(mechanism) ? new ScramSaslServer(mechanism, this.credentials) : new PlainSaslServer(this.credentials);
    this.raw = version === 0;
    this.current = 'authenticate';
    return { errorCode: KafkaErrors.NONE.code, mechanisms, closeReason: null };
  }

  /** One client token (from SaslAuthenticate or a raw frame): the server's answer. Rejects with
   *  SaslAuthenticationFailed; the caller then answers and closes the connection. */
  async authenticate(token: Buffer): Promise<Buffer> {
    if (this.current !== 'authenticate' || !this.server) throw new SaslAuthenticationFailed(`Unexpected SASL token in state ${this.current}`);
    let reply: Buffer;
    try {
      reply = await this.server.evaluate(token);
    } catch (err) {
      this.onOutcome(this.server.mechanism, false);
      throw err;
    }
    if (this.server.principal !== null) {
      this.current = 'complete';
      this.onOutcome(this.server.mechanism, true);
    }
    return reply;
  }
}
