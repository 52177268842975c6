import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { LogAppendError } from '../../src/core/log/segmented-log.js';
import { cleanup, files, openLog, payloadFor, readAll, tmp } from './fixtures/log-helpers.js';

test('append/read/replay across several segments, reopen keeps records and nextOffset', async () => {
  const dir = tmp();
  try {
    const log = await openLog(dir, { segmentBytes: 300 });
    assert.deepEqual(log.recovery, { segments: 1, truncatedBytes: 0, tornTail: null, cleanStop: false, nextOffset: 0, superseded: [] });
    const offsets = await Promise.all(Array.from({ length: 60 }, (_, i) => log.append(payloadFor(i))));
    assert.deepEqual(offsets, Array.from({ length: 60 }, (_, i) => i));
    assert.ok(files(dir, 'log').length >= 5, `expected several segments, got ${files(dir, 'log')}`);
    for (const f of files(dir, 'log')) {
      // No segment grows past segmentBytes (each record is well under it).
      assert.ok(statSync(join(dir, f)).size <= 300, `${f} is ${statSync(join(dir, f)).size} bytes`);
    }
    const all = await readAll(log);
    assert.deepEqual(all.map((r) => r.payload), offsets.map((i) => payloadFor(i)));
    assert.deepEqual((await log.read(37, 1)).map((r) => r.offset), [37], 'maxBytes still returns one record');
    assert.deepEqual((await log.read(37, 2 * payloadFor(37).length + payloadFor(38).length)).map((r) => r.offset), [37, 38]);
    assert.deepEqual(await log.read(60), []);
    await log.close();

    const again = await openLog(dir, { segmentBytes: 300 });
    assert.equal(again.nextOffset, 60);
    assert.equal(again.recovery.segments, files(dir, 'log').length);
    assert.equal(again.recovery.truncatedBytes, 0);
    assert.equal(again.recovery.cleanStop, true, 'close() left a clean-stop marker');
    assert.deepEqual((await readAll(again)).map((r) => r.payload), all.map((r) => r.payload));
    assert.equal(await again.append(Buffer.from('after reopen')), 60);
    assert.equal((await again.read(60))[0]!.payload.toString(), 'after reopen');
    await again.close();
  } finally { cleanup(dir); }
});

test('records with span > 1: offsets advance by span, read inside a span returns that record', async () => {
  const dir = tmp();
  try {
    const log = await openLog(dir, { segmentBytes: 200 });
    const spans = [1, 5, 1, 10, 3, 1, 7];
    const got: number[] = [];
    for (const [i, span] of spans.entries()) got.push(await log.append(payloadFor(i), span));
    let expected = 0;
    for (const [i, span] of spans.entries()) { assert.equal(got[i], expected); expected += span; }
    assert.equal(log.nextOffset, expected);
    for (let o = 0; o < expected; o++) {
      const [first] = await log.read(o, 1);
      const i = got.findIndex((start, k) => o >= start && o < start + spans[k]!);
      assert.equal(first!.offset, got[i], `read(${o})`);
      assert.equal(first!.span, spans[i]);
      assert.deepEqual(first!.payload, payloadFor(i));
    }
    await log.close();
    const again = await openLog(dir, { segmentBytes: 200 });
    assert.equal(again.nextOffset, expected);
    assert.deepEqual((await readAll(again, 1)).map((r) => r.offset), got.slice(1));
    assert.deepEqual((await readAll(again, 8)).map((r) => r.offset), got.slice(3), "replay from inside a span starts at that record");
    await again.close();
  } finally { cleanup(dir); }
});

test('sparse index lookups answer like a full scan, before and after reopen', async () => {
  const sparse = tmp(); const full = tmp();
  try {
    const opts = { segmentBytes: 4096 };
    const a = await openLog(sparse, { ...opts, indexIntervalBytes: 64 });
    const b = await openLog(full, { ...opts, indexIntervalBytes: 1e12 });
    const spans = Array.from({ length: 300 }, (_, i) => 1 + (i % 4));
    for (const [i, span] of spans.entries()) await Promise.all([a.append(payloadFor(i), span), b.append(payloadFor(i), span)]);
    const idx = files(sparse, 'index');
    assert.ok(idx.length >= 2);
    // 64-byte interval over ~4 KiB segments: many entries (12 bytes each + 4-byte CRC).
    assert.ok(statSync(join(sparse, idx[0]!)).size > 12 * 20, 'sparse index has many entries');
    assert.equal(statSync(join(full, files(full, 'index')[0]!)).size, 12 + 4, 'full-scan index has one entry');
    const compare = async (x: typeof a, y: typeof b) => {
      for (let o = 0; o < x.nextOffset; o += 3) assert.deepEqual(await x.read(o, 300), await y.read(o, 300), `read(${o})`);
    };
    await compare(a, b);
    await a.close(); await b.close();
    const a2 = await openLog(sparse, { ...opts, indexIntervalBytes: 64 });
    const b2 = await openLog(full, { ...opts, indexIntervalBytes: 1e12 });
    await compare(a2, b2);
    await a2.close(); await b2.close();
  } finally { cleanup(sparse); cleanup(full); }
});

test('deleteBefore drops only whole covered segments and never the active one', async () => {
  const dir = tmp();
  try {
    const log = await openLog(dir, { segmentBytes: 200 });
    for (let i = 0; i < 40; i++) await log.append(payloadFor(i));
    const before = files(dir, 'log').map((f) => Number(f.slice(0, 20)));
    assert.ok(before.length >= 4);
    // An offset inside the third segment: only the first two lie wholly below it.
    const cut = before[2]! + 1;
    assert.equal(await log.deleteBefore(cut), 2);
    assert.deepEqual(files(dir, 'log').map((f) => Number(f.slice(0, 20))), before.slice(2));
    assert.equal(files(dir, 'index').length, before.length - 3, 'index files of deleted segments are gone too');
    assert.equal(log.startOffset, before[2]);
    assert.equal((await readAll(log))[0]!.offset, before[2]);
    assert.equal(await log.deleteBefore(before[2]!), 0, 'a segment ending at/after the offset stays');
    assert.equal(await log.deleteBefore(1e9), before.length - 3, 'everything but the active segment');
    assert.deepEqual(files(dir, 'log'), [files(dir, 'log').at(-1)]);
    assert.equal(await log.append(Buffer.from('x')), 40);
    await log.close();
    const again = await openLog(dir, { segmentBytes: 200 });
    assert.equal(again.startOffset, before.at(-1));
    assert.equal(again.nextOffset, 41);
    await again.close();
  } finally { cleanup(dir); }
});

test('maxRecordBytes and bad spans are refused with LogAppendError, and the log keeps working', async () => {
  const dir = tmp();
  try {
    const log = await openLog(dir, { maxRecordBytes: 100 });
    await assert.rejects(log.append(Buffer.alloc(101)), (e: unknown) => e instanceof LogAppendError && /101 bytes exceeds the 100-byte limit/.test(e.message));
    for (const span of [0, -1, 1.5, 2 ** 32]) await assert.rejects(log.append(Buffer.alloc(1), span), LogAppendError);
    assert.equal(await log.append(Buffer.alloc(100)), 0, 'no offset consumed by refused appends');
    await log.close();
    await assert.rejects(log.append(Buffer.alloc(1)), (e: unknown) => e instanceof LogAppendError && /closed/.test(e.message));
  } finally { cleanup(dir); }
});

test('group commit: 1000 concurrent appends resolve in offset order with far fewer fsyncs', async () => {
  for (const fsync of ['always', 'batch'] as const) {
    const dir = tmp();
    try {
      let fsyncs = 0;
      const log = await openLog(dir, { fsync, segmentBytes: 64 * 1024, onFsync: () => { fsyncs++; } });
      const resolved: number[] = [];
      await Promise.all(Array.from({ length: 1000 }, (_, i) => log.append(payloadFor(i)).then((o) => { resolved.push(o); })));
      assert.deepEqual(resolved, Array.from({ length: 1000 }, (_, i) => i), `${fsync}: resolution order`);
      assert.ok(fsyncs >= 1 && fsyncs <= 10, `${fsync}: ${fsyncs} fsyncs for 1000 appends`);
      await log.close();
    } finally { cleanup(dir); }
  }
});

test('fsync policies always/batch/never all resolve and persist; never does not fsync per append', async () => {
  for (const fsync of ['always', 'batch', 'never'] as const) {
    const dir = tmp();
    try {
      let fsyncs = 0;
      const log = await openLog(dir, { fsync, onFsync: () => { fsyncs++; } });
      for (let i = 0; i < 20; i++) assert.equal(await log.append(payloadFor(i)), i);
      if (fsync === 'never') assert.equal(fsyncs, 0);
      else assert.equal(fsyncs, 20, 'sequential appends: one fsync each');
      await log.close();
      const again = await openLog(dir, { fsync });
      assert.equal(again.nextOffset, 20);
      await again.close();
    } finally { cleanup(dir); }
  }
});

test('readers never see a record before its append resolved', async () => {
  const dir = tmp();
  try {
    const log = await openLog(dir, { fsync: 'always' });
    for (let round = 0; round < 20; round++) {
      let acked = false;
      const p = log.append(payloadFor(round)).then((o) => { acked = true; return o; });
      let early = 0;
      // Poll on every turn of the event loop while the write + fdatasync is in flight.
      while (!acked) {
        const seen = await log.read(round);
        if (!acked && seen.length > 0) early++;
        await new Promise((r) => setImmediate(r));
      }
      assert.equal(early, 0, `round ${round}: record visible before it was acknowledged`);
      assert.equal((await log.read(round)).length, 1);
      await p;
    }
    await log.close();
  } finally { cleanup(dir); }
});
