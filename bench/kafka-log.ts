/**
 * Kafka partition storage (`npm run bench:kafka-log [dir] [seconds]`): append MB/s of 16 KiB
 * record batches (16 records of 1 KiB, as a producer with batch.size=16384 sends them) to 1 and 8
 * partitions of one Storage with fsync=batch, beside the disk's sequential write bandwidth
 * measured in the same run and directory with
 *   dd if=/dev/zero of=<dir>/dd.tmp bs=1M count=256 oflag=direct conv=fdatasync
 * and the ratio. Each append goes the way a Produce does: a fresh copy of the client's bytes (the
 * request buffer), splitBatches + validateClientBatch (CRC-32C), PartitionLog.append, resolved
 * once durable. Appenders per partition: 5 (Kafka's max.in.flight.requests.per.connection) and
 * 64 (many producers). The journal (docs/storage.md) is on, as in a server; a row without it shows
 * what the double write costs (the journal writes every batch, a checkpoint writes it again to the
 * partition's segment). Then partition 0 is read back as Fetch reads it (MB/s, records/s). Also printed: commit cycles/s and journal checkpoints during the row.
 * MB = 10^6 bytes of batches (dd's unit).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/core/logger.js';
import { Storage } from '../src/core/storage/storage.js';
import { PartitionLog } from '../src/kafka/log/partition-log.js';
import { splitBatches, validateClientBatch } from '../src/kafka/log/produce-validation.js';
import { RecordBatch } from '../src/kafka/log/record-batch.js';
import { encodeBatch } from '../test/helpers/kafka-batch.js';
import { diskBandwidth } from './disk.js';

const BATCH = encodeBatch(Array.from({ length: 16 }, (_, i) => ({ key: Buffer.from(`key-${i}`), value: Buffer.alloc(1024 - 16, i) })));
const CASES = [
  { partitions: 1, inFlight: 5, journal: true }, { partitions: 1, inFlight: 64, journal: true },
  { partitions: 8, inFlight: 5, journal: true }, { partitions: 8, inFlight: 64, journal: true },
  { partitions: 8, inFlight: 64, journal: false },
];

/** Fetch side: read every batch of the partition from offset 0 in 1 MiB reads (a consumer's
 *  max.partition.fetch.bytes), as a Fetch handler would before writing the slices to a socket. */
async function measureFetch(log: PartitionLog): Promise<{ mbps: number; recordsPerSec: number }> {
  const t0 = performance.now();
  let bytes = 0;
  let records = 0;
  for (let from = log.logStartOffset; from < log.highWatermark;) {
    const { batches } = await log.read(from, 1024 * 1024);
    for (const batch of batches) bytes += batch.length;
    const last = new RecordBatch(batches[batches.length - 1]!);
    records += last.nextOffset - from;
    from = last.nextOffset;
  }
  const elapsed = (performance.now() - t0) / 1000;
  return { mbps: bytes / elapsed / 1e6, recordsPerSec: records / elapsed };
}

interface Result { fetch: { mbps: number; recordsPerSec: number }; mbps: number; batchesPerSec: number; p50: number; p99: number; cpuUsPerBatch: number; cyclesPerSec: number; checkpoints: number }

async function measure(base: string, c: typeof CASES[number], seconds: number): Promise<Result> {
  const dir = mkdtempSync(join(base, 'junction-bench-kafka-'));
  const storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger(), journal: { enabled: c.journal } });
  try {
    const logs: PartitionLog[] = [];
    for (let p = 0; p < c.partitions; p++) logs.push(await PartitionLog.open(storage, 'bench', p));
    const latencies: number[] = [];
    let stop = false;
    const appender = async (log: PartitionLog) => {
      while (!stop) {
        const t0 = performance.now();
        const [batch] = splitBatches(Buffer.from(BATCH));
        validateClientBatch(batch!, { allowZstd: true });
        await log.append(batch!);
        latencies.push(performance.now() - t0);
      }
    };
    const cycles0 = storage.scheduler.totals.cycles;
    const checkpoints0 = storage.journal?.totals.checkpoints ?? 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const timer = setTimeout(() => { stop = true; }, seconds * 1000);
    await Promise.all(logs.flatMap((log) => Array.from({ length: c.inFlight }, () => appender(log))));
    clearTimeout(timer);
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    const fetch = await measureFetch(logs[0]!);
    return { fetch, mbps: (latencies.length * BATCH.length) / elapsed / 1e6, batchesPerSec: latencies.length / elapsed, p50: at(0.5), p99: at(0.99),
      cpuUsPerBatch: (cpu.user + cpu.system) / latencies.length, cyclesPerSec: (storage.scheduler.totals.cycles - cycles0) / elapsed,
      checkpoints: (storage.journal?.totals.checkpoints ?? 0) - checkpoints0 };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function row(cells: (string | number)[]): string {
  return `| ${cells.map((c) => String(c).padStart(9)).join(' | ')} |`;
}

async function main(base: string, seconds: number): Promise<void> {
  console.log(`RecordBatch ${BATCH.length} B (16 × 1 KiB records), fsync=batch, ${seconds} s per row, data in ${base}`);
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  await measure(base, CASES[0]!, 1); // JIT and file-system warm-up
  const ddBefore = diskBandwidth(base);
  const results: Array<[typeof CASES[number], Result]> = [];
  for (const c of CASES) results.push([c, await measure(base, c, seconds)]);
  const ddAfter = diskBandwidth(base);
  const disk = (ddBefore + ddAfter) / 2;
  console.log(`disk (dd, direct I/O + fdatasync, 256 MiB): ${ddBefore.toFixed(0)} MB/s before, ${ddAfter.toFixed(0)} MB/s after, mean ${disk.toFixed(0)}\n`);
  console.log(row(['parts', 'in flight', 'journal', 'MB/s', 'batches/s', 'p50 ms', 'p99 ms', 'CPU µs/b', 'cycles/s', 'ckpts', 'of disk']));
  console.log(row(Array(11).fill('---')));
  for (const [c, r] of results) {
    console.log(row([c.partitions, `${c.inFlight}/part`, c.journal ? 'on' : 'off', r.mbps.toFixed(1), Math.round(r.batchesPerSec),
      r.p50.toFixed(2), r.p99.toFixed(2), r.cpuUsPerBatch.toFixed(0), Math.round(r.cyclesPerSec), c.journal ? r.checkpoints : '',
      `${((r.mbps / disk) * 100).toFixed(0)} %`]));
  }
  console.log('\nFetch: every batch of partition 0 read back from offset 0 in 1 MiB reads, right after its row');
  for (const [c, r] of results) {
    console.log(`  after ${c.partitions} × ${c.inFlight}/part, journal ${c.journal ? 'on ' : 'off'}: ${r.fetch.mbps.toFixed(0)} MB/s, ` +
      `${Math.round(r.fetch.recordsPerSec)} records/s (1 KiB records)`);
  }
  console.log(`\nload average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

void main(process.argv[2] ?? tmpdir(), Number(process.argv[3] ?? 3));
