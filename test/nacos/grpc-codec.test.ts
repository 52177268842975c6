import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PAYLOADS } from '../../src/nacos/grpc/catalogue.js';
import { decodePayload, encodePayload, PayloadDecodeError, RawJson, toJson } from '../../src/nacos/grpc/codec.js';
import { splitPeer } from '../../src/nacos/grpc/connections.js';
import { decodePayloadBytes, encodePayloadBytes } from '../../src/nacos/grpc/wire.js';
import { loadSync } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';

const PROTO = fileURLToPath(new URL('../../../test/fixtures/nacos-grpc/nacos_grpc_service.proto', import.meta.url));

const payload = (type: string, json: string, headers: Record<string, string> = {}) =>
  ({ metadata: { type, clientIp: '1.2.3.4', headers }, body: { type_url: '', value: Buffer.from(json) } });

describe('Nacos gRPC codec', () => {
  it('decodes a known type with lower-cased header names', () => {
    const d = decodePayload(payload('InstanceRequest', '{"namespace":"public","requestId":"7"}', { accessToken: 't' }));
    assert.deepEqual(d, { type: 'InstanceRequest', clientIp: '1.2.3.4', headers: { accesstoken: 't' }, body: { namespace: 'public', requestId: '7' } });
  });

  it('an unknown type is NO_HANDLER (302); bad JSON and non-objects are BAD_GATEWAY (502)', () => {
    const code = (f: () => unknown) => { try { f(); } catch (e) { assert.ok(e instanceof PayloadDecodeError); return e.errorCode; } return 0; };
    assert.equal(code(() => decodePayload(payload('Nope', '{}'))), 302);
    assert.equal(code(() => decodePayload(payload('toString', '{}'))), 302);
    assert.equal(code(() => decodePayload(payload('InstanceRequest', '{'))), 502);
    assert.equal(code(() => decodePayload(payload('InstanceRequest', 'null'))), 502);
    assert.equal(code(() => decodePayload(payload('InstanceRequest', '"x"'))), 502);
    assert.equal(code(() => decodePayload({})), 302);
  });

  it('splices RawJson unparsed, and strings that look like the placeholder stay strings', () => {
    const text = toJson({ a: new RawJson('{"hosts":[1,2]}'), b: '\u00000\u0000', c: [new RawJson('true')] });
    assert.deepEqual(JSON.parse(text), { a: { hosts: [1, 2] }, b: '\u00000\u0000', c: [true] });
    const p = encodePayload('QueryServiceResponse', { serviceInfo: new RawJson('{"name":"s"}') });
    assert.equal(p.metadata?.type, 'QueryServiceResponse');
    assert.deepEqual(JSON.parse(Buffer.from(p.body!.value!).toString()), { serviceInfo: { name: 's' } });
  });

  it('every request type in the catalogue names a response type; acks and pushes do not', () => {
    for (const [type, e] of Object.entries(PAYLOADS)) {
      if (e.kind === 'request' && type !== 'ConnectionSetupRequest') assert.ok(e.response, type);
      if (e.kind !== 'request') assert.equal(e.response, undefined, type);
    }
  });

  it('wire.ts reads what the published proto writes, and writes what it reads', () => {
    const def = loadSync(PROTO, { keepCase: true, defaults: true });
    const method = (def.Request as Record<string, { requestSerialize(v: object): Buffer; requestDeserialize(b: Buffer): any }>).request!;
    const p = payload('InstanceRequest', '{"a":"ü"}', { accessToken: 'tok', app: 'shop' });
    const theirs = method.requestSerialize(p);
    assert.deepEqual(decodePayloadBytes(theirs), { metadata: p.metadata, body: { type_url: '', value: Buffer.from('{"a":"ü"}') } });
    const back = method.requestDeserialize(encodePayloadBytes(p));
    assert.deepEqual([back.metadata.type, back.metadata.clientIp, back.metadata.headers, Buffer.from(back.body.value).toString()],
      ['InstanceRequest', '1.2.3.4', { accessToken: 'tok', app: 'shop' }, '{"a":"ü"}']);
  });

  it('wire.ts skips unknown fields and known fields of another wire type', () => {
    const w = protobuf.Writer.create();
    w.uint32((9 << 3) | 0).uint32(42); // unknown varint field
    w.uint32((2 << 3) | 2).fork().uint32((3 << 3) | 0).uint32(7).uint32((3 << 3) | 2).string('X').ldelim(); // type as varint, then as string
    const d = decodePayloadBytes(Buffer.from(w.finish()));
    assert.equal(d.metadata?.type, 'X');
  });

  it('splits grpc-js peers', () => {
    assert.deepEqual(splitPeer('127.0.0.1:5000'), { ip: '127.0.0.1', port: 5000 });
    assert.deepEqual(splitPeer('[::1]:5001'), { ip: '::1', port: 5001 });
    assert.deepEqual(splitPeer('ipv4:10.0.0.1:5002'), { ip: '10.0.0.1', port: 5002 });
  });
});
