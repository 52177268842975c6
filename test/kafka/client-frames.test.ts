import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientFrames, decodeRequest, encodeRequest } from './helpers.js';

// Requests captured from real clients by test/fixtures/kafka/capture-requests.mjs (see the README
// there): kcat 1.7.1 and confluent-kafka-python 1.7.0 on librdkafka 2.0.2, kafka-python 2.0.2, kafkajs 2.2.4.
const frames = clientFrames();

function frame(name: string) {
  const bytes = frames.get(name);
  assert.ok(bytes, `fixture ${name}`);
  assert.equal(bytes.readInt32BE(0), bytes.length - 4, `${name}: size prefix counts the bytes after it`);
  const decoded = decodeRequest(bytes.subarray(4));
  assert.equal(decoded.trailing, 0, `${name}: the grammar consumes the whole frame`);
  return decoded;
}

test('every captured frame decodes completely and re-encodes to the same bytes', () => {
  assert.ok(frames.size >= 12, `${frames.size} fixtures`);
  for (const [name, bytes] of frames) {
    const { header, body } = frame(name);
    assert.ok(encodeRequest(header, body).equals(bytes.subarray(4)), `${name} round trip`);
  }
});

test('librdkafka 2.0.2 (kcat) sends ApiVersions v3 with its software name, then Metadata v4', () => {
  const versions = frame('kcat.1.apiversions-v3.hex');
  assert.deepEqual(versions.header, { requestApiKey: 18, requestApiVersion: 3, correlationId: 1, clientId: 'rdkafka' });
  assert.deepEqual(versions.body, { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
  // The first Metadata is librdkafka's broker-only refresh (no topics); kcat -L then asks for all (null).
  assert.deepEqual(frame('kcat.2.metadata-v4.hex').body.topics, []);
  const all = frame('kcat.3.metadata-v4.hex');
  assert.equal(all.header.requestApiVersion, 4);
  assert.equal(all.body.topics, null);
  assert.equal(all.body.allowAutoTopicCreation, true);
});

test('confluent-kafka-python names itself in ApiVersions v3', () => {
  const { header, body } = frame('confluent-kafka.1.apiversions-v3.hex');
  assert.equal(header.clientId, 'rdkafka');
  assert.deepEqual(body, { clientSoftwareName: 'confluent-kafka-python', clientSoftwareVersion: '1.7.0-rdkafka-2.0.2' });
  assert.equal(frame('confluent-kafka.3.metadata-v4.hex').body.topics, null);
});

test('kafka-python 2.0.2 probes with ApiVersions v0 and Metadata v0 (empty = all topics), then uses Metadata v1', () => {
  const probe = frame('kafka-python.1.apiversions-v0.hex');
  assert.deepEqual(probe.header, { requestApiKey: 18, requestApiVersion: 0, correlationId: 1, clientId: 'kafka-python-2.0.2' });
  const v0 = frame('kafka-python.2.metadata-v0.hex');
  assert.equal(v0.header.requestApiVersion, 0);
  assert.deepEqual(v0.body.topics, []);
  const v1 = frame('kafka-python.3.metadata-v1.hex');
  assert.equal(v1.header.requestApiVersion, 1);
  assert.equal(v1.body.topics, null);
});

test('kafkajs 2.2.4 sends ApiVersions v2 with its clientId, then Metadata v6 without auto-creation', () => {
  const versions = frame('kafkajs.1.apiversions-v2.hex');
  assert.deepEqual(versions.header, { requestApiKey: 18, requestApiVersion: 2, correlationId: 0, clientId: 'capture' });
  const metadata = frame('kafkajs.2.metadata-v6.hex');
  assert.equal(metadata.header.requestApiVersion, 6);
  assert.equal(metadata.body.topics, null);
  assert.equal(metadata.body.allowAutoTopicCreation, false);
});
