// Consumer groups with the librdkafka and Python clients against Junction: kcat -G (balanced
// consumer, auto-commit on close), confluent-kafka-python Consumer (subscribe, synchronous commit,
// committed(), and as a static member: group.instance.id), kafka-python KafkaConsumer(group_id=…)
// (commit, committed()); a group of one librdkafka and one kafka-python consumer, which share the
// "range" assignor. Each resumes from
// its group's commits, and LAG (log end − committed, from ListOffsets and OffsetFetch) is 0 after
// consuming everything.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AssignerProtocol } from 'kafkajs';
import type { RunningKafka } from '../../../src/kafka/personality.js';
import { ApiKey } from '../../../src/kafka/protocol/api-keys.js';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { WireClient } from '../../kafka/wire-client.js';
import { kcat, runKafkaPy } from './common.js';

interface GroupRun { assigned: number[]; records: Array<[number, number, string]>; committed: Record<string, number> }

/** Per partition: log end (ListOffsets -1) − committed (OffsetFetch v5, every committed partition). */
async function lag(port: number, group: string, topic: string): Promise<Record<number, number>> {
  const c = await WireClient.connect(port);
  try {
    const fetched = (await c.request(ApiKey.OffsetFetch, 5, { groupId: group, topics: null })).body as
      { errorCode: number; topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; committedOffset: bigint }> }> };
    assert.equal(fetched.errorCode, 0);
    const committed = fetched.topics.find((t) => t.name === topic)!.partitions;
    const ends = (await c.request(ApiKey.ListOffsets, 5, {
      replicaId: -1, isolationLevel: 0,
      topics: [{ name: topic, partitions: committed.map((p) => ({ partitionIndex: p.partitionIndex, currentLeaderEpoch: -1, timestamp: -1n })) }],
    })).body as { topics: Array<{ partitions: Array<{ partitionIndex: number; offset: bigint }> }> };
    const out: Record<number, number> = {};
    for (const p of ends.topics[0]!.partitions) {
      out[p.partitionIndex] = Number(p.offset - committed.find((x) => x.partitionIndex === p.partitionIndex)!.committedOffset);
    }
    return out;
  } finally {
    c.close();
  }
}

async function produce(bootstrap: string, topic: string, from: number, count: number): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) => `k${(from + i) % 5}:v${from + i}`);
  await kcat(['-b', bootstrap, '-P', '-t', topic, '-K', ':'], lines.join('\n') + '\n');
}

describe('consumer groups: kcat, confluent-kafka-python, kafka-python', () => {
  let server: TestServer;
  let bootstrap: string;
  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { numPartitions: 3 } });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
  });
  after(async () => { await server?.destroy(); });

  it('kcat -G consumes every record once, commits on exit, and the next run resumes after them', async () => {
    await produce(bootstrap, 'kc', 0, 30);
    const run = async (): Promise<string[]> => (await kcat(['-b', bootstrap, '-G', 'kcat-group', 'kc', '-e', '-q', '-f', '%s\\n',
      '-X', 'auto.offset.reset=earliest'], undefined, 60_000)).split('\n').filter((l) => l !== '');
    const first = await run();
    assert.deepEqual(first.sort(), Array.from({ length: 30 }, (_, i) => `v${i}`).sort());
    assert.deepEqual(await lag(server.ports.kafka!, 'kcat-group', 'kc'), { 0: 0, 1: 0, 2: 0 });
    await produce(bootstrap, 'kc', 30, 6);
    assert.deepEqual((await run()).sort(), Array.from({ length: 6 }, (_, i) => `v${30 + i}`).sort());
  });

  it('confluent-kafka-python: subscribe, commit, committed(); a second run resumes', async () => {
    await produce(bootstrap, 'ck', 0, 24);
    const r = await runKafkaPy<GroupRun>('confluent_group.py', bootstrap, ['ck', 'ck-group', '24']);
    assert.deepEqual(r.assigned, [0, 1, 2]);
    assert.deepEqual(r.records.map((m) => m[2]).sort(), Array.from({ length: 24 }, (_, i) => `v${i}`).sort());
    const ends = await lag(server.ports.kafka!, 'ck-group', 'ck');
    assert.deepEqual(ends, { 0: 0, 1: 0, 2: 0 });
    const total = Object.values(r.committed).reduce((a, b) => a + b, 0);
    assert.equal(total, 24, 'committed() returns the commits: their sum is the records consumed');
    await produce(bootstrap, 'ck', 24, 3);
    const again = await runKafkaPy<GroupRun>('confluent_group.py', bootstrap, ['ck', 'ck-group', '3']);
    assert.deepEqual(again.records.map((m) => m[2]).sort(), ['v24', 'v25', 'v26']);
  });

  it('confluent-kafka-python static member: stays in the group on close; rejoining takes its place without a rebalance', async () => {
    await produce(bootstrap, 'st', 0, 10);
    const groups = (server.junction.personality('kafka') as unknown as RunningKafka).groups;
    const first = await runKafkaPy<GroupRun>('confluent_static.py', bootstrap, ['st', 'static-group', 'pod-1', '10']);
    assert.equal(first.records.length, 10);
    const group = groups.coordinator.group('static-group')!;
    const [before] = [...group.members.values()];
    assert.deepEqual([group.state, group.members.size, before!.groupInstanceId], ['Stable', 1, 'pod-1'], 'no LeaveGroup from a static member');
    const generation = group.generation;
    await produce(bootstrap, 'st', 10, 2);
    const second = await runKafkaPy<GroupRun>('confluent_static.py', bootstrap, ['st', 'static-group', 'pod-1', '2']);
    assert.deepEqual(second.records.map((m) => m[2]).sort(), ['v10', 'v11'], 'resumed from its commits');
    const [after] = [...group.members.values()];
    assert.deepEqual([group.state, group.members.size, group.generation], ['Stable', 1, generation], 'same generation: no rebalance');
    assert.notEqual(after!.memberId, before!.memberId, 'a new member id for the same instance');
  });

  it('a mixed group: confluent-kafka-python and kafka-python choose "range" by their votes and share the partitions', async () => {
    const c = await WireClient.connect(server.ports.kafka!);
    try {
      await c.request(ApiKey.CreateTopics, 4, { topics: [{ name: 'mix', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
      const runs = Promise.all([
        // Both commit as they go: the first to stop leaves the group, and the other then resumes
        // the partitions it gets from their commits (with commits only at the end, an
        // at-least-once consumer would read its own records again after that rebalance).
        runKafkaPy<GroupRun>('confluent_group.py', bootstrap, ['mix', 'mix-group', '0', '20', 'each']),
        runKafkaPy<GroupRun>('kafka_python_group.py', bootstrap, ['mix', 'mix-group', '0', '20', 'each']),
      ]);
      type Described = { groupState: string; protocolData: string; members: Array<{ clientId: string; memberAssignment: Buffer }> };
      let group: Described | undefined;
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        group = ((await c.request(ApiKey.DescribeGroups, 2, { groups: ['mix-group'] })).body.groups as Described[])[0];
        if (group!.groupState === 'Stable' && group!.members.length === 2) break;
      }
      assert.deepEqual([group!.groupState, group!.members.length, group!.protocolData], ['Stable', 2, 'range']);
      assert.deepEqual(group!.members.map((m) => m.clientId).sort(), ['ck-consumer', 'kpy-group']);
      const owned = group!.members.map((m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)!.assignment.mix ?? []);
      assert.deepEqual(owned.flat().sort(), [0, 1, 2], 'every partition assigned once, to one of the two');
      assert.ok(owned.every((p) => p.length > 0), JSON.stringify(owned));
      await produce(bootstrap, 'mix', 0, 30);
      const [ck, kp] = await runs;
      const values = [...ck.records, ...kp.records].map((m) => m[2]);
      assert.deepEqual(values.sort(), Array.from({ length: 30 }, (_, i) => `v${i}`).sort(), 'each record consumed once, by one of them');
    } finally {
      c.close();
    }
  });

  it('kafka-python: KafkaConsumer(group_id) consumes, commits, committed(); LAG 0', async () => {
    await produce(bootstrap, 'kp', 0, 21);
    const r = await runKafkaPy<GroupRun>('kafka_python_group.py', bootstrap, ['kp', 'kp-group', '21']);
    assert.deepEqual(r.assigned, [0, 1, 2]);
    assert.deepEqual(r.records.map((m) => m[2]).sort(), Array.from({ length: 21 }, (_, i) => `v${i}`).sort());
    for (const p of [0, 1, 2]) {
      const offsets = r.records.filter((m) => m[0] === p).map((m) => m[1]);
      assert.deepEqual(offsets, offsets.map((_, i) => i), `partition ${p} in order`);
      assert.equal(r.committed[String(p)], offsets.length);
    }
    assert.deepEqual(await lag(server.ports.kafka!, 'kp-group', 'kp'), { 0: 0, 1: 0, 2: 0 });
    const c = await WireClient.connect(server.ports.kafka!);
    const listed = (await c.request(ApiKey.ListGroups, 2, {})).body as { groups: Array<{ groupId: string; protocolType: string }> };
    c.close();
    assert.ok(listed.groups.some((g) => g.groupId === 'kp-group' && g.protocolType === 'consumer'), 'an idle group with offsets is listed');
  });
});
