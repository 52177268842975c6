import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c } from '@node-rs/crc32';
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

// ---- produce and consume in a group (the <client>-data.* fixtures) ----------------------------

interface DataExpectations {
  client: string;
  acks: number;
  protocols: string[];
  sessionTimeoutMs: number;
  /** Fetch isolation level: librdkafka and kafkajs read committed (1), kafka-python uncommitted (0). */
  isolationLevel: number;
}

const DATA: DataExpectations[] = [
  { client: 'kcat', acks: -1, protocols: ['range', 'roundrobin'], sessionTimeoutMs: 45000, isolationLevel: 1 },
  { client: 'confluent-kafka', acks: -1, protocols: ['range', 'roundrobin'], sessionTimeoutMs: 45000, isolationLevel: 1 },
  { client: 'kafka-python', acks: 1, protocols: ['range', 'roundrobin'], sessionTimeoutMs: 10000, isolationLevel: 0 },
  { client: 'kafkajs', acks: -1, protocols: ['RoundRobinAssigner'], sessionTimeoutMs: 30000, isolationLevel: 1 },
];

function dataFrame(client: string, api: string) {
  const names = [...frames.keys()].filter((n) => n.startsWith(`${client}-data.`) && n.includes(`.${api}-v`));
  assert.equal(names.length, 1, `${client}: one ${api} fixture`);
  return frame(names[0]!);
}

type Rows = Record<string, unknown>[];

test('Produce v7 from every client carries one magic-2 RecordBatch of two records, CRC intact', () => {
  for (const { client, acks } of DATA) {
    const { header, body } = dataFrame(client, 'produce');
    assert.equal(header.requestApiVersion, 7);
    assert.equal(body.acks, acks, `${client} acks`);
    assert.equal(body.transactionalId, null);
    const [topic] = body.topicData as Rows;
    assert.equal(topic!.name, `t-${client}`);
    const [partition] = topic!.partitionData as Rows;
    const batch = partition!.records as Buffer;
    // DefaultRecordBatch: batchLength at 8, magic at 16, CRC-32C of [21, end) at 17, count at 57.
    assert.equal(batch.length, 12 + batch.readInt32BE(8), `${client}: one batch fills the records field`);
    assert.equal(batch[16], 2, `${client}: magic 2`);
    assert.equal(batch.readUInt32BE(17), crc32c(batch.subarray(21)), `${client}: CRC-32C`);
    assert.equal(batch.readInt32BE(57), 2, `${client}: two records`);
  }
});

test('the group APIs of every client decode with the values each client is known to send', () => {
  for (const { client, protocols, sessionTimeoutMs, isolationLevel } of DATA) {
    const join = dataFrame(client, 'joingroup').body;
    assert.equal(join.groupId, `g-${client}`);
    assert.equal(join.memberId, '', `${client}: first join without a member id`);
    assert.equal(join.protocolType, 'consumer');
    assert.deepEqual((join.protocols as Rows).map((p) => p.name), protocols);
    assert.equal(join.sessionTimeoutMs, sessionTimeoutMs, `${client} session timeout`);
    const sync = dataFrame(client, 'syncgroup').body;
    assert.deepEqual((sync.assignments as Rows).map((a) => a.memberId), ['member-1'], `${client}: the leader assigns`);
    const fetch = dataFrame(client, 'fetch').body;
    assert.equal(fetch.isolationLevel, isolationLevel, `${client} isolation level`);
    const [fetched] = fetch.topics as Rows;
    assert.equal((fetched!.partitions as Rows)[0]!.fetchOffset, 0n);
    const commit = dataFrame(client, 'offsetcommit').body;
    assert.equal(commit.memberId, 'member-1');
    const [committed] = commit.topics as Rows;
    assert.equal((committed!.partitions as Rows)[0]!.committedOffset, 2n, `${client} commits the next offset`);
    assert.ok(dataFrame(client, 'leavegroup'), `${client} leaves the group on close`);
  }
});

// ---- admin calls and SASL (the <client>-admin.* and <client>-sasl.* fixtures) --------------------

function only(prefix: string, api: string) {
  const names = [...frames.keys()].filter((n) => n.startsWith(`${prefix}.`) && n.includes(`.${api}-v`));
  assert.equal(names.length, 1, `${prefix}: one ${api} fixture`);
  return frame(names[0]!);
}

test('admin requests: kafkajs and librdkafka create, describe, grow and delete topics as the CLI would', () => {
  const kafkajs = (api: string) => only('kafkajs-admin', api);
  const librdkafka = (api: string) => only('confluent-kafka-admin', api);
  // replicationFactor -1 = the broker's default (KIP-464, CreateTopics v4+; kafkajs sends it at v3).
  assert.deepEqual(kafkajs('createtopics').body.topics, [{ name: 'a-js', numPartitions: 2, replicationFactor: -1, assignments: [], configs: [] }]);
  assert.deepEqual(librdkafka('createtopics').body.topics, [{ name: 'a-ck', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }]);
  assert.equal(librdkafka('createtopics').header.requestApiVersion, 4);
  // Resource type 2 = topic; null keys = every config.
  assert.deepEqual(kafkajs('describeconfigs').body.resources, [{ resourceType: 2, resourceName: 'a-js', configurationKeys: null }]);
  assert.equal(librdkafka('describeconfigs').body.includeSynonyms, true);
  assert.deepEqual(kafkajs('createpartitions').body.topics, [{ name: 'a-js', count: 3, assignments: null }]);
  assert.deepEqual(librdkafka('createpartitions').body.topics, [{ name: 'a-ck', count: 3, assignments: null }]);
  assert.deepEqual(kafkajs('deleterecords').body.topics, [{ name: 'a-js', partitions: [{ partitionIndex: 0, offset: 0n }] }]);
  assert.deepEqual(kafkajs('deletegroups').body.groupsNames, ['g-admin-1']);
  assert.deepEqual(kafkajs('deletetopics').body.topicNames, ['a-js']);
  assert.deepEqual([...librdkafka('describegroups').body.groups as string[]].sort(), ['g-admin-1', 'g-admin-2']);
  assert.deepEqual(librdkafka('listgroups').body, { statesFilter: [], typesFilter: [] });
  // Idempotent producers: no transactional id.
  assert.equal(kafkajs('initproducerid').body.transactionalId, null);
  assert.equal(librdkafka('initproducerid').body.transactionalId, null);
  assert.equal(librdkafka('initproducerid').body.transactionTimeoutMs, -1);
});

test('SASL/PLAIN: both clients send mechanism PLAIN and the token NUL user NUL password', () => {
  for (const [prefix, authenticateVersion] of [['kcat-sasl', 0], ['kafkajs-sasl', 1]] as const) {
    const handshake = only(prefix, 'saslhandshake');
    assert.equal(handshake.header.requestApiVersion, 1);
    assert.deepEqual(handshake.body, { mechanism: 'PLAIN' });
    const authenticate = only(prefix, 'saslauthenticate');
    assert.equal(authenticate.header.requestApiVersion, authenticateVersion);
    assert.equal((authenticate.body.authBytes as Buffer).toString('utf8'), '\0alice\0alice-secret');
  }
});
