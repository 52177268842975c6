import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeRecord, encodeRecordHeader } from '../../src/core/log/record.js';
import { CommitScheduler } from '../../src/core/log/commit-scheduler.js';
import { LogAppendError } from '../../src/core/log/segmented-log.js';
import { silentLogger } from '../../src/core/logger.js';
import { Storage } from '../../src/core/storage/storage.js';
import { cleanup, openLog, readAll, tmp } from './fixtures/log-helpers.js';

test('a record header over pieces equals the header over their concatenation', () => {
  const pieces = [Buffer.from('head:'), Buffer.alloc(0), Buffer.alloc(3000, 0x5a), Buffer.from([0, 255])];
  const whole = Buffer.concat(pieces);
  assert.deepEqual(encodeRecordHeader(7, 2, pieces), encodeRecordHeader(7, 2, whole));
  assert.deepEqual(Buffer.concat([encodeRecordHeader(7, 2, pieces), ...pieces]), encodeRecord(7, 2, whole));
});

test('append(pieces) stores their concatenation, through a log and through the journal, across reopen', async () => {
  const dir = tmp('junction-pieces-');
  try {
    const log = await openLog(dir, { segmentBytes: 4096 });
    const expected: Buffer[] = [];
    const appends = Array.from({ length: 40 }, (_, i) => {
      const pieces = [Buffer.from(`h${i}|`), Buffer.alloc(i * 50, i)];
      expected.push(Buffer.concat(pieces));
      return log.append(pieces);
    });
    assert.deepEqual(await Promise.all(appends), expected.map((_, i) => i));
    await assert.rejects(log.append([Buffer.alloc(10 << 20), Buffer.alloc(7 << 20)]), LogAppendError);
    await log.close();
    const again = await openLog(dir, { segmentBytes: 4096 });
    assert.deepEqual((await readAll(again)).map((r) => r.payload), expected);
    await again.close();

    // Two logs in one cycle go through the journal, which writes each record's pieces back to back.
    const storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
    const [a, b] = [await storage.rawLog('t/a'), await storage.rawLog('t/b')];
    await Promise.all([a.append([Buffer.from('x'), Buffer.from('yz')]), b.append([Buffer.from('1'), Buffer.from('23')])]);
    assert.deepEqual((await a.read(0)).map((r) => r.payload.toString()), ['xyz']);
    assert.deepEqual((await b.read(0)).map((r) => r.payload.toString()), ['123']);
    await storage.close();
  } finally { cleanup(dir); }
});

test('appendShared: the appends of one commit batch share one promise, durableEnd moves when it resolves, a failed batch rejects it', async () => {
  const dir = tmp('junction-shared-');
  try {
    let failing = false;
    const log = await openLog(dir, {
      scheduler: new CommitScheduler({ fdatasync: async () => { if (failing) throw new Error('disk gone'); } }),
    });
    const first = [log.appendShared([Buffer.from('a')]), log.appendShared([Buffer.from('b'), Buffer.from('c')])];
    assert.equal(first[0], first[1], 'two appends in one turn join one batch');
    assert.equal(log.durableEnd, 0);
    await first[0];
    assert.equal(log.durableEnd, 2);
    const next = log.appendShared([Buffer.from('d')]);
    assert.notEqual(next, first[0], 'a later batch has its own promise');
    const counted = log.append(Buffer.from('e'));
    await next;
    assert.equal(await counted, 3, 'append() and appendShared() take offsets from one sequence');
    assert.deepEqual((await readAll(log)).map((r) => [r.offset, r.payload.toString()]), [[0, 'a'], [1, 'bc'], [2, 'd'], [3, 'e']]);

    failing = true;
    const lost = log.appendShared([Buffer.from('f')]);
    await assert.rejects(lost, LogAppendError);
    assert.equal(log.durableEnd, 4, 'nothing of the failed batch counts as durable');
    await assert.rejects(log.appendShared([Buffer.from('g')]), LogAppendError, 'a failed log refuses later appends');
    await log.close().catch(() => undefined);
  } finally { cleanup(dir); }
});
