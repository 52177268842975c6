// Gap records (docs/storage.md, "Gap records"): SegmentedLog.compactSegments replaces a closed
// segment none of whose records is needed by one record spanning its offsets. Offsets stay dense,
// so recovery accepts the log as it is while a segment really missing is still refused; a crash
// mid-replacement leaves the old segment or the gap; the journal's copies of the replaced records
// are not written back over it. A closed segment still holding a few needed records is rewritten
// with only those, gap records in between (compactSegments' keepIn), under the same rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecoveryRefused } from '../../src/core/errors.js';
import { encodeRecord, GAP_PAYLOAD, GAP_RECORD_BYTES } from '../../src/core/log/record.js';
import { segmentName } from '../../src/core/log/segment.js';
import type { SegmentedLog } from '../../src/core/log/segmented-log.js';
import { checkDataDir, checkStore } from '../../src/core/storage/check.js';
import { Storage } from '../../src/core/storage/storage.js';
import { captureLogger } from './fixtures/counter-machine.js';
import { cleanup, files, forgetCleanStop, openLog, payloadFor, readAll, tmp } from './fixtures/log-helpers.js';
import { segmentRecords } from '../helpers/log-files.js';
import { runCli } from '../cli/run-cli.js';

const SEGMENT_BYTES = 256;

/** A log of `count` records of ~50 bytes over segments of SEGMENT_BYTES (4 records each). */
async function filledLog(dir: string, count = 40): Promise<SegmentedLog> {
  const log = await openLog(dir, { segmentBytes: SEGMENT_BYTES });
  for (let i = 0; i < count; i++) await log.append(payloadFor(i, 40));
  return log;
}

/** Run `body` with a fresh temporary root and its log directory `<root>/log`, removed after. */
async function inLogDir(body: (root: string, dir: string) => Promise<void>): Promise<void> {
  const root = tmp();
  try { await body(root, join(root, 'log')); } finally { cleanup(root); }
}

/** Dead: every segment lying wholly inside [from, to) of one of `ranges`. */
const deadIn = (ranges: Array<[number, number]>) => (from: number, to: number) => ranges.some(([a, b]) => from >= a && to <= b);

function offsetsOf(records: Array<{ offset: number }>): number[] {
  return records.map((r) => r.offset);
}

test('compactSegments replaces dead closed segments by gap records, adjacent ones merged into one; readers skip them', () => inLogDir(async (_root, dir) => {
  const log = await filledLog(dir);
  const bases = log.segmentBases;
  assert.ok(bases.length >= 8, `enough segments (${bases.length})`);
  const [from, to] = [bases[2]!, bases[5]!];
  const before = log.sizeBytes;
  assert.equal(await log.compactSegments(deadIn([[from, to]])), 3);
  assert.deepEqual(log.segmentBases, bases.filter((b) => b !== bases[3] && b !== bases[4]), 'the run keeps its first name');
  assert.deepEqual(files(dir, 'log').length, bases.length - 2, 'the merged files are gone');
  assert.equal(log.gapsCover(from, to), true);
  assert.equal(log.gapsCover(from + 1, to - 1), true);
  assert.equal(log.gapsCover(from, to + 1), false, 'offset `to` is a record');
  assert.equal(log.gapsCover(from - 1, to), false);
  const file = join(dir, segmentName(from, 'log'));
  assert.equal(statSync(file).size, GAP_RECORD_BYTES);
  const [record] = segmentRecords(file);
  assert.ok(record!.payload.equals(GAP_PAYLOAD));
  assert.equal(record!.offset + record!.span, to, 'one gap record spans the three segments');
  assert.equal(log.sizeBytes, before - (to - from) * (40 + 20) + GAP_RECORD_BYTES);
  const expected = Array.from({ length: 40 }, (_, i) => i).filter((o) => o < from || o >= to);
  assert.deepEqual(offsetsOf(await readAll(log)), expected);
  const read = await log.read(from + 1, 10_000);
  assert.equal(read[0]!.offset, to, 'a read inside a gap starts after it');
  assert.ok(read[0]!.payload.equals(payloadFor(to, 40)));
  assert.equal(await log.compactSegments(() => true), bases.length - 4, 'gaps are not replaced again; the active segment never');
  assert.equal(log.nextOffset, 40);
  assert.deepEqual(log.segmentBases, [bases[0], bases[bases.length - 1]], 'every closed segment in one gap');
  await log.close();
  assert.deepEqual(segmentRecords(join(dir, segmentName(bases[0]!, 'log'))).map((r) => [r.offset, r.span]), [[0, bases[bases.length - 1]!]]);
}));

test('a log with gaps reopens after a clean close and after kill -9, appends go on; data check calls it healthy', () => inLogDir(async (root, dir) => {
  const log = await filledLog(dir);
  const bases = log.segmentBases;
  await log.compactSegments(deadIn([[bases[1]!, bases[3]!], [bases[4]!, bases[6]!]]));
  const kept = offsetsOf(await readAll(log));
  await log.close();
  for (const crash of [false, true]) {
    if (crash) forgetCleanStop(dir);
    const again = await openLog(dir, { segmentBytes: SEGMENT_BYTES });
    assert.deepEqual(offsetsOf(await readAll(again)), kept, crash ? 'after kill -9' : 'after a clean close');
    assert.equal(again.nextOffset, 40);
    await again.close();
  }
  const report = checkStore(root);
  assert.deepEqual(report.problems, []);
  assert.equal(report.log.damage, null);
  const after = await openLog(dir, { segmentBytes: SEGMENT_BYTES });
  assert.equal(await after.append(payloadFor(40, 40)), 40);
  assert.deepEqual(offsetsOf(await readAll(after)), [...kept, 40]);
  await after.close();
}));

test('a segment really missing between two others is still damage, a gap or not', async () => {
  for (const which of ['data', 'gap'] as const) {
    await inLogDir(async (root, dir) => {
      const log = await filledLog(dir);
      const bases = log.segmentBases;
      await log.compactSegments(deadIn([[bases[2]!, bases[3]!]]));
      await log.close();
      const victim = which === 'gap' ? bases[2]! : bases[4]!;
      rmSync(join(dir, segmentName(victim, 'log')));
      rmSync(join(dir, segmentName(victim, 'index')));
      const report = checkStore(root);
      assert.match(report.problems.join('\n'), /end at another offset than the next segment starts at/, `data check (${which})`);
      // A start reads a closed segment's index and the record headers after its last entry: they end
      // before the next base, so the segment is scanned and the hole refused.
      await assert.rejects(openLog(dir, { segmentBytes: SEGMENT_BYTES }), (e: unknown) => {
        assert.ok(e instanceof RecoveryRefused, String(e));
        assert.match(e.message, /end at another offset than the next segment starts at/);
        return true;
      });
    });
  }
});

test('kill -9 mid-replacement: a .log.tmp left behind is ignored and deleted, the stale index of a replaced segment is rebuilt', () => inLogDir(async (root, dir) => {
  const log = await filledLog(dir);
  const bases = log.segmentBases;
  const records = await readAll(log);
  await log.close();
  // Before the rename: the gap written to its temp file, the segment whole.
  const base = bases[3]!;
  writeFileSync(join(dir, `${segmentName(base, 'log')}.tmp`), encodeRecord(base, bases[4]! - base, GAP_PAYLOAD));
  forgetCleanStop(dir);
  const reopened = await openLog(dir, { segmentBytes: SEGMENT_BYTES });
  assert.deepEqual(await readAll(reopened), records, 'every record is still there');
  assert.equal(existsSync(join(dir, `${segmentName(base, 'log')}.tmp`)), false, 'the temp file is gone once accepted');
  // After the rename, before the new index: the old segment's index beside the gap.
  const oldIndex = join(dir, 'old.index');
  copyFileSync(join(dir, segmentName(base, 'index')), oldIndex);
  await reopened.compactSegments(deadIn([[base, bases[4]!]]));
  await reopened.close();
  copyFileSync(oldIndex, join(dir, segmentName(base, 'index')));
  rmSync(oldIndex);
  forgetCleanStop(dir);
  const last = await openLog(dir, { segmentBytes: SEGMENT_BYTES });
  assert.deepEqual(offsetsOf(await readAll(last)), offsetsOf(records).filter((o) => o < base || o >= bases[4]!));
  assert.equal(checkStore(root).problems.length, 0);
  await last.close();
  assert.deepEqual(files(dir, 'log').length, bases.length);
}));

for (const checkpointAfter of [0, 10]) {
  for (const partly of [false, true]) {
    test(`the journal does not write replaced records back over ${partly ? 'the gaps of a partly kept segment' : 'a gap'} after a crash (checkpoint after ${checkpointAfter} records)`, async () => {
      await journalOverGap(checkpointAfter, partly);
    });
  }
}

/** Keep the offsets in [from, to) that `keep` picks. */
const keepWhere = (keep: (offset: number) => boolean) => (from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, i) => from + i).filter(keep);

async function journalOverGap(checkpointAfter: number, partly: boolean): Promise<void> {
  const live = tmp('junction-gap-live-');
  const crashed = tmp('junction-gap-crashed-');
  try {
    const storage = new Storage({ dataDir: live, fsync: 'batch', logger: captureLogger().logger, journal: { checkpointMs: 600_000 } });
    const opts = { log: { segmentBytes: SEGMENT_BYTES, batchDelayMs: 0 } };
    const [a, b] = [await storage.rawLog('raw/a', opts), await storage.rawLog('raw/b', opts)];
    // Two logs per cycle: the cycles go through the journal, which keeps every record (no checkpoint).
    for (let i = 0; i < 40; i++) {
      await Promise.all([a.append(payloadFor(i, 40)), b.append(payloadFor(i, 40))]);
      if (i + 1 === checkpointAfter) await storage.checkpoint();
    }
    const bases = a.segmentBases;
    // The journal's copies for log a start inside the segments about to be replaced, or before them.
    assert.ok(checkpointAfter > bases[1]! && checkpointAfter < bases[4]! || checkpointAfter === 0, `${bases}`);
    assert.ok(storage.journal!.nextOffset > storage.journal!.checkpointOffset);
    const inRange = (o: number) => o >= bases[1]! && o < bases[4]!;
    assert.equal(partly
      ? await a.compactSegments(() => false, keepWhere((o) => !inRange(o) || o % 3 === 0))
      : await a.compactSegments(deadIn([[bases[1]!, bases[4]!]])), 3);
    const kept = offsetsOf(await readAll(a as SegmentedLog));
    cpSync(live, crashed, { recursive: true });
    await storage.close();
    const report = checkDataDir(crashed);
    assert.equal(report.refuses, false, report.journal.problems.join('\n'));
    assert.deepEqual(report.stores.flatMap((s) => s.problems), []);
    const again = new Storage({ dataDir: crashed, fsync: 'batch', logger: captureLogger().logger });
    const reopened = await again.rawLog('raw/a', opts);
    assert.deepEqual(offsetsOf(await readAll(reopened as SegmentedLog)), kept);
    assert.deepEqual(kept, Array.from({ length: 40 }, (_, i) => i).filter((o) => !inRange(o) || (partly && o % 3 === 0)));
    for (const base of partly ? bases.slice(1, 4) : [bases[1]!]) {
      const records = segmentRecords(join(crashed, 'raw/a/log', segmentName(base, 'log')));
      if (!partly) assert.deepEqual(records.map((r) => [r.offset, r.span]), [[bases[1], bases[4]! - bases[1]!]], 'still one gap');
      assert.ok(records.some((r) => r.payload.equals(GAP_PAYLOAD)), 'gap records are still there');
    }
    assert.equal(readdirSync(join(crashed, 'raw/a/log')).filter((f) => f.endsWith('.tmp')).length, 0);
    await again.close();
  } finally {
    cleanup(live);
    cleanup(crashed);
  }
}

test('a gap that cannot be written leaves its segment whole and the log usable', () => inLogDir(async (_root, dir) => {
  const log = await filledLog(dir);
  const bases = log.segmentBases;
  const records = await readAll(log);
  // The temp file's name taken by a directory: open() fails as a full disk would.
  mkdirSync(join(dir, `${segmentName(bases[2]!, 'log')}.tmp`));
  await assert.rejects(log.compactSegments(deadIn([[bases[2]!, bases[3]!]])), /EISDIR/);
  assert.deepEqual(await readAll(log), records);
  assert.equal(await log.append(payloadFor(40, 40)), 40);
  rmSync(join(dir, `${segmentName(bases[2]!, 'log')}.tmp`), { recursive: true });
  assert.equal(await log.compactSegments(deadIn([[bases[2]!, bases[3]!]])), 1, 'the next call does it');
  await log.close();
}));

test('keepIn: a closed segment is rewritten with only the records it keeps, a gap record for each run of the others; reads, reopening (clean, kill -9, stale index) and data check agree', () => inLogDir(async (root, dir) => {
  const log = await openLog(dir, { segmentBytes: 1024 });
  for (let i = 0; i < 100; i++) await log.append(payloadFor(i, 40));
  const bases = log.segmentBases;
  const closedEnd = bases[bases.length - 1]!;
  assert.ok(bases.length >= 5, `enough segments (${bases.length})`);
  const indexes = bases.slice(0, -1).map((b) => readFileSync(join(dir, segmentName(b, 'index'))));
  const sizes = bases.slice(0, -1).map((b) => statSync(join(dir, segmentName(b, 'log'))).size);
  const keptFirst = (o: number) => o % 7 === 3;
  assert.equal(await log.compactSegments(() => false, keepWhere(keptFirst)), bases.length - 1, 'every closed segment (each keeps a record)');
  assert.deepEqual(log.segmentBases, bases, 'segments keep their names');
  const expected = (keep: (o: number) => boolean) => Array.from({ length: 100 }, (_, i) => i).filter((o) => o >= closedEnd || keep(o));
  const check = async (l: SegmentedLog, keep: (o: number) => boolean, what: string) => {
    const records = await readAll(l);
    assert.deepEqual(offsetsOf(records), expected(keep), what);
    for (const r of records) assert.ok(r.payload.equals(payloadFor(r.offset, 40)), `${what}: payload of ${r.offset}`);
    const inside = await l.read(5, 10_000);
    assert.equal(inside[0]!.offset, expected(keep).find((o) => o >= 5), `${what}: a read from inside a gap record starts at the next kept record`);
  };
  await check(log, keptFirst, 'after the rewrite');
  bases.slice(0, -1).forEach((b, i) => {
    const file = join(dir, segmentName(b, 'log'));
    const records = segmentRecords(file);
    assert.ok(statSync(file).size < sizes[i]! / 2, `segment ${b} shrank`);
    assert.ok(records.some((r) => r.payload.equals(GAP_PAYLOAD)), `segment ${b} holds gap records`);
    for (let k = 1; k < records.length; k++) assert.ok(!(records[k]!.payload.equals(GAP_PAYLOAD) && records[k - 1]!.payload.equals(GAP_PAYLOAD)), 'one gap record per run');
  });
  assert.equal(await log.compactSegments(() => false, keepWhere(keptFirst)), 0, 'nothing removed since: not rewritten again');
  const keptThen = (o: number) => o % 14 === 3;
  assert.equal(await log.compactSegments(() => false, keepWhere(keptThen)) > 0, true, 'fewer to keep: rewritten again');
  await check(log, keptThen, 'after a second rewrite');
  await log.close();
  for (const crash of [false, true]) {
    if (crash) forgetCleanStop(dir);
    const again = await openLog(dir, { segmentBytes: 1024 });
    await check(again, keptThen, crash ? 'after kill -9' : 'after a clean close');
    await again.close();
  }
  // A crash between the rename and the new index: each old index beside its rewritten segment.
  bases.slice(0, -1).forEach((b, i) => writeFileSync(join(dir, segmentName(b, 'index')), indexes[i]!));
  forgetCleanStop(dir);
  const stale = await openLog(dir, { segmentBytes: 1024 });
  await check(stale, keptThen, 'with the stale indexes');
  assert.equal(await stale.append(payloadFor(100, 40)), 100);
  await stale.close();
  assert.deepEqual(checkStore(root).problems, []);
  const last = await openLog(dir, { segmentBytes: 1024 });
  assert.equal(await last.compactSegments(() => true), bases.length - 1, 'dead after all: gaps, merged into one');
  assert.deepEqual(segmentRecords(join(dir, segmentName(bases[0]!, 'log'))).map((r) => [r.offset, r.span]), [[0, closedEnd]]);
  await last.close();
}));

test('a merge of gaps cut short by kill -9 after its rename: the gaps it spans are left out, deleted at open; anything else inside its span is damage', () => inLogDir(async (root, dir) => {
  const log = await filledLog(dir);
  const bases = log.segmentBases;
  const expected = offsetsOf(await readAll(log)).filter((o) => o < bases[2]! || o >= bases[5]!);
  // The three segments become one gap (the merge done); the files of the other two as they were
  // as gaps of their own, before the merge.
  await log.compactSegments(deadIn([[bases[2]!, bases[5]!]]));
  await log.close();
  const saved = [3, 4].map((k) => encodeRecord(bases[k]!, bases[k + 1]! - bases[k]!, GAP_PAYLOAD));
  const merged = encodeRecord(bases[2]!, bases[5]! - bases[2]!, GAP_PAYLOAD);
  // What the merge's rename leaves before its deletions: the longer gap, the others still there.
  const crashAfterRename = () => {
    writeFileSync(join(dir, segmentName(bases[2]!, 'log')), merged);
    [3, 4].forEach((k, i) => {
      writeFileSync(join(dir, segmentName(bases[k]!, 'log')), saved[i]!);
      writeFileSync(join(dir, segmentName(bases[k]!, 'index')), 'an index the merge had not deleted yet');
    });
    forgetCleanStop(dir);
  };
  crashAfterRename();
  assert.deepEqual(checkStore(root).problems, [], 'data check: not damage');
  const check = await runCli(['data', 'check', '--data-dir', root]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, new RegExp(`superseded +${segmentName(bases[3]!, 'log')}, ${segmentName(bases[4]!, 'log')}: gap segments`), check.stdout);
  const again = await openLog(dir, { segmentBytes: SEGMENT_BYTES });
  assert.deepEqual(offsetsOf(await readAll(again)), expected);
  assert.deepEqual(again.recovery.superseded.map((f) => f.split('/').pop()), [3, 4].map((k) => segmentName(bases[k]!, 'log')));
  assert.equal(existsSync(join(dir, segmentName(bases[3]!, 'log'))), false, 'deleted once accepted');
  assert.equal(existsSync(join(dir, segmentName(bases[4]!, 'index'))), false, 'with its index');
  assert.equal(await again.append(payloadFor(40, 40)), 40);
  await again.close();
  // A segment with records inside a gap's span is never dropped: refused as before.
  crashAfterRename();
  const data = join(dir, segmentName(bases[4]!, 'log'));
  writeFileSync(data, Buffer.concat(Array.from({ length: bases[5]! - bases[4]! }, (_, i) => encodeRecord(bases[4]! + i, 1, payloadFor(bases[4]! + i, 40)))));
  await assert.rejects(openLog(dir, { segmentBytes: SEGMENT_BYTES }), (e: unknown) => e instanceof RecoveryRefused && /end at another offset/.test(e.message));
  assert.ok(existsSync(data) && existsSync(join(dir, segmentName(bases[3]!, 'log'))), 'nothing deleted');
}));
