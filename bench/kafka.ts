/**
 * Kafka over the wire (`npm run bench:kafka [seconds]`): a child `junction start --enable kafka`
 * (fsync=batch, journal on) on a temp data dir, and in this process raw-socket producers and a
 * consumer (test/kafka/wire-client.ts). Produce: 16 KiB batches (16 records of 1 KiB, as a
 * producer with batch.size=16384 sends them), acks=1, 5 requests in flight per connection
 * (max.in.flight.requests.per.connection), 1 and 4 connections each on its own partition. Fetch:
 * the whole produced log read back with 1 MiB per request. Beside them, the same batches appended
 * straight to PartitionLogs in this process (the storage ceiling, as bench:kafka-log measures it)
 * and the ratio wire / storage. MB = 10^6 bytes of batches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/core/logger.js';
import { Storage } from '../src/core/storage/storage.js';
import { PartitionLog } from '../src/kafka/log/partition-log.js';
import { splitBatches, validateClientBatch } from '../src/kafka/log/produce-validation.js';
import { ApiKey } from '../src/kafka/protocol/api-keys.js';
import { killHard, startChildServer } from '../test/helpers/child-server.js';
import { encodeBatch } from '../test/helpers/kafka-batch.js';
import { fetchBody, firstPartition, produceBody, WireClient } from '../test/kafka/wire-client.js';

const BATCH = encodeBatch(Array.from({ length: 16 }, (_, i) => ({ key: Buffer.from(`key-${i}`), value: Buffer.alloc(1024 - 16, i) })));
const IN_FLIGHT = 5;

async function produceOver(port: number, topic: string, partition: number, seconds: number): Promise<number> {
  const c = await WireClient.connect(port);
  let acked = 0;
  const deadline = Date.now() + seconds * 1000;
  const body = produceBody(topic, partition, BATCH, 1);
  let inFlight = 0;
  try {
    while (Date.now() < deadline || inFlight > 0) {
      while (inFlight < IN_FLIGHT && Date.now() < deadline) { c.send(ApiKey.Produce, 7, body); inFlight++; }
      const r = await c.receive(ApiKey.Produce, 7);
      if (!r || firstPartition(r.body).errorCode !== 0) throw new Error('produce failed');
      inFlight--;
      acked++;
    }
  } finally {
    c.close();
  }
  return acked;
}

async function fetchAll(port: number, topic: string, partition: number, end: number): Promise<{ bytes: number; seconds: number }> {
  const c = await WireClient.connect(port);
  const t0 = performance.now();
  let offset = 0;
  let bytes = 0;
  try {
    while (offset < end) {
      const p = firstPartition((await c.request(ApiKey.Fetch, 11, fetchBody(topic, [[partition, offset, 1 << 20]], { maxBytes: 1 << 20 }))).body);
      const records = p.records as Buffer;
      bytes += records.length;
      // Walk the batches: base offset + last offset delta + 1.
      for (let at = 0; at + 61 <= records.length; at += 12 + records.readInt32BE(at + 8)) offset = Number(records.readBigInt64BE(at)) + records.readInt32BE(at + 23) + 1;
    }
  } finally {
    c.close();
  }
  return { bytes, seconds: (performance.now() - t0) / 1000 };
}

async function storageCeiling(base: string, partitions: number, seconds: number): Promise<number> {
  const dir = mkdtempSync(join(base, 'junction-bench-kafka-storage-'));
  const storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
  let appended = 0;
  try {
    const logs: PartitionLog[] = [];
    for (let p = 0; p < partitions; p++) logs.push(await PartitionLog.open(storage, 'bench', p));
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(logs.flatMap((log) => Array.from({ length: IN_FLIGHT }, async () => {
      while (Date.now() < deadline) {
        const [batch] = splitBatches(Buffer.from(BATCH));
        validateClientBatch(batch!, { allowZstd: true });
        await log.append(batch!);
        appended++;
      }
    })));
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return appended;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const base = tmpdir();
  console.log(`kafka wire bench: ${seconds}s per row, ${BATCH.length}-byte batches, ${IN_FLIGHT} in flight per connection, ` +
    `${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('connections  produce MB/s  batches/s  storage MB/s  wire/storage  fetch MB/s');
  for (const connections of [1, 4]) {
    const dataDir = mkdtempSync(join(base, 'junction-bench-kafka-'));
    const server = await startChildServer(['--enable', 'kafka', '--data-dir', dataDir, '--log-format', 'json', '--kafka-num-partitions', String(connections)]);
    try {
      const port = server.ports.kafka!;
      const setup = await WireClient.connect(port);
      await setup.request(ApiKey.Metadata, 4, { topics: [{ name: 'bench' }], allowAutoTopicCreation: true });
      setup.close();
      const t0 = performance.now();
      const acked = await Promise.all(Array.from({ length: connections }, (_, p) => produceOver(port, 'bench', p, seconds)));
      const elapsed = (performance.now() - t0) / 1000;
      const total = acked.reduce((a, b) => a + b, 0);
      const produceMbps = (total * BATCH.length) / elapsed / 1e6;
      const fetched = await fetchAll(port, 'bench', 0, acked[0]! * 16);
      const ceiling = (await storageCeiling(base, connections, seconds)) * BATCH.length / seconds / 1e6;
      console.log(`${String(connections).padStart(11)}  ${produceMbps.toFixed(1).padStart(12)}  ${(total / elapsed).toFixed(0).padStart(9)}  ` +
        `${ceiling.toFixed(1).padStart(12)}  ${(produceMbps / ceiling).toFixed(2).padStart(12)}  ${(fetched.bytes / fetched.seconds / 1e6).toFixed(1).padStart(10)}`);
    } finally {
      await killHard(server);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

await main();
