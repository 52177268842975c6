// --auth on the group APIs over the wire: the operation KafkaApis checks for each (READ group for
// the membership APIs and OffsetCommit, DESCRIBE for FindCoordinator, DescribeGroups, OffsetFetch,
// ListGroups, DELETE for DeleteGroups) and the answer each gives when it is refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningKafka } from '../../src/kafka/personality.js';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { grantUser, loginPool, type WireClient } from './wire-client.js';

type Body = Record<string, any>;
const TOPIC_AUTHORIZATION_FAILED = 29;
const GROUP_AUTHORIZATION_FAILED = 30;
/** AclOperation bits: READ 3, DELETE 6, DESCRIBE 8. */
const READ_DESCRIBE = (1 << 3) | (1 << 8);
const ALL_GROUP_OPERATIONS = READ_DESCRIBE | (1 << 6);

const joinBody = (groupId: string, memberId = '') => ({
  groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: null, protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: Buffer.from('m') }],
});
const commitBody = (groupId: string, topics: Array<[string, number[]]>, offset = 5n) => ({
  groupId, generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1n, groupInstanceId: null,
  topics: topics.map(([name, partitions]) => ({ name, partitions: partitions.map((partitionIndex) => ({ partitionIndex, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' })) })),
});
const errorsOf = (body: Body): Array<[string, number[]]> => body.topics.map((t: Body) => [t.name, t.partitions.map((p: Body) => p.errorCode)]);

describe('kafka --auth on the group APIs', () => {
  let server: TestServer;
  const sessions = loginPool(() => server.ports.kafka!);
  const login = sessions.login;
  const ask = async (c: WireClient, key: number, version: number, body: Body): Promise<Body> => (await c.request(key, version, body)).body as Body;

  before(async () => {
    server = await startTestServer({ auth: true, enabled: ['kafka'] });
    const user = (name: string, grants: Array<[string, string]>): Promise<void> => grantUser(server.junction.auth, name, grants);
    await user('member', [['kafka:topic:t-*', 'r'], ['kafka:group:g-*', 'r']]);
    await user('owner', [['kafka:topic:*', 'r'], ['kafka:group:g-*', 'rw']]);
    await user('other', [['kafka:topic:t-*', 'r'], ['kafka:group:h-*', 'rw']]);
    await user('outsider', [['kafka:topic:t-*', 'r']]);
    await user('operator', [['kafka:cluster', 'r']]);
    const kafka = server.junction.personality('kafka') as RunningKafka;
    await kafka.topics.create('t-a', 2, {});
    await kafka.topics.create('x-secret', 1, {});
  });
  after(async () => {
    sessions.closeAll();
    await server?.destroy();
  });

  it('FindCoordinator needs DESCRIBE on the group: GROUP_AUTHORIZATION_FAILED with no node otherwise', async () => {
    const member = await login('member');
    const found = await ask(member, ApiKey.FindCoordinator, 1, { key: 'g-1', keyType: 0 });
    assert.deepEqual([found.errorCode, found.nodeId, found.port], [0, 1, server.ports.kafka]);
    for (const version of [0, 1, 2]) {
      const refused = await ask(member, ApiKey.FindCoordinator, version, { key: 'h-1', keyType: 0 });
      assert.deepEqual([refused.errorCode, refused.nodeId, refused.host, refused.port], [GROUP_AUTHORIZATION_FAILED, -1, '', -1], `v${version}`);
      if (version >= 1) assert.equal(refused.errorMessage, 'Group authorization failed.');
    }
    assert.equal((await ask(member, ApiKey.FindCoordinator, 1, { key: 'tx', keyType: 1 })).errorCode, 0, 'the transaction key is not a group');
  });

  it('JoinGroup, SyncGroup, Heartbeat and LeaveGroup need READ on the group', async () => {
    const outsider = await login('outsider');
    for (const version of [0, 4, 5]) {
      const join = await ask(outsider, ApiKey.JoinGroup, version, joinBody('g-1'));
      assert.deepEqual([join.errorCode, join.generationId, join.memberId, join.leader, join.members], [GROUP_AUTHORIZATION_FAILED, -1, '', '', []], `v${version}`);
    }
    const member = await login('member');
    const first = await ask(member, ApiKey.JoinGroup, 4, joinBody('g-1'));
    const joined = await ask(member, ApiKey.JoinGroup, 4, joinBody('g-1', first.memberId));
    assert.equal(joined.errorCode, 0);
    const ref = { groupId: 'g-1', memberId: joined.memberId, generationId: joined.generationId, groupInstanceId: null };
    const assignments = [{ memberId: joined.memberId, assignment: Buffer.from([1, 2]) }];
    const stolen = await ask(outsider, ApiKey.SyncGroup, 3, { ...ref, assignments });
    assert.deepEqual([stolen.errorCode, stolen.assignment], [GROUP_AUTHORIZATION_FAILED, Buffer.alloc(0)]);
    assert.deepEqual((await ask(member, ApiKey.SyncGroup, 3, { ...ref, assignments })).assignment, Buffer.from([1, 2]));
    assert.equal((await ask(outsider, ApiKey.Heartbeat, 3, ref)).errorCode, GROUP_AUTHORIZATION_FAILED);
    assert.equal((await ask(member, ApiKey.Heartbeat, 3, ref)).errorCode, 0);
    assert.equal((await ask(outsider, ApiKey.LeaveGroup, 0, { groupId: 'g-1', memberId: joined.memberId })).errorCode, GROUP_AUTHORIZATION_FAILED);
    const batch = await ask(outsider, ApiKey.LeaveGroup, 3, { groupId: 'g-1', members: [{ memberId: joined.memberId, groupInstanceId: null }] });
    assert.deepEqual([batch.errorCode, batch.members], [GROUP_AUTHORIZATION_FAILED, []]);
    assert.equal((await ask(member, ApiKey.Heartbeat, 3, ref)).errorCode, 0, 'the refused leave left the member in');
    const left = await ask(member, ApiKey.LeaveGroup, 3, { groupId: 'g-1', members: [{ memberId: joined.memberId, groupInstanceId: null }] });
    assert.deepEqual([left.errorCode, left.members.map((m: Body) => m.errorCode)], [0, [0]]);
  });

  it('OffsetCommit: READ on the group, then READ per topic (TOPIC_AUTHORIZATION_FAILED, nothing committed)', async () => {
    const outsider = await login('outsider');
    assert.deepEqual(errorsOf(await ask(outsider, ApiKey.OffsetCommit, 7, commitBody('g-2', [['t-a', [0, 1]]]))),
      [['t-a', [GROUP_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED]]]);
    const member = await login('member');
    assert.deepEqual(errorsOf(await ask(member, ApiKey.OffsetCommit, 2, commitBody('g-2', [['t-a', [0, 1]], ['x-secret', [0]]]))),
      [['t-a', [0, 0]], ['x-secret', [TOPIC_AUTHORIZATION_FAILED]]]);
    const owner = await login('owner');
    const fetched = await ask(owner, ApiKey.OffsetFetch, 5, { groupId: 'g-2', topics: null });
    assert.deepEqual(fetched.topics.map((t: Body) => t.name), ['t-a'], 'x-secret was not committed');
    assert.deepEqual(errorsOf(await ask(owner, ApiKey.OffsetCommit, 7, commitBody('g-2', [['x-secret', [0]]], 9n))), [['x-secret', [0]]]);
    assert.deepEqual(errorsOf(await ask(member, ApiKey.OffsetCommit, 7, commitBody('g-3', [['x-secret', [0]]]))), [['x-secret', [TOPIC_AUTHORIZATION_FAILED]]]);
    const described = await ask(owner, ApiKey.DescribeGroups, 0, { groups: ['g-3'] });
    assert.equal(described.groups[0].groupState, 'Dead', 'a commit refused for every topic does not reach the coordinator');
  });

  it('OffsetFetch: DESCRIBE on the group; "all" leaves out topics not describable, named ones are TOPIC_AUTHORIZATION_FAILED', async () => {
    const member = await login('member');
    const all = await ask(member, ApiKey.OffsetFetch, 5, { groupId: 'g-2', topics: null });
    assert.deepEqual([all.errorCode, all.topics.map((t: Body) => [t.name, t.partitions.map((p: Body) => p.committedOffset)])], [0, [['t-a', [5n, 5n]]]]);
    const owner = await login('owner');
    const ownerAll = await ask(owner, ApiKey.OffsetFetch, 5, { groupId: 'g-2', topics: null });
    assert.deepEqual(ownerAll.topics.map((t: Body) => t.name).sort(), ['t-a', 'x-secret']);
    const named = await ask(member, ApiKey.OffsetFetch, 3, { groupId: 'g-2', topics: [{ name: 'x-secret', partitionIndexes: [0] }, { name: 't-a', partitionIndexes: [1] }] });
    assert.deepEqual(named.topics.map((t: Body) => [t.name, t.partitions.map((p: Body) => [p.committedOffset, p.errorCode])]),
      [['t-a', [[5n, 0]]], ['x-secret', [[-1n, TOPIC_AUTHORIZATION_FAILED]]]], 'the refused topic after the others, as Kafka');
    const outsider = await login('outsider');
    const refused = await ask(outsider, ApiKey.OffsetFetch, 5, { groupId: 'g-2', topics: null });
    assert.deepEqual([refused.errorCode, refused.topics], [GROUP_AUTHORIZATION_FAILED, []]);
    const v1 = await ask(outsider, ApiKey.OffsetFetch, 1, { groupId: 'g-2', topics: [{ name: 't-a', partitionIndexes: [0, 1] }] });
    assert.deepEqual(v1.topics[0].partitions.map((p: Body) => [p.committedOffset, p.errorCode]), [[-1n, GROUP_AUTHORIZATION_FAILED], [-1n, GROUP_AUTHORIZATION_FAILED]],
      'v1 has no top-level error: it is on each partition');
  });

  it('DescribeGroups: DESCRIBE per group (refused ones first) and the principal\'s authorized operations', async () => {
    const member = await login('member');
    const { groups } = await ask(member, ApiKey.DescribeGroups, 4, { groups: ['g-2', 'h-9'], includeAuthorizedOperations: true });
    assert.deepEqual(groups.map((g: Body) => [g.groupId, g.errorCode, g.groupState, g.authorizedOperations]),
      [['h-9', GROUP_AUTHORIZATION_FAILED, '', -2147483648], ['g-2', 0, 'Empty', READ_DESCRIBE]]);
    const owner = await login('owner');
    assert.equal((await ask(owner, ApiKey.DescribeGroups, 4, { groups: ['g-2'], includeAuthorizedOperations: true })).groups[0].authorizedOperations, ALL_GROUP_OPERATIONS);
    assert.equal((await ask(owner, ApiKey.DescribeGroups, 4, { groups: ['g-2'], includeAuthorizedOperations: false })).groups[0].authorizedOperations, -2147483648);
  });

  it('ListGroups shows the groups the principal may describe, or all with DESCRIBE on the cluster; DeleteGroups needs DELETE', async () => {
    const other = await login('other');
    assert.deepEqual(errorsOf(await ask(other, ApiKey.OffsetCommit, 7, commitBody('h-1', [['t-a', [0]]]))), [['t-a', [0]]]);
    const names = async (c: WireClient): Promise<string[]> => (await ask(c, ApiKey.ListGroups, 2, {})).groups.map((g: Body) => g.groupId).sort();
    assert.deepEqual(await names(await login('member')), ['g-1', 'g-2']);
    assert.deepEqual(await names(other), ['h-1']);
    assert.deepEqual(await names(await login('outsider')), []);
    assert.deepEqual(await names(await login('operator')), ['g-1', 'g-2', 'h-1']);
    const member = await login('member');
    assert.deepEqual((await ask(member, ApiKey.DeleteGroups, 1, { groupsNames: ['g-2'] })).results, [{ groupId: 'g-2', errorCode: GROUP_AUTHORIZATION_FAILED }], 'r does not grant DELETE');
    const owner = await login('owner');
    assert.deepEqual((await ask(owner, ApiKey.DeleteGroups, 1, { groupsNames: ['h-1', 'g-2'] })).results,
      [{ groupId: 'g-2', errorCode: 0 }, { groupId: 'h-1', errorCode: GROUP_AUTHORIZATION_FAILED }]);
    assert.deepEqual(await names(await login('operator')), ['g-1', 'h-1']);
  });
});
