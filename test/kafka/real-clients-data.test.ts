import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { type ClientName, KCAT_INPUT, kcatProduceCommand, roundTripCommand } from './clients/index.js';
import { FakeBroker } from './fake-broker.js';
import { fakeClusterHandlers } from './fake-cluster.js';
import { assertVersions } from './helpers.js';

// Produce, Fetch, ListOffsets and the group APIs through our grammars, with unchanged clients: each
// produces two records to a fake broker (fake-cluster.ts) and reads them back in a consumer group.
const run = promisify(execFile);
const TIMEOUT = { timeout: 90_000 };

/** Runs the client's round trip; returns its output and the versions it used, by API key. */
async function roundTrip(client: ClientName): Promise<{ stdout: string; versions: Map<number, number[]> }> {
  const topic = `t-${client}`;
  const broker = await new FakeBroker(fakeClusterHandlers({ [topic]: 1 })).start();
  const bootstrap = `127.0.0.1:${broker.port}`;
  let stdout: string;
  try {
    if (client === 'kcat') {
      const [cmd, args] = kcatProduceCommand(bootstrap, topic);
      const producer = run(cmd, args, { timeout: 30_000 });
      producer.child.stdin!.end(KCAT_INPUT);
      await producer;
    }
    const [cmd, args] = roundTripCommand(client, bootstrap, topic, `g-${client}`);
    ({ stdout } = await run(cmd, args, { timeout: 60_000 }));
  } finally {
    await broker.close();
  }
  assert.deepEqual(broker.errors, [], 'every request decoded and every answer encoded');
  return { stdout, versions: broker.versionsSeen() };
}


test('kcat (librdkafka 2.0.2): produce, then a balanced consumer reads both records', TIMEOUT, async () => {
  const { stdout, versions } = await roundTrip('kcat');
  assert.equal(stdout, '0 k hello\n1  world\n');
  // Produce 7, Fetch 11, FindCoordinator 2, JoinGroup 5, SyncGroup 3.
  assertVersions(versions, { 0: 7, 1: 11, 10: 2, 11: 5, 14: 3 });
});

test('kafka-python 2.0.2: produce v7 (magic 2), group consume with JoinGroup v2, Fetch v4, OffsetCommit v2', TIMEOUT, async () => {
  const { stdout, versions } = await roundTrip('kafka-python');
  assert.equal(stdout.trim(), "[(0, b'k', b'hello'), (1, None, b'world')]");
  assertVersions(versions, { 0: 7, 1: 4, 10: 0, 11: 2, 14: 1, 8: 2, 9: 1 });
});

test('confluent-kafka-python: produce, then a group consumer reads both records and commits', TIMEOUT, async () => {
  const { stdout, versions } = await roundTrip('confluent-kafka');
  assert.equal(stdout.trim(), "[(0, b'k', b'hello'), (1, None, b'world')]");
  // OffsetFetch v7 (flexible, require_stable): librdkafka 2.0.2's highest, now served.
  assertVersions(versions, { 0: 7, 1: 11, 8: 7, 9: 7, 11: 5, 14: 3 });
});

test('kafkajs 2.2.4: produce v7, group consume with JoinGroup v5, Fetch v11, OffsetCommit v5', TIMEOUT, async () => {
  const { stdout, versions } = await roundTrip('kafkajs');
  assert.deepEqual(JSON.parse(stdout), [['0', 'k', 'hello'], ['1', null, 'world']]);
  assertVersions(versions, { 0: 7, 1: 11, 8: 5, 9: 4, 11: 5, 13: 3, 14: 3 });
});
