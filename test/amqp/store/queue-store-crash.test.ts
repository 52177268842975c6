import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../../src/core/logger.js';
import { Storage } from '../../../src/core/storage/storage.js';
import { QueueMessageStore } from '../../../src/amqp/store/queue-store.js';
import { cleanup, tmp } from '../../core/fixtures/log-helpers.js';
import { crashMessage } from './fixtures/crash-message.js';

const CHILD = fileURLToPath(new URL('./fixtures/queue-store-crash-child.js', import.meta.url));
const QUEUES = 4;

interface Acked { round: number; seq: number }
/** Per queue: acknowledged appends by location, removals asked for, removals acknowledged. */
interface Ledger { appended: Map<number, Acked>[]; asked: Set<number>[]; removed: Set<number>[] }

/** Run the child until `target` appends are acknowledged, then kill -9 it. */
async function crashRun(dir: string, fsync: string, round: number, target: number, ledger: Ledger): Promise<void> {
  const child = spawn(process.execPath, [CHILD, dir, fsync, String(QUEUES), String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  const exited = once(child, 'exit');
  let appends = 0;
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind, q, location, r, seq] = line.split(' ');
      if (kind === 'A') {
        ledger.appended[Number(q)]!.set(Number(location), { round: Number(r), seq: Number(seq) });
        if (++appends === target) { child.kill('SIGKILL'); resolve(); }
      } else (kind === 'X' ? ledger.asked : ledger.removed)[Number(q)]!.add(Number(location));
    });
    child.on('exit', (code, signal) => { if (signal !== 'SIGKILL') reject(new Error(`child exited ${code}: ${stderr}`)); });
  });
  const [, signal] = await exited;
  assert.equal(signal, 'SIGKILL');
}

/** After a crash: every acknowledged append not acknowledged removed is there, intact, in order; no acknowledged removal is. */
async function verify(dir: string, ledger: Ledger, label: string): Promise<number> {
  const storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
  let live = 0;
  try {
    for (let q = 0; q < QUEUES; q++) {
      const store = await QueueMessageStore.open(storage, '/', `q${q}`, { segmentBytes: 64 * 1024, ackSegmentBytes: 4096 });
      const entries = [...store.entries()];
      const present = new Set(entries.map((e) => e.location));
      const back = [...ledger.removed[q]!].filter((l) => present.has(l));
      assert.deepEqual(back, [], `${label} q${q}: acknowledged removals came back`);
      // A removal asked for but not acknowledged before the kill may or may not have happened.
      const lost = [...ledger.appended[q]!.keys()].filter((l) => !ledger.asked[q]!.has(l) && !present.has(l));
      assert.deepEqual(lost, [], `${label} q${q}: acknowledged appends missing`);
      let previous: Acked | null = null;
      for (const e of entries) {
        assert.equal(e.redelivered, true);
        const message = await store.read(e.location);
        const [, round, seq] = message!.properties.messageId!.split('/').map(Number) as [number, number, number];
        assert.deepEqual(message, crashMessage(q, round, seq), `${label} q${q}: message at ${e.location}`);
        const known = ledger.appended[q]!.get(e.location);
        if (known) assert.deepEqual(known, { round, seq }, `${label} q${q}: location ${e.location} holds another message`);
        if (previous) assert.ok(round > previous.round || (round === previous.round && seq > previous.seq), `${label} q${q}: queue order`);
        previous = { round, seq };
      }
      live += entries.length;
    }
  } finally { await storage.close(); }
  return live;
}

test('kill -9 while appending and removing: acknowledged appends survive in order, acknowledged removals never come back', async () => {
  const dir = tmp('junction-amqp-crash-');
  try {
    const sets = () => Array.from({ length: QUEUES }, () => new Set<number>());
    const ledger: Ledger = { appended: Array.from({ length: QUEUES }, () => new Map()), asked: sets(), removed: sets() };
    const rounds: Array<[string, number]> = [['batch', 1500], ['always', 600], ['never', 3000], ['batch', 2500]];
    for (const [round, [fsync, target]] of rounds.entries()) {
      await crashRun(dir, fsync, round, target, ledger);
      const live = await verify(dir, ledger, `round ${round} (${fsync})`);
      assert.ok(live > 0, 'messages are left to check');
    }
    const removed = ledger.removed.reduce((n, s) => n + s.size, 0);
    assert.ok(removed > 1000, `${removed} acknowledged removals`);
  } finally { cleanup(dir); }
});
