import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, hmac, type ScramCredential, type ScramMechanism } from '../../core/auth/scram.js';
import { invalidCredentials, SaslAuthenticationFailed, type SaslCredentials, type SaslServer } from './sasl-server.js';

/**
 * SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802, RFC 7677) as Kafka's ScramSaslServer runs it, against
 * the StoredKey/ServerKey kept in the shared user store (core/auth/scram.ts):
 *   client-first  `n,[a=authzid],n=user,r=cnonce[,ext]`  → server-first `r=cnonce+snonce,s=salt,i=4096`
 *   client-final  `c=biws,r=nonce[,ext],p=proof`          → server-final `v=ServerSignature`
 * No channel binding (gs2 flag `n` only, as Kafka's ClientFirstMessage), extensions ignored.
 * An unknown user, a user without SCRAM credentials (password last set before they were kept) and
 * a wrong proof all fail with Kafka's one text for a SaslException, which names only the mechanism.
 */
type State = { step: 'first' } | { step: 'final'; exchange: Exchange } | { step: 'done' };

interface Exchange { username: string; credential: ScramCredential; clientFirstBare: string; serverFirst: string; nonce: string; gs2Header: string }

/** saslname (RFC 5802 §5.1): `=2C` is ',' and `=3D` is '='; any other '=' is malformed. */
const SASL_NAME = /^(?:[^=,]|=2C|=3D)+$/;
const NONCE = /^[\x21-\x2b\x2d-\x7e]+$/;
/** gs2-header (flag `n`, optional authzid), then client-first-message-bare (RFC 5802 §7). */
const CLIENT_FIRST = /^(?<gs2Header>n,(?:a=(?<authorizationId>[^,]*))?,)(?<clientFirstBare>n=(?<saslName>[^,]*),r=(?<nonce>[^,]*)(?:,.*)?)$/s;
/** client-final-message-without-proof, then the proof. */
const CLIENT_FINAL = /^(?<withoutProof>c=(?<channelBinding>[^,]*),r=(?<nonce>[^,]*)(?:,(?!p=)[^,]*)*),p=(?<proof>[A-Za-z0-9+/=]+)$/s;

export class ScramSaslServer implements SaslServer {
  principal: string | null = null;
  private state: State = { step: 'first' };

  constructor(readonly mechanism: ScramMechanism, private readonly credentials: SaslCredentials,
    /** Kafka's ScramFormatter.secureRandomString; injectable for RFC 7677's test vector. */
    private readonly serverNonce: () => string = () => randomBytes(24).toString('base64url')) {}

  evaluate(token: Buffer): Promise<Buffer> {
    try {
      return Promise.resolve(this.step(token.toString('utf8')));
    } catch (err) {
      this.state = { step: 'done' };
      return Promise.reject(err);
    }
  }

  private step(message: string): Buffer {
    switch (this.state.step) {
      case 'first': return this.clientFirst(message);
      case 'final': return this.clientFinal(message, this.state.exchange);
      case 'done': throw new SaslAuthenticationFailed('Unexpected challenge in Sasl server state COMPLETE');
    }
  }

  private clientFirst(message: string): Buffer {
    const match = CLIENT_FIRST.exec(message)?.groups;
    if (!match || !SASL_NAME.test(match.saslName!) || !NONCE.test(match.nonce!)) throw invalidCredentials(this.mechanism, 'malformed client-first message');
    const { gs2Header, authorizationId, clientFirstBare, saslName, nonce: clientNonce } = match;
    const username = saslName!.replace(/=2C/g, ',').replace(/=3D/g, '=');
    const credential = this.credentials.users.scramCredential(username, this.mechanism);
    if (!credential) throw invalidCredentials(this.mechanism, `no ${this.mechanism} credential for user ${username}`);
    if (authorizationId !== undefined && authorizationId !== '' && authorizationId !== username) {
      throw new SaslAuthenticationFailed('Authentication failed: Client requested an authorization id that is different from username');
    }
    const nonce = clientNonce! + this.serverNonce();
    const serverFirst = `r=${nonce},s=${credential.salt},i=${credential.iterations}`;
    this.state = { step: 'final', exchange: { username, credential, clientFirstBare: clientFirstBare!, serverFirst, nonce, gs2Header: gs2Header! } };
    return Buffer.from(serverFirst, 'utf8');
  }

  private clientFinal(message: string, x: Exchange): Buffer {
    const match = CLIENT_FINAL.exec(message)?.groups;
    if (!match) throw invalidCredentials(this.mechanism, 'malformed client-final message');
    const { withoutProof, channelBinding, nonce, proof: proofText } = match;
    // Kafka 3.8.1–3.9 (the CVE-2024-56128 fix) accept a nonce that ends with the server's, since
    // librdkafka before 2.6.1 (Debian's kcat: 2.0.2) sends the client nonce twice (librdkafka#4895).
    // The whole nonce is still covered by the proof, so freshness is kept.
    if (!nonce!.endsWith(x.nonce)) throw invalidCredentials(this.mechanism, 'Invalid client nonce in the final client message.');
    if (Buffer.from(channelBinding!, 'base64').toString('utf8') !== x.gs2Header) throw invalidCredentials(this.mechanism, 'channel binding mismatch');
    const authMessage = `${x.clientFirstBare},${x.serverFirst},${withoutProof!}`;
    const storedKey = Buffer.from(x.credential.storedKey, 'base64');
    const clientSignature = hmac(this.mechanism, storedKey, authMessage);
    const proof = Buffer.from(proofText!, 'base64');
    if (proof.length !== clientSignature.length) throw invalidCredentials(this.mechanism, 'Invalid client credentials');
    const clientKey = Buffer.from(proof.map((b, i) => b ^ clientSignature[i]!));
    if (!timingSafeEqual(hash(this.mechanism, clientKey), storedKey)) throw invalidCredentials(this.mechanism, 'Invalid client credentials');
    const serverSignature = hmac(this.mechanism, Buffer.from(x.credential.serverKey, 'base64'), authMessage);
    this.state = { step: 'done' };
    this.principal = x.username;
    return Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8');
  }
}
