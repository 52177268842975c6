// Principle 9: only a torn tail is cut; any other damage refuses the open and changes nothing.
// Each case corrupts a log on purpose and proves the files are byte-identical afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecoveryRefused } from '../../src/core/errors.js';
import { CLEAN_STOP_FILE } from '../../src/core/log/clean-stop.js';
import { encodeRecord } from '../../src/core/log/record.js';
import { captureLogger } from './fixtures/counter-machine.js';
import { cleanup, files, fingerprint, forgetCleanStop, openLog, payloadFor, readAll, tmp } from './fixtures/log-helpers.js';

const N = 200;

/** One segment of N records; `state` says whether the run ended cleanly or by kill -9. */
async function singleSegmentLog(state: 'clean' | 'crashed'): Promise<{ dir: string; file: string; starts: number[] }> {
  const dir = tmp('junction-refuse-');
  const log = await openLog(dir);
  for (let i = 0; i < N; i++) await log.append(payloadFor(i));
  await log.close();
  if (state === 'crashed') forgetCleanStop(dir);
  const starts: number[] = [];
  let pos = 0;
  for (let i = 0; i < N; i++) { starts.push(pos); pos += encodeRecord(i, 1, payloadFor(i)).length; }
  return { dir, file: join(dir, files(dir, 'log')[0]!), starts };
}

function flipByte(file: string, at: number): void {
  const buf = readFileSync(file);
  buf[at]! ^= 0x10;
  writeFileSync(file, buf);
}

async function assertRefused(dir: string, pattern: RegExp, opts = {}): Promise<void> {
  const before = fingerprint(dir);
  await assert.rejects(openLog(dir, opts), (e: unknown) => {
    assert.ok(e instanceof RecoveryRefused, `expected RecoveryRefused, got ${String(e)}`);
    assert.match(e.message, pattern);
    assert.match(e.message, /Nothing was changed/);
    return true;
  });
  assert.deepEqual(fingerprint(dir), before, 'the refused open left every file byte-identical');
}

test('a flipped byte mid-segment with valid records after it is refused, not cut (after a crash)', async () => {
  const { dir, file, starts } = await singleSegmentLog('crashed');
  try {
    const bad = starts[N / 2]!;
    flipByte(file, bad + 25);
    const size = statSync(file).size;
    await assertRefused(dir, new RegExp(`${files(dir, 'log')[0]}: a record fails its CRC-32C at byte ${bad} \\(expected offset ${N / 2}\\) ` +
      `and valid records follow it.*would lose ${size - bad} bytes from byte ${bad} on, ` +
      `${N / 2 - 1} valid records from byte ${starts[N / 2 + 1]} \\(offsets ${N / 2 + 1}\\.\\.${N - 1}\\)`));
    // And again: a refusal is stable, not a one-time warning.
    await assertRefused(dir, /valid records follow it/);
  } finally { cleanup(dir); }
});

test('a corrupted length field mid-segment is refused too (the scan finds the records after it)', async () => {
  const { dir, file, starts } = await singleSegmentLog('crashed');
  try {
    const buf = readFileSync(file);
    buf.writeUInt32BE(0xffff_fff0, starts[10]!);
    writeFileSync(file, buf);
    await assertRefused(dir, /impossible length at byte \d+ \(expected offset 10\) and valid records follow it.*offsets 11\.\.199/);
  } finally { cleanup(dir); }
});

test('after a clean stop, a flip in the last record is refused: it was acknowledged', async () => {
  const { dir, file, starts } = await singleSegmentLog('clean');
  try {
    flipByte(file, starts[N - 1]! + 22);
    await assertRefused(dir, new RegExp(`stopped cleanly at offset ${N} .*readable records end at offset ${N - 1} .*fails its CRC-32C at byte ${starts[N - 1]}.*offsets ${N - 1}\\.\\.${N - 1} would be lost`));
  } finally { cleanup(dir); }
});

test('after a clean stop, a log cut short at a record boundary is refused (records are missing)', async () => {
  const { dir, file, starts } = await singleSegmentLog('clean');
  try {
    truncateSync(file, starts[150]!);
    await assertRefused(dir, new RegExp(`stopped cleanly at offset 200 .*readable records end at offset 150 \\(${file} ends at byte ${starts[150]}\\): offsets 150\\.\\.199 would be lost`));
  } finally { cleanup(dir); }
});

test('an unreadable clean-stop marker forbids cutting: a torn-looking tail is refused', async () => {
  const { dir, file, starts } = await singleSegmentLog('clean');
  try {
    writeFileSync(join(dir, CLEAN_STOP_FILE), 'not a marker');
    truncateSync(file, starts[N - 1]! + 7);
    await assertRefused(dir, /the file ends inside a record at byte \d+ .*clean-stop marker is unreadable/);
    // The same marker with an intact log is no problem: nothing needs cutting.
    const intact = await singleSegmentLog('clean');
    try {
      writeFileSync(join(intact.dir, CLEAN_STOP_FILE), 'not a marker');
      const log = await openLog(intact.dir);
      assert.equal(log.nextOffset, N);
      await log.close();
    } finally { cleanup(intact.dir); }
  } finally { cleanup(dir); }
});

test('a log that must reach a snapshot offset refuses a torn-tail cut below it', async () => {
  const { dir, file, starts } = await singleSegmentLog('crashed');
  try {
    truncateSync(file, starts[N - 1]! + 3);
    await assertRefused(dir, /snapshot X covers offsets below 200 but the log's readable records end at offset 199.*offsets 199\.\.199 would be lost/,
      { requirements: { reach: { offset: N, what: 'snapshot X' } } });
  } finally { cleanup(dir); }
});

test('a torn tail after a crash (a write cut short) is cut and logged with the file and byte count', async () => {
  const { dir, file } = await singleSegmentLog('crashed');
  try {
    const size = statSync(file).size;
    const torn = encodeRecord(N, 1, payloadFor(N)).subarray(0, 30);
    appendFileSync(file, torn);
    const { logger, lines } = captureLogger();
    const log = await openLog(dir, { logger });
    try {
      assert.deepEqual(log.recovery.tornTail, { file, position: size, bytes: torn.length });
      assert.equal(log.recovery.cleanStop, false);
      const warn = lines.find((l) => l.level === 'warn');
      assert.deepEqual(warn, { level: 'warn', obj: { file, position: size, bytes: torn.length }, msg: 'cut a torn log tail' });
      assert.equal(statSync(file).size, size);
      assert.equal((await readAll(log)).length, N);
      assert.equal(await log.append(Buffer.from('after')), N);
    } finally { await log.close(); }
  } finally { cleanup(dir); }
});

test('the clean-stop marker is written by close and removed by open, before any append', async () => {
  const { dir } = await singleSegmentLog('clean');
  try {
    const marker = join(dir, CLEAN_STOP_FILE);
    assert.ok(statSync(marker).size > 0);
    const log = await openLog(dir);
    assert.equal(log.recovery.cleanStop, true);
    assert.throws(() => statSync(marker), /ENOENT/, 'removed while the log is open');
    await log.append(Buffer.from('x'));
    await log.close();
    assert.ok(statSync(marker).size > 0, 'written again by close');
  } finally { cleanup(dir); }
});
