import { randomBytes } from 'node:crypto';
import { payloadEntry, ResultCode, RpcErrorCode } from './catalogue.js';

/** A Payload message as plain data (wire.ts reads and writes it). */
export interface Payload {
  metadata?: { type?: string; clientIp?: string; headers?: Record<string, string> } | null;
  body?: { type_url?: string; value?: Buffer | Uint8Array } | null;
}

/** A payload read from a client: its type, metadata headers and Jackson JSON body. */
export interface DecodedPayload {
  type: string;
  clientIp: string;
  /** Request.headers; Nacos keeps them in a case-insensitive TreeMap, so names are lower-cased here. */
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** A payload that cannot become a typed object: GrpcUtils.parse's RemoteException or Jackson's error. */
export class PayloadDecodeError extends Error {
  constructor(readonly errorCode: number, message: string) {
    super(message);
    this.name = 'PayloadDecodeError';
  }
}

/** GrpcUtils.parse: the class named by metadata.type, read from the body's bytes as JSON. */
export function decodePayload(payload: Payload): DecodedPayload {
  const type = payload.metadata?.type ?? '';
  if (!payloadEntry(type)) throw new PayloadDecodeError(RpcErrorCode.NO_HANDLER, `Unknown payload type:${type}`);
  const raw = Buffer.from(payload.body?.value ?? Buffer.alloc(0)).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    // GrpcRequestAcceptor answers a parse failure with ErrorResponse(BAD_GATEWAY, e.getMessage()).
    throw new PayloadDecodeError(RpcErrorCode.BAD_GATEWAY, `Invalid request body: ${(err as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new PayloadDecodeError(RpcErrorCode.BAD_GATEWAY, 'Invalid request');
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload.metadata?.headers ?? {})) headers[k.toLowerCase()] = String(v);
  return { type, clientIp: payload.metadata?.clientIp ?? '', headers, body: body as Record<string, unknown> };
}

/** JSON text already rendered (a ServiceInfo from the HTTP API's view cache), embedded as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify with RawJson values spliced in unparsed: a placeholder string with a random
 *  per-call nonce stands in first, so data that happens to look like a placeholder stays data. */
export function toJson(body: object): string {
  const raws: string[] = [];
  let nonce = '';
  const text = JSON.stringify(body, (_k, v: unknown) => {
    if (!(v instanceof RawJson)) return v;
    nonce ||= randomBytes(8).toString('hex');
    return `\u0000${nonce}:${raws.push(v.text) - 1}`;
  });
  if (raws.length === 0) return text;
  const placeholder = new RegExp(`"\\\\u0000${nonce}:(\\d+)"`, 'g');
  return text.replace(placeholder, (_m, i: string) => raws[Number(i)]!);
}

/** GrpcUtils.convert(Response|Request): metadata.type = simple class name, body = Jackson JSON bytes. */
export function encodePayload(type: string, body: object): Payload {
  return { metadata: { type, clientIp: '', headers: {} }, body: { type_url: '', value: Buffer.from(toJson(body)) } };
}

/** A successful Response's JSON (Response: resultCode, errorCode, message, requestId; isSuccess() → success). */
export function okBody(requestId: string | undefined, fields: object = {}): Record<string, unknown> {
  return { resultCode: ResultCode.SUCCESS, errorCode: 0, message: null, requestId: requestId ?? null, ...fields, success: true };
}

/** Response.setErrorInfo(errorCode, message): resultCode FAIL, the code in errorCode. */
export function failBody(requestId: string | undefined, errorCode: number, message: string, fields: object = {}): Record<string, unknown> {
  return { resultCode: ResultCode.FAIL, errorCode, message, requestId: requestId ?? null, ...fields, success: false };
}

/** A typed response: the class name to put in metadata.type and its JSON. */
export interface RpcResponse { type: string; body: Record<string, unknown> }

/** ErrorResponse.build(errorCode, msg). */
export function errorResponse(errorCode: number, message: string): RpcResponse {
  return { type: 'ErrorResponse', body: failBody(undefined, errorCode, message) };
}
