// kafkajs 2.2.4 consumer groups against Junction: three consumers on a three-partition topic (one
// of them a child process), every partition assigned once; the group rebalances when one leaves
// (disconnect → LeaveGroup) and when one is killed with SIGKILL (its session expires); every record
// is consumed exactly once, in per-partition order, with commits; LAG is 0 after consuming
// everything; after a restart a new consumer resumes from the committed offsets. kafkajs heartbeats
// between fetches, so a short Fetch max wait (500 ms) lets members notice a rebalance sooner.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { AssignerProtocol, Kafka, logLevel, type Consumer } from 'kafkajs';
import { startTestServer, tempDir, type TestServer } from '../../helpers/junction.js';

const MEMBER = fileURLToPath(new URL('./kafkajs-member.js', import.meta.url));
const TOPIC = 'orders';
const GROUP = 'workers';

interface Seen { who: string; partition: number; offset: number; value: string }

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Partitions currently assigned to each member, from DescribeGroups (the assignment bytes the leader sent). */
async function assignments(kafka: Kafka): Promise<{ state: string; members: Array<{ clientId: string; clientHost: string; partitions: number[] }> }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [group] = (await admin.describeGroups([GROUP])).groups;
    return {
      state: group!.state,
      members: group!.members.map((m) => ({
        clientId: m.clientId, clientHost: m.clientHost,
        partitions: (AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[TOPIC] ?? []).sort(),
      })),
    };
  } finally {
    await admin.disconnect();
  }
}

describe('kafkajs 2.2.4 consumer groups', () => {
  const dataDir = tempDir();
  let server: TestServer;
  let child: ChildProcess | null = null;
  after(async () => {
    child?.kill('SIGKILL');
    await server?.destroy();
  });

  it('three consumers share the partitions; rebalance on leave and on kill; exactly once in order; LAG 0; resume after restart', async () => {
    server = await startTestServer({ enabled: ['kafka'], dataDir });
    let kafka = new Kafka({ clientId: 'test', brokers: [`127.0.0.1:${server.ports.kafka}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }] });
    const producer = kafka.producer();
    await producer.connect();
    const seen: Seen[] = [];
    let sent = 0;
    const produce = async (n: number): Promise<void> => {
      const messages = Array.from({ length: n }, () => ({ key: `k${sent % 7}`, value: `r${sent++}` }));
      await producer.send({ topic: TOPIC, acks: -1, messages });
    };
    const start = async (who: string): Promise<Consumer> => {
      const c = kafka.consumer({ groupId: GROUP, sessionTimeout: 6000, heartbeatInterval: 300, rebalanceTimeout: 20_000, maxWaitTimeInMs: 500 });
      await c.connect();
      await c.subscribe({ topic: TOPIC, fromBeginning: true });
      await c.run({ eachMessage: async ({ partition, message }) => { seen.push({ who, partition, offset: Number(message.offset), value: message.value!.toString() }); } });
      return c;
    };
    const committedTotal = async (): Promise<number> => {
      const [t] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
      return t!.partitions.reduce((n, p) => n + Math.max(Number(p.offset), 0), 0);
    };

    const a = await start('a');
    child = spawn(process.execPath, [MEMBER, `127.0.0.1:${server.ports.kafka}`, GROUP, TOPIC, 'c'], { stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const e = JSON.parse(line) as { record?: [number, number, string] };
      if (e.record) seen.push({ who: 'c', partition: e.record[0], offset: e.record[1], value: e.record[2] });
    });
    const b = await start('b');
    await until(async () => {
      const g = await assignments(kafka);
      return g.state === 'Stable' && g.members.length === 3 && g.members.every((m) => m.partitions.length === 1);
    }, 'three members, one partition each');
    const three = await assignments(kafka);
    assert.deepEqual(three.members.flatMap((m) => m.partitions).sort(), [0, 1, 2], 'every partition assigned once');
    assert.deepEqual(three.members.map((m) => m.clientId).sort(), ['c', 'test', 'test']);
    assert.ok(three.members.every((m) => m.clientHost === '/127.0.0.1'));

    await produce(60);
    await until(async () => seen.length >= 60 && await committedTotal() === 60, '60 records consumed and committed');
    assert.deepEqual(new Set(seen.map((s) => s.who)), new Set(['a', 'b', 'c']), 'each consumer got a share');

    await a.disconnect();
    await until(async () => {
      const g = await assignments(kafka);
      return g.state === 'Stable' && g.members.length === 2 && g.members.flatMap((m) => m.partitions).length === 3;
    }, 'the two left share the three partitions');
    await produce(60);
    await until(async () => seen.length >= 120 && await committedTotal() === 120, '120 records consumed and committed');

    child.kill('SIGKILL');
    await once(child, 'exit');
    child = null;
    // The killed member stops heartbeating: after its 6 s session the group rebalances without it.
    await until(async () => {
      const g = await assignments(kafka);
      return g.state === 'Stable' && g.members.length === 1 && g.members[0]!.partitions.length === 3;
    }, 'the last consumer holds every partition');
    await produce(60);
    await until(async () => seen.length >= 180 && await committedTotal() === 180, '180 records consumed and committed');

    const values = seen.map((s) => s.value);
    assert.equal(new Set(values).size, 180, 'no record consumed twice');
    assert.deepEqual([...values].sort(), Array.from({ length: 180 }, (_, i) => `r${i}`).sort());
    for (const p of [0, 1, 2]) {
      const offsets = seen.filter((s) => s.partition === p).map((s) => s.offset);
      assert.deepEqual(offsets, offsets.map((_, i) => i), `partition ${p}: every offset once, in order`);
    }
    const ends = await admin.fetchTopicOffsets(TOPIC);
    const [committed] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    for (const e of ends) {
      const c = committed!.partitions.find((p) => p.partition === e.partition)!;
      assert.equal(Number(e.high) - Number(c.offset), 0, `LAG of partition ${e.partition}`);
    }

    await b.disconnect();
    await producer.disconnect();
    await admin.disconnect();
    await server.stop();

    server = await startTestServer({ enabled: ['kafka'], dataDir });
    kafka = new Kafka({ clientId: 'after-restart', brokers: [`127.0.0.1:${server.ports.kafka}`], logLevel: logLevel.NOTHING });
    const p2 = kafka.producer();
    await p2.connect();
    await p2.send({ topic: TOPIC, messages: Array.from({ length: 9 }, (_, i) => ({ key: `k${i}`, value: `late${i}` })) });
    await p2.disconnect();
    const resumed: string[] = [];
    const d = kafka.consumer({ groupId: GROUP, sessionTimeout: 6000, heartbeatInterval: 300 });
    await d.connect();
    await d.subscribe({ topic: TOPIC, fromBeginning: true });
    await d.run({ eachMessage: async ({ message }) => { resumed.push(message.value!.toString()); } });
    await until(() => resumed.length >= 9, 'the records produced after the restart');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(resumed.sort(), Array.from({ length: 9 }, (_, i) => `late${i}`), 'resumed from the committed offsets, nothing older');
    await d.disconnect();
  });
});
