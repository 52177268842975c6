/**
 * Request header v0–v2 and response header v0–v1 (apache/kafka RequestHeader.json,
 * ResponseHeader.json), and which version an (apiKey, apiVersion) uses: the header is flexible
 * (request v2, response v1) exactly when the API version is, as in RequestHeader.parse and
 * ApiMessageType.requestHeaderVersion/responseHeaderVersion.
 */
import { apiKeyInfo, ApiKey } from './api-keys.js';
import { KafkaProtocolError } from './protocol-error.js';
import { Reader } from './reader.js';
import { decode, defineMessage, encode, type MessageValue } from './schema.js';
import { Writer } from './writer.js';

export const RequestHeader = defineMessage({
  name: 'RequestHeader', type: 'header', validVersions: '0-2', flexibleVersions: '2+',
  fields: [
    { name: 'requestApiKey', type: 'int16', versions: '0+' },
    { name: 'requestApiVersion', type: 'int16', versions: '0+' },
    { name: 'correlationId', type: 'int32', versions: '0+' },
    // Always the int16-length form, even in v2: an old broker must read the header of any
    // ApiVersions request (comment in RequestHeader.json).
    { name: 'clientId', type: 'string', versions: '1+', nullableVersions: '1+', ignorable: true, flexibleVersions: 'none' },
  ],
});

export const ResponseHeader = defineMessage({
  name: 'ResponseHeader', type: 'header', validVersions: '0-1', flexibleVersions: '1+',
  fields: [{ name: 'correlationId', type: 'int32', versions: '0+' }],
});

export type RequestHeaderValue = MessageValue<typeof RequestHeader>;

function isFlexible(apiKey: number, apiVersion: number): boolean {
  const info = apiKeyInfo(apiKey);
  if (info === undefined) throw new KafkaProtocolError(`unknown API key ${apiKey}`);
  return info.firstFlexible !== null && apiVersion >= info.firstFlexible;
}

/**
 * The request header version of an API version: 2 when flexible, else 1. (v0 is only used by
 * ControlledShutdown v0, which a single broker never receives.) Unknown keys are refused, as
 * Kafka's ApiKeys.forId does.
 */
export function requestHeaderVersion(apiKey: number, apiVersion: number): 1 | 2 {
  return isFlexible(apiKey, apiVersion) ? 2 : 1;
}

/**
 * The response header version: 1 when flexible, else 0; ApiVersions responses always use v0 so
 * that a client can read the error of an unsupported version (ApiMessageTypeGenerator:
 * "ApiVersionsResponse always includes a v0 header").
 */
export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 {
  if (apiKey === ApiKey.ApiVersions) return 0;
  return isFlexible(apiKey, apiVersion) ? 1 : 0;
}

/** The API key and version at the start of a request (after the size prefix), read before the rest. */
export function peekApiKeyAndVersion(frame: Buffer): { apiKey: number; apiVersion: number } {
  const r = new Reader(frame);
  return { apiKey: r.int16(), apiVersion: r.int16() };
}

/**
 * Reads the header of one request frame (the bytes after the size prefix) and returns it with a
 * Reader positioned at the start of the body.
 */
export function readRequestHeader(frame: Buffer): { header: RequestHeaderValue; body: Reader } {
  const { apiKey, apiVersion } = peekApiKeyAndVersion(frame);
  const body = new Reader(frame);
  const header = decode(RequestHeader, requestHeaderVersion(apiKey, apiVersion), body);
  return { header, body };
}

export function writeRequestHeader(w: Writer, header: { requestApiKey: number; requestApiVersion: number; correlationId: number; clientId: string | null }): void {
  encode(RequestHeader, requestHeaderVersion(header.requestApiKey, header.requestApiVersion), header, w);
}

export function writeResponseHeader(w: Writer, apiKey: number, apiVersion: number, correlationId: number): void {
  encode(ResponseHeader, responseHeaderVersion(apiKey, apiVersion), { correlationId }, w);
}

/** Reads a response header (client side, tests): the version follows the request's API version. */
export function readResponseHeader(r: Reader, apiKey: number, apiVersion: number): { correlationId: number } {
  return decode(ResponseHeader, responseHeaderVersion(apiKey, apiVersion), r);
}
