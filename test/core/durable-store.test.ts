import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { DurableStore, type DurableStoreOptions } from '../../src/core/state/durable-store.js';
import { captureLogger, counterMachine, type CounterCommand, type CounterState } from './fixtures/counter-machine.js';
import { cleanup, tmp } from './fixtures/log-helpers.js';

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

    // Newest snapshot damaged: the older one + the log rebuild the same state.
    writeFileSync(join(dir, 'snapshot', snaps[1]!), 'garbage');
    const fallback = await open(dir, opts);
    assert.deepEqual(fallback.state, expected);
    await fallback.close();
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
