/**
 * Whole requests and responses, header and body together: what the connection layer needs once it has
 * cut a frame off the socket (the int32 size prefix is the framing layer's). Follows Kafka's
 * RequestContext.parseRequest: an ApiVersions request of a version we do not declare still gets an
 * answer (a v0 body with UNSUPPORTED_VERSION, KIP-511); any other unknown key or version is a
 * KafkaProtocolError, after which Kafka closes the connection.
 */
import { API_GRAMMARS } from './apis/index.js';
import { ApiKey } from './api-keys.js';
import { readRequestHeader, type RequestHeaderValue, writeResponseHeader } from './headers.js';
import { KafkaProtocolError } from './protocol-error.js';
import { decode, encode, hasVersion } from './schema.js';
import { Writer } from './writer.js';

export type DecodedRequest =
  | { readonly kind: 'request'; readonly header: RequestHeaderValue; readonly body: Record<string, unknown>; readonly unusedBytes: number }
  /** ApiVersions at a version we do not declare: answer it with a v0 body and UNSUPPORTED_VERSION. */
  | { readonly kind: 'unsupported-api-versions'; readonly header: RequestHeaderValue };

/**
 * Decodes one request frame (without its size prefix). Bytes after the body are ignored, as Kafka's
 * AbstractRequest.parseRequest ignores them; `unusedBytes` lets the caller log them.
 */
export function decodeRequestFrame(frame: Buffer): DecodedRequest {
  const { header, body } = readRequestHeader(frame);
  const { requestApiKey: apiKey, requestApiVersion: version } = header;
  const grammar = API_GRAMMARS.get(apiKey);
  if (grammar === undefined) throw new KafkaProtocolError(`unsupported API key ${apiKey}`);
  if (!hasVersion(grammar.request, version)) {
    if (apiKey === ApiKey.ApiVersions) return { kind: 'unsupported-api-versions', header };
    throw new KafkaProtocolError(`unsupported version ${version} of API key ${apiKey} (declared ${grammar.request.validVersions})`);
  }
  const value = decode(grammar.request, version, body);
  return { kind: 'request', header, body: value, unusedBytes: body.remaining };
}

/**
 * Encodes a response frame, size prefix included, for the request's API key and version. The body is
 * a plain object of the response grammar; fields left out take their defaults.
 */
export function encodeResponseFrame(apiKey: number, apiVersion: number, correlationId: number, body: Record<string, unknown>): Buffer {
  // The writer is not used again, so its bytes can be handed out without a copy.
  return responseWriter(apiKey, apiVersion, correlationId, body).finish();
}

/**
 * The same frame as a list of Buffers for socket.writev/cork: record batches (Fetch) stay the
 * caller's Buffers, not copied, so they must not change until written.
 */
export function encodeResponseChunks(apiKey: number, apiVersion: number, correlationId: number, body: Record<string, unknown>): Buffer[] {
  return responseWriter(apiKey, apiVersion, correlationId, body).finishChunks();
}

function responseWriter(apiKey: number, apiVersion: number, correlationId: number, body: Record<string, unknown>): Writer {
  const grammar = API_GRAMMARS.get(apiKey);
  if (grammar === undefined) throw new KafkaProtocolError(`unsupported API key ${apiKey}`);
  const w = new Writer();
  w.int32(0);
  writeResponseHeader(w, apiKey, apiVersion, correlationId);
  encode(grammar.response, apiVersion, body, w);
  w.patchInt32(0, w.length - 4);
  return w;
}
