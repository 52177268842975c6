// Differential on the wire: the same raw requests (at versions both serve) to Junction and to
// librdkafka's mock cluster, answers compared field by field. Where they differ, the test asserts
// what Kafka's source says (apache/kafka group-coordinator GroupMetadataManager and
// OffsetMetadataManager, the clients' message JSONs) and that Junction does it; the mock's
// deviations are listed in docs/compat/kafka.md, "Reference: librdkafka's mock cluster".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../../src/kafka/protocol/api-keys.js';
import { encodeBatch } from '../../helpers/kafka-batch.js';
import { fetchBody, produceBody, WireClient } from '../../kafka/wire-client.js';
import { onBoth, startDiffPair, type DiffPair, type DiffTarget } from './diff-targets.js';

type Body = Record<string, any>;

const UNKNOWN_MEMBER_ID = 25;
const GROUP_ID_NOT_FOUND = 69;
const MEMBER_ID_REQUIRED = 79;

async function withClient<T>(t: DiffTarget, use: (c: WireClient) => Promise<T>): Promise<T> {
  const c = await WireClient.connect(t.port);
  try { return await use(c); } finally { c.close(); }
}
/** The decoded answer, or the decoder's complaint (the mock writes some fields Kafka never would). */
async function ask(c: WireClient, key: number, version: number, body: Body): Promise<Body> {
  try {
    return (await c.request(key, version, body)).body as Body;
  } catch (e) {
    return { undecodable: (e as Error).message };
  }
}
const listOffsets = (topic: string, partitions: number[], timestamp: bigint): Body => ({ replicaId: -1, isolationLevel: 0,
  topics: [{ name: topic, partitions: partitions.map((p) => ({ partitionIndex: p, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 })) }] });
const joinBody = (groupId: string): Body => ({ groupId, sessionTimeoutMs: 6000, rebalanceTimeoutMs: 6000, memberId: '', groupInstanceId: null,
  protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.from('md') }] });

describe('differential: raw requests to Junction and the mock cluster', () => {
  let pair: DiffPair;
  before(async () => {
    pair = await startDiffPair();
    await onBoth(pair, async (t) => {
      await t.createTopic('w', 3);
      const batch = encodeBatch([{ value: Buffer.from('x') }, { value: Buffer.from('y'), timestampDelta: 10 }], { baseTimestamp: 1_000_000 });
      await withClient(t, (c) => ask(c, ApiKey.Produce, 7, produceBody('w', 0, batch)));
    });
  });
  after(async () => { await pair?.stop(); });

  it('per-partition errors and offsets of Produce, Fetch, ListOffsets, OffsetCommit agree', async () => {
    const out = await onBoth(pair, (t) => withClient(t, async (c) => {
      const batch = encodeBatch([{ value: Buffer.from('z') }]);
      const produce = async (topic: string, p: number) => (await ask(c, ApiKey.Produce, 7, produceBody(topic, p, batch))).responses;
      const fetch = async (topic: string, p: number, offset: number) => (await ask(c, ApiKey.Fetch, 11, fetchBody(topic, [[p, offset, 1 << 20]]))).responses;
      return {
        produceUnknownTopic: await produce('ghost', 0), // Produce never creates a topic
        produceUnknownPartition: await produce('w', 9),
        fetchOutOfRange: await fetch('w', 0, 100),
        fetchUnknownTopic: await fetch('ghost', 0, 0),
        latest: await ask(c, ApiKey.ListOffsets, 1, listOffsets('w', [0, 1], -1n)),
        earliestV0: await ask(c, ApiKey.ListOffsets, 0, listOffsets('w', [0], -2n)),
        unknownPartition: await ask(c, ApiKey.ListOffsets, 1, listOffsets('w', [9], -1n)),
        simpleCommit: await ask(c, ApiKey.OffsetCommit, 2, { groupId: 'simple', generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1n,
          topics: [{ name: 'w', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: 'm' }] }] }),
        committed: (await ask(c, ApiKey.OffsetFetch, 5, { groupId: 'simple', topics: [{ name: 'w', partitionIndexes: [0] }] })).topics,
      };
    }));
    assert.equal(out.mock.produceUnknownTopic[0].partitionResponses[0].errorCode, 3);
    assert.equal(out.mock.fetchOutOfRange[0].partitions[0].errorCode, 1);
    assert.equal(out.mock.latest.topics[0].partitions[0].offset, 2n);
    assert.deepEqual(out.junction, out.mock);
  });

  it('Produce LogAppendTimeMs: -1 for a CreateTime topic (Kafka, Junction); the mock says 1234', async () => {
    const out = await onBoth(pair, (t) => withClient(t, async (c) =>
      (await ask(c, ApiKey.Produce, 7, produceBody('w', 1, encodeBatch([{ value: Buffer.from('t') }])))).responses[0].partitionResponses[0]));
    // ProduceResponse.json: "If CreateTime is used for the topic, the timestamp will be -1".
    assert.deepEqual(out.junction, { ...out.mock, logAppendTimeMs: -1n });
    assert.equal(out.mock.logAppendTimeMs, 1234n);
  });

  it('ListOffsets by timestamp: the first record at or after it (Kafka, Junction); the mock says -1', async () => {
    const out = await onBoth(pair, (t) => withClient(t, async (c) =>
      (await ask(c, ApiKey.ListOffsets, 1, listOffsets('w', [0], 1_000_005n))).topics[0].partitions[0]));
    assert.deepEqual([out.junction.offset, out.junction.timestamp], [1n, 1_000_010n]);
    assert.deepEqual([out.mock.offset, out.mock.timestamp], [-1n, -1n]);
  });

  it('ListOffsets v5: LeaderEpoch is an int32 (Kafka, Junction); the mock writes 8 bytes', async () => {
    const frames = await onBoth(pair, (t) => withClient(t, async (c) => {
      c.send(ApiKey.ListOffsets, 5, listOffsets('w', [0, 1], -1n));
      return (await c.receiveRaw())!;
    }));
    // UnifiedLog.fetchOffsetByTimestamp(LATEST): the epoch of the last batch, 0 on a new partition.
    assert.equal(frames.mock.length, frames.junction.length + 2 * 4, 'four more bytes per partition');
    const decoded = await onBoth(pair, (t) => withClient(t, (c) => ask(c, ApiKey.ListOffsets, 5, listOffsets('w', [0, 1], -1n))));
    assert.deepEqual(decoded.junction.topics[0].partitions.map((p: Body) => [p.partitionIndex, p.offset, p.leaderEpoch]), [[0, 2n, 0], [1, 1n, 0]]);
    assert.notDeepEqual(decoded.mock, decoded.junction);
  });

  it('OffsetFetch of an uncommitted partition: metadata "" (Kafka, Junction); the mock says null', async () => {
    const out = await onBoth(pair, (t) => withClient(t, async (c) =>
      (await ask(c, ApiKey.OffsetFetch, 5, { groupId: 'nobody', topics: [{ name: 'w', partitionIndexes: [0] }] })).topics[0].partitions[0]));
    // OffsetMetadataManager.fetchOffsets: setCommittedOffset(INVALID_OFFSET) ... setMetadata("").
    assert.deepEqual(out.junction, { ...out.mock, metadata: '' });
    assert.deepEqual([out.mock.committedOffset, out.mock.metadata], [-1n, null]);
  });

  it('JoinGroup: v4 asks for a member id first, ids are clientId-uuid, generations start at 1 (Kafka, Junction)', async () => {
    const out = await onBoth(pair, (t) => withClient(t, async (c) => ({
      v4: await ask(c, ApiKey.JoinGroup, 4, joinBody('j4')),
      v0: await ask(c, ApiKey.JoinGroup, 0, joinBody('j0')),
    })));
    // GroupMetadataManager.classicGroupJoinNewMember: MEMBER_ID_REQUIRED when the request
    // (v4+) may carry one; ClassicGroup.generateMemberId: clientId + "-" + UUID.
    assert.equal(out.junction.v4.errorCode, MEMBER_ID_REQUIRED);
    assert.equal(out.mock.v4.errorCode, 0);
    assert.match(out.junction.v0.memberId, /^wire-test-[0-9a-f-]{36}$/);
    assert.match(out.mock.v0.memberId, /^0x[0-9a-f]+$/, 'the mock names members by a pointer');
    assert.deepEqual([out.junction.v0.generationId, out.mock.v0.generationId], [1, 2]);
  });

  it('Heartbeat, SyncGroup, LeaveGroup of an unknown group: UNKNOWN_MEMBER_ID (Kafka, Junction)', async () => {
    const out = await onBoth(pair, (t) => withClient(t, async (c) => ({
      heartbeat: (await ask(c, ApiKey.Heartbeat, 3, { groupId: 'ghost', generationId: 1, memberId: 'm', groupInstanceId: null })).errorCode,
      leave: (await ask(c, ApiKey.LeaveGroup, 1, { groupId: 'ghost', memberId: 'm' })).errorCode,
      sync: await ask(c, ApiKey.SyncGroup, 3, { groupId: 'ghost', generationId: 1, memberId: 'm', groupInstanceId: null, assignments: [] }),
    })));
    // classicGroupHeartbeat / classicGroupLeave: GroupIdNotFoundException → UnknownMemberIdException;
    // classicGroupSync: UNKNOWN_MEMBER_ID. The mock answers GROUP_ID_NOT_FOUND, and its SyncGroup
    // error carries a null Assignment, which SyncGroupResponse.json does not allow.
    assert.deepEqual([out.junction.heartbeat, out.junction.leave, out.junction.sync.errorCode], [UNKNOWN_MEMBER_ID, UNKNOWN_MEMBER_ID, UNKNOWN_MEMBER_ID]);
    assert.deepEqual([out.mock.heartbeat, out.mock.leave], [GROUP_ID_NOT_FOUND, GROUP_ID_NOT_FOUND]);
    assert.match(out.mock.sync.undecodable, /null where the field is not nullable/);
  });

  it('OffsetCommit to a group waiting for SyncGroup: member errors agree; unknown topics are UNKNOWN_TOPIC_OR_PARTITION first (Kafka, Junction)', async () => {
    const out = await onBoth(pair, (t) => withClient(t, async (c) => {
      const join = await ask(c, ApiKey.JoinGroup, 0, joinBody('active'));
      const commit = async (generation: number, memberId: string, topic = 'w', partition = 0) => (await ask(c, ApiKey.OffsetCommit, 2, {
        groupId: 'active', generationIdOrMemberEpoch: generation, memberId, retentionTimeMs: -1n,
        topics: [{ name: topic, partitions: [{ partitionIndex: partition, committedOffset: 1n, committedMetadata: '' }] }] })).topics[0].partitions[0].errorCode;
      return {
        join: join.errorCode,
        badGeneration: await commit(99, join.memberId),
        unknownMember: await commit(join.generationId, 'nobody'),
        simpleOnActive: await commit(-1, ''),
        beforeSync: await commit(join.generationId, join.memberId),
        unknownTopic: await commit(join.generationId, join.memberId, 'nosuch'),
        unknownPartition: await commit(join.generationId, join.memberId, 'w', 7),
      };
    }));
    const { unknownTopic, unknownPartition, ...mock } = out.mock;
    assert.deepEqual(mock, { join: 0, badGeneration: 22, unknownMember: UNKNOWN_MEMBER_ID, simpleOnActive: UNKNOWN_MEMBER_ID, beforeSync: 27 });
    // KafkaApis.handleOffsetCommitRequest answers an unknown topic or partition with
    // UNKNOWN_TOPIC_OR_PARTITION before the coordinator sees the request (here: REBALANCE_IN_PROGRESS,
    // the group waits for its SyncGroup); the mock checks the group first.
    assert.deepEqual([unknownTopic, unknownPartition], [27, 27]);
    assert.deepEqual(out.junction, { ...mock, unknownTopic: 3, unknownPartition: 3 });
  });

  it('Heartbeat between JoinGroup and SyncGroup: NONE (Kafka, Junction); the mock says REBALANCE_IN_PROGRESS', async () => {
    const out = await onBoth(pair, (t) => withClient(t, async (c) => {
      const join = await ask(c, ApiKey.JoinGroup, 0, joinBody('completing'));
      const heartbeat = await ask(c, ApiKey.Heartbeat, 0, { groupId: 'completing', generationId: join.generationId, memberId: join.memberId });
      const badSync = await ask(c, ApiKey.SyncGroup, 0, { groupId: 'completing', generationId: 99, memberId: join.memberId, assignments: [] });
      return { heartbeat: heartbeat.errorCode, badSync: badSync.errorCode ?? badSync.undecodable };
    }));
    // classicGroupHeartbeatToClassicGroup: "Consumers may start sending heartbeats after join-group
    // response, while the group is in CompletingRebalance state" → NONE. A SyncGroup of another
    // generation is ILLEGAL_GENERATION; the mock's error answer has a null Assignment again.
    assert.deepEqual(out.junction, { heartbeat: 0, badSync: 22 });
    assert.equal(out.mock.heartbeat, 27);
    assert.match(String(out.mock.badSync), /null where the field is not nullable/);
  });

  it('OffsetFetch v1+ of an unknown topic: -1 and NONE (Kafka, Junction); the mock says UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const out = await onBoth(pair, (t) => withClient(t, async (c) =>
      (await ask(c, ApiKey.OffsetFetch, 5, { groupId: 'nobody', topics: [{ name: 'nosuch', partitionIndexes: [0] }] })).topics[0].partitions[0]));
    // KafkaApis.fetchOffsetsForGroup checks authorization only; the v0 (ZooKeeper) path was the
    // one that answered UNKNOWN_PARTITION for a topic the metadata cache does not know.
    assert.deepEqual([out.junction.committedOffset, out.junction.errorCode], [-1n, 0]);
    assert.deepEqual([out.mock.committedOffset, out.mock.errorCode], [-1n, 3]);
  });

  it('the empty group id: OffsetCommit and OffsetFetch accept it (Kafka, Junction, mock); JoinGroup refuses it (Kafka, Junction)', async () => {
    const out = await onBoth(pair, (t) => withClient(t, async (c) => ({
      commit: (await ask(c, ApiKey.OffsetCommit, 2, { groupId: '', generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1n,
        topics: [{ name: 'w', partitions: [{ partitionIndex: 2, committedOffset: 4n, committedMetadata: '' }] }] })).topics[0].partitions[0].errorCode,
      committed: (await ask(c, ApiKey.OffsetFetch, 5, { groupId: '', topics: [{ name: 'w', partitionIndexes: [2] }] })).topics[0].partitions[0].committedOffset,
      join: (await ask(c, ApiKey.JoinGroup, 0, joinBody(''))).errorCode,
    })));
    // GroupCoordinator.isValidGroupId: OffsetCommit, OffsetFetch, DescribeGroups and DeleteGroups
    // take "" "for backwards compatibility"; the other group APIs answer INVALID_GROUP_ID (24).
    // (Junction refused the commit before this differential.)
    assert.deepEqual(out.junction, { commit: 0, committed: 4n, join: 24 });
    assert.deepEqual(out.mock, { ...out.junction, join: 0 });
  });

  it('Metadata: same brokers and topics; ControllerId 1 (Kafka, Junction), 0 from the mock (no such broker)', async () => {
    const out = await onBoth(pair, (t) => withClient(t, async (c) => {
      const body = await ask(c, ApiKey.Metadata, 2, { topics: [{ name: 'w' }] });
      return { ...body, brokers: body.brokers.map((b: Body) => ({ ...b, port: b.port === t.port ? 'PORT' : b.port })), clusterId: typeof body.clusterId } as Body;
    }));
    assert.deepEqual(out.junction, { ...out.mock, controllerId: 1 });
    assert.equal(out.mock.controllerId, 0);
    assert.equal(out.mock.topics[0].partitions.length, 3);
  });
});
