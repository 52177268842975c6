import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiVersionsRequest, ApiVersionsResponse } from '../../src/kafka/protocol/apis/api-versions.js';
import { KafkaProtocolError } from '../../src/kafka/protocol/protocol-error.js';
import { Reader } from '../../src/kafka/protocol/reader.js';
import { decode, defineMessage, encode, hasVersion, type MessageInput, type MessageSpec } from '../../src/kafka/protocol/schema.js';
import { parseVersions } from '../../src/kafka/protocol/versions.js';
import { Writer } from '../../src/kafka/protocol/writer.js';

const fails = (f: () => unknown, pattern: RegExp) => assert.throws(f, (e: unknown) => e instanceof KafkaProtocolError && pattern.test(e.message));

function bytesOf<M extends MessageSpec>(spec: M, version: number, value: MessageInput<M>): string {
  const w = new Writer(1);
  encode(spec, version, value, w);
  return w.finish().toString('hex');
}

const Sample = defineMessage({
  name: 'Sample', type: 'data', validVersions: '0-3', flexibleVersions: '2+',
  fields: [
    { name: 'id', type: 'int32', versions: '0+' },
    { name: 'label', type: 'string', versions: '1+', nullableVersions: '2+', default: 'none' },
    { name: 'strict', type: 'int64', versions: '3+' },
    { name: 'items', type: '[]Item', versions: '0+', fields: [
      { name: 'key', type: 'string', versions: '0+' },
      { name: 'hint', type: 'int16', versions: '2+', tag: 0, taggedVersions: '2+', default: -1 },
    ] },
    { name: 'note', type: 'string', versions: '2+', tag: 1, taggedVersions: '2+', nullableVersions: '2+', default: null, ignorable: true },
  ],
});

test('version ranges parse as in Kafka JSON: N+, N-M, N, none', () => {
  assert.deepEqual(parseVersions('3+'), { min: 3, max: Infinity });
  assert.deepEqual(parseVersions('2-4'), { min: 2, max: 4 });
  assert.deepEqual(parseVersions('5'), { min: 5, max: 5 });
  assert.ok(parseVersions('none').min > parseVersions('none').max);
  fails(() => parseVersions('x'), /bad version range/);
  assert.equal(hasVersion(Sample, 3), true);
  assert.equal(hasVersion(Sample, 4), false);
  assert.equal(hasVersion(Sample, 1.5), false);
});

test('classic versions: int16 strings, int32 arrays, absent fields take their defaults', () => {
  assert.equal(bytesOf(Sample, 0, { id: 7, items: [{ key: 'a' }] }), '00000007' + '00000001' + '000161');
  const v0 = decode(Sample, 0, new Reader(Buffer.from('00000007' + '00000001' + '000161', 'hex')));
  assert.deepEqual(v0, { id: 7, items: [{ key: 'a', hint: -1 }], label: 'none', strict: 0n, note: null });
  assert.equal(bytesOf(Sample, 1, { id: 1, label: 'x', items: [] }), '00000001' + '000178' + '00000000');
});

test('flexible versions: compact strings and arrays, a tag section after every struct, defaults not written', () => {
  const hex = bytesOf(Sample, 2, { id: 1, label: null, items: [{ key: 'k', hint: 3 }, { key: 'l' }], note: 'n' });
  assert.equal(hex, '00000001' + '00' + '03' + '026b' + '01' + '00' + '02' + '0003' + '026c' + '00' + '01' + '01' + '02' + '026e');
  const back = decode(Sample, 2, new Reader(Buffer.from(hex, 'hex')));
  assert.deepEqual(back, { id: 1, label: null, items: [{ key: 'k', hint: 3 }, { key: 'l', hint: -1 }], note: 'n', strict: 0n });
});

test('unknown tags are skipped, known ones decoded whatever their position', () => {
  // Top-level tags: 1 (note = "n") and 9 (unknown, 2 bytes).
  const hex = '00000001' + '00' + '01' + '02' + '01' + '02' + '026e' + '09' + '02' + 'ffff';
  assert.deepEqual(decode(Sample, 2, new Reader(Buffer.from(hex, 'hex'))), { id: 1, label: null, items: [], note: 'n', strict: 0n });
});

test('encode refuses what the version cannot carry, as Kafka\'s generated write() does', () => {
  fails(() => bytesOf(Sample, 1, { id: 1, label: null }), /Sample.label: null in a version where it is not nullable/);
  fails(() => bytesOf(Sample, 2, { id: 1, strict: 5n }), /Sample.strict is not in version 2 and is not ignorable/);
  fails(() => bytesOf(Sample, 0, { id: 1, label: 'x' }), /Sample.label is not in version 0/);
  // Ignorable fields are dropped silently; defaults never count as "set".
  assert.equal(bytesOf(Sample, 1, { id: 1, note: 'dropped', label: 'none' }), '00000001' + '00046e6f6e65' + '00000000');
  assert.equal(bytesOf(Sample, 0, { id: 1, strict: 0n, label: 'none' }), '00000001' + '00000000');
  fails(() => bytesOf(Sample, 4, { id: 1 }), /Sample has no version 4 \(valid: 0-3\)/);
  fails(() => bytesOf(Sample, 0, { id: 2 ** 31 }), /int32/);
  fails(() => bytesOf(Sample, 0, { id: 1, items: 'x' } as never), /expected an array/);
  fails(() => bytesOf(Sample, 0, { id: 1, items: [null] } as never), /Sample.items\[0\]: expected an object/);
  fails(() => bytesOf(Sample, 0, { id: 'x' } as never), /int32/);
  fails(() => bytesOf(Sample, 1, { id: 1, label: 5 } as never), /string: got number/);
});

test('decode refuses null where the version forbids it and versions the message does not declare', () => {
  fails(() => decode(Sample, 1, new Reader(Buffer.from('00000001ffff00000000', 'hex'))), /not nullable/);
  fails(() => decode(Sample, 1, new Reader(Buffer.from('00000001' + '0001', 'hex'))), /length 1 but 0 bytes remain/);
  fails(() => decode(Sample, 7, new Reader(Buffer.alloc(0))), /no version 7/);
});

test('ApiVersions: v3 request body and response, byte for byte as Kafka lays them out', () => {
  assert.equal(bytesOf(ApiVersionsRequest, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' }), '0278' + '0231' + '00');
  assert.equal(bytesOf(ApiVersionsRequest, 2, {}), '');
  const apiKeys = [{ apiKey: 18, minVersion: 0, maxVersion: 4 }];
  assert.equal(bytesOf(ApiVersionsResponse, 0, { errorCode: 35, apiKeys }), '0023' + '00000001' + '001200000004');
  assert.equal(bytesOf(ApiVersionsResponse, 3, { errorCode: 0, apiKeys, throttleTimeMs: 0 }),
    '0000' + '02' + '001200000004' + '00' + '00000000' + '00');
  // With the optional feature tags set: tag 1 (epoch, int64) and tag 3 (zkMigrationReady).
  assert.equal(bytesOf(ApiVersionsResponse, 3, { apiKeys: [], finalizedFeaturesEpoch: 2n, zkMigrationReady: true }),
    '0000' + '01' + '00000000' + '02' + '0108' + '0000000000000002' + '0301' + '01');
});
