import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '../../src/core/errors.js';
import { encodeRecord } from '../../src/core/log/record.js';
import { cleanup, files, forgetCleanStop, openLog, payloadFor, prng, readAll, tmp } from './fixtures/log-helpers.js';

const OPTS = { segmentBytes: 400, indexIntervalBytes: 50 };
const N = 30;

/** A log of N records over several segments; returns its dir and the last segment path. By
 *  default it looks as a kill -9 leaves it (no clean-stop marker), so its tail may be torn. */
async function writtenLog(state: 'crashed' | 'clean' = 'crashed'): Promise<{ dir: string; last: string; lastRecordStart: number }> {
  const dir = tmp();
  const log = await openLog(dir, OPTS);
  for (let i = 0; i < N; i++) await log.append(payloadFor(i));
  await log.close();
  if (state === 'crashed') forgetCleanStop(dir);
  const last = join(dir, files(dir, 'log').at(-1)!);
  const lastRecordSize = encodeRecord(N - 1, 1, payloadFor(N - 1)).length;
  return { dir, last, lastRecordStart: statSync(last).size - lastRecordSize };
}

async function assertIntactUpTo(dir: string, count: number, expectTruncated: number, note: string): Promise<void> {
  const log = await openLog(dir, OPTS);
  try {
    assert.equal(log.recovery.truncatedBytes, expectTruncated, `${note}: truncatedBytes`);
    assert.equal(log.nextOffset, count, `${note}: nextOffset`);
    const records = await readAll(log);
    assert.deepEqual(records.map((r) => r.payload), Array.from({ length: count }, (_, i) => payloadFor(i)), `${note}: records`);
    assert.equal(await log.append(Buffer.from('next')), count, `${note}: next append offset`);
    assert.equal((await log.read(count))[0]!.payload.toString(), 'next');
  } finally { await log.close(); }
  // The repair is durable: a second open finds nothing to cut.
  forgetCleanStop(dir);
  const again = await openLog(dir, OPTS);
  assert.equal(again.recovery.truncatedBytes, 0, `${note}: second open`);
  assert.equal(again.nextOffset, count + 1);
  await again.close();
}

test('torn tail: a cut at every byte inside the last record loses only that record', async () => {
  const { dir, last, lastRecordStart } = await writtenLog();
  try {
    const size = statSync(last).size;
    assert.ok(files(dir, 'log').length >= 3);
    for (let cut = lastRecordStart; cut < size; cut++) {
      const copy = tmp();
      try {
        cpSync(dir, copy, { recursive: true });
        truncateSync(join(copy, files(copy, 'log').at(-1)!), cut);
        await assertIntactUpTo(copy, N - 1, cut - lastRecordStart, `cut at ${cut}`);
      } finally { cleanup(copy); }
    }
  } finally { cleanup(dir); }
});

test('torn tail: random garbage after the last record is cut, all records kept (after a crash or a clean stop)', async () => {
  const { dir } = await writtenLog();
  const { dir: cleanDir } = await writtenLog('clean');
  const rand = prng(77);
  try {
    for (let round = 0; round < 25; round++) {
      const copy = tmp();
      try {
        cpSync(dir, copy, { recursive: true });
        const garbage = Buffer.alloc(1 + Math.floor(rand() * 300));
        for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(rand() * 256);
        // Some rounds: a plausible length field, or a whole record with a wrong offset (a stale
        // record from a reused file), so more than the length check is exercised.
        if (round % 3 === 1 && garbage.length >= 4) garbage.writeUInt32BE(Math.min(garbage.length + 10, 16 + Math.floor(rand() * 40)), 0);
        const tail = round % 3 === 2 ? Buffer.concat([encodeRecord(N + 5, 1, Buffer.from('stale')), garbage]) : garbage;
        appendFileSync(join(copy, files(copy, 'log').at(-1)!), tail);
        await assertIntactUpTo(copy, N, tail.length, `round ${round}`);
        // After a clean stop the marker says where acknowledged data ends; bytes beyond it are
        // not Junction's writes and hold nothing valid, so they are cut too.
        cleanup(copy);
        cpSync(cleanDir, copy, { recursive: true });
        appendFileSync(join(copy, files(copy, 'log').at(-1)!), tail);
        await assertIntactUpTo(copy, N, tail.length, `round ${round}, clean stop`);
      } finally { cleanup(copy); }
    }
  } finally { cleanup(dir); cleanup(cleanDir); }
});

test('after a crash, a corrupt byte in the last record (nothing valid after it) truncates there', async () => {
  const { dir, last, lastRecordStart } = await writtenLog();
  try {
    const size = statSync(last).size;
    const buf = readFileSync(last);
    buf[lastRecordStart + Math.floor((size - lastRecordStart) / 2)]! ^= 0x40;
    writeFileSync(last, buf);
    await assertIntactUpTo(dir, N - 1, size - lastRecordStart, 'bit flip');
    assert.equal(statSync(last).size, lastRecordStart + encodeRecord(N - 1, 1, Buffer.from('next')).length);
  } finally { cleanup(dir); }
});

test('an empty last segment (crash right after a roll) opens cleanly', async () => {
  const { dir } = await writtenLog();
  try {
    writeFileSync(join(dir, `${String(N).padStart(20, '0')}.log`), '');
    await assertIntactUpTo(dir, N, 0, 'empty new segment');
  } finally { cleanup(dir); }
});

test('a missing, truncated or garbage .index file is rebuilt and rewritten', async () => {
  const { dir } = await writtenLog();
  const rand = prng(5);
  try {
    const indexes = files(dir, 'index');
    assert.ok(indexes.length >= 2);
    const good = readFileSync(join(dir, indexes[0]!));
    const expected = await (async () => { const l = await openLog(dir, OPTS); const r = await readAll(l); await l.close(); return r; })();
    const damages: Array<[string, (p: string) => void]> = [
      ['missing', (p) => unlinkSync(p)],
      ['empty', (p) => writeFileSync(p, '')],
      ['half', (p) => writeFileSync(p, good.subarray(0, Math.floor(good.length / 2)))],
      ['random', (p) => writeFileSync(p, Buffer.from(Array.from({ length: good.length }, () => Math.floor(rand() * 256))))],
      // Plausible entries (offset and position shifted by one record) but a stale CRC.
      ['shifted', (p) => { const b = Buffer.from(good); b.writeUInt32BE(b.readUInt32BE(20) + 1, 20); writeFileSync(p, b); }],
    ];
    for (const [name, damage] of damages) {
      for (const f of indexes) damage(join(dir, f));
      const log = await openLog(dir, OPTS);
      for (let o = 0; o < N; o++) assert.deepEqual(await log.read(o, 1), [expected[o]], `${name}: read(${o})`);
      await log.close();
      assert.deepEqual(readFileSync(join(dir, indexes[0]!)), good, `${name}: index rewritten as before`);
    }
  } finally { cleanup(dir); }
});

test('damage inside a closed segment is a StorageError, not a silent gap', async () => {
  const { dir } = await writtenLog();
  try {
    const first = join(dir, files(dir, 'log')[0]!);
    unlinkSync(join(dir, files(dir, 'index')[0]!)); // force a scan
    const buf = readFileSync(first);
    buf[buf.length - 3]! ^= 1;
    writeFileSync(first, buf);
    await assert.rejects(openLog(dir, OPTS), (e: unknown) => e instanceof StorageError &&
      /00000000000000000000\.log: a record fails its CRC-32C at byte \d+ .*a closed segment was fdatasynced/.test(e.message));
  } finally { cleanup(dir); }
});
