// The shared journal at work (docs/storage.md, "Journal"): what a cycle writes, checkpoints, failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fdatasync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLEAN_STOP_FILE } from '../../src/core/log/clean-stop.js';
import { decodeRecord } from '../../src/core/log/record.js';
import { LogAppendError } from '../../src/core/log/segmented-log.js';
import { silentLogger } from '../../src/core/logger.js';
import { readCheckpoint } from '../../src/core/storage/journal/checkpoint-file.js';
import { decodeEntry } from '../../src/core/storage/journal/entry.js';
import type { JournalCheckpoint } from '../../src/core/storage/journal/journal.js';
import { Storage, type StorageOptions } from '../../src/core/storage/storage.js';
import { captureLogger, counterMachine } from './fixtures/counter-machine.js';
import { cleanup, tmp } from './fixtures/log-helpers.js';
import { rawPayload } from './fixtures/storage-helpers.js';

function storage(dataDir: string, extra: Partial<StorageOptions> = {}): Storage {
  return new Storage({ dataDir, fsync: 'batch', logger: silentLogger(), ...extra });
}

const realFdatasync = (fd: number) => new Promise<void>((res, rej) => fdatasync(fd, (e) => (e ? rej(e) : res())));
const journalSegments = (dataDir: string) => readdirSync(join(dataDir, 'journal', 'log')).filter((f) => f.endsWith('.log')).sort();

/** Every journal entry in the data dir's journal segments, decoded. */
function journalEntries(dataDir: string): { key: string; raw: Buffer[] }[] {
  const out: { key: string; raw: Buffer[] }[] = [];
  for (const file of journalSegments(dataDir)) {
    const buf = readFileSync(join(dataDir, 'journal', 'log', file));
    for (let pos = 0; pos < buf.length;) {
      const r = decodeRecord(buf, pos, 1 << 30);
      assert.ok(r.ok, `journal record at ${file}:${pos}`);
      const e = decodeEntry(r.record.payload);
      assert.ok(e.ok);
      out.push({ key: e.entry.key, raw: e.entry.records.map((x) => x.raw) });
      pos += r.record.size;
    }
  }
  return out;
}

test('a cycle writes one entry per log to the journal, and each segment gets the very same bytes', async () => {
  const dir = tmp('junction-journal-');
  try {
    const s = storage(dir, { fsync: 'always' });
    const logs = await Promise.all(Array.from({ length: 3 }, (_, i) => s.rawLog(`raw/q${i}`)));
    await Promise.all(logs.flatMap((log, i) => Array.from({ length: 4 }, (_, k) => log.append(rawPayload(i, k)))));
    const entries = journalEntries(dir);
    for (let i = 0; i < 3; i++) {
      const segment = readFileSync(join(dir, 'raw', `q${i}`, 'log', '00000000000000000000.log'));
      const journaled = Buffer.concat(entries.filter((e) => e.key === `raw/q${i}/log`).flatMap((e) => e.raw));
      assert.ok(journaled.equals(segment), `log ${i}: the journal holds exactly the segment's bytes`);
    }
    assert.equal(entries.length, 3, 'one cycle, one entry per log');
    await s.close();
  } finally { cleanup(dir); }
});

test('a checkpoint fdatasyncs the logs written, records the journal offset and deletes covered segments; a clean stop leaves nothing to replay', async () => {
  const dir = tmp('junction-journal-');
  try {
    const checkpoints: JournalCheckpoint[] = [];
    const s = storage(dir, { journal: { segmentBytes: 16 * 1024, checkpointBytes: 32 * 1024, checkpointMs: 60_000,
      onCheckpoint: (c) => checkpoints.push(c) } });
    const logs = await Promise.all(Array.from({ length: 4 }, (_, i) => s.rawLog(`raw/q${i}`)));
    const next = [0, 0, 0, 0];
    for (let round = 0; round < 40; round++) {
      await Promise.all(logs.map((log, i) => log.append(rawPayload(i, next[i]!++))));
    }
    // 40 cycles of ~4 KiB roll the 16 KiB journal several times and ask for a checkpoint every 32 KiB.
    await s.journal!.checkpoint();
    assert.ok(checkpoints.length >= 2, `checkpoints after rolls: ${JSON.stringify(checkpoints)}`);
    const last = checkpoints[checkpoints.length - 1]!;
    assert.equal(readCheckpoint(join(dir, 'journal')), last.upTo);
    assert.equal(last.upTo, s.journal!.nextOffset, 'the checkpoint covers every entry written');
    assert.ok(checkpoints.some((c) => c.deletedSegments > 0), 'covered journal segments were deleted');
    assert.ok(journalSegments(dir).length <= 2, `journal segments left: ${journalSegments(dir)}`);
    await s.close();
    assert.equal(readCheckpoint(join(dir, 'journal')), 160, 'the last checkpoint covers all 160 entries');
    assert.deepEqual(journalSegments(dir), ['00000000000000000160.log'], 'a clean stop leaves one empty journal segment');
    assert.equal(statSync(join(dir, 'journal', 'log', '00000000000000000160.log')).size, 0);
    const again = storage(dir);
    const log = await again.rawLog('raw/q2');
    assert.equal(log.nextOffset, 40);
    assert.ok((await log.read(39))[0]!.payload.equals(rawPayload(2, 39)));
    await again.close();
  } finally { cleanup(dir); }
});

test('a failed journal fdatasync fails every append of its cycle and every later one; no log claims a clean stop', async () => {
  const dir = tmp('junction-journal-');
  try {
    let failJournal = false;
    const { logger, lines } = captureLogger();
    const s = storage(dir, { fsync: 'always', logger, commit: {
      fdatasync: (fd) => (failJournal && readlinkSync(`/proc/self/fd/${fd}`).includes(join('journal', 'log'))
        ? Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })) : realFdatasync(fd)),
    } });
    const a = await s.rawLog('raw/a');
    const b = await s.commandStore('nacos', counterMachine());
    assert.equal(await a.append(Buffer.from('a0')), 0);
    failJournal = true;
    const outcomes = await Promise.allSettled([a.append(Buffer.from('a1')), b.submit({ type: 'add', key: 'k', by: 1 })]);
    assert.deepEqual(outcomes.map((o) => o.status), ['rejected', 'rejected']);
    for (const o of outcomes) if (o.status === 'rejected') assert.match(String(o.reason), /EIO/);
    await assert.rejects(a.append(Buffer.from('a2')), LogAppendError);
    assert.deepEqual((await a.read(0)).map((r) => r.payload.toString()), ['a0'], 'nothing unacknowledged is readable');
    assert.ok(lines.some((l) => l.level === 'error' && l.msg?.startsWith('journal write failed')));
    await assert.rejects(s.close());
    assert.throws(() => statSync(join(dir, 'raw', 'a', 'log', CLEAN_STOP_FILE)), /ENOENT/);
    // The next start has the acknowledged a0 (a1 failed: its outcome was unknown, it may be there or not).
    const again = storage(dir);
    assert.equal((await (await again.rawLog('raw/a')).read(0))[0]!.payload.toString(), 'a0');
    await again.close();
  } finally { cleanup(dir); }
});

test('a failed checkpoint fdatasync fails that log only; the journal keeps its records and the next start restores them', async () => {
  const dir = tmp('junction-journal-');
  try {
    let failBad = false;
    const { logger, lines } = captureLogger();
    const s = storage(dir, { logger, journal: { checkpointMs: 60_000 }, commit: {
      fdatasync: (fd) => (failBad && readlinkSync(`/proc/self/fd/${fd}`).includes(join('raw', 'bad'))
        ? Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })) : realFdatasync(fd)),
    } });
    const good = await s.rawLog('raw/good');
    const bad = await s.rawLog('raw/bad');
    for (let i = 0; i < 5; i++) await Promise.all([good.append(rawPayload(0, i)), bad.append(rawPayload(1, i))]);
    const before = s.journal!.checkpointOffset;
    failBad = true;
    await assert.rejects(s.journal!.checkpoint(), /checkpoint failed: .*EIO/);
    assert.equal(readCheckpoint(join(dir, 'journal')), before, 'the checkpoint did not advance');
    assert.ok(lines.some((l) => l.level === 'error' && l.msg?.startsWith('journal checkpoint failed')));
    await assert.rejects(bad.append(Buffer.from('x')), /failed earlier: EIO/);
    assert.equal(await good.append(rawPayload(0, 5)), 5, 'the other log goes on, through the journal');
    // Later checkpoints keep everything (the bad log's pages may be gone: fsyncgate) and say so,
    // so a caller about to delete a log's directory (a queue purge) does not go on as if covered.
    await assert.rejects(s.journal!.checkpoint(), /checkpoint failed earlier/);
    await assert.rejects(s.checkpoint(), /checkpoint failed earlier/);
    assert.equal(readCheckpoint(join(dir, 'journal')), before);
    await s.close().catch(() => undefined);
    // Simulate the lost pages: the bad log's segment lost its last two records.
    const segment = join(dir, 'raw', 'bad', 'log', '00000000000000000000.log');
    const full = readFileSync(segment);
    const { truncateSync } = await import('node:fs');
    truncateSync(segment, full.length - rawPayload(1, 4).length - 20 - rawPayload(1, 3).length - 20);
    const again = storage(dir, { logger });
    const restored = await again.rawLog('raw/bad');
    const got = [];
    for await (const r of restored.replay(0)) got.push(r);
    assert.equal(got.length, 5);
    got.forEach((r, i) => assert.ok(r.payload.equals(rawPayload(1, i)), `offset ${i} is back byte for byte`));
    assert.ok(lines.some((l) => l.msg === 'restored log records from the journal'));
    await again.close();
  } finally { cleanup(dir); }
});

test('fsync=never uses no journal: a data dir without one gets none', async () => {
  const dir = tmp('junction-journal-');
  try {
    const s = storage(dir, { fsync: 'never' });
    await (await s.rawLog('raw/q')).append(Buffer.from('x'));
    assert.equal(s.journal, null);
    await s.close();
    assert.deepEqual(readdirSync(dir), ['raw']);
  } finally { cleanup(dir); }
});

test('the journal forgets the entry header of a log not written for two checkpoints (durable-queue churn does not grow it)', async () => {
  const dir = tmp('junction-journal-');
  try {
    const s = storage(dir, { journal: { checkpointMs: 60_000 } });
    const logs = await Promise.all(Array.from({ length: 5 }, (_, i) => s.rawLog(`raw/q${i}`)));
    await Promise.all(logs.map((log, i) => log.append(rawPayload(i, 0))));
    assert.equal(s.journal!.cachedHeaders, 5, 'one cached header per log written');
    await s.journal!.checkpoint();
    await Promise.all([logs[0]!.append(rawPayload(0, 1)), logs[1]!.append(rawPayload(1, 1))]);
    await s.journal!.checkpoint();
    assert.equal(s.journal!.cachedHeaders, 2, 'only the logs written since the checkpoint before last are kept');
    await Promise.all([logs[0]!.append(rawPayload(0, 2)), logs[2]!.append(rawPayload(2, 1))]);
    assert.equal(s.journal!.cachedHeaders, 3, 'q0 and q2 written now, q1 in the interval before');
    await s.journal!.checkpoint();
    assert.equal(s.journal!.cachedHeaders, 2, 'q1 dropped out');
    const entries = journalEntries(dir).filter((e) => e.key === 'raw/q2/log');
    assert.equal(entries.length, 2, 'a forgotten header is made again, with the same key');
    await s.close();
  } finally { cleanup(dir); }
});
