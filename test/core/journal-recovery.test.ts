// Recovery with the journal (docs/storage.md, "Recovery with the journal"; ARCHITECTURE principle 9):
// a log's missing or torn tail that the journal covers is restored from it, a torn journal tail
// is cut (logged), and anything else refuses the start naming file and byte, changing nothing.
// A "crash" here is a copy of the data dir taken while the Storage is open: the files exactly as a
// kill -9 leaves them; the tests then take away what a power loss could (unsynced log pages).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { RecoveryRefused } from '../../src/core/errors.js';
import { encodeRecord } from '../../src/core/log/record.js';
import { checkDataDir } from '../../src/core/storage/check.js';
import { readCheckpoint } from '../../src/core/storage/journal/checkpoint-file.js';
import { entryHeader } from '../../src/core/storage/journal/entry.js';
import { Storage } from '../../src/core/storage/storage.js';
import { captureLogger } from './fixtures/counter-machine.js';
import { cleanup, fingerprint, tmp } from './fixtures/log-helpers.js';
import { rawPayload } from './fixtures/storage-helpers.js';
import { segmentRecords } from '../helpers/log-files.js';
import { runCli } from '../cli/run-cli.js';

const LOGS = 3;
const ROUNDS = 10;

interface Crashed { dir: string; segment(log: number): string; journalSegments(): string[] }

/** LOGS raw logs with ROUNDS appends each (one cycle per round), copied while open. */
async function crashedDataDir(opts: { checkpointAfter?: number; journalSegmentBytes?: number } = {}): Promise<Crashed> {
  const live = tmp('junction-journal-live-');
  const dir = tmp('junction-journal-crashed-');
  try {
    const s = new Storage({ dataDir: live, fsync: 'batch', logger: captureLogger().logger,
      journal: { checkpointMs: 600_000, segmentBytes: opts.journalSegmentBytes } });
    const logs = await Promise.all(Array.from({ length: LOGS }, (_, i) => s.rawLog(`raw/q${i}`)));
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(logs.map((log, i) => log.append(rawPayload(i, round))));
      if (round + 1 === opts.checkpointAfter) await s.journal!.checkpoint();
    }
    cpSync(live, dir, { recursive: true });
    await s.close();
  } finally { cleanup(live); }
  const journalLog = join(dir, 'journal', 'log');
  return {
    dir,
    segment: (log) => join(dir, 'raw', `q${log}`, 'log', '00000000000000000000.log'),
    journalSegments: () => readdirSync(journalLog).filter((f) => f.endsWith('.log')).sort().map((f) => join(journalLog, f)),
  };
}

async function assertAllBack(dir: string, logger = captureLogger().logger): Promise<void> {
  const s = new Storage({ dataDir: dir, fsync: 'batch', logger });
  for (let i = 0; i < LOGS; i++) {
    const log = await s.rawLog(`raw/q${i}`);
    const got = [];
    for await (const r of log.replay(0)) got.push(r);
    assert.equal(got.length, ROUNDS, `log ${i}: every record is back`);
    got.forEach((r, k) => assert.ok(r.payload.equals(rawPayload(i, k)), `log ${i} offset ${k} byte for byte`));
  }
  await s.close();
}

async function assertRefused(dir: string, pattern: RegExp, cli = false): Promise<void> {
  const before = fingerprint(dir);
  const checked = checkDataDir(dir);
  assert.equal(checked.refuses, true, 'data check says a start refuses');
  assert.match(checked.journal.problems.join('\n'), pattern, 'data check names the same problem');
  if (cli) {
    const out = await runCli(['data', 'check', '--data-dir', dir]);
    assert.equal(out.code, 1);
    assert.match(out.stdout, /^journal {2}REFUSES TO START$/m);
    assert.match(out.stdout, /problem +journal: /);
  }
  const s = new Storage({ dataDir: dir, fsync: 'batch', logger: captureLogger().logger });
  await assert.rejects(s.rawLog('raw/q0'), (e: unknown) => {
    assert.ok(e instanceof RecoveryRefused, `expected RecoveryRefused, got ${String(e)}`);
    assert.match(e.message, pattern);
    assert.match(e.message, /Nothing was changed/);
    return true;
  });
  await s.close();
  assert.deepEqual(fingerprint(dir), before, 'the refused start changed no file, in the journal or any log');
}

/** Byte position of each record of a segment, plus its end. */
function boundaries(file: string): number[] {
  const recs = segmentRecords(file);
  const size = readFileSync(file).length;
  return [...recs.map((r) => r.position), size];
}

test('records a log lacks after a crash are restored from the journal: cut short, zero-filled, torn mid-record', async () => {
  const { dir, segment } = await crashedDataDir();
  try {
    const b0 = boundaries(segment(0));
    truncateSync(segment(0), b0[4]!); // the OS had written 4 records of 10
    const b1 = boundaries(segment(1));
    const buf1 = readFileSync(segment(1));
    buf1.fill(0, b1[7]!); // blocks allocated but never written: zeros
    writeFileSync(segment(1), buf1);
    const b2 = boundaries(segment(2));
    truncateSync(segment(2), b2[8]! + 9); // a torn write inside record 8
    const checked = checkDataDir(dir);
    assert.equal(checked.refuses, false, JSON.stringify(checked.journal.problems));
    assert.deepEqual(checked.journal.logs.map((l) => [l.key, l.restore?.fromOffset, l.restore?.toOffset]),
      [['raw/q0/log', 4, 10], ['raw/q1/log', 7, 10], ['raw/q2/log', 8, 10]]);
    assert.deepEqual(checked.stores.map((s) => [s.name, s.problems, s.tornTail]), [0, 1, 2].map((i) => [join('raw', `q${i}`), [], null]),
      'each store is judged as the start leaves it: whole, nothing to cut');
    const cli = await runCli(['data', 'check', '--data-dir', dir]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /^journal {2}ok$/m);
    assert.match(cli.stdout, /replay +30 entries from 0, for 3 log\(s\); 3 lack records the journal restores/);
    assert.match(cli.stdout, /journal +holds offsets 0\.\.9; a start restores offsets 4\.\.9 \(6 records\) into 00000000000000000000\.log at byte \d+/);
    const { logger, lines } = captureLogger();
    await assertAllBack(dir, logger);
    const restored = lines.filter((l) => l.msg === 'restored log records from the journal').map((l) => l.obj as { fromOffset: number; position: number });
    assert.deepEqual(restored.map((r) => [r.fromOffset, r.position]), [[4, b0[4]], [7, b1[7]], [8, b2[8]]]);
    assert.ok(!lines.some((l) => l.msg === 'cut a torn log tail'), 'a tail the journal covers is restored, not cut');
    assert.equal(readCheckpoint(join(dir, 'journal')), checkDataDir(dir).journal.replayFrom, 'the start checkpointed what it replayed');
    assert.deepEqual(checkDataDir(dir).journal.logs, [], 'nothing left to replay after a clean stop');
  } finally { cleanup(dir); }
});

test('a log alone in a cycle fdatasyncs its own segment instead; replay checks the journal\'s records around those and restores after them', async () => {
  const live = tmp('junction-journal-live-');
  const dir = tmp('junction-journal-crashed-');
  try {
    const s = new Storage({ dataDir: live, fsync: 'batch', logger: captureLogger().logger, journal: { checkpointMs: 600_000 } });
    const [q0, q1] = [await s.rawLog('raw/q0'), await s.rawLog('raw/q1')];
    const both = (k: number) => Promise.all([q0.append(rawPayload(0, k)), q1.append(rawPayload(1, k))]);
    await both(0);
    for (let k = 1; k <= 3; k++) await q0.append(rawPayload(0, k)); // q0 alone: three direct cycles
    await Promise.all([both(4), both(5)]);
    assert.equal(s.journal!.totals.entries, 2 + 2, 'two cycles of both logs (4 and 5 share one); the lone cycles wrote no entry');
    cpSync(live, dir, { recursive: true });
    await s.close();
    const segment = join(dir, 'raw', 'q0', 'log', '00000000000000000000.log');
    truncateSync(segment, boundaries(segment)[5]!);
    const checked = checkDataDir(dir);
    assert.deepEqual(checked.journal.problems, []);
    const plan = checked.journal.logs.find((l) => l.key === 'raw/q0/log')!;
    assert.deepEqual([plan.fromOffset, plan.toOffset, plan.records, plan.present, plan.restore?.fromOffset], [0, 6, 3, 2, 5],
      'offsets 0, 4 checked, 5 restored; 1..3 were the log\'s own');
    const again = new Storage({ dataDir: dir, fsync: 'batch', logger: captureLogger().logger });
    const got = [];
    for await (const r of (await again.rawLog('raw/q0')).replay(0)) got.push(r.payload);
    assert.deepEqual(got, [0, 1, 2, 3, 4, 5].map((k) => rawPayload(0, k)));
    await again.close();
  } finally { cleanup(live); cleanup(dir); }
});

test('a torn journal tail after a crash is cut and logged; every acknowledged record is still there', async () => {
  const { dir, journalSegments } = await crashedDataDir();
  try {
    const last = journalSegments().at(-1)!;
    const size = readFileSync(last).length;
    appendFileSync(last, encodeRecord(999, 1, Buffer.alloc(300, 7)).subarray(0, 150));
    const checked = checkDataDir(dir);
    assert.deepEqual(checked.journal.tornTail, { file: last, position: size, bytes: 150 });
    assert.equal(checked.refuses, false);
    const { logger, lines } = captureLogger();
    await assertAllBack(dir, logger);
    const cut = lines.find((l) => l.msg === 'cut a torn journal tail');
    assert.deepEqual(cut?.obj, { file: last, position: size, bytes: 150 });
    assert.equal(cut?.level, 'warn');
  } finally { cleanup(dir); }
});

test('a torn journal entry holding whole log records is still a torn tail: the records inside it are not journal entries', async () => {
  const { dir, journalSegments, segment } = await crashedDataDir();
  try {
    const last = journalSegments().at(-1)!;
    const size = readFileSync(last).length;
    const entry = Buffer.concat([entryHeader('raw/q0/log'), encodeRecord(ROUNDS, 1, rawPayload(0, ROUNDS)), encodeRecord(ROUNDS + 1, 1, rawPayload(0, ROUNDS + 1))]);
    const torn = encodeRecord(LOGS * ROUNDS, 1, entry);
    appendFileSync(last, torn.subarray(0, torn.length - 10));
    const checked = checkDataDir(dir);
    assert.deepEqual(checked.journal.problems, []);
    assert.deepEqual(checked.journal.tornTail, { file: last, position: size, bytes: torn.length - 10 });
    await assertAllBack(dir);
    assert.equal(segmentRecords(segment(0)).length, ROUNDS, 'nothing of the torn entry reached the log');
  } finally { cleanup(dir); }
});

test('refused: a flipped byte inside the journal with valid entries after it', async () => {
  const { dir, journalSegments } = await crashedDataDir();
  try {
    const file = journalSegments()[0]!;
    const entries = segmentRecords(file);
    const buf = readFileSync(file);
    buf[entries[5]!.position + 40]! ^= 0x10;
    writeFileSync(file, buf);
    await assertRefused(dir, new RegExp(`journal: ${file}: a record fails its CRC-32C at byte ${entries[5]!.position} ` +
      '\\(expected offset 5\\) and valid records follow it'), true);
  } finally { cleanup(dir); }
});

test('refused: a log record that differs from the journal\'s copy (both CRC-valid)', async () => {
  const { dir, segment } = await crashedDataDir();
  try {
    const recs = segmentRecords(segment(1));
    const other = Buffer.from(rawPayload(1, 6));
    other[0]! ^= 0xff;
    const buf = readFileSync(segment(1));
    encodeRecord(6, 1, other).copy(buf, recs[6]!.position);
    writeFileSync(segment(1), buf);
    await assertRefused(dir, new RegExp(`${segment(1)}: the record at byte ${recs[6]!.position} \\(offset 6\\) differs from the journal's copy`));
  } finally { cleanup(dir); }
});

test('refused: a log tail holding bytes that are neither the journal\'s nor zero', async () => {
  const { dir, segment } = await crashedDataDir();
  try {
    const b = boundaries(segment(2));
    truncateSync(segment(2), b[8]!);
    appendFileSync(segment(2), Buffer.alloc(30, 0x5a));
    await assertRefused(dir, new RegExp(`${segment(2)}: byte ${b[8]} holds 0x5a where the journal's copy has 0x[0-9a-f]{2}.*disagree about offsets 8\\.\\.9`));
  } finally { cleanup(dir); }
});

test('refused: a log that ends before the journal\'s records for it begin (offsets in neither)', async () => {
  const { dir, segment } = await crashedDataDir({ checkpointAfter: 5 });
  try {
    truncateSync(segment(0), boundaries(segment(0))[3]!);
    await assertRefused(dir, /raw\/q0\/log: the log's readable records end at offset 3; the journal's records for it start at offset 5 .*offsets 3\.\.4 are in neither/);
  } finally { cleanup(dir); }
});

test('refused: a CRC-valid journal record that is not an entry', async () => {
  const { dir, journalSegments } = await crashedDataDir();
  try {
    const last = journalSegments().at(-1)!;
    const size = readFileSync(last).length;
    appendFileSync(last, encodeRecord(LOGS * ROUNDS, 1, Buffer.from('not an entry')));
    await assertRefused(dir, new RegExp(`journal: ${last}: the record at byte ${size} \\(journal entry ${LOGS * ROUNDS}\\) passes its CRC-32C ` +
      'but is not a journal entry \\(unknown entry kind'));
  } finally { cleanup(dir); }
});

/** Split the crashed dir's one journal segment in two at entry `at` (same bytes, two files). */
function splitJournal(c: Crashed, at: number): [string, string] {
  const [only] = c.journalSegments();
  assert.ok(only && c.journalSegments().length === 1);
  const entries = segmentRecords(only);
  const buf = readFileSync(only);
  const second = join(only, '..', `${String(at).padStart(20, '0')}.log`);
  writeFileSync(second, buf.subarray(entries[at]!.position));
  truncateSync(only, entries[at]!.position);
  return [only, second];
}

test('refused: journal entries missing after the checkpoint, and damage in a closed journal segment', async () => {
  const missing = await crashedDataDir();
  const damaged = await crashedDataDir();
  try {
    const [first] = splitJournal(missing, 12);
    assert.equal(readCheckpoint(join(missing.dir, 'journal')), 0);
    const split = await copyOf(missing.dir);
    try { await assertAllBack(split); } finally { cleanup(split); } // a split journal on its own replays fine
    rmSync(first);
    await assertRefused(missing.dir, /journal: the checkpoint covers entries below 0 but the journal starts at entry 12 .*entries 0\.\.11 are missing/);

    const [closed] = splitJournal(damaged, 12);
    const buf = readFileSync(closed);
    buf[30]! ^= 0x01;
    writeFileSync(closed, buf);
    await assertRefused(damaged.dir, new RegExp(`journal: ${closed}: a record fails its CRC-32C at byte 0 .*closed segment`));

    // The same in the middle of a closed segment whose index a start trusts (it does not scan it):
    // replay meets the damage and refuses rather than skip the entries after it.
    buf[30]! ^= 0x01;
    writeFileSync(closed, buf);
    const entries = segmentRecords(closed);
    buf[entries[6]!.position + 30]! ^= 0x01;
    writeFileSync(closed, buf);
    const index = Buffer.alloc(16);
    index.writeUInt32BE(crc32c(index.subarray(0, 12)), 12);
    writeFileSync(closed.replace(/\.log$/, '.index'), index);
    // (data check scans every segment and finds it there; a start finds it when replay reads it)
    await assertRefused(damaged.dir, new RegExp(`journal: ${closed}: (a record fails its CRC-32C|the entry) at byte ${entries[6]!.position}`));
  } finally { cleanup(missing.dir); cleanup(damaged.dir); }
});

/** A scratch copy of a data dir. */
async function copyOf(dir: string): Promise<string> {
  const copy = tmp('junction-journal-copy-');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

test('a log outside the data dir (a zoo.cfg dataDir) is named by its absolute path and restored there', async () => {
  const dataDir = tmp('junction-journal-data-');
  const outside = tmp('junction-journal-zk-');
  const crashed = tmp('junction-journal-crashed-');
  try {
    const s = new Storage({ dataDir, fsync: 'batch', logger: captureLogger().logger, journal: { checkpointMs: 600_000 } });
    const zk = await s.rawLog('zk', { dir: outside });
    const other = await s.rawLog('raw/q0');
    for (let k = 0; k < 5; k++) await Promise.all([zk.append(rawPayload(7, k)), other.append(rawPayload(0, k))]);
    cpSync(dataDir, crashed, { recursive: true }); // the journal as a kill -9 leaves it
    await s.close();
    assert.deepEqual(checkDataDir(crashed).journal.logs.map((l) => l.key).sort(), [join(outside, 'log'), 'raw/q0/log']);
    const segment = join(outside, 'log', '00000000000000000000.log');
    truncateSync(segment, boundaries(segment)[2]!);
    rmSync(join(outside, 'log', 'clean-stop'));
    const again = new Storage({ dataDir: crashed, fsync: 'batch', logger: captureLogger().logger });
    const got = [];
    for await (const r of (await again.rawLog('zk', { dir: outside })).replay(0)) got.push(r.payload);
    assert.deepEqual(got, [0, 1, 2, 3, 4].map((k) => rawPayload(7, k)));
    await again.close();
  } finally { cleanup(dataDir); cleanup(outside); cleanup(crashed); }
});
