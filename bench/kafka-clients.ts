/**
 * Kafka with real clients (`npm run bench:kafka-clients [scale]`), issue 9 §7. A child
 * `junction start --enable kafka` (fsync=batch) on a temp data dir of the same file system as
 * dd's reference; the clients are other processes:
 * - producer: kcat -P (librdkafka 2.0.2) sending N records of 100 B or 1 KiB from a file, acks=1 and
 *   all, to 1 and 8 partitions (keyless records spread by librdkafka's partitioner), no compression;
 *   time from start to kcat's exit, which waits for every delivery report. The server's CPU seconds
 *   (from /proc) are printed beside it.
 * - consumer: kcat -C -e from the beginning of each topic just written, output to /dev/null;
 * - kafkajs 2.2.4 producer (in this process): sendBatch of 1,000 records, 4 in flight;
 * - end to end: a paced confluent-kafka producer (10k records/s, linger.ms=0, acks=1) and kcat -C -u
 *   reading from the end; latency = receive time − the send time written in each record;
 * - RSS of the fresh server with 1,000 partitions (one topic, one 16 KiB batch written to each), and
 *   again after everything above.
 * Reference beside the figures: dd's direct-I/O sequential write bandwidth (before and after) and
 * the published Kafka figures (Kreps 2014: 821,557 records/s = 78.3 MB/s for one producer of 100 B
 * records with no replication; consumer 940,521 records/s; end-to-end p99 3 ms). MB = 10^6 bytes
 * of record values. `scale` multiplies the record counts (default 1: 1M × 100 B, 300k × 1 KiB).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { ApiKey } from '../src/kafka/protocol/api-keys.js';
import { killHard, startChildServer } from '../test/helpers/child-server.js';
import { encodeBatch, valueRecords } from '../test/helpers/kafka-batch.js';
import { PYTHON } from '../test/helpers/python.js';
import { produceBody, WireClient } from '../test/kafka/wire-client.js';
import { diskBandwidth } from './disk.js';

const E2E_PRODUCER = fileURLToPath(new URL('../../test/compat/kafka/py/e2e_producer.py', import.meta.url));

function run(cmd: string, args: string[], stdout: 'ignore' | number = 'ignore'): Promise<number> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', stdout, 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  return once(child, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr}`);
    return (performance.now() - t0) / 1000;
  });
}

/** User + system CPU seconds of a process so far (/proc/<pid>/stat fields 14 and 15). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** N lines of `size` bytes (without the newline) of printable text. */
function recordFile(dir: string, size: number, count: number): string {
  const file = join(dir, `records-${size}.txt`);
  const line = Buffer.alloc(size + 1);
  for (let i = 0; i < size; i++) line[i] = 0x61 + (i % 26);
  line[size] = 0x0a;
  const chunk = Buffer.concat(Array.from({ length: 1000 }, () => line));
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < count; written += 1000) writeFileSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return file;
}

async function createTopic(port: number, name: string, partitions: number): Promise<void> {
  const c = await WireClient.connect(port);
  try {
    const { body } = await c.request(ApiKey.CreateTopics, 4, {
      topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false,
    });
    const code = (body.topics as Array<{ errorCode: number }>)[0]!.errorCode;
    if (code !== 0) throw new Error(`CreateTopics ${name}: error ${code}`);
  } finally {
    c.close();
  }
}

const mb = (records: number, size: number, s: number): string => (records * size / s / 1e6).toFixed(1);
const kr = (records: number, s: number): string => `${(records / s / 1000).toFixed(0)}k`;

async function kcatRows(bootstrap: string, port: number, pid: number, dir: string, scale: number): Promise<void> {
  console.log('\n| client | records | acks | partitions | produce rec/s | MB/s | server CPU s/100 MB | consume rec/s (kcat -C) | MB/s |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const devNull = openSync('/dev/null', 'w');
  try {
    for (const size of [100, 1024]) {
      const count = Math.round((size === 100 ? 1_000_000 : 300_000) * scale);
      const file = recordFile(dir, size, count);
      for (const acks of ['1', 'all']) {
        for (const partitions of [1, 8]) {
          const topic = `kcat-${size}-${acks}-${partitions}`;
          await createTopic(port, topic, partitions);
          const cpu0 = cpuSeconds(pid);
          const produceS = await run('kcat', ['-P', '-b', bootstrap, '-t', topic, '-X', `acks=${acks}`, '-X', 'linger.ms=5',
            '-X', 'queue.buffering.max.kbytes=1048576', '-X', 'batch.size=1000000', '-l', file]);
          const cpuPer100MB = (cpuSeconds(pid) - cpu0) / (count * size / 1e8);
          const consumeS = await run('kcat', ['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n'], devNull);
          console.log(`| kcat | ${count} × ${size} B | ${acks} | ${partitions} | ${kr(count, produceS)} | ${mb(count, size, produceS)} | ` +
            `${cpuPer100MB.toFixed(2)} | ${kr(count, consumeS)} | ${mb(count, size, consumeS)} |`);
        }
      }
      rmSync(file);
    }
  } finally {
    closeSync(devNull);
  }
}

async function kafkajsRow(bootstrap: string, port: number, seconds: number): Promise<void> {
  await createTopic(port, 'kafkajs', 1);
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'bench', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const messages = Array.from({ length: 1000 }, () => ({ value: Buffer.alloc(100, 0x61) }));
  let sent = 0;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (performance.now() < deadline) {
      await producer.send({ topic: 'kafkajs', acks: -1, messages });
      sent += messages.length;
    }
  }));
  const s = (performance.now() - t0) / 1000;
  await producer.disconnect();
  console.log(`\nkafkajs producer, 100 B records, acks=all, batches of 1,000, 4 in flight: ${kr(sent, s)} records/s, ${mb(sent, 100, s)} MB/s`);
}

async function endToEnd(bootstrap: string, port: number, rate: number, seconds: number): Promise<void> {
  await createTopic(port, 'e2e', 1);
  const consumer = spawn('kcat', ['-C', '-b', bootstrap, '-t', 'e2e', '-o', 'end', '-u', '-q', '-f', '%s\n'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const latencies: number[] = [];
  createInterface({ input: consumer.stdout! }).on('line', (line) => {
    const nowUs = (performance.timeOrigin + performance.now()) * 1000;
    latencies.push((nowUs - Number(line.trim())) / 1000);
  });
  await new Promise((r) => setTimeout(r, 2000)); // kcat has connected and sits at the end
  await run(PYTHON, [E2E_PRODUCER, bootstrap, 'e2e', String(rate), String(seconds)]);
  await new Promise((r) => setTimeout(r, 1000));
  consumer.kill();
  latencies.sort((a, b) => a - b);
  const q = (p: number): string => (latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN).toFixed(2);
  console.log(`\nend to end (confluent-kafka producer at ${rate}/s, linger.ms=0, acks=1 → kcat -C): ${latencies.length} of ${rate * seconds} records, ` +
    `p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1 - 1e-9)} ms (Kreps 2014: p99 3 ms)`);
}

async function rssWithPartitions(port: number, pid: number, partitions: number): Promise<void> {
  const before = rssMiB(pid);
  await createTopic(port, 'wide', partitions);
  const c = await WireClient.connect(port);
  try {
    const batch = encodeBatch(valueRecords(16, 1000, 'w'));
    for (let p = 0; p < partitions; p++) c.send(ApiKey.Produce, 7, produceBody('wide', p, batch, 1));
    for (let p = 0; p < partitions; p++) await c.receive(ApiKey.Produce, 7);
  } finally {
    c.close();
  }
  await new Promise((r) => setTimeout(r, 1000));
  console.log(`RSS with ${partitions} partitions (one 16 KiB batch each): ${rssMiB(pid).toFixed(0)} MiB, ${before.toFixed(0)} MiB before them (target < 150 MB)`);
}

async function main(): Promise<void> {
  const scale = Number(process.argv[2] ?? 1);
  const base = tmpdir();
  console.log(`kafka clients bench: ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, data in ${base}`);
  const ddBefore = diskBandwidth(base, 512);
  const dir = mkdtempSync(join(base, 'junction-bench-kafka-clients-'));
  const server = await startChildServer(['--enable', 'kafka', '--data-dir', dir, '--log-format', 'json']);
  try {
    const port = server.ports.kafka!;
    const bootstrap = `127.0.0.1:${port}`;
    const pid = server.child.pid!;
    console.log(`idle RSS ${rssMiB(pid).toFixed(0)} MiB`);
    await rssWithPartitions(port, pid, 1000);
    await kcatRows(bootstrap, port, pid, dir, scale);
    await kafkajsRow(bootstrap, port, 5);
    await endToEnd(bootstrap, port, 10_000, 10);
    console.log(`\nRSS after all of the above: ${rssMiB(pid).toFixed(0)} MiB`);
  } finally {
    await killHard(server);
    rmSync(dir, { recursive: true, force: true });
  }
  const ddAfter = diskBandwidth(base, 512);
  const buffered = diskBandwidth(base, 512, false);
  console.log(`\ndisk (dd, direct I/O + fdatasync, 512 MiB): ${ddBefore.toFixed(0)} MB/s before, ${ddAfter.toFixed(0)} MB/s after; ` +
    `60 % of the mean = ${(0.3 * (ddBefore + ddAfter)).toFixed(0)} MB/s; through the page cache (dd without oflag=direct): ${buffered.toFixed(0)} MB/s`);
  console.log('published Kafka (Kreps 2014, 3 machines, 6 × 7200 rpm disks each): producer 821,557 rec/s (78.3 MB/s) of 100 B, consumer 940,521 rec/s, e2e p99 3 ms');
  console.log(`load at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

await main();
