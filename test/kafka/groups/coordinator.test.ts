// The classic group coordinator's state machine on a ManualClock (Kafka's GroupCoordinator 3.x):
// MEMBER_ID_REQUIRED, the initial delayed join, join/sync/heartbeat, rebalance on join, leave and
// session expiry, the rebalance and pending-sync timeouts, protocol selection, static members.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { flush, heartbeat, joinRequest, joinV4, openHarness, protocols, syncOf, track, type Harness } from './harness.js';

const E = { NONE: 0, ILLEGAL_GENERATION: 22, INCONSISTENT_GROUP_PROTOCOL: 23, INVALID_GROUP_ID: 24, UNKNOWN_MEMBER_ID: 25, INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27, MEMBER_ID_REQUIRED: 79, FENCED_INSTANCE_ID: 82 };

describe('group coordinator: join and sync', () => {
  let h: Harness;
  beforeEach(async () => { h = await openHarness({ initialRebalanceDelayMs: 3000 }); });
  afterEach(async () => { await h.close(); });

  it('v4+: an empty member id gets MEMBER_ID_REQUIRED with a generated id; v0–v3 and static members join directly', async () => {
    const first = await h.groups.coordinator.join(joinRequest({ clientId: 'app' }));
    assert.equal(first.errorCode, E.MEMBER_ID_REQUIRED);
    assert.match(first.memberId, /^app-[0-9a-f-]{36}$/);
    const old = track(h.groups.coordinator.join(joinRequest({ requireKnownMemberId: false })));
    await flush();
    assert.equal(old.settled, false, 'a v0-v3 member is added and waits for the rebalance');
    assert.equal(h.groups.describe('g').members.length, 1);
  });

  it('the initial delay waits for more members and is extended by each joiner', async () => {
    const a = await joinV4(h);
    h.clock.advance(2000);
    const b = await joinV4(h);
    h.clock.advance(1000);
    await flush();
    assert.equal(a.join.settled, false, 'b joined during the delay: it is extended');
    assert.equal(h.groups.describe('g').state, 'PreparingRebalance');
    h.clock.advance(3000);
    await flush();
    assert.equal(a.join.value!.generationId, 1);
    assert.equal(a.join.value!.leader, a.memberId, 'the first joiner leads');
    assert.deepEqual(a.join.value!.members.map((m) => m.memberId).sort(), [a.memberId, b.memberId].sort());
    assert.equal(b.join.value!.leader, a.memberId);
    assert.deepEqual(b.join.value!.members, [], 'only the leader gets the members');
    assert.equal(h.groups.describe('g').state, 'CompletingRebalance');
  });

  it('SyncGroup: followers wait for the leader; each gets its own bytes verbatim; Stable', async () => {
    const a = await joinV4(h);
    const b = await joinV4(h);
    h.clock.advance(6000);
    await flush();
    const gen = a.join.value!.generationId;
    const follower = syncOf(h, b.memberId, gen);
    await flush();
    assert.equal(follower.settled, false);
    assert.equal(heartbeat(h, b.memberId, gen), E.NONE, 'a heartbeat while CompletingRebalance is fine');
    const leader = syncOf(h, a.memberId, gen, [{ memberId: a.memberId, assignment: Buffer.from([1, 2]) }, { memberId: b.memberId, assignment: Buffer.from([3]) }]);
    await flush();
    assert.deepEqual([leader.value!.errorCode, [...leader.value!.assignment]], [0, [1, 2]]);
    assert.deepEqual([follower.value!.errorCode, [...follower.value!.assignment]], [0, [3]]);
    const d = h.groups.describe('g');
    assert.equal(d.state, 'Stable');
    assert.equal(d.protocol, 'range');
    assert.deepEqual(d.members.map((m) => [...m.assignment]).sort(), [[1, 2], [3]]);
    assert.equal(heartbeat(h, a.memberId, gen), E.NONE);
    assert.equal(heartbeat(h, a.memberId, gen + 1), E.ILLEGAL_GENERATION);
    assert.equal(heartbeat(h, 'nobody', gen), E.UNKNOWN_MEMBER_ID);
    assert.equal((await syncOf(h, b.memberId, gen).promise).assignment[0], 3, 'a later SyncGroup returns the stored assignment');
    assert.equal((await syncOf(h, b.memberId, gen - 1).promise).errorCode, E.ILLEGAL_GENERATION);
  });

  it('bad joins: empty group id, session timeout out of range, no common protocol', async () => {
    assert.equal((await h.groups.coordinator.join(joinRequest({ groupId: '' }))).errorCode, E.INVALID_GROUP_ID);
    assert.equal((await h.groups.coordinator.join(joinRequest({ sessionTimeoutMs: 5999 }))).errorCode, E.INVALID_SESSION_TIMEOUT);
    assert.equal((await h.groups.coordinator.join(joinRequest({ sessionTimeoutMs: 1_800_001 }))).errorCode, E.INVALID_SESSION_TIMEOUT);
    await joinV4(h, { protocols: protocols('range') });
    assert.equal((await h.groups.coordinator.join(joinRequest({ protocols: protocols('roundrobin') }))).errorCode, E.INCONSISTENT_GROUP_PROTOCOL);
    assert.equal((await h.groups.coordinator.join(joinRequest({ protocolType: 'connect' }))).errorCode, E.INCONSISTENT_GROUP_PROTOCOL);
    assert.equal((await h.groups.coordinator.join(joinRequest({ memberId: 'made-up' }))).errorCode, E.UNKNOWN_MEMBER_ID);
  });

  it('the protocol every member supports wins by the members\' first choices', async () => {
    const a = await joinV4(h, { protocols: protocols('range', 'roundrobin') });
    await joinV4(h, { protocols: protocols('roundrobin', 'range') });
    await joinV4(h, { protocols: protocols('sticky', 'roundrobin') });
    h.clock.advance(9000);
    await flush();
    assert.equal(a.join.value!.protocolName, 'roundrobin');
    assert.deepEqual(a.join.value!.members.map((m) => m.metadata.toString()), ['meta-roundrobin', 'meta-roundrobin', 'meta-roundrobin']);
  });
});

/** Two members in a Stable group of generation 1 (delay 0). */
async function stableGroup(h: Harness): Promise<{ a: string; b: string; gen: number }> {
  const a = await joinV4(h);
  h.clock.advance(1);
  await flush();
  const gen1 = a.join.value!.generationId;
  await syncOf(h, a.memberId, gen1, []).promise;
  const b = await joinV4(h);
  assert.equal(heartbeat(h, a.memberId, gen1), E.REBALANCE_IN_PROGRESS, 'a new member makes the group rebalance');
  const again = track(h.groups.coordinator.join(joinRequest({ memberId: a.memberId })));
  await flush();
  const gen = again.value!.generationId;
  assert.equal(gen, gen1 + 1, 'completes as soon as every member rejoined');
  assert.equal(b.join.value!.generationId, gen);
  const sb = syncOf(h, b.memberId, gen);
  await syncOf(h, a.memberId, gen, [{ memberId: a.memberId, assignment: Buffer.from('A') }, { memberId: b.memberId, assignment: Buffer.from('B') }]).promise;
  await sb.promise;
  assert.equal(h.groups.describe('g').state, 'Stable');
  return { a: a.memberId, b: b.memberId, gen };
}

describe('group coordinator: rebalances', () => {
  let h: Harness;
  beforeEach(async () => { h = await openHarness(); });
  afterEach(async () => { await h.close(); });

  it('a member that stops heartbeating is removed after its session timeout; the others rebalance', async () => {
    const { a, b, gen } = await stableGroup(h);
    for (let t = 0; t < 12_000; t += 3000) {
      h.clock.advance(3000);
      if (t < 9000) assert.equal(heartbeat(h, a, gen), E.NONE);
    }
    assert.equal(heartbeat(h, a, gen), E.REBALANCE_IN_PROGRESS, 'b expired after 10 s without a heartbeat');
    assert.equal(heartbeat(h, b, gen), E.UNKNOWN_MEMBER_ID);
    const rejoin = await h.groups.coordinator.join(joinRequest({ memberId: a }));
    assert.deepEqual([rejoin.generationId, rejoin.leader, rejoin.members.length], [gen + 1, a, 1]);
  });

  it('a member that does not rejoin within the rebalance timeout is dropped', async () => {
    const { a, b, gen } = await stableGroup(h);
    const c = await joinV4(h, { rebalanceTimeoutMs: 20_000 });
    const ja = track(h.groups.coordinator.join(joinRequest({ memberId: a })));
    for (let t = 0; t < 30_000; t += 2000) {
      h.clock.advance(2000);
      // b keeps its session but never rejoins.
      if (!ja.settled) heartbeat(h, b, gen);
      await flush();
    }
    assert.equal(ja.value!.generationId, gen + 1);
    assert.equal(ja.value!.members.length, 2, 'a and c');
    assert.equal(c.join.value!.generationId, gen + 1);
    assert.equal(heartbeat(h, b, gen + 1), E.UNKNOWN_MEMBER_ID);
  });

  it('LeaveGroup: the group rebalances at once; the last member leaving empties it with a new generation', async () => {
    const { a, b, gen } = await stableGroup(h);
    assert.deepEqual(h.groups.coordinator.leave('g', [{ memberId: b, groupInstanceId: null }, { memberId: 'ghost', groupInstanceId: null }]),
      [E.NONE, E.UNKNOWN_MEMBER_ID]);
    assert.equal(heartbeat(h, a, gen), E.REBALANCE_IN_PROGRESS);
    const rejoin = await h.groups.coordinator.join(joinRequest({ memberId: a }));
    assert.equal(rejoin.generationId, gen + 1);
    assert.deepEqual(h.groups.coordinator.leave('g', [{ memberId: a, groupInstanceId: null }]), [E.NONE]);
    const d = h.groups.describe('g');
    assert.deepEqual([d.state, d.members.length], ['Empty', 0]);
    assert.equal(h.groups.coordinator.group('g')!.generation, gen + 2);
    assert.deepEqual(h.groups.coordinator.leave('nope', [{ memberId: a, groupInstanceId: null }]), [E.UNKNOWN_MEMBER_ID]);
  });

  it('a follower parked in SyncGroup is told REBALANCE_IN_PROGRESS when a member joins before the leader syncs', async () => {
    const { a, b, gen } = await stableGroup(h);
    h.groups.coordinator.leave('g', [{ memberId: b, groupInstanceId: null }]);
    const j = await h.groups.coordinator.join(joinRequest({ memberId: a }));
    assert.equal(j.generationId, gen + 1);
    const late = await joinV4(h);
    assert.equal(late.join.settled, false);
    const synced = await syncOf(h, a, gen + 1).promise;
    assert.equal(synced.errorCode, E.REBALANCE_IN_PROGRESS, 'the group is preparing a rebalance again');
  });

  it('a member that leaves while parked in SyncGroup gets UNKNOWN_MEMBER_ID there; the others rebalance', async () => {
    const { a, b, gen } = await stableGroup(h);
    const c = await joinV4(h);
    const ja = track(h.groups.coordinator.join(joinRequest({ memberId: a })));
    const jb = track(h.groups.coordinator.join(joinRequest({ memberId: b })));
    await flush();
    assert.deepEqual([ja.value!.generationId, jb.value!.generationId, c.join.value!.generationId], [gen + 1, gen + 1, gen + 1]);
    const parked = syncOf(h, b, gen + 1);
    await flush();
    assert.equal(parked.settled, false);
    assert.deepEqual(h.groups.coordinator.leave('g', [{ memberId: b, groupInstanceId: null }]), [E.NONE]);
    await flush();
    assert.equal(parked.value!.errorCode, E.UNKNOWN_MEMBER_ID);
    assert.equal(heartbeat(h, a, gen + 1), E.REBALANCE_IN_PROGRESS);
  });

  it('a protocol listed twice by one member counts once (no false common protocol)', async () => {
    await joinV4(h, { protocols: protocols('range', 'range') });
    assert.equal((await h.groups.coordinator.join(joinRequest({ protocols: protocols('roundrobin') }))).errorCode, E.INCONSISTENT_GROUP_PROTOCOL);
    const both = await h.groups.coordinator.join(joinRequest({ protocols: protocols('roundrobin', 'range') }));
    assert.equal(both.errorCode, E.MEMBER_ID_REQUIRED, 'range is common: accepted');
  });

  it('members that never send SyncGroup are removed after the rebalance timeout', async () => {
    const { a, b, gen } = await stableGroup(h);
    h.groups.coordinator.leave('g', [{ memberId: b, groupInstanceId: null }]);
    await h.groups.coordinator.join(joinRequest({ memberId: a }));
    for (let t = 0; t < 32_000; t += 4000) { h.clock.advance(4000); heartbeat(h, a, gen + 1); }
    assert.equal(h.groups.describe('g').state, 'Empty');
    assert.equal(heartbeat(h, a, gen + 1), E.UNKNOWN_MEMBER_ID);
  });
});

describe('group coordinator: static membership (KIP-345)', () => {
  let h: Harness;
  beforeEach(async () => { h = await openHarness(); });
  afterEach(async () => { await h.close(); });

  it('a known instance id rejoining takes a new member id without a rebalance; the old id is fenced', async () => {
    const join = track(h.groups.coordinator.join(joinRequest({ groupInstanceId: 'pod-1', requireKnownMemberId: false })));
    h.clock.advance(1);
    await flush();
    const first = join.value!;
    assert.equal(first.errorCode, E.NONE, 'a static member never gets MEMBER_ID_REQUIRED');
    assert.match(first.memberId, /^pod-1-/);
    const synced = await track(h.groups.coordinator.sync({ groupId: 'g', memberId: first.memberId, generationId: first.generationId, groupInstanceId: 'pod-1' },
      [{ memberId: first.memberId, assignment: Buffer.from('mine') }])).promise;
    assert.equal(synced.errorCode, 0);
    const again = await h.groups.coordinator.join(joinRequest({ groupInstanceId: 'pod-1', requireKnownMemberId: false }));
    assert.equal(again.errorCode, E.NONE);
    assert.notEqual(again.memberId, first.memberId);
    assert.equal(again.generationId, first.generationId, 'same generation: no rebalance');
    // The old leader id comes back, so the rejoined leader does not assign again (updateStaticMemberAndRebalance).
    assert.deepEqual([again.leader, again.members], [first.memberId, []]);
    assert.equal((await h.groups.coordinator.sync({ groupId: 'g', memberId: again.memberId, generationId: again.generationId, groupInstanceId: 'pod-1' }, []))
      .assignment.toString(), 'mine', 'its assignment stays');
    assert.equal(h.groups.describe('g').state, 'Stable');
    assert.equal(heartbeat(h, first.memberId, first.generationId, 'pod-1'), E.FENCED_INSTANCE_ID);
    assert.equal(heartbeat(h, again.memberId, again.generationId, 'pod-1'), E.NONE);
    const d = h.groups.describe('g');
    assert.deepEqual(d.members.map((m) => [m.memberId, m.groupInstanceId, m.assignment.toString()]), [[again.memberId, 'pod-1', 'mine']]);
    assert.deepEqual(h.groups.coordinator.leave('g', [{ memberId: first.memberId, groupInstanceId: 'pod-1' }]), [E.FENCED_INSTANCE_ID]);
    assert.deepEqual(h.groups.coordinator.leave('g', [{ memberId: '', groupInstanceId: 'pod-1' }]), [E.NONE], 'v3 leave by instance id');
    assert.equal(h.groups.describe('g').state, 'Empty');
  });
});
