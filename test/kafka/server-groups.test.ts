// The group APIs over the wire, at the versions old and new clients send: FindCoordinator v0–v2
// (and the transaction key type), JoinGroup v0 and v4 (MEMBER_ID_REQUIRED), SyncGroup, Heartbeat,
// DescribeGroups, ListGroups, LeaveGroup, DeleteGroups, OffsetCommit/OffsetFetch v1–v5; offsets of
// a deleted topic go; an acknowledged commit survives kill -9.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { killHard, startChildServer } from '../helpers/child-server.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/junction.js';
import { WireClient } from './wire-client.js';

type Body = Record<string, any>;

const joinV0 = (memberId = '') => ({
  groupId: 'wire', sessionTimeoutMs: 10_000, memberId, protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: Buffer.from('member-metadata') }],
});

/** One request's response body, loosely typed for the assertions. */
async function ask(c: WireClient, key: number, version: number, body: Body): Promise<Body> {
  return (await c.request(key, version, body)).body as Body;
}

function commitBody(groupId: string, offset: bigint, partition = 0): Body {
  return { groupId, generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1n,
    topics: [{ name: 'topic', partitions: [{ partitionIndex: partition, committedOffset: offset, committedMetadata: 'm' }] }] };
}

async function createTopic(c: WireClient, name: string, numPartitions: number): Promise<void> {
  const body = await ask(c, ApiKey.CreateTopics, 4, { topics: [{ name, numPartitions, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
  assert.equal(body.topics[0].errorCode, 0);
}

describe('kafka group APIs on the wire', () => {
  let server: TestServer;
  let c: WireClient;
  before(async () => {
    server = await startTestServer({ enabled: ['kafka'] });
    c = await WireClient.connect(server.ports.kafka!);
    await createTopic(c, 'topic', 2);
  });
  after(async () => {
    c?.close();
    await server?.destroy();
  });

  it('FindCoordinator v0–v2 names this broker, for transactions too (InitProducerId refuses them)', async () => {
    for (const version of [0, 1, 2]) {
      const { body } = await c.request(ApiKey.FindCoordinator, version, { key: 'g', keyType: 0 });
      assert.deepEqual([body.errorCode, body.nodeId, body.host, body.port], [0, 1, '127.0.0.1', server.ports.kafka], `v${version}`);
    }
    const txn = (await ask(c, ApiKey.FindCoordinator, 1, { key: 'tx', keyType: 1 }));
    assert.deepEqual([txn.errorCode, txn.nodeId, txn.port], [0, 1, server.ports.kafka]);
    assert.equal((await ask(c, ApiKey.FindCoordinator, 2, { key: 'x', keyType: 7 })).errorCode, 42);
  });

  it('JoinGroup v0 → SyncGroup → Heartbeat → DescribeGroups/ListGroups → LeaveGroup → DeleteGroups', async () => {
    const join = (await ask(c, ApiKey.JoinGroup, 0, joinV0()));
    assert.equal(join.errorCode, 0, 'v0 joins without MEMBER_ID_REQUIRED');
    assert.deepEqual([join.generationId, join.leader, join.protocolName], [1, join.memberId, 'range']);
    assert.match(join.memberId, /^wire-test-/, 'client id + uuid');
    assert.deepEqual(join.members.map((m: Body) => m.metadata.toString()), ['member-metadata']);
    const ref = { groupId: 'wire', generationId: join.generationId, memberId: join.memberId };
    const sync = (await ask(c, ApiKey.SyncGroup, 0, { ...ref, assignments: [{ memberId: join.memberId, assignment: Buffer.from([0, 1, 2]) }] }));
    assert.deepEqual([sync.errorCode, [...sync.assignment]], [0, [0, 1, 2]]);
    assert.equal((await ask(c, ApiKey.Heartbeat, 0, ref)).errorCode, 0);
    assert.equal((await ask(c, ApiKey.Heartbeat, 3, { ...ref, generationId: 9, groupInstanceId: null })).errorCode, 22);

    const described = (await ask(c, ApiKey.DescribeGroups, 4, { groups: ['wire', 'nope'], includeAuthorizedOperations: true })).groups;
    assert.deepEqual([described[0].groupState, described[0].protocolType, described[0].protocolData], ['Stable', 'consumer', 'range']);
    const [m] = described[0].members;
    assert.deepEqual([m.memberId, m.clientId, m.clientHost, m.memberMetadata.toString(), [...m.memberAssignment]],
      [join.memberId, 'wire-test', '/127.0.0.1', 'member-metadata', [0, 1, 2]]);
    assert.notEqual(described[0].authorizedOperations, -2147483648);
    assert.deepEqual([described[1].errorCode, described[1].groupState, described[1].members], [0, 'Dead', []]);
    const listed = (await ask(c, ApiKey.ListGroups, 0, {}));
    // v0 carries no state or type: the decoder gives their defaults.
    assert.deepEqual(listed.groups.filter((g: Body) => g.groupId === 'wire'), [{ groupId: 'wire', protocolType: 'consumer', groupState: '', groupType: '' }]);

    assert.deepEqual((await ask(c, ApiKey.DeleteGroups, 1, { groupsNames: ['wire', 'ghost'] })).results,
      [{ groupId: 'wire', errorCode: 68 }, { groupId: 'ghost', errorCode: 69 }]);
    assert.equal((await ask(c, ApiKey.LeaveGroup, 0, { groupId: 'wire', memberId: join.memberId })).errorCode, 0);
    assert.equal((await ask(c, ApiKey.LeaveGroup, 0, { groupId: 'wire', memberId: join.memberId })).errorCode, 25);
    const empty = (await ask(c, ApiKey.DescribeGroups, 0, { groups: ['wire'] })).groups[0];
    assert.deepEqual([empty.groupState, empty.members.length], ['Empty', 0]);
    assert.deepEqual((await ask(c, ApiKey.DeleteGroups, 0, { groupsNames: ['wire'] })).results, [{ groupId: 'wire', errorCode: 0 }]);
    assert.equal((await ask(c, ApiKey.DescribeGroups, 0, { groups: ['wire'] })).groups[0].groupState, 'Dead');
  });

  it('JoinGroup v4 answers MEMBER_ID_REQUIRED first; LeaveGroup v3 leaves a batch', async () => {
    const body = { ...joinV0(), groupId: 'v4', rebalanceTimeoutMs: 10_000 };
    const first = (await ask(c, ApiKey.JoinGroup, 4, body));
    assert.equal(first.errorCode, 79);
    const join = (await ask(c, ApiKey.JoinGroup, 4, { ...body, memberId: first.memberId }));
    assert.deepEqual([join.errorCode, join.memberId], [0, first.memberId]);
    const left = (await ask(c, ApiKey.LeaveGroup, 3, { groupId: 'v4', members: [{ memberId: join.memberId, groupInstanceId: null }, { memberId: 'x', groupInstanceId: null }] }));
    assert.deepEqual([left.errorCode, left.members.map((m: Body) => m.errorCode)], [0, [0, 25]]);
  });

  it('OffsetCommit v2 and v7, OffsetFetch v1 (named partitions) and v5 (all); a deleted topic\'s offsets go', async () => {
    const committed = (await ask(c, ApiKey.OffsetCommit, 2, commitBody('offsets', 17n)));
    assert.equal(committed.topics[0].partitions[0].errorCode, 0);
    const v7: Body = { ...commitBody('offsets', 4n, 1), groupInstanceId: null };
    v7.topics[0].partitions[0].committedLeaderEpoch = 0;
    assert.equal((await ask(c, ApiKey.OffsetCommit, 7, v7)).topics[0].partitions[0].errorCode, 0);
    const v1 = (await ask(c, ApiKey.OffsetFetch, 1, { groupId: 'offsets', topics: [{ name: 'topic', partitionIndexes: [0, 1] }] }));
    assert.deepEqual(v1.topics[0].partitions.map((p: Body) => [p.partitionIndex, p.committedOffset, p.metadata]), [[0, 17n, 'm'], [1, 4n, 'm']]);
    const v5 = (await ask(c, ApiKey.OffsetFetch, 5, { groupId: 'offsets', topics: null }));
    assert.deepEqual(v5.topics[0].partitions.map((p: Body) => [p.partitionIndex, p.committedOffset, p.committedLeaderEpoch]), [[0, 17n, -1], [1, 4n, 0]]);
    const none = (await ask(c, ApiKey.OffsetFetch, 5, { groupId: 'other', topics: [{ name: 'topic', partitionIndexes: [0] }] }));
    assert.equal(none.topics[0].partitions[0].committedOffset, -1n);
    await c.request(ApiKey.DeleteTopics, 3, { topicNames: ['topic'], timeoutMs: 5000 });
    assert.deepEqual((await ask(c, ApiKey.OffsetFetch, 5, { groupId: 'offsets', topics: null })).topics, []);
    assert.ok(!(await ask(c, ApiKey.ListGroups, 2, {})).groups.some((g: Body) => g.groupId === 'offsets'));
  });
});

describe('kafka committed offsets and kill -9', () => {
  it('every acknowledged OffsetCommit survives kill -9 of the server', async () => {
    const dataDir = tempDir();
    const args = ['--enable', 'kafka', '--data-dir', dataDir, '--log-format', 'json'];
    let child = await startChildServer(args);
    let c = await WireClient.connect(child.ports.kafka!);
    try {
      await createTopic(c, 'topic', 1);
      const ids: number[] = [];
      for (let i = 1; i <= 300; i++) ids.push(c.send(ApiKey.OffsetCommit, 2, commitBody(`g${i % 3}`, BigInt(i))));
      const acknowledged: number[] = [];
      for (let i = 0; i < 100; i++) {
        const r = await c.receive(ApiKey.OffsetCommit, 2);
        assert.ok(r && r.correlationId === ids[i]);
        assert.equal((r.body as Body).topics[0].partitions[0].errorCode, 0);
        acknowledged.push(i + 1);
      }
      await killHard(child);
      c.close();
      child = await startChildServer(args);
      c = await WireClient.connect(child.ports.kafka!);
      for (const g of [0, 1, 2]) {
        const lastAcked = Math.max(...acknowledged.filter((i) => i % 3 === g));
        const body = await ask(c, ApiKey.OffsetFetch, 5, { groupId: `g${g}`, topics: null });
        const offset = Number(body.topics[0].partitions[0].committedOffset);
        assert.ok(offset >= lastAcked && offset % 3 === g, `g${g}: ${offset} kept, ${lastAcked} acknowledged`);
      }
    } finally {
      c.close();
      await killHard(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
