import { SaslAuthenticationFailed } from '../auth/sasl-server.js';
import { KafkaErrors } from '../errors.js';
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from '../protocol/apis/sasl-authenticate.js';
import type { SaslHandshakeRequest, SaslHandshakeResponse } from '../protocol/apis/sasl-handshake.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import type { RequestContext } from './context.js';

type HandshakeResponse = MessageInput<typeof SaslHandshakeResponse>;
type AuthenticateResponse = MessageInput<typeof SaslAuthenticateResponse>;

/** SaslHandshake (key 17), v0–v1: pick the mechanism (SaslServerAuthenticator.handleHandshakeRequest).
 *  v0 means the tokens follow as raw frames (the connection reads them, see connection.ts). */
export function handleSaslHandshake(req: MessageValue<typeof SaslHandshakeRequest>, ctx: RequestContext): HandshakeResponse {
  const answer = ctx.sasl.handshake(req.mechanism, ctx.apiVersion);
  if (answer.closeReason !== null) ctx.close(answer.closeReason);
  return { errorCode: answer.errorCode, mechanisms: answer.mechanisms };
}

/**
 * SaslAuthenticate (key 36), v0–v2: one SASL token each way (SaslServerAuthenticator.handleSaslToken).
 * A failure answers SASL_AUTHENTICATION_FAILED with the mechanism's message, then closes the
 * connection; v1's session_lifetime_ms is 0 (no re-authentication, connections.max.reauth.ms unset).
 * After authentication KafkaApis answers ILLEGAL_SASL_STATE and keeps the connection.
 */
export async function handleSaslAuthenticate(req: MessageValue<typeof SaslAuthenticateRequest>, ctx: RequestContext): Promise<AuthenticateResponse> {
  if (ctx.sasl.stage !== 'authenticate') {
    return failure('ILLEGAL_SASL_STATE', 'SaslAuthenticate request received after successful authentication');
  }
  try {
    const authBytes = await ctx.sasl.authenticate(req.authBytes);
    if (ctx.sasl.principal !== null) {
      ctx.broker.logger.debug({ conn: ctx.connectionId, principal: ctx.sasl.principal, mechanism: ctx.sasl.mechanism }, 'kafka client authenticated');
    }
    return { errorCode: KafkaErrors.NONE.code, errorMessage: null, authBytes, sessionLifetimeMs: 0n };
  } catch (err) {
    if (!(err instanceof SaslAuthenticationFailed)) throw err;
    ctx.close(`SASL authentication failed (${ctx.sasl.mechanism ?? '-'}): ${err.detail ?? err.message}`);
    return failure('SASL_AUTHENTICATION_FAILED', err.message);
  }
}

function failure(error: 'ILLEGAL_SASL_STATE' | 'SASL_AUTHENTICATION_FAILED', message: string): AuthenticateResponse {
  return { errorCode: KafkaErrors[error].code, errorMessage: message, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n };
}
