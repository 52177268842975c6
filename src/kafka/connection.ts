import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Connection, type ConnectionOptions } from '../core/net/connection.js';
import { LengthPrefixedFramer } from '../core/net/framer.js';
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

/**
 * One client connection (Kafka's KafkaChannel on a SocketServer processor) on core/net's
 * Connection: 4-byte length-prefixed frames up to socket.request.max.bytes (a larger one closes
 * the connection, as Kafka's NetworkReceive does), a request header, then the API's handler.
 * Responses go out in request order through the reply queue; Produce with acks=0 gets none. A
 * request this broker cannot serve — unknown key, version outside the advertised range, bytes its
 * grammar refuses — is logged and the connection closed ([AK] SocketServer: InvalidRequestException
 * closes the channel); only ApiVersions of an unknown version is answered (KIP-511).
 */
export class KafkaConnection extends Connection {
  private readonly closedSignal = new AbortController();

  constructor(socket: Socket, private readonly broker: BrokerContext, options: ConnectionOptions) {
    super(socket, new LengthPrefixedFramer(broker.settings.socketRequestMaxBytes), options);
    // Kafka has no opening exchange without SASL: requests flow from the first frame.
    this.handshakeCompleted();
  }

  protected override onFrame(frame: Buffer): void {
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
    if (key === ApiKey.ApiVersions && version > info.max) {
      this.answerUnsupportedApiVersions(header);
      return null;
    }
    if (version < info.min || version > info.max) {
      throw new KafkaProtocolError(`${handler.name} version ${version} is not supported (${info.min}-${info.max})`);
    }
    return { handler, header, request: decode(handler.request, version, body) };
  }

  protected override onClosed(): void { this.closedSignal.abort(); }

  private dispatch(handler: ApiHandler, header: RequestHeaderValue, request: object): void {
    const started = performance.now();
    const ctx: RequestContext = {
      broker: this.broker, apiVersion: header.requestApiVersion, clientId: header.clientId, connectionId: this.id,
      clientHost: `/${this.remoteAddress}`,
      signal: this.closedSignal.signal,
      close: (reason) => {
        this.broker.logger.info({ conn: this.id, remote: this.remoteAddress, reason }, 'kafka closing connection');
        this.closeAfterFlush();
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

/** Size prefix, response header (its version follows the request's), body. */
export function encodeResponse(spec: MessageSpec, header: RequestHeaderValue, body: object, sizeHint = 1024): Buffer {
  const w = new Writer(sizeHint);
  w.int32(0);
  writeResponseHeader(w, header.requestApiKey, header.requestApiVersion, header.correlationId);
  encode(spec, header.requestApiVersion, body as never, w);
  w.patchInt32(0, w.length - 4);
  return w.finish();
}
