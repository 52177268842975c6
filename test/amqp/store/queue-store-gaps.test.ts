// Compaction behind a live head (issue 10 §3): closed message segments none of whose messages is
// live become gap records (core's compactSegments) while one old message stays; the store gives
// back the same live messages, in order, with readable bodies, after a clean close (index file),
// after a crash (replay) and after kill -9 mid-stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GAP_RECORD_BYTES } from '../../../src/core/log/record.js';
import { silentLogger } from '../../../src/core/logger.js';
import { checkDataDir } from '../../../src/core/storage/check.js';
import { Storage } from '../../../src/core/storage/storage.js';
import { QueueMessageStore, queueStoreName } from '../../../src/amqp/store/queue-store.js';
import { cleanup, tmp } from '../../core/fixtures/log-helpers.js';
import { segmentRecords } from '../../helpers/log-files.js';
import { crashMessage } from './fixtures/crash-message.js';
import { GAP_CHILD_OPTIONS, KEEP_EVERY } from './fixtures/queue-store-gap-child.js';

const CHILD = fileURLToPath(new URL('./fixtures/queue-store-gap-child.js', import.meta.url));

function storage(dataDir: string): Storage {
  return new Storage({ dataDir, fsync: 'batch', logger: silentLogger() });
}

/** The message (or ack) log's segment files: how many, how many are gaps, their bytes, and how
 *  many offsets the gap files span (a merge of gaps makes one file of many segments). */
function msgSegments(dataDir: string, queue: string, log: 'msgs' | 'acks' = 'msgs'): { files: number; gaps: number; bytes: number; inGaps: number } {
  const dir = join(dataDir, ...queueStoreName('/', queue).split('/'), log, 'log');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => join(dir, f)) : [];
  const sizes = files.map((f) => statSync(f).size);
  const gapFiles = files.filter((_, i) => sizes[i] === GAP_RECORD_BYTES);
  const inGaps = gapFiles.reduce((n, f) => n + (segmentRecords(f)[0]?.span ?? 0), 0);
  return { files: files.length, gaps: gapFiles.length, bytes: sizes.reduce((a, b) => a + b, 0), inGaps };
}

/** Live messages of `store` as (location, seq), bodies read and checked against crashMessage. */
async function liveMessages(store: QueueMessageStore): Promise<Array<[number, number]>> {
  const out: Array<[number, number]> = [];
  for (const e of store.entries()) {
    const m = await store.read(e.location);
    const seq = Number(m!.properties.messageId!.split('/')[2]);
    assert.deepEqual(m, crashMessage(0, 0, seq), `message at ${e.location}`);
    out.push([e.location, seq]);
  }
  return out;
}

test('queue store: a live head no longer pins the acked segments behind it; reopen after a clean close or a crash gives the same messages', async () => {
  const dir = tmp('junction-qgap-');
  const crashed = tmp('junction-qgap-crashed-');
  try {
    const s = storage(dir);
    const store = await QueueMessageStore.open(s, '/', 'pinned', GAP_CHILD_OPTIONS);
    const count = 3000;
    const locations = await Promise.all(Array.from({ length: count }, (_, i) => store.append(crashMessage(0, 0, i))));
    const full = msgSegments(dir, 'pinned');
    assert.ok(full.files > 100, `${full.files} segments`);
    const kept = locations.filter((_, i) => i === 0 || i % KEEP_EVERY === 0);
    // The removals start compactions of their own (every quarter segment removed); one more to be
    // sure it ran. Removed 50 a turn: one ack record each, many ack segments.
    const removed = locations.filter((_, i) => i !== 0 && i % KEEP_EVERY !== 0);
    for (let i = 0; i < removed.length; i += 50) await Promise.all(removed.slice(i, i + 50).map((l) => store.remove(l)));
    await store.compact();
    const acks = msgSegments(dir, 'pinned', 'acks');
    // Ack segments whose named messages all lie in gaps become gaps too; those naming a message in
    // a kept message's segment (0, 997, 1994, 2991) stay.
    assert.ok(acks.files >= 5 && acks.gaps >= 2, `${acks.gaps} of ${acks.files} ack segments are gaps`);
    const compacted = msgSegments(dir, 'pinned');
    assert.ok(existsSync(join(dir, ...queueStoreName('/', 'pinned').split('/'), 'msgs', 'log', '00000000000000000000.log')),
      'the head pins the prefix: its segment stays');
    // At most one kept message per segment: the segments holding one stay (rewritten with it alone,
    // the log being mostly garbage), the runs of others between them become one gap file each.
    assert.ok(compacted.gaps >= 1 && compacted.files <= 2 * kept.length + 2, `${compacted.files} segment files (${compacted.gaps} gaps) of ${full.files}`);
    // What stays: the segments holding a kept message, the active one, 28 bytes per gap.
    const bound = (kept.length + 1) * GAP_CHILD_OPTIONS.segmentBytes + compacted.gaps * GAP_RECORD_BYTES;
    assert.ok(compacted.bytes <= bound && compacted.bytes < full.bytes / 5, `${compacted.bytes} bytes on disk, ${full.bytes} before`);
    const expected = await liveMessages(store);
    assert.deepEqual(expected.map(([l]) => l), kept);
    cpSync(dir, crashed, { recursive: true }); // the files as kill -9 leaves them
    await store.close();
    await s.close();

    for (const [label, dataDir, recoveredFrom] of [['clean close', dir, 'index'], ['crash', crashed, 'logs']] as const) {
      assert.equal(checkDataDir(dataDir).refuses, false, `data check after a ${label}`);
      const again = storage(dataDir);
      const reopened = await QueueMessageStore.open(again, '/', 'pinned', GAP_CHILD_OPTIONS);
      assert.equal(reopened.recoveredFrom, recoveredFrom);
      assert.deepEqual(await liveMessages(reopened), expected, `same live messages in order after a ${label}`);
      // Appends go on after the gaps; removing everything leaves the active segment only.
      const next = await reopened.append(crashMessage(0, 0, count));
      assert.ok(next > locations[count - 1]!);
      await Promise.all([...kept, next].map((l) => reopened.remove(l)));
      await reopened.compact();
      assert.equal(msgSegments(dataDir, 'pinned').files, 1, `${label}: only the active segment stays`);
      await again.close();
    }
  } finally {
    cleanup(dir);
    cleanup(crashed);
  }
});

test('queue store: kill -9 while messages behind a live head are acked and compacted into gaps', async () => {
  const dir = tmp('junction-qgap-kill-');
  try {
    const appended = new Map<number, number>();
    const asked = new Set<number>();
    const removed = new Set<number>();
    const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    const exited = once(child, 'exit');
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const [kind, location, seq] = line.split(' ');
        if (kind === 'A') {
          appended.set(Number(location), Number(seq));
          // Late enough that compactions ran (every quarter segment removed) and were running at the kill.
          if (appended.size === 6000) { child.kill('SIGKILL'); resolve(); }
        } else (kind === 'X' ? asked : removed).add(Number(location));
      });
      child.on('exit', (code, signal) => { if (signal !== 'SIGKILL') reject(new Error(`child exited ${code}: ${stderr}`)); });
    });
    await exited;
    const disk = msgSegments(dir, 'pinned');
    // Compactions ran: dead segments are gaps (merged into one file per run of them).
    assert.ok(disk.inGaps > 500, `${disk.inGaps} offsets in ${disk.gaps} gap files of ${disk.files} segment files`);
    assert.equal(checkDataDir(dir).refuses, false);

    const s = storage(dir);
    const store = await QueueMessageStore.open(s, '/', 'pinned', GAP_CHILD_OPTIONS);
    const live = await liveMessages(store);
    const present = new Set(live.map(([l]) => l));
    assert.deepEqual([...removed].filter((l) => present.has(l)), [], 'acknowledged removals came back');
    const lost = [...appended.keys()].filter((l) => !asked.has(l) && !present.has(l));
    assert.deepEqual(lost, [], 'acknowledged appends missing');
    assert.ok(present.has(Math.min(...appended.keys())), 'the head is there');
    live.forEach(([l, seq], k) => {
      if (appended.has(l)) assert.equal(appended.get(l), seq, `location ${l} holds another message`);
      if (k > 0) assert.ok(seq > live[k - 1]![1], 'queue order');
    });
    assert.ok(live.length >= 6000 / KEEP_EVERY, `${live.length} live`);
    // Recovery compacts (the ack log's compaction lags the message log's while the child runs): the
    // ack segments naming only messages in gaps are gaps now (those naming a kept one stay).
    const acks = msgSegments(dir, 'pinned', 'acks');
    assert.ok(acks.gaps >= 2, `${acks.gaps} of ${acks.files} ack segments are gaps`);
    await s.close();
  } finally { cleanup(dir); }
});
