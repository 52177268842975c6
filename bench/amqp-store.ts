/**
 * AMQP queue store (`npm run bench:amqp-store [dir]`): persistent 1 KB appends/s through
 * QueueMessageStore under fsync=batch for 1 queue and 8 queues (1000 or 64 appends in flight, as
 * publishers with confirms keep them), with fdatasyncs per commit cycle, next to the bare raw log
 * appending the same bytes in the same run (the reference: what the store adds on top); then the
 * index's bytes per queued message with 1M messages, recovery time of that queue, and the drain
 * rate (read + remove) of 100k of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/core/logger.js';
import type { FsyncPolicy } from '../src/core/log/types.js';
import { Storage } from '../src/core/storage/storage.js';
import { QueueMessageStore } from '../src/amqp/store/queue-store.js';
import type { StoredMessage } from '../src/amqp/store/message-record.js';

const root = process.argv[2] ?? tmpdir();

interface Run { perSecond: number; cycles: number; fsyncs: number }

function storageIn(dir: string, fsync: FsyncPolicy, counts?: { cycles: number; fsyncs: number }): Storage {
  return new Storage({
    dataDir: dir, fsync, logger: silentLogger(),
    commit: counts ? { onCycle: (c) => { counts.cycles++; counts.fsyncs += c.fsyncs; } } : {},
  });
}

function message(size: number): StoredMessage {
  return { exchange: 'amq.direct', routingKey: 'bench', properties: { deliveryMode: 2, contentType: 'application/octet-stream' }, body: Buffer.alloc(size, 7) };
}

/** `total` appends spread over `queues` stores (or bare raw logs), `inFlight` outstanding. */
async function appendRun(queues: number, inFlight: number, total: number, bare: boolean): Promise<Run> {
  const dir = mkdtempSync(join(root, 'junction-bench-amqp-'));
  const counts = { cycles: 0, fsyncs: 0 };
  const storage = storageIn(dir, 'batch', counts);
  try {
    const msg = message(1024);
    const appenders: Array<() => Promise<unknown>> = [];
    for (let q = 0; q < queues; q++) {
      if (bare) {
        const log = await storage.rawLog(`bench/raw-${q}`);
        const payload = Buffer.alloc(1024 + 60, 7);
        appenders.push(() => log.append(payload));
      } else {
        const store = await QueueMessageStore.open(storage, '/', `q${q}`);
        // A new message object per publish, as the broker makes one (the head is cached per object).
        appenders.push(() => store.append({ ...msg }));
      }
    }
    let issued = 0;
    const t0 = process.hrtime.bigint();
    const worker = async (w: number) => { while (issued < total) { issued++; await appenders[w % queues]!(); } };
    await Promise.all(Array.from({ length: inFlight }, (_, w) => worker(w)));
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    return { perSecond: total / secs, ...counts };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function appendTable(): Promise<void> {
  console.log('| fsync=batch, 1 KB | in flight | appends/s | bare raw log appends/s | store / raw | commit cycles | fdatasyncs | appends per fdatasync |');
  console.log('|---|---|---|---|---|---|---|---|');
  // 8 queues × 64 in flight keeps each log's share of a cycle small: one journal fdatasync for all;
  // at 1000 in flight each log brings > 64 KiB a cycle and core fdatasyncs each log's segment instead.
  for (const [queues, inFlight] of [[1, 1000], [8, 1000], [8, 64]] as const) {
    const total = 100_000;
    const raw = await appendRun(queues, inFlight, total, true);
    const store = await appendRun(queues, inFlight, total, false);
    console.log(`| ${queues} queue${queues > 1 ? 's' : ''} | ${inFlight} | ${Math.round(store.perSecond)} | ${Math.round(raw.perSecond)} | ` +
      `${(store.perSecond / raw.perSecond).toFixed(2)} | ${store.cycles} | ${store.fsyncs} | ${(total / Math.max(1, store.fsyncs)).toFixed(0)} |`);
  }
}

function heap(): number {
  global.gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function backlog(): Promise<void> {
  const dir = mkdtempSync(join(root, 'junction-bench-amqp-'));
  const total = 1_000_000;
  try {
    // fsync=never and 16-byte bodies: the index does not depend on body size, and 1M × 1 KB
    // would write a GB on a shared machine.
    let storage = storageIn(dir, 'never');
    const before = heap();
    let store = await QueueMessageStore.open(storage, '/', 'backlog');
    const msg = message(16);
    let t0 = process.hrtime.bigint();
    for (let done = 0; done < total; done += 10_000) {
      await Promise.all(Array.from({ length: 10_000 }, () => store.append({ ...msg })));
    }
    const fillSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    const grown = heap() - before;
    console.log(`\n1M messages queued (16 B bodies, fsync=never): ${Math.round(total / fillSecs)} appends/s`);
    console.log(`index: ${(store.indexBytes / total).toFixed(1)} bytes/message in typed arrays; ` +
      `heap + array buffers grew ${(grown / total).toFixed(1)} bytes/message${global.gc ? '' : ' (run with --expose-gc for an exact figure)'}`);
    await storage.close();

    // Storage.close alone (as after a crash, no index file): the logs are replayed.
    storage = storageIn(dir, 'never');
    t0 = process.hrtime.bigint();
    store = await QueueMessageStore.open(storage, '/', 'backlog');
    const recoverSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`recovery of the 1M-message queue from its logs: ${recoverSecs.toFixed(2)} s (${Math.round(total / recoverSecs)} messages/s), ${store.messageCount} live`);
    await store.close();
    await storage.close();
    storage = storageIn(dir, 'never');
    t0 = process.hrtime.bigint();
    store = await QueueMessageStore.open(storage, '/', 'backlog');
    const indexSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`open after a clean close (index file, ${store.recoveredFrom}): ${indexSecs.toFixed(2)} s, ${store.messageCount} live`);

    t0 = process.hrtime.bigint();
    let drained = 0;
    for (const e of store.entries()) {
      if (drained === 100_000) break;
      await store.read(e.location);
      void store.remove(e.location);
      drained++;
    }
    const drainSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`drain (read + remove) of ${drained}: ${Math.round(drained / drainSecs)} messages/s`);
    await storage.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** Memory of 10k durable queues that hold no message (each an open QueueMessageStore). */
async function idleQueues(): Promise<void> {
  const dir = mkdtempSync(join(root, 'junction-bench-amqp-'));
  const storage = storageIn(dir, 'batch');
  try {
    await storage.open();
    const before = heap();
    const stores = [];
    for (let q = 0; q < 10_000; q++) stores.push(await QueueMessageStore.open(storage, '/', `idle-${q}`));
    console.log(`\n10k idle durable queues: ${((heap() - before) / stores.length).toFixed(0)} bytes each, ` +
      `${stores.reduce((n, s) => n + s.openLogs, 0)} logs open`);
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await appendTable();
  await backlog();
  await idleQueues();
}

void main();
