import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecoveryRefused, StorageError } from '../../src/core/errors.js';
import { encodeRecord } from '../../src/core/log/record.js';
import { silentLogger } from '../../src/core/logger.js';
import { DurableStore, type DurableStoreOptions } from '../../src/core/state/durable-store.js';
import { captureLogger, counterMachine, type CounterCommand, type CounterState } from './fixtures/counter-machine.js';
import { cleanup, fingerprint, forgetCleanStop, tmp } from './fixtures/log-helpers.js';

type Store = DurableStore<CounterState, CounterCommand>;
const open = (dir: string, extra: Partial<DurableStoreOptions> = {}): Promise<Store> =>
  DurableStore.open(counterMachine(), { dir, fsync: 'batch', logger: silentLogger(), ...extra });

test('submit applies only after the command is durable and resolves with apply\'s result', async () => {
  const dir = tmp('junction-store-');
  try {
    let fsyncs = 0;
    const store = await open(dir, { onFsync: () => { fsyncs++; } });
    const pending = store.submit<number>({ type: 'add', key: 'a', by: 5 });
    assert.equal(store.state.counters.a, undefined, 'not applied before durable');
    assert.equal(await pending, 5);
    assert.equal(fsyncs, 1, 'resolved after one fdatasync');
    assert.equal(store.state.counters.a, 5);
    assert.equal(await store.submit({ type: 'add', key: 'a', by: 2 }), 7);
    await store.close();
  } finally { cleanup(dir); }
});

test('replay after reopen rebuilds identical state; applyVolatile is not replayed', async () => {
  const dir = tmp('junction-store-');
  try {
    const store = await open(dir);
    const work: Array<Promise<unknown>> = [];
    for (let i = 0; i < 300; i++) work.push(store.submit({ type: i % 7 === 0 ? 'set' : 'add', key: `k${i % 13}`, by: i, value: i } as CounterCommand));
    await Promise.all(work);
    store.applyVolatile({ type: 'mark', key: 'ephemeral' });
    assert.deepEqual(store.state.marks, { ephemeral: true });
    const before = structuredClone(store.state.counters);
    await store.close();
    const again = await open(dir);
    assert.deepEqual(again.state.counters, before);
    assert.equal(again.state.applied, 300);
    assert.deepEqual(again.state.marks, {}, 'volatile state is gone after restart');
    await again.close();
  } finally { cleanup(dir); }
});

test('snapshot + later log replays correctly, old segments dropped, damaged newest snapshot falls back', async () => {
  const dir = tmp('junction-store-');
  try {
    const opts = { snapshotEvery: 40, log: { segmentBytes: 600 } };
    const store = await open(dir, opts);
    for (let i = 0; i < 250; i++) await store.submit({ type: 'add', key: `k${i % 5}`, by: i });
    const expected = structuredClone(store.state);
    await store.close();
    const snaps = readdirSync(join(dir, 'snapshot')).sort();
    assert.equal(snaps.length, 2, `keeps two snapshots: ${snaps}`);
    const segments = readdirSync(join(dir, 'log')).filter((f) => f.endsWith('.log')).sort();
    const firstBase = Number(segments[0]!.slice(0, 20));
    assert.ok(firstBase > 0, 'segments below the snapshots were deleted');
    assert.ok(firstBase <= Number(snaps[0]!.slice(0, 20)), 'the log still covers the older snapshot');

    const again = await open(dir, opts);
    assert.deepEqual(again.state, expected);
    await again.close();

    // Newest snapshot damaged: the older one + the log rebuild the same state, with a warning
    // that names the skipped file.
    writeFileSync(join(dir, 'snapshot', snaps[1]!), 'garbage');
    const { logger, lines } = captureLogger();
    const fallback = await open(dir, { ...opts, logger });
    assert.deepEqual(fallback.state, expected);
    await fallback.close();
    const warnings = lines.filter((l) => l.level === 'warn');
    assert.deepEqual(warnings, [{ level: 'warn', msg: 'skipped an unreadable snapshot',
      obj: { file: join(dir, 'snapshot', snaps[1]!), reason: '7 bytes, shorter than the 24-byte header' } }]);
  } finally { cleanup(dir); }
});

test('open refuses a log that does not cover the snapshot instead of rebuilding a wrong state', async () => {
  const dir = tmp('junction-store-');
  try {
    const store = await open(dir, { snapshotEvery: 10, log: { segmentBytes: 300 } });
    for (let i = 0; i < 100; i++) await store.submit({ type: 'add', key: 'x', by: 1 });
    await store.close();
    for (const f of readdirSync(join(dir, 'snapshot'))) unlinkSync(join(dir, 'snapshot', f));
    await assert.rejects(open(dir), (e: unknown) => e instanceof StorageError && /no readable snapshot but the log starts at \d+/.test(e.message));
  } finally { cleanup(dir); }
});

test('onApply listeners fire in log order; a throwing listener does not fail the submit', async () => {
  const dir = tmp('junction-store-');
  try {
    const { logger, lines } = captureLogger();
    const store = await open(dir, { logger });
    const seen: number[] = [];
    store.onApply((cmd) => { if (cmd.type === 'add') seen.push(cmd.seq!); });
    store.onApply(() => { throw new Error('listener bug'); });
    const results = await Promise.all(Array.from({ length: 200 }, (_, seq) => store.submit<number>({ type: 'add', key: 'n', by: 1, seq })));
    assert.deepEqual(seen, Array.from({ length: 200 }, (_, i) => i));
    assert.deepEqual(results, Array.from({ length: 200 }, (_, i) => i + 1), 'each submit got the counter after its own apply');
    assert.ok(lines.some((l) => l.level === 'error' && l.msg === 'onApply listener failed'));
    await store.close();
  } finally { cleanup(dir); }
});

test('a failing background snapshot is logged; the submit that triggered it still succeeds', async () => {
  const dir = tmp('junction-store-');
  try {
    const { logger, lines } = captureLogger();
    let fail = true;
    const store = await DurableStore.open(counterMachine({ failSnapshot: () => fail }), { dir, fsync: 'batch', logger, snapshotEvery: 3 });
    for (let i = 1; i <= 6; i++) assert.equal(await store.submit({ type: 'add', key: 'a', by: 1 }), i);
    await new Promise((r) => setImmediate(r));
    assert.ok(lines.some((l) => l.level === 'error' && l.msg === 'snapshot failed'));
    fail = false;
    await store.snapshot();
    assert.equal(readdirSync(join(dir, 'snapshot')).length, 1);
    await store.close();
  } finally { cleanup(dir); }
});

test('volatile and durable commands apply in submission order: a volatile one waits behind a pending fsync', async () => {
  const dir = tmp('junction-store-');
  try {
    const store = await open(dir);
    const order: string[] = [];
    store.onApply((cmd) => order.push(cmd.type === 'mark' ? `mark:${cmd.key}` : `${cmd.type}:${cmd.key}`));
    // Nothing pending: a volatile command applies at once.
    void store.applyVolatile({ type: 'mark', key: 'first' });
    assert.deepEqual(order, ['mark:first']);
    // Pending durable command: the volatile one queues behind it instead of overtaking it.
    const durable = store.submit({ type: 'add', key: 'd', by: 1 });
    const volatile = store.applyVolatile({ type: 'mark', key: 'after' });
    assert.deepEqual(order, ['mark:first'], 'nothing applies before the fsync');
    assert.equal(await volatile, true);
    await durable;
    assert.deepEqual(order, ['mark:first', 'add:d', 'mark:after']);
    await store.close();
  } finally { cleanup(dir); }
});

test('a snapshot ahead of the log\'s end is refused: the log lost records the snapshot saw', async () => {
  const dir = tmp('junction-store-');
  try {
    const store = await open(dir, { snapshotEvery: 50 });
    for (let i = 0; i < 120; i++) await store.submit({ type: 'add', key: 'x', by: 1 });
    await store.close();
    const snaps = readdirSync(join(dir, 'snapshot')).sort();
    assert.equal(snaps.at(-1), `${String(100).padStart(20, '0')}.snap`);
    // As if a crash had also lost the log's last 30 records (cut at a record boundary): the
    // log alone looks healthy, but offsets 90..99 are inside the newest snapshot.
    forgetCleanStop(join(dir, 'log'));
    const segment = join(dir, 'log', readdirSync(join(dir, 'log')).find((f) => f.endsWith('.log'))!);
    let keep = 0;
    for (let i = 0; i < 90; i++) keep += encodeRecord(i, 1, Buffer.from(JSON.stringify({ type: 'add', key: 'x', by: 1 }))).length;
    truncateSync(segment, keep);
    const before = fingerprint(dir);
    await assert.rejects(open(dir), (e: unknown) => e instanceof RecoveryRefused &&
      /snapshot .*00000000000000000100\.snap covers offsets below 100 but the log's readable records end at offset 90 \(.*00000000000000000000\.log ends at byte \d+\): offsets 90\.\.99 would be lost/.test(e.message));
    assert.deepEqual(fingerprint(dir), before, 'nothing changed');
  } finally { cleanup(dir); }
});
