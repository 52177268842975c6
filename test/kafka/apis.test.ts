import assert from 'node:assert/strict';
import { test } from 'node:test';
import { API_KEYS } from '../../src/kafka/protocol/api-keys.js';
import { API_GRAMMARS } from '../../src/kafka/protocol/apis/index.js';
import { ProduceRequest, type ProduceRequestData, ProduceResponse, type ProduceResponseInput } from '../../src/kafka/protocol/apis/produce.js';
import { Reader } from '../../src/kafka/protocol/reader.js';
import { decode, encode, type MessageSpec } from '../../src/kafka/protocol/schema.js';
import { Writer } from '../../src/kafka/protocol/writer.js';
import { seededRandom } from './helpers.js';
import { sameShape, sampleValue, versionsOf } from './sample-values.js';

function roundTrip(spec: MessageSpec, version: number, value: Record<string, unknown>): void {
  const w = new Writer(1);
  encode(spec, version, value, w);
  const bytes = Buffer.from(w.finish());
  const r = new Reader(bytes);
  const back = decode(spec, version, r);
  assert.equal(r.remaining, 0, `${spec.name} v${version}: decode consumes what encode wrote`);
  assert.deepEqual(sameShape(back, value), value, `${spec.name} v${version}: fields survive`);
  const again = new Writer();
  encode(spec, version, back, again);
  assert.ok(again.finish().equals(bytes), `${spec.name} v${version}: re-encoding the decoded value gives the same bytes`);
}

test('every declared version of every request and response round-trips random values', () => {
  const random = seededRandom(9);
  let checked = 0;
  for (const { request, response } of API_GRAMMARS.values()) {
    for (const spec of [request, response]) {
      for (const version of versionsOf(spec)) {
        for (let i = 0; i < 20; i++) roundTrip(spec, version, sampleValue(spec, version, random));
        checked++;
      }
    }
  }
  // 27 APIs (every one of api-keys.ts), 167 versions, each with a request and a response grammar.
  assert.equal(API_GRAMMARS.size, API_KEYS.length);
  assert.equal(checked, 2 * API_KEYS.reduce((n, a) => n + a.max - a.min + 1, 0));
  assert.equal(checked, 2 * 167);
});

test('each grammar declares exactly the range api-keys.ts advertises for its API', () => {
  for (const [key, { request, response }] of API_GRAMMARS) {
    const info = API_KEYS.find((a) => a.key === key);
    assert.ok(info, `API key ${key} is in api-keys.ts`);
    assert.equal(request.apiKey, key);
    assert.equal(response.apiKey, key);
    assert.equal(request.type, 'request');
    assert.equal(response.type, 'response');
    for (const spec of [request, response]) {
      assert.equal(spec.validVersions, `${info.min}-${info.max}`, `${spec.name} versions`);
      // The first flexible version in the grammar is the one headers.ts uses for this API.
      assert.equal(spec.flexibleVersions, info.firstFlexible === null ? 'none' : `${info.firstFlexible}+`, `${spec.name} flexibleVersions`);
    }
  }
});

test('the advertised ranges keep the overlaps clients need (kafka.md §2.2)', () => {
  const range = (name: string) => { const a = API_KEYS.find((x) => x.name === name)!; return [a.min, a.max]; };
  const covers = (name: string, v: number) => { const [min, max] = range(name); return min! <= v && v <= max!; };
  // librdkafka 2.0.2 rdkafka_feature.c: MSGVER2 needs Produce 3 and Fetch 4; balanced consumer needs
  // FindCoordinator/JoinGroup/SyncGroup/Heartbeat/LeaveGroup 0, OffsetCommit 1..2, OffsetFetch 1.
  assert.ok(covers('Produce', 3) && covers('Fetch', 4));
  for (const name of ['FindCoordinator', 'JoinGroup', 'SyncGroup', 'Heartbeat', 'LeaveGroup']) assert.ok(covers(name, 0), name);
  assert.ok(covers('OffsetCommit', 2) && covers('OffsetFetch', 1));
  // kafka-python's probe (Metadata v0) and its broker inference: Produce v8 in range → "2.4".
  assert.ok(covers('Metadata', 0) && covers('Produce', 8) && covers('ApiVersions', 0));
  assert.ok(covers('ApiVersions', 4), 'Java clients of the 3.9 line send ApiVersions v4');
  // @platformatic/kafka 1.x implements only flexible versions; its lowest one of each API it uses
  // (dist/apis/**) must be served, or that API fails with "unsupported version". Fetch: its v12 sends
  // the topic id as the name (fetch-v12.js), so v13+ is what works.
  const platformatic: Array<[string, number]> = [
    ['Metadata', 9], ['Fetch', 13], ['FindCoordinator', 4], ['JoinGroup', 6], ['Heartbeat', 4], ['LeaveGroup', 4],
    ['SyncGroup', 4], ['OffsetCommit', 8], ['OffsetFetch', 8], ['ListGroups', 4], ['DescribeGroups', 5], ['CreateTopics', 7],
    ['DeleteTopics', 6], ['InitProducerId', 3], ['AlterConfigs', 2], ['IncrementalAlterConfigs', 1], ['DeleteGroups', 2],
    ['DeleteRecords', 2], ['SaslAuthenticate', 2], ['DescribeConfigs', 2], ['CreatePartitions', 1], ['DescribeCluster', 0],
    ['OffsetForLeaderEpoch', 4], ['Produce', 7], ['ListOffsets', 5], ['ApiVersions', 3],
  ];
  for (const [name, lowest] of platformatic) assert.ok(covers(name, lowest), `${name} ${lowest} for @platformatic/kafka`);
});

test('the value types follow the grammar (checked by the compiler: a wrong field type does not build)', () => {
  const input: ProduceResponseInput = {
    responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 5n, recordErrors: [] }] }],
  };
  // @ts-expect-error baseOffset is an int64: a bigint, not a number.
  const wrongOffset: ProduceResponseInput = { responses: [{ name: 't', partitionResponses: [{ baseOffset: 5 }] }] };
  // @ts-expect-error no such field in ProduceResponse.
  const unknownField: ProduceResponseInput = { responsez: [] };
  void wrongOffset; void unknownField;
  const w = new Writer();
  encode(ProduceResponse, 8, input, w);
  const request: ProduceRequestData = decode(ProduceRequest, 3, new Reader(Buffer.from('ffff' + 'ffff' + '00007530' + '00000000', 'hex')));
  const acks: number = request.acks;
  const transactionalId: string | null = request.transactionalId;
  assert.deepEqual([acks, transactionalId, request.timeoutMs, request.topicData], [-1, null, 30000, []]);
  const response = decode(ProduceResponse, 8, new Reader(Buffer.from(w.finish())));
  const baseOffset: bigint = response.responses[0]!.partitionResponses[0]!.baseOffset;
  assert.equal(baseOffset, 5n);
});
