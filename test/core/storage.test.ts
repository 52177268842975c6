import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '../../src/core/errors.js';
import { CLEAN_STOP_FILE } from '../../src/core/log/clean-stop.js';
import { JOURNAL_BYPASS_AVERAGE_BYTES, type CommitCycle } from '../../src/core/log/commit-scheduler.js';
import { LogAppendError } from '../../src/core/log/segmented-log.js';
import { silentLogger } from '../../src/core/logger.js';
import { Metrics } from '../../src/core/metrics/registry.js';
import { Storage, type StorageOptions } from '../../src/core/storage/storage.js';
import { counterMachine } from './fixtures/counter-machine.js';
import { cleanup, tmp } from './fixtures/log-helpers.js';
import { appendUntilKilled, rawPayload } from './fixtures/storage-helpers.js';


function storage(dataDir: string, extra: Partial<StorageOptions> = {}): Storage {
  return new Storage({ dataDir, fsync: 'batch', logger: silentLogger(), ...extra });
}

test('raw logs keep bytes verbatim: every byte value, empty and large records, spans, across reopen', async () => {
  const dir = tmp('junction-storage-');
  try {
    const records = [Buffer.alloc(0), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.alloc(3 << 20, 0xab),
      ...Array.from({ length: 50 }, (_, i) => rawPayload(0, i))];
    const spans = records.map((_, i) => 1 + (i % 4));
    const first = storage(dir);
    const log = await first.rawLog('kafka/orders-0', { log: { segmentBytes: 8192 } });
    const offsets = await Promise.all(records.map((r, i) => log.append(r, spans[i])));
    let expected = 0;
    offsets.forEach((o, i) => { assert.equal(o, expected); expected += spans[i]!; });
    await first.close();
    assert.ok(statSync(join(dir, 'kafka', 'orders-0', 'log', CLEAN_STOP_FILE)).isFile(), 'Storage.close closed the log cleanly');

    const again = await storage(dir).rawLog('kafka/orders-0', { log: { segmentBytes: 8192 } });
    const read = [];
    for (let from = 0; from < again.nextOffset;) {
      const batch = await again.read(from, 64 * 1024);
      read.push(...batch);
      from = batch.at(-1)!.offset + batch.at(-1)!.span;
    }
    assert.equal(read.length, records.length);
    read.forEach((r, i) => {
      assert.equal(r.offset, offsets[i]);
      assert.equal(r.span, spans[i]);
      assert.ok(r.payload.equals(records[i]!), `record ${i} comes back byte for byte`);
    });
    assert.deepEqual((await again.read(offsets[5]! + 1, 1)).map((r) => r.offset), [offsets[5]], 'a read inside a span returns that record');
    await again.close();
  } finally { cleanup(dir); }
});

test('a store its owner closes is forgotten (a deleted queue or topic is not held until shutdown); close() closes the rest', async () => {
  const dir = tmp('junction-storage-');
  try {
    const s = storage(dir);
    const deleted = await s.rawLog('amqp/queues/gone');
    const kept = await s.rawLog('amqp/queues/kept');
    await s.commandStore('zk', counterMachine());
    assert.equal(s.openStores, 3);
    await deleted.close();
    assert.equal(s.openStores, 2, 'the closed log is no longer tracked');
    await kept.append(Buffer.from('x'), 1);
    await s.close();
    assert.equal(s.openStores, 0);
    assert.ok(statSync(join(dir, 'amqp', 'queues', 'kept', 'log', CLEAN_STOP_FILE)).isFile(), 'Storage.close closed the log left open');
  } finally { cleanup(dir); }
});

test('appends to many logs in one turn share one commit cycle: one journal fdatasync, or N without the journal', async () => {
  for (const journal of [true, false]) {
    const dir = tmp('junction-storage-');
    try {
      const cycles: CommitCycle[] = [];
      let fdatasyncs = 0;
      const { fdatasync } = await import('node:fs');
      const shared = storage(dir, { fsync: 'always', journal: { enabled: journal }, commit: {
        onCycle: (c) => cycles.push(c),
        fdatasync: (fd) => { fdatasyncs++; return new Promise((res, rej) => fdatasync(fd, (e) => (e ? rej(e) : res()))); },
      } });
      const logs = await Promise.all(Array.from({ length: 40 }, (_, i) => shared.rawLog(`amqp/vh/q${i}`)));
      const zk = await shared.commandStore('zk', counterMachine(), { log: { batchDelayMs: 0 } });
      cycles.length = 0;
      fdatasyncs = 0;
      const acks = [...logs.flatMap((log, i) => [log.append(rawPayload(i, 0)), log.append(rawPayload(i, 1))]),
        zk.submit({ type: 'add', key: 'a', by: 1 })];
      await Promise.all(acks);
      const fsyncs = journal ? 1 : 41;
      assert.equal(cycles.length, 1, `one cycle for 41 logs, got ${JSON.stringify(cycles)}`);
      assert.deepEqual({ ...cycles[0]!, seconds: 0 }, { logs: 41, records: 81, fsyncs, failed: 0, seconds: 0 });
      assert.equal(fdatasyncs, fsyncs, journal ? 'one fdatasync (the journal\'s) for 41 logs' : 'one fdatasync per log');
      assert.equal(shared.journal?.totals.entries ?? 0, journal ? 41 : 0, 'one journal entry per log');

      // The same appends on logs opened on their own (one scheduler each): one cycle per log.
      // (Each Storage in a data dir of its own: one server per data dir, as its journal assumes.)
      const alone = await Promise.all(Array.from({ length: 5 }, (_, i) => storage(join(dir, `alone-${i}`), { fsync: 'always',
        journal: { enabled: journal }, commit: { onCycle: (c) => cycles.push(c) } }).rawLog(`alone/q${i}`)));
      cycles.length = 0;
      await Promise.all(alone.map((log, i) => log.append(rawPayload(i, 0))));
      assert.equal(cycles.length, 5);
      await Promise.all(alone.map((l) => l.close()));
      await shared.close();
    } finally { cleanup(dir); }
  }
});

test('a cycle whose logs bring JOURNAL_BYPASS_AVERAGE_BYTES each skips the journal: one fdatasync per log, none in the journal', async () => {
  const dir = tmp('junction-storage-');
  try {
    const cycles: CommitCycle[] = [];
    const s = storage(dir, { fsync: 'always', commit: { onCycle: (c) => cycles.push(c) } });
    const logs = await Promise.all(Array.from({ length: 3 }, (_, i) => s.rawLog(`kafka/big-${i}`)));
    const big = Buffer.alloc(JOURNAL_BYPASS_AVERAGE_BYTES, 7);
    await Promise.all(logs.map((log) => log.append(big)));
    assert.deepEqual(cycles.map((c) => [c.logs, c.fsyncs]), [[3, 3]]);
    assert.equal(s.journal!.totals.entries, 0, 'nothing went through the journal');
    cycles.length = 0;
    await Promise.all(logs.map((log) => log.append(Buffer.from('small'))));
    assert.deepEqual(cycles.map((c) => [c.logs, c.fsyncs]), [[3, 1]], 'small appends share the journal\'s fdatasync');
    assert.equal(s.journal!.totals.entries, 3);
    await s.close();
    const again = storage(dir);
    for (const [i, log] of (await Promise.all(logs.map((_, i) => again.rawLog(`kafka/big-${i}`)))).entries()) {
      assert.deepEqual((await log.read(0, 1 << 20)).map((r) => r.payload.length), [big.length, 5], `log ${i}`);
    }
    await again.close();
  } finally { cleanup(dir); }
});

test('without the journal, a failed fdatasync fails only that log\'s appends, which are never acknowledged or readable', async () => {
  const dir = tmp('junction-storage-');
  try {
    const { fdatasync } = await import('node:fs');
    const broken = (fd: number) => readlinkSync(`/proc/self/fd/${fd}`).includes(`${join('raw', 'bad')}`);
    const cycles: CommitCycle[] = [];
    const s = storage(dir, { fsync: 'always', journal: { enabled: false }, commit: {
      onCycle: (c) => cycles.push(c),
      fdatasync: (fd) => new Promise((res, rej) => {
        if (broken(fd)) { rej(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })); return; }
        fdatasync(fd, (e) => (e ? rej(e) : res()));
      }),
    } });
    const good = await s.rawLog('raw/good');
    const bad = await s.rawLog('raw/bad');
    const outcomes = await Promise.allSettled([good.append(Buffer.from('g0')), bad.append(Buffer.from('b0')), bad.append(Buffer.from('b1')),
      good.append(Buffer.from('g1'))]);
    assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    for (const o of outcomes) if (o.status === 'rejected') assert.ok(o.reason instanceof LogAppendError && /EIO/.test(o.reason.message));
    assert.deepEqual(cycles.map((c) => [c.logs, c.fsyncs, c.failed]), [[2, 2, 1]], 'both logs were in the same cycle');
    assert.deepEqual(await bad.read(0), [], 'nothing unacknowledged is readable');
    await assert.rejects(bad.append(Buffer.from('b2')), /failed earlier: EIO/);
    assert.deepEqual((await good.read(0)).map((r) => r.payload.toString()), ['g0', 'g1']);
    assert.equal(await good.append(Buffer.from('g2')), 2, 'the other log goes on');
    await s.close();
    assert.ok(statSync(join(dir, 'raw', 'good', 'log', CLEAN_STOP_FILE)).isFile());
    assert.throws(() => statSync(join(dir, 'raw', 'bad', 'log', CLEAN_STOP_FILE)), /ENOENT/, 'a failed log does not claim a clean stop');
  } finally { cleanup(dir); }
});

test('per-store gathering delay: a batchDelayMs 0 store is not held back by the Storage\'s delay', async () => {
  const dir = tmp('junction-storage-');
  try {
    // fdatasync is faked as instant so only the gathering delays show in the timings.
    const cycles: CommitCycle[] = [];
    const s = storage(dir, { batchDelayMs: 300, commit: { fdatasync: async () => {}, onCycle: (c) => cycles.push(c) } });
    const slow = await s.rawLog('raw/slow');
    const fast = await s.rawLog('raw/fast', { log: { batchDelayMs: 0 } });
    const timed = async (p: Promise<number>) => { const t0 = Date.now(); await p; return Date.now() - t0; };
    assert.ok(await timed(slow.append(Buffer.from('s'))) >= 290, 'fsync=batch waits for its 300 ms');
    assert.ok(await timed(fast.append(Buffer.from('f'))) < 250, 'batchDelayMs 0 starts a cycle at once');
    cycles.length = 0;
    const both = await Promise.all([timed(slow.append(Buffer.from('s'))), timed(fast.append(Buffer.from('f')))]);
    assert.ok(both.every((ms) => ms < 250), `the early cycle takes every pending log: ${both}`);
    assert.deepEqual(cycles.map((c) => c.logs), [2]);
    await s.close();
  } finally { cleanup(dir); }
});

test('kill -9 during appends to 20 logs sharing a cycle: every acknowledged append survives byte for byte', async () => {
  const dir = tmp('junction-storage-crash-');
  try {
    const acked = new Map<number, Set<number>>();
    for (const [fsync, target] of [['batch', 1500], ['always', 600], ['batch', 2500]] as const) {
      await appendUntilKilled([dir, fsync, '20', '64'], target, acked);
      const s = storage(dir);
      for (let i = 0; i < 20; i++) {
        const log = await s.rawLog(`raw/log-${i}`, { log: { segmentBytes: 64 * 1024 } });
        const present = new Set<number>();
        for await (const r of log.replay(0)) {
          assert.ok(r.payload.equals(rawPayload(i, r.offset)), `log ${i} offset ${r.offset} intact`);
          present.add(r.offset);
        }
        const lost = [...(acked.get(i) ?? [])].filter((o) => !present.has(o));
        assert.deepEqual(lost, [], `${fsync}: log ${i} lost acknowledged offsets`);
        assert.equal(log.nextOffset, present.size, `log ${i}: offsets dense from 0`);
      }
      await s.close();
    }
  } finally { cleanup(dir); }
});

test('kill -9 while cycles bypass the journal (3 logs, 300 appends in flight): every acknowledged append is back', async () => {
  const dir = tmp('junction-storage-');
  try {
    const acked = new Map<number, Set<number>>();
    await appendUntilKilled([dir, 'batch', '3', '300'], 3000, acked);
    const s = storage(dir);
    for (let i = 0; i < 3; i++) {
      const log = await s.rawLog(`raw/log-${i}`, { log: { segmentBytes: 64 * 1024 } });
      const present = new Set<number>();
      for await (const r of log.replay(0)) {
        assert.ok(r.payload.equals(rawPayload(i, r.offset)), `log ${i} offset ${r.offset} intact`);
        present.add(r.offset);
      }
      assert.deepEqual([...(acked.get(i) ?? [])].filter((o) => !present.has(o)), [], `log ${i} lost acknowledged offsets`);
      assert.equal(log.nextOffset, present.size, `log ${i}: offsets dense from 0`);
    }
    await s.close();
  } finally { cleanup(dir); }
});

test('fsync durations go to junction_log_fsync_seconds under the store\'s label', async () => {
  const dir = tmp('junction-storage-');
  try {
    const metrics = new Metrics({ processMetrics: false });
    const s = storage(dir, { fsync: 'always', metrics });
    await (await s.rawLog('kafka/orders-0')).append(Buffer.from('x'));
    await (await s.commandStore('nacos', counterMachine())).submit({ type: 'add', key: 'k', by: 1 });
    await (await s.rawLog('kafka/orders-1', { metricLabel: 'kafka-special' })).append(Buffer.from('y'));
    const text = await metrics.render();
    for (const label of ['kafka', 'nacos', 'kafka-special']) {
      assert.match(text, new RegExp(`^junction_log_fsync_seconds_count\\{store="${label}"\\} 1$`, 'm'));
    }
    await s.close();
  } finally { cleanup(dir); }
});

test('retention drops whole old segments by size or age; names cannot leave the data dir', async () => {
  const dir = tmp('junction-storage-');
  try {
    const s = storage(dir, { fsync: 'never' });
    const log = await s.rawLog('kafka/t-0', { log: { segmentBytes: 1000 } });
    for (let i = 0; i < 60; i++) await log.append(Buffer.alloc(180, i));
    const total = log.sizeBytes;
    assert.ok(total > 10_000);
    assert.equal(await log.retain({ maxBytes: total }), 0);
    const removed = await log.retain({ maxBytes: 3000 });
    assert.ok(removed > 0 && log.sizeBytes <= 3000 + 1000, `kept ${log.sizeBytes} bytes`);
    assert.equal((await log.read(0, 1))[0]!.offset, log.startOffset, 'reads start at the first kept record');
    assert.ok(await log.retain({ maxAgeMs: 0, now: Date.now() + 1000 }) > 0, 'every closed segment is older than 0 ms');
    assert.equal(log.startOffset, (await log.read(0, 1))[0]!.offset);
    await log.append(Buffer.from('still appending'));
    for (const bad of ['../etc', 'a/../../b', '', 'a//b', 'vhost/with space', '/abs']) {
      assert.throws(() => s.dirOf(bad), StorageError, bad);
    }
    assert.equal(s.dirOf(`amqp/${encodeURIComponent('/')}/q1`), join(dir, 'amqp', '%2F', 'q1'));
    await s.close();
  } finally { cleanup(dir); }
});
