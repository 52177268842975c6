import type { ServiceDefinition } from '@grpc/grpc-js';
import protobuf from 'protobufjs/minimal.js';
import type { Payload } from './codec.js';

const { Reader, Writer } = protobuf;

/**
 * alibaba/nacos api/src/main/proto/nacos_grpc_service.proto on the wire, with protobufjs's
 * reader and writer (its minimal build: no reflection to load at start):
 *   message Metadata { string type = 3; string clientIp = 8; map<string, string> headers = 7; }
 *   message Payload  { Metadata metadata = 2; google.protobuf.Any body = 3; }
 *   google.protobuf.Any { string type_url = 1; bytes value = 2; }   (a map entry: key = 1, value = 2)
 * The test client loads the published .proto with @grpc/proto-loader, so the two are checked
 * against each other by every gRPC test.
 */
const LEN = 2; // wire type of strings, bytes, messages and map entries
const tag = (field: number) => (field << 3) | LEN;

export function encodePayloadBytes(p: Payload): Buffer {
  const w = Writer.create();
  const m = p.metadata ?? {};
  w.uint32(tag(2)).fork();
  if (m.type) w.uint32(tag(3)).string(m.type);
  for (const [k, v] of Object.entries(m.headers ?? {})) w.uint32(tag(7)).fork().uint32(tag(1)).string(k).uint32(tag(2)).string(v).ldelim();
  if (m.clientIp) w.uint32(tag(8)).string(m.clientIp);
  w.ldelim();
  const body = p.body ?? {};
  w.uint32(tag(3)).fork();
  if (body.type_url) w.uint32(tag(1)).string(body.type_url);
  if (body.value && body.value.length > 0) w.uint32(tag(2)).bytes(body.value);
  w.ldelim();
  return Buffer.from(w.finish());
}

/** Reads the fields of one message of `len` bytes; unknown fields (and known ones of another wire type) are skipped. */
function fields(r: protobuf.Reader, len: number, on: (field: number) => boolean): void {
  const end = r.pos + len;
  while (r.pos < end) {
    const t = r.uint32();
    if ((t & 7) !== LEN || !on(t >>> 3)) r.skipType(t & 7);
  }
}

export function decodePayloadBytes(buf: Buffer): Payload {
  const r = Reader.create(buf);
  const metadata = { type: '', clientIp: '', headers: {} as Record<string, string> };
  const body = { type_url: '', value: Buffer.alloc(0) as Buffer | Uint8Array };
  fields(r, buf.length, (f) => {
    if (f === 2) {
      fields(r, r.uint32(), (mf) => {
        if (mf === 3) metadata.type = r.string();
        else if (mf === 8) metadata.clientIp = r.string();
        else if (mf === 7) {
          let key = '', value = '';
          fields(r, r.uint32(), (ef) => (ef === 1 ? (key = r.string(), true) : ef === 2 ? (value = r.string(), true) : false));
          metadata.headers[key] = value;
        } else return false;
        return true;
      });
    } else if (f === 3) {
      fields(r, r.uint32(), (af) => (af === 1 ? (body.type_url = r.string(), true) : af === 2 ? (body.value = r.bytes(), true) : false));
    } else return false;
    return true;
  });
  return { metadata, body };
}

function method(path: string, requestStream: boolean, responseStream: boolean, originalName: string) {
  return {
    path, requestStream, responseStream, originalName,
    requestSerialize: encodePayloadBytes, requestDeserialize: decodePayloadBytes,
    responseSerialize: encodePayloadBytes, responseDeserialize: decodePayloadBytes,
  };
}

/** service Request { rpc request (Payload) returns (Payload) } — no proto package, so the path is /Request/request. */
export const REQUEST_SERVICE = { request: method('/Request/request', false, false, 'request') } as unknown as ServiceDefinition;

/** service BiRequestStream { rpc requestBiStream (stream Payload) returns (stream Payload) } */
export const BI_STREAM_SERVICE = {
  requestBiStream: method('/BiRequestStream/requestBiStream', true, true, 'requestBiStream'),
} as unknown as ServiceDefinition;
