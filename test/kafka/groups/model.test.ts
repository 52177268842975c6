// The groups' command model (src/kafka/groups/model.ts): deterministic apply, and a snapshot that
// rebuilds exactly the state the commands made (what a restart after a snapshot replays from).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupsMachine, type GroupCommand, type GroupsState } from '../../../src/kafka/groups/model.js';

const COMMANDS: GroupCommand[] = [
  { type: 'groupState', group: 'g', generation: 3, protocolType: 'consumer', emptySince: null },
  { type: 'commitOffsets', group: 'g', at: 1000, expireAt: null, offsets: [
    { topic: 'a', partition: 0, offset: 5, leaderEpoch: 0, metadata: '' }, { topic: 'b', partition: 2, offset: 9, leaderEpoch: -1, metadata: 'm' }] },
  { type: 'commitOffsets', group: 'solo', at: 2000, expireAt: 62_000, offsets: [{ topic: 'a', partition: 1, offset: 1, leaderEpoch: -1, metadata: '' }] },
  { type: 'groupState', group: 'g', generation: 4, protocolType: 'consumer', emptySince: 5000 },
  { type: 'groupState', group: 'g', generation: 2, protocolType: 'consumer', emptySince: 5000 },
];

function replay(commands: GroupCommand[]): GroupsState {
  const state = groupsMachine.initial();
  for (const c of commands) groupsMachine.apply(state, c);
  return state;
}

test('snapshot and restore rebuild the same state; the generation never goes back', () => {
  const state = replay(COMMANDS);
  assert.equal(state.groups.get('g')!.generation, 4, 'a lower generation does not lower it');
  assert.equal(state.groups.get('solo')!.emptySince, 2000, 'a group that only commits is Empty from its first commit');
  const restored = groupsMachine.restore(JSON.parse(JSON.stringify(groupsMachine.snapshot(state))));
  assert.deepEqual(restored, state);
  assert.deepEqual(replay(COMMANDS), state, 'apply is deterministic');
});

test('expiry drops only the commit it saw; an Empty group without offsets goes; topic deletion and deleteGroup', () => {
  const state = replay(COMMANDS);
  groupsMachine.apply(state, { type: 'commitOffsets', group: 'g', at: 7000, expireAt: null, offsets: [{ topic: 'a', partition: 0, offset: 6, leaderEpoch: 0, metadata: '' }] });
  const removed = groupsMachine.apply(state, { type: 'expireOffsets', group: 'g', partitions: [
    { topic: 'a', partition: 0, commitTimestamp: 1000 }, { topic: 'b', partition: 2, commitTimestamp: 1000 }] });
  assert.equal(removed, 1, 'a/0 was committed again after the check: kept');
  assert.equal(state.groups.get('g')!.offsets.get('a')!.get(0)!.offset, 6);
  assert.equal(groupsMachine.apply(state, { type: 'deleteTopicOffsets', topic: 'a' }), 2);
  assert.deepEqual([...state.groups.keys()], [], 'both groups were Empty and lost their last offsets');
  groupsMachine.apply(state, { type: 'commitOffsets', group: 'x', at: 1, expireAt: null, offsets: [{ topic: 't', partition: 0, offset: 1, leaderEpoch: -1, metadata: '' }] });
  assert.equal(groupsMachine.apply(state, { type: 'deleteGroup', group: 'x' }), true);
  assert.equal(state.groups.size, 0);
});
