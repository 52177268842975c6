// Committed offsets (GroupCoordinator.handleCommitOffsets / handleFetchOffsets, GroupMetadataManager):
// who may commit, per-partition errors, durability over a reopen (with the generation), retention
// counted from when the group became Empty (KIP-211) or from the commit for a standalone group,
// topic deletion, DescribeGroups/ListGroups/DeleteGroups of groups that only hold offsets.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CommitRequest } from '../../../src/kafka/groups/service.js';
import { flush, joinV4, openHarness, syncOf, type Harness } from './harness.js';

const MINUTE = 60_000;

function commit(h: Harness, over: Partial<CommitRequest> = {}, offset = 5): Promise<number[]> {
  return h.groups.commit({
    groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1,
    partitions: [{ topic: 't', partition: 0, offset, leaderEpoch: -1, metadata: null }], ...over,
  });
}

function committed(h: Harness, group = 'g', partition = 0): number {
  return h.groups.fetch(group, [{ name: 't', partitionIndexes: [partition] }])[0]!.partitions[0]![1]?.offset ?? -1;
}

/** Resolves once `check` holds (durable writes take a commit cycle of real time). */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`never true: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** One member in a Stable group; returns its id and generation. */
async function member(h: Harness, sessionTimeoutMs = 10_000): Promise<{ id: string; gen: number }> {
  const m = await joinV4(h, { sessionTimeoutMs });
  h.clock.advance(1);
  await flush();
  const gen = m.join.value!.generationId;
  await syncOf(h, m.memberId, gen, []).promise;
  return { id: m.memberId, gen };
}

describe('committed offsets', () => {
  let h: Harness;
  beforeEach(async () => { h = await openHarness({ offsetsRetentionMs: 60 * MINUTE }); });
  afterEach(async () => { await h.close(); });

  it('a simple commit (generation -1, no member) is allowed only while the group has no members', async () => {
    assert.deepEqual(await commit(h), [0]);
    assert.equal(committed(h), 5);
    assert.equal(h.groups.describe('g').state, 'Empty');
    const m = await member(h);
    assert.deepEqual(await commit(h, {}, 9), [25], 'UNKNOWN_MEMBER_ID while it has members');
    assert.deepEqual(await commit(h, { generationId: m.gen, memberId: m.id }, 9), [0]);
    assert.deepEqual(await commit(h, { generationId: m.gen + 1, memberId: m.id }, 10), [22], 'ILLEGAL_GENERATION');
    assert.deepEqual(await commit(h, { generationId: m.gen, memberId: 'other' }, 10), [25]);
    assert.equal(committed(h), 9);
    assert.deepEqual(await commit(h, { groupId: 'never-joined', generationId: 3, memberId: 'x' }), [22], 'generation ≥ 0 to an unknown group');
    // GroupCoordinator.isValidGroupId: OffsetCommit/OffsetFetch/DescribeGroups/DeleteGroups accept
    // the empty group id "for backwards compatibility" (JoinGroup does not).
    assert.deepEqual(await commit(h, { groupId: '' }), [0]);
    assert.equal(await h.groups.delete(''), 0, 'and DeleteGroups removes it');
  });

  it('no commit while the group waits for its leader\'s SyncGroup (REBALANCE_IN_PROGRESS)', async () => {
    const m = await joinV4(h);
    h.clock.advance(1);
    await flush();
    assert.deepEqual(await commit(h, { generationId: m.join.value!.generationId, memberId: m.memberId }), [27]);
  });

  it('per partition: unknown partition, metadata over 4096 bytes; the others are committed', async () => {
    const errors = await commit(h, { partitions: [
      { topic: 't', partition: 1, offset: 7, leaderEpoch: 0, metadata: 'fine' },
      { topic: 't', partition: 3, offset: 7, leaderEpoch: -1, metadata: null },
      { topic: 'missing', partition: 0, offset: 7, leaderEpoch: -1, metadata: null },
      { topic: 't', partition: 2, offset: 7, leaderEpoch: -1, metadata: 'x'.repeat(4097) },
    ] });
    assert.deepEqual(errors, [0, 3, 3, 12]);
    const all = h.groups.fetch('g', null);
    assert.deepEqual(all.map((t) => [t.topic, t.partitions.map(([p, o]) => [p, o!.offset, o!.metadata, o!.leaderEpoch])]), [['t', [[1, 7, 'fine', 0]]]]);
    assert.deepEqual(h.groups.fetch('g', [{ name: 't', partitionIndexes: [0, 1] }])[0]!.partitions.map(([p, o]) => [p, o?.offset ?? -1]), [[0, -1], [1, 7]]);
    assert.deepEqual(h.groups.fetch('unknown', null), []);
  });

  it('offsets and the generation survive a reopen; the group is Empty and keeps them readable', async () => {
    const m = await member(h);
    assert.deepEqual(await commit(h, { generationId: m.gen, memberId: m.id }, 42), [0]);
    await h.reopen();
    assert.equal(committed(h), 42);
    const d = h.groups.describe('g');
    assert.deepEqual([d.state, d.protocolType, d.members.length], ['Empty', 'consumer', 0]);
    assert.deepEqual(h.groups.list(), [{ groupId: 'g', protocolType: 'consumer', state: 'Empty' }]);
    assert.deepEqual(await commit(h, { generationId: m.gen, memberId: m.id }), [25], 'the old member is gone');
    const again = await joinV4(h);
    h.clock.advance(1);
    await flush();
    assert.ok(again.join.value!.generationId > m.gen, 'the generation keeps growing across the restart');
  });

  it('retention counts from when the group became Empty (KIP-211), not from the commit', async () => {
    const m = await member(h, 30 * MINUTE);
    await commit(h, { generationId: m.gen, memberId: m.id }, 8);
    // Active for two hours (heartbeats within its 30-minute session): nothing expires.
    for (let i = 0; i < 8; i++) {
      h.clock.advance(15 * MINUTE);
      assert.equal(h.groups.coordinator.heartbeat({ groupId: 'g', memberId: m.id, generationId: m.gen, groupInstanceId: null }), 0);
    }
    await h.groups.expireOffsets();
    assert.equal(committed(h), 8);
    h.groups.coordinator.leave('g', [{ memberId: m.id, groupInstanceId: null }]);
    h.clock.advance(1);
    await eventually(() => h.groups.offsets.record('g')?.emptySince !== null, 'Empty-since saved');
    h.clock.advance(59 * MINUTE);
    await h.groups.expireOffsets();
    assert.equal(committed(h), 8);
    h.clock.advance(MINUTE);
    await h.groups.expireOffsets();
    assert.equal(committed(h), -1);
    assert.deepEqual(h.groups.list(), [], 'an Empty group without offsets is gone');
    assert.equal(h.groups.describe('g').state, 'Dead');
  });

  it('a standalone group\'s offsets expire from their commit; a v2–v4 retention time wins; expiry is durable', async () => {
    await commit(h, { groupId: 'solo' }, 1);
    h.clock.advance(30 * MINUTE);
    await commit(h, { groupId: 'solo', partitions: [{ topic: 't', partition: 1, offset: 2, leaderEpoch: -1, metadata: null }] });
    await commit(h, { groupId: 'short', retentionTimeMs: MINUTE }, 3);
    await h.groups.expireOffsets();
    assert.equal(committed(h, 'short'), 3);
    h.clock.advance(MINUTE);
    await h.groups.expireOffsets();
    assert.equal(committed(h, 'short'), -1, 'short: its own retention');
    assert.equal(committed(h, 'solo'), 1);
    h.clock.advance(29 * MINUTE);
    await h.groups.expireOffsets();
    assert.equal(committed(h, 'solo'), -1, 'solo p0: an hour after its commit');
    assert.equal(committed(h, 'solo', 1), 2);
    await h.reopen();
    assert.deepEqual(h.groups.fetch('solo', null).map((t) => t.partitions.map(([p]) => p)), [[1]]);
    assert.deepEqual(h.groups.list().map((g) => g.groupId), ['solo']);
  });

  it('the retention check runs on the clock (offsets.retention.check.interval.ms)', async () => {
    await commit(h, {}, 1);
    h.clock.advance(50 * MINUTE);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(committed(h), 1);
    h.clock.advance(10 * MINUTE);
    await eventually(() => committed(h) === -1, 'expired by the 60-minute check');
  });

  it('a deleted topic\'s offsets go; DeleteGroups removes an Empty group, refuses one with members', async () => {
    await commit(h, { groupId: 'a' });
    await commit(h, { groupId: 'b' });
    await h.groups.topicDeleted('t');
    assert.deepEqual(h.groups.list(), []);
    await commit(h, { groupId: 'kept' });
    await member(h);
    assert.equal(await h.groups.delete('g'), 68, 'NON_EMPTY_GROUP');
    assert.equal(await h.groups.delete('nope'), 69, 'GROUP_ID_NOT_FOUND');
    assert.equal(await h.groups.delete('kept'), 0);
    assert.equal(committed(h, 'kept'), -1);
    await h.reopen();
    assert.deepEqual(h.groups.list(), [], 'g had no offsets; kept was deleted');
  });
});
