import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { adminCommand, type Command, kcatSaslListCommand } from './clients/index.js';
import { SASL_PASSWORD, SASL_USER } from './fake-admin.js';
import { FakeBroker } from './fake-broker.js';
import { fakeClusterHandlers } from './fake-cluster.js';
import { assertVersions } from './helpers.js';

// Topic and group admin, InitProducerId and SASL/PLAIN through our grammars, with unchanged clients
// against the fake broker (fake-admin.ts): what `kafka-topics` / `kafka-consumer-groups` call.
const run = promisify(execFile);
const TIMEOUT = { timeout: 90_000 };

async function against(command: (bootstrap: string) => Command): Promise<{ stdout: string; versions: Map<number, number[]> }> {
  const broker = await new FakeBroker(fakeClusterHandlers({ 't-idem': 1 })).start();
  let stdout: string;
  try {
    ({ stdout } = await run(...command(`127.0.0.1:${broker.port}`), { timeout: 60_000 }));
  } finally {
    await broker.close();
  }
  assert.deepEqual(broker.errors, [], 'every request decoded and every answer encoded');
  return { stdout, versions: broker.versionsSeen() };
}


test('kafkajs admin: topics, configs, partitions, records, groups; idempotent producer id', TIMEOUT, async () => {
  const { stdout, versions } = await against((b) => adminCommand('kafkajs', b));
  assert.deepEqual(JSON.parse(stdout), {
    created: true, createdAgain: false, configs: [['a-js', [['retention.ms', '604800000']]]], partitions: 3,
    groups: ['g-admin-1', 'g-admin-2'], described: [['g-admin-1', 'Empty', 0], ['g-admin-2', 'Empty', 0]],
    deleted: [['g-admin-1', 0]], topics: ['t-idem'],
  });
  // CreateTopics 3, DeleteTopics 1, DeleteRecords 1, InitProducerId 1, DescribeConfigs 2, CreatePartitions 1,
  // DescribeGroups 2, ListGroups 2, DeleteGroups 1.
  assertVersions(versions, { 19: 3, 20: 1, 21: 1, 22: 1, 32: 2, 37: 1, 15: 2, 16: 2, 42: 1 });
});

test('confluent-kafka admin (librdkafka 2.0.2): topics, configs, partitions, groups; idempotent produce', TIMEOUT, async () => {
  const { stdout, versions } = await against((b) => adminCommand('confluent-kafka', b));
  assert.deepEqual(stdout.trim().split('\n'), [
    'created',
    'again TOPIC_ALREADY_EXISTS',
    "configs a-ck [('retention.ms', '604800000')]",
    'partitions 3',
    "groups [('g-admin-1', 'Empty', 'consumer'), ('g-admin-2', 'Empty', 'consumer')]",
    "topics ['t-idem']",
    'unflushed 0',
  ]);
  // The legacy list_groups uses ListGroups v0 and DescribeGroups v0.
  // InitProducerId v4: librdkafka 2.0.2's highest, flexible, now that the broker serves up to v5.
  assertVersions(versions, { 19: 4, 20: 1, 22: 4, 32: 1, 37: 0, 15: 0, 16: 0, 0: 7 });
});

test('SASL/PLAIN: kcat uses SaslHandshake v1 + SaslAuthenticate v0, kafkajs v1 + v1; a wrong password is refused', TIMEOUT, async () => {
  const kcat = await against((b) => kcatSaslListCommand(b, SASL_USER, SASL_PASSWORD));
  assert.match(kcat.stdout, /1 brokers:/);
  assertVersions(kcat.versions, { 17: 1, 36: 0 });
  const kafkajs = await against((b) => adminCommand('kafkajs', b, [SASL_USER, SASL_PASSWORD]));
  assert.equal(JSON.parse(kafkajs.stdout).created, true);
  assertVersions(kafkajs.versions, { 17: 1, 36: 1 });
  await assert.rejects(against((b) => kcatSaslListCommand(b, SASL_USER, 'wrong')),
    /SASL authentication error: Authentication failed: Invalid username or password/);
  await assert.rejects(against((b) => adminCommand('kafkajs', b, [SASL_USER, 'wrong'])),
    /SASL PLAIN authentication failed: Authentication failed: Invalid username or password/);
});
