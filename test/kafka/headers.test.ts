import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import {
  peekApiKeyAndVersion, readRequestHeader, readResponseHeader, requestHeaderVersion, responseHeaderVersion,
  writeRequestHeader, writeResponseHeader,
} from '../../src/kafka/protocol/headers.js';
import { KafkaProtocolError } from '../../src/kafka/protocol/protocol-error.js';
import { Reader } from '../../src/kafka/protocol/reader.js';
import { Writer } from '../../src/kafka/protocol/writer.js';

const written = (f: (w: Writer) => void) => { const w = new Writer(1); f(w); return w.finish().toString('hex'); };

test('header versions follow the API version\'s flexibility; ApiVersions responses always use v0', () => {
  assert.equal(requestHeaderVersion(ApiKey.Metadata, 8), 1);
  assert.equal(requestHeaderVersion(ApiKey.Metadata, 9), 2);
  assert.equal(requestHeaderVersion(ApiKey.ApiVersions, 2), 1);
  assert.equal(requestHeaderVersion(ApiKey.ApiVersions, 3), 2);
  // A newer ApiVersions than we serve still has a readable header (KIP-511 fallback).
  assert.equal(requestHeaderVersion(ApiKey.ApiVersions, 9), 2);
  assert.equal(requestHeaderVersion(ApiKey.SaslHandshake, 1), 1, 'SaslHandshake has no flexible version');
  assert.equal(responseHeaderVersion(ApiKey.Produce, 8), 0);
  assert.equal(responseHeaderVersion(ApiKey.Produce, 9), 1);
  assert.equal(responseHeaderVersion(ApiKey.ApiVersions, 3), 0);
  assert.equal(responseHeaderVersion(ApiKey.ApiVersions, 4), 0);
  assert.throws(() => requestHeaderVersion(1000, 0), (e: unknown) => e instanceof KafkaProtocolError && /unknown API key 1000/.test(e.message));
});

test('request header v1 and v2: client id keeps its int16 length, v2 adds a tag section', () => {
  const v1 = { requestApiKey: 3, requestApiVersion: 4, correlationId: 7, clientId: 'ab' };
  assert.equal(written((w) => writeRequestHeader(w, v1)), '0003' + '0004' + '00000007' + '00026162');
  const v2 = { requestApiKey: 18, requestApiVersion: 3, correlationId: 1, clientId: null };
  assert.equal(written((w) => writeRequestHeader(w, v2)), '0012' + '0003' + '00000001' + 'ffff' + '00');
  const frame = Buffer.from('0012' + '0003' + '00000001' + '0002' + '6162' + '01' + '07' + '01' + '00' + 'beef', 'hex');
  const { header, body } = readRequestHeader(frame);
  assert.deepEqual(header, { requestApiKey: 18, requestApiVersion: 3, correlationId: 1, clientId: 'ab' });
  assert.equal(body.offset, 16, 'the unknown header tag 7 (1 byte) is skipped');
  assert.equal(body.int16(), 0xbeef - 0x10000);
  assert.deepEqual(peekApiKeyAndVersion(frame), { apiKey: 18, apiVersion: 3 });
});

test('response header v0 and v1', () => {
  assert.equal(written((w) => writeResponseHeader(w, ApiKey.Metadata, 8, 5)), '00000005');
  assert.equal(written((w) => writeResponseHeader(w, ApiKey.Metadata, 9, 5)), '00000005' + '00');
  assert.equal(written((w) => writeResponseHeader(w, ApiKey.ApiVersions, 3, 5)), '00000005');
  assert.deepEqual(readResponseHeader(new Reader(Buffer.from('0000000900', 'hex')), ApiKey.Fetch, 12), { correlationId: 9 });
});

test('truncated or unknown headers fail with KafkaProtocolError', () => {
  const isProtocolError = (e: unknown) => e instanceof KafkaProtocolError;
  assert.throws(() => readRequestHeader(Buffer.from('0003', 'hex')), isProtocolError);
  assert.throws(() => readRequestHeader(Buffer.from('00030004000000070005', 'hex')), isProtocolError);
  assert.throws(() => readRequestHeader(Buffer.from('0bb8000000000001ffff', 'hex')), isProtocolError);
  assert.throws(() => readRequestHeader(Buffer.from('00120003000000010000', 'hex')), isProtocolError, 'v2 header without its tag section');
});
