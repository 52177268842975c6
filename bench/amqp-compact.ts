/**
 * Compaction behind a live head (`npm run bench:amqp-compact [messages] [dir]`, issue 10 §3): one
 * durable queue store (8 MiB segments, fsync=batch) whose first message stays live, as a consumer
 * holding it unacked keeps it, while `messages` (default 1M) × 1 KB are appended (1000 in flight)
 * and each is removed once stored. Per run: bytes of the message log and of the ack log at the end,
 * the largest message log seen, appends+removes per second, the process's CPU seconds, the event
 * loop's longest stall, and the time and segments of the compactions. The reference, in the
 * same process and alternated with it: the same store with compaction beyond the prefix switched
 * off (what the store did before: one live head pins every later segment). Then the same with one
 * message of every HELD_EVERY (about one a segment) kept live too, against the store without
 * rewrites of partly live segments (gaps only). First, the main-thread cost alone: 32 closed 8 MiB
 * segments replaced by gaps against deleted (`messages` 0: only that).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { silentLogger } from '../src/core/logger.js';
import type { RawLog } from '../src/core/storage/storage.js';
import { Storage } from '../src/core/storage/storage.js';
import { QueueMessageStore, queueStoreName } from '../src/amqp/store/queue-store.js';
import type { StoredMessage } from '../src/amqp/store/message-record.js';

const messages = Number(process.argv[2] ?? 1_000_000);
const root = process.argv[3] ?? tmpdir();
const RUNS = 3;
const IN_FLIGHT = 1000;

function message(): StoredMessage {
  return { exchange: 'amq.direct', routingKey: 'bench', properties: { deliveryMode: 2 }, body: Buffer.alloc(1024, 7) };
}

function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** One 1 KB message record of about 1.1 KB: 7,000 fill about one 8 MiB segment. */
const HELD_EVERY = 7000;

/** Compaction beyond the prefix: none, gaps for dead segments only (merged when adjacent; partly
 *  live segments not rewritten, as before 2026-12-06), or gaps and rewrites (the store as it is). */
type Mode = 'prefix only' | 'gaps only' | 'gaps and rewrites';

interface Result { msgsFiles: number; msgsBytes: number; largest: number; acksBytes: number; perSecond: number; cpuSeconds: number; stallMs: number; compactMs: number; gaps: number }

async function run(mode: Mode, scattered: boolean): Promise<Result> {
  const dir = mkdtempSync(join(root, 'junction-bench-compact-'));
  const storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
  const queueDir = join(dir, ...queueStoreName('/', 'pinned').split('/'));
  try {
    const store = await QueueMessageStore.open(storage, '/', 'pinned');
    await store.append(message()); // the head: never removed
    // Reach the open raw log to time its compactions (or switch them off for the reference).
    const log = (store as unknown as { msgs: { current: RawLog } }).msgs.current;
    const compactSegments = log.compactSegments.bind(log);
    let compactMs = 0;
    let replaced = 0;
    log.compactSegments = mode === 'prefix only'
      ? async () => 0
      : async (isDead, keepIn) => {
        const t = performance.now();
        const n = await compactSegments(isDead, mode === 'gaps only' ? undefined : keepIn);
        compactMs += performance.now() - t;
        replaced += n;
        return n;
      };
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let issued = 0;
    let largest = 0;
    const worker = async () => {
      while (issued < messages) {
        issued++;
        const kept = scattered && issued % HELD_EVERY === 0;
        const location = await store.append(message());
        if (!kept) await store.remove(location);
        if (issued % 50_000 === 0) largest = Math.max(largest, dirBytes(join(queueDir, 'msgs', 'log')));
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    stalls.disable();
    await store.compact();
    const msgsBytes = dirBytes(join(queueDir, 'msgs', 'log'));
    const msgsFiles = readdirSync(join(queueDir, 'msgs', 'log')).filter((f) => f.endsWith('.log')).length;
    const acksBytes = dirBytes(join(queueDir, 'acks', 'log'));
    await store.close();
    return {
      msgsFiles, msgsBytes, largest: Math.max(largest, msgsBytes), acksBytes, perSecond: messages / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6,
      stallMs: stalls.max / 1e6, compactMs, gaps: replaced,
    };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const MiB = (b: number) => (b / 1024 / 1024).toFixed(1);

/** Main-thread cost alone: a raw log of SEGMENTS closed 8 MiB segments of 1 KB records, all of
 *  them replaced by gaps, against deleting as many (deleteBefore, prefix compaction's step). */
const SEGMENTS = 32;
async function isolated(gaps: boolean): Promise<{ wallMs: number; activeMs: number; stallMs: number }> {
  const dir = mkdtempSync(join(root, 'junction-bench-compact-raw-'));
  const storage = new Storage({ dataDir: dir, fsync: 'never', logger: silentLogger() });
  try {
    const log = await storage.rawLog('raw', { log: { segmentBytes: 8 * 1024 * 1024 } });
    const record = Buffer.alloc(1024, 7);
    while (log.segmentBases.length <= SEGMENTS) await Promise.all(Array.from({ length: 1000 }, () => log.append(record)));
    const end = log.segmentBases[SEGMENTS]!;
    const stalls = monitorEventLoopDelay({ resolution: 1 });
    stalls.enable();
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    const done = gaps ? await log.compactSegments((_, to) => to <= end) : await log.deleteBefore(end);
    const wallMs = performance.now() - t0;
    const elu = performance.eventLoopUtilization(elu0);
    stalls.disable();
    if (done !== SEGMENTS) throw new Error(`${done} segments compacted, expected ${SEGMENTS}`);
    return { wallMs, activeMs: elu.active, stallMs: stalls.max / 1e6 };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`${SEGMENTS} closed 8 MiB segments of 1 KB records, nothing else running`);
  console.log('| run | step | wall ms | event loop active ms | per segment active ms | longest loop stall ms |');
  console.log('|---|---|---|---|---|---|');
  for (let i = 1; i <= RUNS; i++) {
    for (const gaps of [false, true]) {
      const r = await isolated(gaps);
      console.log(`| ${i} | ${gaps ? 'compactSegments (gaps)' : 'deleteBefore (unlink)'} | ${r.wallMs.toFixed(0)} | ${r.activeMs.toFixed(1)} | ` +
        `${(r.activeMs / SEGMENTS).toFixed(2)} | ${r.stallMs.toFixed(1)} |`);
    }
  }
  if (messages === 0) return;
  for (const scattered of [false, true]) {
    console.log(scattered
      ? `${messages} × 1 KB appended and removed behind one live head, one of every ${HELD_EVERY} kept live too, 8 MiB segments, fsync=batch, ${IN_FLIGHT} in flight`
      : `${messages} × 1 KB appended and removed behind one live head, 8 MiB segments, fsync=batch, ${IN_FLIGHT} in flight`);
    console.log('| run | compaction | msgs/ at end MiB (segment files) | largest msgs/ MiB | acks/ MiB | append+remove/s | CPU s | longest loop stall ms | compaction ms (segments) |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    const modes: Mode[] = scattered ? ['gaps only', 'gaps and rewrites'] : ['prefix only', 'gaps and rewrites'];
    for (let i = 1; i <= RUNS; i++) {
      for (const mode of modes) {
        const r = await run(mode, scattered);
        console.log(`| ${i} | ${mode} | ${MiB(r.msgsBytes)} (${r.msgsFiles}) | ${MiB(r.largest)} | ${MiB(r.acksBytes)} | ${Math.round(r.perSecond)} | ` +
          `${r.cpuSeconds.toFixed(1)} | ${r.stallMs.toFixed(1)} | ${mode === 'prefix only' ? '-' : `${r.compactMs.toFixed(0)} (${r.gaps})`} |`);
      }
    }
  }
}

void main();
