// Offline check and explicit repair (junction data check|repair, library level): check sees what
// open would do, repair acts only on an explicit target, sets aside instead of deleting, and the
// next open succeeds with exactly the records the report says it kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecoveryRefused, RepairRefused } from '../../src/core/errors.js';
import { encodeRecord } from '../../src/core/log/record.js';
import { silentLogger } from '../../src/core/logger.js';
import { DurableStore } from '../../src/core/state/durable-store.js';
import { checkDataDir, checkStore } from '../../src/core/storage/check.js';
import { rebaseOnSnapshot, truncateAt } from '../../src/core/storage/repair.js';
import { Storage } from '../../src/core/storage/storage.js';
import { counterMachine, type CounterCommand, type CounterState } from './fixtures/counter-machine.js';
import { cleanup, fingerprint, forgetCleanStop, tmp } from './fixtures/log-helpers.js';

const COMMAND = (i: number): CounterCommand => ({ type: 'add', key: `k${i % 7}`, by: i });
const RECORD_BYTES = (i: number) => encodeRecord(i, 1, Buffer.from(JSON.stringify(COMMAND(i)))).length;
/** Byte position of record `i` in a single-segment log written from offset 0. */
const positionOf = (i: number) => Array.from({ length: i }, (_, k) => RECORD_BYTES(k)).reduce((a, b) => a + b, 0);

const openStore = (dir: string, snapshotEvery = 1_000_000) =>
  DurableStore.open(counterMachine(), { dir, fsync: 'always', logger: silentLogger(), snapshotEvery });

/** A data dir with a command store `counters` (n commands, snapshots every `every`) and a raw log. */
async function dataDir(n: number, every: number): Promise<{ root: string; store: string; segment: string; state: (upTo: number) => CounterState }> {
  const root = tmp('junction-check-');
  const store = join(root, 'counters');
  const s = await openStore(store, every);
  for (let i = 0; i < n; i++) await s.submit(COMMAND(i));
  await s.close();
  const storage = new Storage({ dataDir: root, fsync: 'always', logger: silentLogger() });
  await (await storage.rawLog('kafka/t-0')).append(Buffer.from('raw'));
  await storage.close();
  const state = (upTo: number): CounterState => {
    const m = counterMachine();
    const st = m.initial();
    for (let i = 0; i < upTo; i++) m.apply(st, COMMAND(i));
    return st;
  };
  return { root, store, segment: join(store, 'log', '00000000000000000000.log'), state };
}

function flip(file: string, at: number): void {
  const buf = readFileSync(file);
  buf[at]! ^= 0x04;
  writeFileSync(file, buf);
}

test('check: a healthy data dir, command store and nested raw log, exact counts, nothing refused', async () => {
  const { root } = await dataDir(120, 50);
  try {
    const before = fingerprint(root);
    const result = checkDataDir(root);
    assert.deepEqual(result.stores.map((s) => [s.name, s.kind, s.problems]), [['counters', 'command', []], [join('kafka', 't-0'), 'log', []]]);
    const counters = result.stores[0]!;
    assert.equal(counters.log.readableEnd, 120);
    assert.equal(counters.log.segments.reduce((n, s) => n + (s.records ?? 0), 0), 120, 'every record counted (full scan)');
    assert.deepEqual(counters.snapshots.map((s) => [s.offset, s.readable]), [[50, true], [100, true]]);
    assert.equal(result.refuses, false);
    assert.deepEqual(fingerprint(root), before, 'check reads only');
    await assert.rejects(truncateAt(root, `${join('counters', 'log', '00000000000000000000.log')}:0`), (e: unknown) =>
      e instanceof RepairRefused && /a start opens this store as it is; nothing to repair/.test(e.message));
  } finally { cleanup(root); }
});

test('a flip after the newest snapshot: check names file, byte and loss; repair cuts only at a record boundary; the next open works', async () => {
  const { root, store, segment, state } = await dataDir(290, 100);
  try {
    const bad = positionOf(250);
    flip(segment, bad + 21);
    const report = checkStore(store);
    assert.equal(report.log.damage?.position, bad);
    assert.equal(report.log.damage?.validAfter?.firstOffset, 251);
    assert.match(report.problems.join('\n'), new RegExp(`00000000000000000000\\.log: a record fails its CRC-32C at byte ${bad} \\(expected offset 250\\)`));
    assert.deepEqual(report.repair, { action: 'truncate-at', target: `${segment}:${bad}`, loses: 'offsets 250..289' });
    await assert.rejects(openStore(store), RecoveryRefused);

    const before = fingerprint(root);
    await assert.rejects(truncateAt(root, `${segment}:${positionOf(100) + 3}`), /byte \d+ is inside a record; the nearest record boundaries are bytes \d+ and \d+/);
    await assert.rejects(truncateAt(root, `${segment}:${bad + RECORD_BYTES(250)}`), /lies beyond the valid records, which end at byte/);
    await assert.rejects(truncateAt(root, 'counters/log/nope.log:0'), /not a log segment/);
    assert.deepEqual(fingerprint(root), before, 'refused repairs change nothing');

    const tail = readFileSync(segment).subarray(bad);
    const repaired = await truncateAt(root, `counters/log/00000000000000000000.log:${bad}`);
    assert.equal(repaired.lost, 'offsets 250..289');
    assert.deepEqual(repaired.log, { startOffset: 0, endOffset: 250 });
    assert.deepEqual(repaired.after.problems, []);
    const saved = repaired.removed.find((r) => r.file.endsWith(`.from-byte-${bad}`))!;
    assert.ok(readFileSync(saved.file).equals(tail), 'the cut bytes are kept aside, byte for byte');
    const reopened = await openStore(store);
    assert.deepEqual(reopened.state, state(250));
    assert.equal(reopened.state.applied, 250);
    await reopened.close();
  } finally { cleanup(root); }
});

test('a flip below the newest snapshot: cutting is refused (the snapshot saw more), rebase keeps the snapshot and every record after it', async () => {
  const { root, store, segment, state } = await dataDir(290, 100);
  try {
    // The log keeps records from the older snapshot (100) on; damage at 150 lies below the newest (200).
    flip(segment, positionOf(150) + 30);
    const report = checkStore(store);
    assert.equal(report.repair?.action, 'rebase-on-snapshot');
    const before = fingerprint(root);
    await assert.rejects(truncateAt(root, `${segment}:${positionOf(150)}`), (e: unknown) => e instanceof RepairRefused &&
      /leaves the log ending at offset 150, but snapshot .*00000000000000000200\.snap covers offsets below 200.*--rebase-on-snapshot/.test(e.message));
    assert.deepEqual(fingerprint(root), before);

    const rebased = await rebaseOnSnapshot(root, 'counters');
    assert.equal(rebased.lost, 'none', 'records 200..289 sat after the damage and were kept');
    assert.deepEqual(rebased.log, { startOffset: 200, endOffset: 290 });
    assert.deepEqual(rebased.after.problems, []);
    assert.deepEqual(readdirSync(join(store, 'log')).sort(), ['00000000000000000200.log', 'clean-stop']);
    assert.ok(readdirSync(rebased.savedIn).includes('00000000000000000000.log'), 'the old segment is set aside, not deleted');
    const reopened = await openStore(store);
    assert.deepEqual(reopened.state, state(290));
    assert.equal(await reopened.submit({ type: 'add', key: 'next', by: 1 }), 1);
    await reopened.close();
  } finally { cleanup(root); }
});

test('a torn tail is reported as what a start cuts itself; a closed segment damaged behind a good index shows in the full scan', async () => {
  const { root, store, segment } = await dataDir(40, 1_000_000);
  try {
    forgetCleanStop(join(store, 'log'));
    appendFileSync(segment, encodeRecord(40, 1, Buffer.from('{"type":"add"')).subarray(0, 17));
    const torn = checkStore(store);
    assert.deepEqual(torn.problems, []);
    assert.deepEqual(torn.tornTail, { file: segment, position: positionOf(40), bytes: 17 });
    await assert.rejects(truncateAt(root, `${segment}:${positionOf(40)}`), /cutting its torn tail itself\); nothing to repair/);
  } finally { cleanup(root); }

  // Several segments, the first one closed with a valid index and damaged before its last index
  // entry: open trusts the index (it reads only the records after the last entry), replay from 0
  // reads the segment, so check counts the damage as a problem.
  const root2 = tmp('junction-check-');
  try {
    const dir = join(root2, 'c');
    const s = await DurableStore.open(counterMachine(), { dir, fsync: 'always', logger: silentLogger(), log: { segmentBytes: 12_000 } });
    await Promise.all(Array.from({ length: 600 }, (_, i) => s.submit(COMMAND(i))));
    await s.close();
    const first = join(dir, 'log', '00000000000000000000.log');
    flip(first, 30);
    const report = checkStore(dir);
    assert.match(report.problems.join('\n'), /00000000000000000000\.log: a record fails its CRC-32C at byte 0 .*found by a full scan.*replay from offset 0 reads it/);
    assert.equal(report.repair?.action, 'truncate-at');
    // A start trusts the index, so replay is what finds it: still nothing changes on disk.
    const before = fingerprint(root2);
    await assert.rejects(DurableStore.open(counterMachine(), { dir, fsync: 'always', logger: silentLogger() }),
      /00000000000000000000\.log: record at byte 0 is unreadable \(bad-crc\); nothing was changed/);
    assert.deepEqual(fingerprint(root2), before, 'damage found by replay changes nothing either');
    unlinkSync(join(dir, 'log', '00000000000000000000.index'));
    await assert.rejects(DurableStore.open(counterMachine(), { dir, fsync: 'always', logger: silentLogger() }), RecoveryRefused);
  } finally { cleanup(root2); }

  // A closed segment cut short by one whole record, its index intact: open walks the record
  // headers after the index's last entry, finds they end before the next segment's base, and
  // refuses before replay (before, it trusted the index and the record was silently gone).
  const root3 = tmp('junction-check-');
  try {
    const dir = join(root3, 'c');
    const s = await DurableStore.open(counterMachine(), { dir, fsync: 'always', logger: silentLogger(), log: { segmentBytes: 400 } });
    for (let i = 0; i < 40; i++) await s.submit(COMMAND(i));
    await s.close();
    const first = join(dir, 'log', '00000000000000000000.log');
    const records = Array.from({ length: 40 }, (_, i) => i).find((n) => positionOf(n) === statSync(first).size)!;
    truncateSync(first, positionOf(records - 1));
    const before = fingerprint(root3);
    await assert.rejects(DurableStore.open(counterMachine(), { dir, fsync: 'always', logger: silentLogger() }),
      (e: unknown) => e instanceof RecoveryRefused && /00000000000000000000\.log: the records end at another offset than the next segment starts at/.test(e.message));
    assert.deepEqual(fingerprint(root3), before, 'refused at open: nothing changed');
  } finally { cleanup(root3); }
});

test('a corrupt newest snapshot is listed unreadable; the store still starts from the older one', async () => {
  const { root, store, state } = await dataDir(250, 100);
  try {
    writeFileSync(join(store, 'snapshot', '00000000000000000200.snap'), 'JSNAP001 torn');
    const report = checkStore(store);
    assert.deepEqual(report.snapshots.map((s) => [s.offset, s.readable, s.reason ?? null]),
      [[100, true, null], [200, false, '13 bytes, shorter than the 24-byte header']]);
    assert.deepEqual(report.problems, []);
    const reopened = await openStore(store);
    assert.deepEqual(reopened.state, state(250));
    await reopened.close();
  } finally { cleanup(root); }
});
