import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Connection, type ConnectionOptions } from '../core/net/connection.js';
import type { ReplyFrame } from '../core/net/reply-queue.js';
import { encodeFrame, LengthPrefixedFramer } from '../core/net/framer.js';
import { SaslAuthenticator } from './auth/sasl-authenticator.js';
import { SaslAuthenticationFailed } from './auth/sasl-server.js';
import { KafkaErrors } from './errors.js';
import { apiVersionsBody } from './handlers/api-versions.js';
import { NO_RESPONSE, type BrokerContext, type RequestContext } from './handlers/context.js';
import { HANDLERS, IMPLEMENTED, type ApiHandler } from './handlers/index.js';
import { apiKeyInfo, ApiKey } from './protocol/api-keys.js';
import { ApiVersionsResponse } from './protocol/apis/api-versions.js';
import { readRequestHeader, writeResponseHeader, type RequestHeaderValue } from './protocol/headers.js';
import { KafkaProtocolError } from './protocol/protocol-error.js';
import { decode, encode, type MessageSpec } from './protocol/schema.js';
import { Writer } from './protocol/writer.js';

interface ParsedRequest { handler: ApiHandler; header: RequestHeaderValue; request: object }

/** Kafka's sasl.server.max.receive.size default (BrokerSecurityConfigs): the largest frame read
 *  before authentication completes. */
export const SASL_MAX_RECEIVE_BYTES = 524_288;

/**
 * One client connection (Kafka's KafkaChannel on a SocketServer processor) on core/net's
 * Connection: 4-byte length-prefixed frames up to socket.request.max.bytes (a larger one closes
 * the connection, as Kafka's NetworkReceive does), a request header, then the API's handler.
 * Responses go out in request order through the reply queue; Produce with acks=0 gets none. A
 * request this broker cannot serve — unknown key, version outside the advertised range, bytes its
 * grammar refuses — is logged and the connection closed ([AK] SocketServer: InvalidRequestException
 * closes the channel); only ApiVersions of an unknown version is answered (KIP-511).
 * With --auth, a request other than ApiVersions and the SASL ones before authentication closes
 * the connection too (SaslServerAuthenticator); after SaslHandshake v0 the SASL tokens arrive as
 * bare size-prefixed frames and are answered the same way (rawToken). Until authenticated, a
 * frame may not exceed sasl.server.max.receive.size, so an anonymous peer cannot make the server
 * buffer a 100 MB request.
 */
export class KafkaConnection extends Connection {
  private readonly closedSignal = new AbortController();
  private readonly sasl: SaslAuthenticator;

  constructor(socket: Socket, private readonly broker: BrokerContext, options: ConnectionOptions) {
    const frames = new LengthPrefixedFramer(broker.settings.socketRequestMaxBytes);
    super(socket, frames, options);
    this.sasl = new SaslAuthenticator(broker.saslCredentials, (mechanism, succeeded) => {
      broker.metrics.authentications.inc({ mechanism, result: succeeded ? 'success' : 'failure' });
      if (succeeded) frames.maxFrameBytes = broker.settings.socketRequestMaxBytes;
    });
    if (this.sasl.stage !== 'anonymous') frames.maxFrameBytes = Math.min(SASL_MAX_RECEIVE_BYTES, frames.maxFrameBytes);
    // Kafka has no opening exchange without SASL: requests flow from the first frame.
    this.handshakeCompleted();
  }

  protected override onFrame(frame: Buffer): void {
    if (this.sasl.expectsRawToken) {
      this.rawToken(frame);
      return;
    }
    let parsed: ParsedRequest | null;
    try {
      parsed = this.parse(frame);
    } catch (err) {
      if (!(err instanceof KafkaProtocolError)) throw err;
      this.broker.logger.info({ conn: this.id, remote: this.remoteAddress, err: err.message }, 'kafka request refused, closing connection');
      this.close();
      return;
    }
    if (parsed) this.dispatch(parsed.handler, parsed.header, parsed.request);
  }

  /** Header, handler and body of a request; null when it was answered here (ApiVersions of an
   *  unknown version). KafkaProtocolError for anything this broker does not serve. */
  private parse(frame: Buffer): ParsedRequest | null {
    const { header, body } = readRequestHeader(frame);
    const { requestApiKey: key, requestApiVersion: version } = header;
    const handler = HANDLERS.get(key);
    const info = apiKeyInfo(key);
    if (!handler || !info) throw new KafkaProtocolError(`API key ${key} is not supported by this broker`);
    const refusal = this.sasl.refusal(key);
    if (refusal !== null) throw new KafkaProtocolError(refusal);
    if (key === ApiKey.ApiVersions && version > info.max) {
      this.answerUnsupportedApiVersions(header);
      return null;
    }
    if (version < info.min || version > info.max) {
      throw new KafkaProtocolError(`${handler.name} version ${version} is not supported (${info.min}-${info.max})`);
    }
    const request = decode(handler.request, version, body);
    if (key === ApiKey.ApiVersions) this.sasl.versionsAnswered();
    return { handler, header, request };
  }

  /** A SASL token without a Kafka header (after SaslHandshake v0): the answer goes back with only
   *  a size prefix (PLAIN: an empty one); a failure closes the connection without an answer, as
   *  SaslServerAuthenticator does when there is no SaslAuthenticate to answer. */
  private rawToken(token: Buffer): void {
    const reply = this.replies.write();
    this.pauseReading('authentication');
    this.sasl.authenticate(token).then((answer) => {
      reply(encodeFrame(answer));
      this.resumeReading('authentication');
    }, (err: unknown) => {
      if (!(err instanceof SaslAuthenticationFailed)) {
        this.fail(err, 'sasl');
        return;
      }
      this.broker.logger.info({ conn: this.id, remote: this.remoteAddress, mechanism: this.sasl.mechanism, err: err.detail ?? err.message },
        'kafka SASL authentication failed, closing connection');
      this.close();
    });
  }

  protected override onClosed(): void { this.closedSignal.abort(); }

  private dispatch(handler: ApiHandler, header: RequestHeaderValue, request: object): void {
    const started = performance.now();
    const ctx: RequestContext = {
      broker: this.broker, apiVersion: header.requestApiVersion, clientId: header.clientId, connectionId: this.id,
        clientHost: `/${this.remoteAddress}`,
      signal: this.closedSignal.signal, sasl: this.sasl, principal: this.sasl.principal,
      authorize: (operation, type, name) => this.broker.authorizer.authorize(this.sasl.principal, operation, type, name),
      authorizeByResourceType: (operation, type) => this.broker.authorizer.authorizeByResourceType(this.sasl.principal, operation, type),
      close: (reason) => {
        this.broker.logger.info({ conn: this.id, remote: this.remoteAddress, reason }, 'kafka closing connection');
        // Later, not now: a handler closing as it answers (UNSUPPORTED_SASL_MECHANISM) has not
        // had its reply slot taken yet, and that answer must still go out.
        queueMicrotask(() => this.closeAfterFlush());
      },
      fail: (err) => this.fail(err, handler.name),
    };
    const result = handler.handle(request, ctx);
    if (result === NO_RESPONSE) return;
    const reply = this.replies.write();
    if (handler.barrier && result instanceof Promise) {
      this.pauseReading('request-order');
      const resume = (): void => this.resumeReading('request-order');
      result.then(resume, resume);
    }
    Promise.resolve(result).then((body) => {
      reply(encodeResponse(handler.response, header, body, handler.sizeHint?.(body)));
      this.broker.metrics.requestLatency.observe({ api: handler.name }, (performance.now() - started) / 1000);
    }).catch((err: unknown) => this.fail(err, handler.name));
  }

  private answerUnsupportedApiVersions(header: RequestHeaderValue): void {
    this.broker.logger.debug({ conn: this.id, version: header.requestApiVersion }, 'kafka ApiVersions version unsupported, answering v0');
    const body = apiVersionsBody(IMPLEMENTED, KafkaErrors.UNSUPPORTED_VERSION.code);
    const fallback = { ...header, requestApiVersion: 0 };
    this.replies.read(() => encodeResponse(ApiVersionsResponse, fallback, body));
  }
}

/** Size prefix, response header (its version follows the request's), body. Large record batches
 *  (Fetch) stay pieces of their own, written to the socket after the bytes before them without
 *  being copied into one frame buffer. */
export function encodeResponse(spec: MessageSpec, header: RequestHeaderValue, body: object, sizeHint = 1024): ReplyFrame {
  const w = new Writer(sizeHint);
  w.int32(0);
  writeResponseHeader(w, header.requestApiKey, header.requestApiVersion, header.correlationId);
  encode(spec, header.requestApiVersion, body as never, w);
  w.patchInt32(0, w.length - 4);
  const pieces = w.finishChunks();
  return pieces.length === 1 ? pieces[0]! : pieces;
}
