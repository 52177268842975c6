// The group APIs at the flexible versions @platformatic/kafka and Java 3.x consumers send:
// FindCoordinator v4 (batched keys), JoinGroup v9 (MEMBER_ID_REQUIRED, v7 protocol type), SyncGroup
// v5 (protocol type and name), Heartbeat v4, OffsetCommit v9, OffsetFetch v8 (several groups at once),
// ListGroups v4–v5 (state and type filters), DescribeGroups v5, LeaveGroup v5 (reason), DeleteGroups v2.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { WireClient } from './wire-client.js';

type Body = Record<string, any>;

async function ask(c: WireClient, key: number, version: number, body: Body): Promise<Body> {
  return (await c.request(key, version, body)).body as Body;
}

const joinV9 = (groupId: string, memberId: string) => ({
  groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: null, protocolType: 'consumer',
  protocols: [{ name: 'roundrobin', metadata: Buffer.from('meta') }], reason: memberId === '' ? null : 'rejoin with the id',
});

describe('kafka group APIs at flexible versions', () => {
  let server: TestServer;
  let c: WireClient;
  before(async () => {
    server = await startTestServer({ enabled: ['kafka'] });
    c = await WireClient.connect(server.ports.kafka!);
    const created = await ask(c, ApiKey.CreateTopics, 7, { topics: [{ name: 'gt', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
    assert.equal(created.topics[0].errorCode, 0);
  });
  after(async () => {
    c?.close();
    await server?.destroy();
  });

  it('FindCoordinator v4–v6 answers one coordinator per key; an unknown key type is INVALID_REQUEST per key', async () => {
    for (const version of [4, 5, 6]) {
      const body = await ask(c, ApiKey.FindCoordinator, version, { keyType: 0, coordinatorKeys: ['g1', 'g2'] });
      assert.deepEqual(body.coordinators.map((k: Body) => [k.key, k.nodeId, k.host, k.port, k.errorCode]),
        [['g1', 1, '127.0.0.1', server.ports.kafka, 0], ['g2', 1, '127.0.0.1', server.ports.kafka, 0]], `v${version}`);
    }
    const bad = await ask(c, ApiKey.FindCoordinator, 4, { keyType: 7, coordinatorKeys: ['x'] });
    assert.deepEqual([bad.coordinators[0].key, bad.coordinators[0].errorCode], ['x', 42]);
  });

  it('a member joins (v9), syncs (v5), heartbeats (v4), commits (v9), is listed and described, and leaves with a reason (v5)', async () => {
    const first = await ask(c, ApiKey.JoinGroup, 9, joinV9('flex', ''));
    assert.equal(first.errorCode, 79, 'MEMBER_ID_REQUIRED for a new dynamic member (KIP-394)');
    const join = await ask(c, ApiKey.JoinGroup, 9, joinV9('flex', first.memberId));
    assert.deepEqual([join.errorCode, join.protocolType, join.protocolName, join.leader, join.skipAssignment],
      [0, 'consumer', 'roundrobin', first.memberId, false]);
    const ref = { groupId: 'flex', generationId: join.generationId, memberId: join.memberId, groupInstanceId: null };
    const sync = await ask(c, ApiKey.SyncGroup, 5, { ...ref, protocolType: 'consumer', protocolName: 'roundrobin',
      assignments: [{ memberId: join.memberId, assignment: Buffer.from([4, 2]) }] });
    assert.deepEqual([sync.errorCode, [...sync.assignment], sync.protocolType, sync.protocolName], [0, [4, 2], 'consumer', 'roundrobin']);
    assert.equal((await ask(c, ApiKey.Heartbeat, 4, ref)).errorCode, 0);

    const commit = await ask(c, ApiKey.OffsetCommit, 9, { groupId: 'flex', generationIdOrMemberEpoch: join.generationId, memberId: join.memberId,
      groupInstanceId: null, topics: [{ name: 'gt', partitions: [{ partitionIndex: 1, committedOffset: 5n, committedLeaderEpoch: 0, committedMetadata: 'md' }] }] });
    assert.deepEqual(commit.topics[0].partitions, [{ partitionIndex: 1, errorCode: 0 }]);

    const stable = await ask(c, ApiKey.ListGroups, 5, { statesFilter: ['stable'], typesFilter: ['Classic'] });
    assert.deepEqual(stable.groups.filter((g: Body) => g.groupId === 'flex'), [{ groupId: 'flex', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' }]);
    assert.deepEqual((await ask(c, ApiKey.ListGroups, 4, { statesFilter: ['Empty'] })).groups.filter((g: Body) => g.groupId === 'flex'), []);
    assert.deepEqual((await ask(c, ApiKey.ListGroups, 5, { statesFilter: [], typesFilter: ['consumer'] })).groups, [], 'no KIP-848 groups here');

    const [described] = (await ask(c, ApiKey.DescribeGroups, 5, { groups: ['flex'], includeAuthorizedOperations: false })).groups;
    assert.deepEqual([described.groupState, described.protocolData, described.members.length], ['Stable', 'roundrobin', 1]);

    const left = await ask(c, ApiKey.LeaveGroup, 5, { groupId: 'flex', members: [{ memberId: join.memberId, groupInstanceId: null, reason: 'closing' }] });
    assert.deepEqual([left.errorCode, left.members.map((m: Body) => [m.memberId, m.errorCode])], [0, [[join.memberId, 0]]]);
    const [after] = (await ask(c, ApiKey.DescribeGroups, 5, { groups: ['flex'], includeAuthorizedOperations: false })).groups;
    assert.equal(after.groupState, 'Empty');
  });

  it('OffsetFetch v8 reads several groups at once: named partitions, all committed ones (null), an unknown group', async () => {
    const simple = (groupId: string, offset: bigint) => ask(c, ApiKey.OffsetCommit, 8, { groupId, generationIdOrMemberEpoch: -1, memberId: '',
      groupInstanceId: null, topics: [{ name: 'gt', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: null }] }] });
    assert.equal((await simple('fetch-a', 11n)).topics[0].partitions[0].errorCode, 0);
    assert.equal((await simple('fetch-b', 22n)).topics[0].partitions[0].errorCode, 0);
    for (const version of [8, 9]) {
      const body = await ask(c, ApiKey.OffsetFetch, version, { requireStable: true, groups: [
        { groupId: 'fetch-a', topics: [{ name: 'gt', partitionIndexes: [0, 1] }] },
        { groupId: 'fetch-b', topics: null },
        { groupId: 'never', topics: [{ name: 'gt', partitionIndexes: [0] }] },
      ] });
      const offsets = body.groups.map((g: Body) => [g.groupId, g.errorCode,
        g.topics.flatMap((t: Body) => t.partitions.map((p: Body) => [t.name, p.partitionIndex, p.committedOffset]))]);
      assert.deepEqual(offsets, [
        ['fetch-a', 0, [['gt', 0, 11n], ['gt', 1, -1n]]],
        ['fetch-b', 0, [['gt', 0, 22n]]],
        ['never', 0, [['gt', 0, -1n]]],
      ], `v${version}`);
    }
    const deleted = await ask(c, ApiKey.DeleteGroups, 2, { groupsNames: ['fetch-a', 'ghost'] });
    assert.deepEqual(deleted.results.map((r: Body) => [r.groupId, r.errorCode]), [['fetch-a', 0], ['ghost', 69]]);
  });
});
