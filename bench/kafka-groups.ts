/**
 * Kafka consumer groups (`npm run bench:kafka-groups [seconds]`): a child `junction start --enable
 * kafka` (fsync=batch, journal on, group.initial.rebalance.delay.ms 0) on a temp data dir.
 * - OffsetCommit: one commit at a time on one connection (latency p50/p99: each is answered once
 *   durable), then 8 connections with 16 commits in flight each (commits/s).
 * - kafkajs 2.2.4: time for three consumers to form a Stable group of one generation, and for the
 *   two left to rebalance after one disconnects (LeaveGroup); these include kafkajs' own waits
 *   (heartbeat interval 300 ms, Fetch max wait 100 ms: kafkajs heartbeats between fetches).
 * No reference broker runs on this machine, so there is no ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { ApiKey } from '../src/kafka/protocol/api-keys.js';
import { killHard, startChildServer } from '../test/helpers/child-server.js';
import { WireClient } from '../test/kafka/wire-client.js';

function commitBody(group: string, offset: number): Record<string, unknown> {
  return { groupId: group, generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1n,
    topics: [{ name: 'bench', partitions: [{ partitionIndex: 0, committedOffset: BigInt(offset), committedMetadata: null }] }] };
}

function percentile(sorted: number[], p: number): number { return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!; }

async function commitLatency(port: number, count: number): Promise<{ p50: number; p99: number }> {
  const c = await WireClient.connect(port);
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await c.request(ApiKey.OffsetCommit, 7, { ...commitBody('latency', i), groupInstanceId: null });
      times.push(performance.now() - t0);
    }
  } finally {
    c.close();
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

async function commitThroughput(port: number, connections: number, inFlight: number, seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  const counts = await Promise.all(Array.from({ length: connections }, async (_, n) => {
    const c = await WireClient.connect(port);
    let acked = 0;
    let pending = 0;
    try {
      while (Date.now() < deadline || pending > 0) {
        while (pending < inFlight && Date.now() < deadline) { c.send(ApiKey.OffsetCommit, 2, commitBody(`group-${n}`, acked + pending)); pending++; }
        const r = await c.receive(ApiKey.OffsetCommit, 2);
        if (!r) throw new Error('connection closed');
        pending--;
        acked++;
      }
    } finally {
      c.close();
    }
    return acked;
  }));
  return counts.reduce((a, b) => a + b, 0) / seconds;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

async function groupTimes(port: number): Promise<{ form: number; rebalance: number }> {
  const kafka = new Kafka({ clientId: 'bench', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'grouped', numPartitions: 3 }] });
  const stableWith = (n: number) => async (): Promise<boolean> => {
    const [g] = (await admin.describeGroups(['bench-group'])).groups;
    return g!.state === 'Stable' && g!.members.length === n;
  };
  const consumers: Consumer[] = [];
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) {
    const c = kafka.consumer({ groupId: 'bench-group', sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
    consumers.push(c);
    await c.connect();
    await c.subscribe({ topic: 'grouped', fromBeginning: true });
    await c.run({ eachMessage: async () => {} });
  }
  await until(stableWith(3));
  const form = performance.now() - t0;
  const t1 = performance.now();
  await consumers.pop()!.disconnect();
  await until(stableWith(2));
  const rebalance = performance.now() - t1;
  for (const c of consumers) await c.disconnect();
  await admin.disconnect();
  return { form, rebalance };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-bench-groups-'));
  const server = await startChildServer(['--enable', 'kafka', '--data-dir', dataDir, '--log-format', 'json', '--kafka-group-initial-rebalance-delay-ms', '0']);
  try {
    const port = server.ports.kafka!;
    const c = await WireClient.connect(port);
    await c.request(ApiKey.CreateTopics, 4, { topics: [{ name: 'bench', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
    c.close();
    console.log(`kafka groups bench: fsync=batch, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const { p50, p99 } = await commitLatency(port, 2000);
    console.log(`OffsetCommit one at a time (durable):  p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms`);
    console.log(`OffsetCommit 8 connections x 16 in flight: ${(await commitThroughput(port, 8, 16, seconds)).toFixed(0)} commits/s`);
    const { form, rebalance } = await groupTimes(port);
    console.log(`kafkajs: 3 consumers Stable after ${form.toFixed(0)} ms; 2 left Stable ${rebalance.toFixed(0)} ms after one disconnects`);
  } finally {
    await killHard(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
