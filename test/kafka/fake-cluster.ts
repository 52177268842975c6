/**
 * Handlers that make FakeBroker enough of a Kafka for a real client to produce, then consume in a
 * one-member group: an in-memory list of record batches per partition (base offsets patched as the
 * broker does, bytes otherwise verbatim) and a group that accepts its only member. Test scaffolding
 * for the codec; the real storage and group coordinator are other modules.
 */
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { fakeAdminHandlers } from './fake-admin.js';
import { clusterHandlers, type FakeBroker, type FakeHandler } from './fake-broker.js';

type Rows = Record<string, unknown>[];

class FakeLog {
  private readonly batches = new Map<string, Buffer[]>();
  private readonly ends = new Map<string, bigint>();

  end(topic: string, partition: number): bigint { return this.ends.get(`${topic}/${partition}`) ?? 0n; }

  /** Appends every RecordBatch in `records`: baseOffset := log end, next end := base + lastOffsetDelta + 1. */
  append(topic: string, partition: number, records: Buffer): bigint {
    const key = `${topic}/${partition}`;
    const base = this.end(topic, partition);
    let next = base;
    for (let at = 0; at + 12 <= records.length;) {
      const size = 12 + records.readInt32BE(at + 8);
      const batch = Buffer.from(records.subarray(at, at + size));
      batch.writeBigInt64BE(next, 0);
      next += BigInt(batch.readInt32BE(23)) + 1n;
      this.batches.set(key, [...this.batches.get(key) ?? [], batch]);
      at += size;
    }
    this.ends.set(key, next);
    return base;
  }

  /** The batches holding offsets ≥ `offset`. */
  read(topic: string, partition: number, offset: bigint): Buffer {
    const hit = (this.batches.get(`${topic}/${partition}`) ?? []).filter((b) => b.readBigInt64BE(0) + BigInt(b.readInt32BE(23)) >= offset);
    return Buffer.concat(hit);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function logHandlers(log: FakeLog): [number, FakeHandler][] {
  const produce: FakeHandler = ({ body }) => {
    const responses = (body.topicData as Rows).map((t) => ({
      name: t.name,
      partitionResponses: (t.partitionData as Rows).map((p) => ({
        index: p.index, errorCode: 0, baseOffset: log.append(t.name as string, p.index as number, (p.records as Buffer | null) ?? Buffer.alloc(0)),
      })),
    }));
    return body.acks === 0 ? 'silent' : { responses };
  };
  const fetch: FakeHandler = async ({ body }) => {
    const answer = () => (body.topics as Rows).map((t) => ({
      topic: t.topic,
      partitions: (t.partitions as Rows).map((p) => ({
        partitionIndex: p.partition, errorCode: 0, highWatermark: log.end(t.topic as string, p.partition as number),
        lastStableOffset: log.end(t.topic as string, p.partition as number), logStartOffset: 0n, abortedTransactions: null,
        records: log.read(t.topic as string, p.partition as number, p.fetchOffset as bigint),
      })),
    }));
    let responses = answer();
    const empty = responses.every((t) => t.partitions.every((p) => p.records.length === 0));
    // Long-poll a little (bounded) so an idle consumer does not spin.
    if (empty) { await sleep(Math.min(body.maxWaitMs as number, 200)); responses = answer(); }
    return { responses, sessionId: 0 };
  };
  const listOffsets: FakeHandler = ({ header, body }) => ({
    topics: (body.topics as Rows).map((t) => ({
      name: t.name,
      partitions: (t.partitions as Rows).map((p) => {
        const offset = p.timestamp === -2n ? 0n : log.end(t.name as string, p.partitionIndex as number);
        // v0 answers a list of offsets; v1+ one offset and its timestamp (ListOffsetsResponse.json).
        if (header.requestApiVersion === 0) return { partitionIndex: p.partitionIndex, errorCode: 0, oldStyleOffsets: [offset] };
        return { partitionIndex: p.partitionIndex, errorCode: 0, timestamp: -1n, offset };
      }),
    })),
  });
  return [[ApiKey.Produce, produce], [ApiKey.Fetch, fetch], [ApiKey.ListOffsets, listOffsets]];
}

function groupHandlers(): [number, FakeHandler][] {
  let generation = 0;
  const committed = new Map<string, bigint>();
  const findCoordinator: FakeHandler = (_r, broker: FakeBroker) => ({ errorCode: 0, nodeId: 0, host: '127.0.0.1', port: broker.port });
  const joinGroup: FakeHandler = ({ header, body }) => {
    const protocols = body.protocols as Rows;
    // KIP-394: from v4 a member without an id is given one and must join again.
    if (body.memberId === '' && header.requestApiVersion >= 4) return { errorCode: 79, memberId: 'member-1', protocolName: '', leader: '' };
    const memberId = body.memberId === '' ? 'member-1' : body.memberId as string;
    generation++;
    return {
      errorCode: 0, generationId: generation, protocolName: protocols[0]!.name, leader: memberId, memberId,
      members: [{ memberId, metadata: protocols[0]!.metadata }],
    };
  };
  const syncGroup: FakeHandler = ({ body }) => {
    const mine = (body.assignments as Rows).find((a) => a.memberId === body.memberId);
    return { errorCode: 0, assignment: mine?.assignment ?? Buffer.alloc(0) };
  };
  const offsetCommit: FakeHandler = ({ body }) => ({
    topics: (body.topics as Rows).map((t) => ({
      name: t.name,
      partitions: (t.partitions as Rows).map((p) => {
        committed.set(`${t.name}/${p.partitionIndex}`, p.committedOffset as bigint);
        return { partitionIndex: p.partitionIndex, errorCode: 0 };
      }),
    })),
  });
  const offsetFetch: FakeHandler = ({ body }) => ({
    topics: ((body.topics as Rows | null) ?? []).map((t) => ({
      name: t.name,
      partitions: (t.partitionIndexes as number[]).map((partitionIndex) => ({
        partitionIndex, committedOffset: committed.get(`${t.name}/${partitionIndex}`) ?? -1n, metadata: '', errorCode: 0,
      })),
    })),
  });
  const leaveGroup: FakeHandler = ({ body }) => ({
    errorCode: 0, members: ((body.members as Rows | undefined) ?? []).map((m) => ({ ...m, errorCode: 0 })),
  });
  return [
    [ApiKey.FindCoordinator, findCoordinator], [ApiKey.JoinGroup, joinGroup], [ApiKey.SyncGroup, syncGroup],
    [ApiKey.Heartbeat, () => ({ errorCode: 0 })], [ApiKey.LeaveGroup, leaveGroup],
    [ApiKey.OffsetCommit, offsetCommit], [ApiKey.OffsetFetch, offsetFetch],
  ];
}

/** Every handler for one broker holding `topics` (name → partition count; admin requests change it). */
export function fakeClusterHandlers(initialTopics: Record<string, number>): Map<number, FakeHandler> {
  const topics = { ...initialTopics };
  return new Map([...clusterHandlers(topics), ...logHandlers(new FakeLog()), ...groupHandlers(), ...fakeAdminHandlers(topics)]);
}
