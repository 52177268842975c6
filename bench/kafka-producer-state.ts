/**
 * Start time of a big Kafka partition with idempotent producers
 * (`node dist/bench/kafka-producer-state.js [dir] [GiB=2] [segmentMiB=1024]`): a partition is
 * filled with 16 KiB batches of 8 idempotent producers (fsync=never, to fill it quickly), then
 * PartitionLog.open is timed when
 *   - the last stop was clean (a producer-state snapshot at the log end: nothing replayed),
 *   - the last stop left no final snapshot (as after kill -9: the newest periodic snapshot, at
 *     most 64 MiB behind, plus a replay of the batches after it),
 *   - there is no snapshot at all (Kafka's LogLoader fallback: the last two segments replayed),
 * beside a full read of the partition in the same run (what rebuilding from the whole log would
 * cost) and the ratio. The page cache is warm (the partition was just written); a cold start reads
 * the replayed bytes from disk as well.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/core/logger.js';
import { Storage } from '../src/core/storage/storage.js';
import { PartitionLog } from '../src/kafka/log/partition-log.js';
import { RecordBatch } from '../src/kafka/log/record-batch.js';
import { encodeBatch } from '../test/helpers/kafka-batch.js';

const root = mkdtempSync(join(process.argv[2] ?? tmpdir(), 'junction-bench-pstate-'));
const totalBytes = Number(process.argv[3] ?? 2) * 1024 ** 3;
const segmentBytes = Number(process.argv[4] ?? 1024) * 1024 ** 2;
const PRODUCERS = 8;
const RECORDS = 16;
const template = (pid: number, seq: number): Buffer => encodeBatch(
  Array.from({ length: RECORDS }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.alloc(1000, i) })),
  { producerId: pid, producerEpoch: 0, baseSequence: seq },
);

const storage = (): Storage => new Storage({ dataDir: root, fsync: 'never', logger: silentLogger() });

async function fill(): Promise<number> {
  const s = storage();
  const log = await PartitionLog.open(s, 'big', 0, { segmentBytes });
  const seq = new Array<number>(PRODUCERS).fill(0);
  let written = 0;
  let pending: Promise<unknown>[] = [];
  for (let i = 0; written < totalBytes; i++) {
    const pid = i % PRODUCERS;
    const bytes = template(pid, seq[pid]!);
    seq[pid]! += RECORDS;
    written += bytes.length;
    pending.push(log.append(new RecordBatch(bytes)));
    if (pending.length >= 256) { await Promise.all(pending); pending = []; }
  }
  await Promise.all(pending);
  await log.close();
  await s.close();
  return written;
}

async function timedOpen(label: string): Promise<number> {
  const s = storage();
  const t0 = performance.now();
  const log = await PartitionLog.open(s, 'big', 0, { segmentBytes });
  const ms = performance.now() - t0;
  const r = log.producerRebuild;
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms   state from ${r.from}, replayed ${r.batches} batches ` +
    `(${(r.bytes / 1e6).toFixed(1)} MB) from offset ${r.replayFrom}; ${log.producerCount} producers`);
  // Without log.close() no snapshot is written at the log end: the next open sees the periodic ones.
  await s.close();
  return ms;
}

async function fullRead(): Promise<number> {
  const s = storage();
  const log = await PartitionLog.open(s, 'big', 0, { segmentBytes });
  const t0 = performance.now();
  let bytes = 0;
  for (let from = log.logStartOffset; from < log.highWatermark;) {
    const { batches } = await log.read(from, 4 * 1024 * 1024);
    for (const b of batches) bytes += b.length;
    from = new RecordBatch(batches[batches.length - 1]!).nextOffset;
  }
  const ms = performance.now() - t0;
  console.log(`${'full read of the partition'.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms   ${(bytes / 1e6).toFixed(0)} MB`);
  await s.close();
  return ms;
}

try {
  const written = await fill();
  const dir = join(root, 'kafka', 'big-0');
  console.log(`partition: ${(written / 1e6).toFixed(0)} MB in ${readdirSync(join(dir, 'log')).filter((f) => f.endsWith('.log')).length} segments of ` +
    `${segmentBytes / 1024 ** 2} MiB, ${PRODUCERS} idempotent producers`);
  const clean = await timedOpen('open after a clean stop');
  // As after kill -9: the snapshot the clean close wrote at the log end is not there.
  const snapshots = readdirSync(dir).filter((f) => f.endsWith('.producer-snapshot')).sort();
  rmSync(join(dir, snapshots[snapshots.length - 1]!));
  const crash = await timedOpen('open without a final snapshot');
  for (const f of readdirSync(dir)) if (f.endsWith('.producer-snapshot')) rmSync(join(dir, f));
  const none = await timedOpen('open with no snapshot at all');
  const full = await fullRead();
  console.log(`ratios to the full read: clean ${(clean / full).toFixed(3)}, no final snapshot ${(crash / full).toFixed(3)}, no snapshot ${(none / full).toFixed(3)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
