import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FetchResponse } from '../../src/kafka/protocol/apis/fetch.js';
import { decodeRequestFrame, encodeResponseChunks, encodeResponseFrame } from '../../src/kafka/protocol/frames.js';
import { KafkaProtocolError } from '../../src/kafka/protocol/protocol-error.js';
import { Reader } from '../../src/kafka/protocol/reader.js';
import { decode } from '../../src/kafka/protocol/schema.js';

const hex = (s: string) => Buffer.from(s, 'hex');
const protocolError = (pattern: RegExp) => (e: unknown) => e instanceof KafkaProtocolError && pattern.test(e.message);

test('a request decodes into header and body; bytes after the body are counted, not refused', () => {
  // Metadata v1, correlation 9, client "c", topics ["t"], then 2 stray bytes.
  const decoded = decodeRequestFrame(hex('0003' + '0001' + '00000009' + '000163' + '00000001' + '000174' + 'abcd'));
  assert.deepEqual(decoded, {
    kind: 'request',
    header: { requestApiKey: 3, requestApiVersion: 1, correlationId: 9, clientId: 'c' },
    body: { topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 't' }], allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false },
    unusedBytes: 2,
  });
});

test('ApiVersions of a version we do not declare is flagged for the v0 UNSUPPORTED_VERSION answer (KIP-511)', () => {
  // v5 would be flexible: header v2 (client id + empty tags); its body is not parsed, as in Kafka.
  const decoded = decodeRequestFrame(hex('0012' + '0005' + '00000002' + '0001' + '63' + '00' + 'ffffffff'));
  assert.deepEqual(decoded, { kind: 'unsupported-api-versions', header: { requestApiKey: 18, requestApiVersion: 5, correlationId: 2, clientId: 'c' } });
  const answer = encodeResponseFrame(18, 0, 2, { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }] });
  assert.equal(answer.toString('hex'), '00000010' + '00000002' + '0023' + '00000001' + '001200000004');
});

test('other unknown keys and versions are protocol errors (Kafka closes the connection)', () => {
  assert.throws(() => decodeRequestFrame(hex('0003' + '000d' + '00000001' + 'ffff' + '00' + '00')), protocolError(/unsupported version 13 of API key 3 \(declared 0-12\)/));
  assert.throws(() => decodeRequestFrame(hex('0000' + '0002' + '00000001' + 'ffff')), protocolError(/unsupported version 2 of API key 0/));
  assert.throws(() => decodeRequestFrame(hex('0039' + '0000' + '00000001' + 'ffff')), protocolError(/unknown API key 57/));
  assert.throws(() => decodeRequestFrame(hex('0bb8' + '0000' + '00000001' + 'ffff')), protocolError(/unknown API key 3000/));
});

test('responses carry the size prefix and the header version of their API version', () => {
  const v0 = encodeResponseFrame(12, 0, 77, { errorCode: 27 });
  assert.equal(v0.toString('hex'), '00000006' + '0000004d' + '001b');
  const v3 = encodeResponseFrame(18, 3, 1, { errorCode: 0, apiKeys: [] });
  const r = new Reader(v3);
  assert.equal(r.int32(), v3.length - 4);
  assert.equal(r.int32(), 1, 'correlation id, then no header tags: ApiVersions keeps header v0');
  assert.equal(r.int16(), 0);
  assert.throws(() => encodeResponseFrame(57, 0, 1, {}), protocolError(/unsupported API key 57/));
  assert.throws(() => encodeResponseFrame(12, 5, 1, {}), protocolError(/HeartbeatResponse has no version 5/));
});

test('a Fetch response as chunks carries the record batches by reference and equals the single-buffer frame', () => {
  const records = Buffer.alloc(64 * 1024, 0x5a);
  const body = {
    throttleTimeMs: 0, errorCode: 0, sessionId: 0,
    responses: [{ topic: 't', partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 10n, records }] }],
  };
  const chunks = encodeResponseChunks(1, 11, 5, body);
  assert.ok(chunks.includes(records), 'the batches Buffer itself is a chunk');
  const frame = encodeResponseFrame(1, 11, 5, body);
  assert.ok(Buffer.concat(chunks).equals(frame));
  assert.equal(frame.readInt32BE(0), frame.length - 4);
  const r = new Reader(frame, 8);
  const decoded = decode(FetchResponse, 11, r);
  assert.equal(r.remaining, 0);
  assert.ok(decoded.responses[0]!.partitions[0]!.records!.equals(records));
});
