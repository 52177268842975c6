import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NULL_BUFFER } from '../../../src/zk/codec/jute.js';
import { decodeSnapshot, encodeSnapshot } from '../../../src/zk/model/snapshot.js';
import { createZkMachine, nodeCount, nodeView, approximateDataSize, generateDigest, type ZkState } from '../../../src/zk/model/index.js';
import type { ApplyResult, WriteOp, ZkCommand } from '../../../src/zk/model/types.js';
import { b64, createOp, dump, IP, OPEN, T0 } from './harness.js';

/** A deterministic pseudo-random command list touching every command and op kind. */
function workload(seed: number, count: number): ZkCommand[] {
  let x = seed >>> 0;
  const rnd = (n: number) => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x % n; };
  const sessions = ['0100000000000001', '0100000000000002', '0100000000000003'];
  const digest = { scheme: 'digest', id: generateDigest('u:p') };
  const acls = [OPEN, [{ perms: 31, id: digest }], [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }, { perms: 31, id: digest }]];
  const path = () => ['/a', '/b', '/a/x', '/a/y', '/b/z', '/c', '/a/x/q'][rnd(7)]!;
  const op = (): WriteOp => {
    switch (rnd(7)) {
      case 0: return createOp(path(), { flags: rnd(4), acl: acls[rnd(3)], data: b64('d' + rnd(100)) });
      case 1: return createOp(path(), { opcode: [19, 21, 15][rnd(3)] as 19 | 21 | 15, flags: [4, 5, 0][rnd(3)]!, ttl: 500 + rnd(1000) });
      case 2: return { op: 'delete', path: path(), version: rnd(3) - 1 };
      case 3: return { op: 'setData', path: path(), data: b64('v' + rnd(9)), version: rnd(3) - 1 };
      case 4: return { op: 'setACL', path: path(), acl: acls[rnd(3)]!, version: -1 };
      case 5: return { op: 'check', path: path(), version: rnd(2) - 1 };
      default: return { op: 'multi', ops: [createOp(path() + '/m', { flags: rnd(4) }), { op: 'delete', path: path(), version: -1 }, createOp(path())] };
    }
  };
  const out: ZkCommand[] = [];
  for (let i = 0; i < count; i++) {
    const time = T0 + i * 10;
    const sessionId = sessions[rnd(3)]!;
    const k = rnd(40);
    if (k === 0) out.push({ type: 'createSession', sessionId, timeoutMs: 10_000, passwd: 'cA==', time });
    else if (k === 1) out.push({ type: 'closeSession', sessionId, time });
    else if (k === 2) out.push({ type: 'deleteContainer', path: path(), time });
    else out.push({ type: 'write', sessionId, time, auth: rnd(2) ? [IP] : [IP, digest], op: op() });
  }
  return [...sessions.map((sessionId): ZkCommand => ({ type: 'createSession', sessionId, timeoutMs: 10_000, passwd: 'cA==', time: T0 })), ...out];
}

const machine = createZkMachine({ extendedTypesEnabled: true });
const run = (state: ZkState, cmds: ZkCommand[]) => cmds.map((c) => machine.apply(state, c) as ApplyResult);
const viaJson = (state: ZkState) => machine.restore(JSON.parse(JSON.stringify(machine.snapshot(state))));

test('replay determinism: the same commands give the same results and state', () => {
  const cmds = workload(7, 3000);
  const a = machine.initial();
  const b = machine.initial();
  const ra = run(a, cmds);
  assert.deepEqual(run(b, cmds), ra);
  assert.deepEqual(dump(b), dump(a));
  // the workload really exercises the model
  assert.ok(ra.filter((r) => r.err === 0).length > 500);
  assert.ok(new Set(ra.map((r) => r.err)).size >= 6);
  assert.ok(a.containers.size + a.ttls.size + a.ephemerals.size > 0);
});

test('snapshot → JSON → restore gives an identical state', () => {
  const a = machine.initial();
  run(a, workload(11, 3000));
  const b = viaJson(a);
  assert.deepEqual(dump(b), dump(a));
  assert.equal(nodeCount(b), nodeCount(a));
  assert.equal(approximateDataSize(b), approximateDataSize(a));
});

test('a restored state behaves identically afterwards', () => {
  const cmds = workload(23, 4000);
  const a = machine.initial();
  run(a, cmds.slice(0, 2000));
  const b = viaJson(a);
  assert.deepEqual(run(b, cmds.slice(2000)), run(a, cmds.slice(2000)));
  assert.deepEqual(dump(b), dump(a));
});

test('snapshot of the initial state restores the initial state', () => {
  const a = machine.initial();
  assert.deepEqual(dump(viaJson(a)), dump(a));
});

test('restore rejects an unknown image', () => {
  assert.throws(() => machine.restore({ v: 99 }), /snapshot version/);
});

test('the snapshot file (JSON + raw data bytes) round-trips, null and binary data included', async () => {
  const cmds = workload(31, 3000);
  const a = machine.initial();
  run(a, cmds.slice(0, 1500));
  const nullData: WriteOp = { op: 'create', opcode: 1, path: '/null-data', data: null, acl: OPEN, flags: 0 };
  const binary: WriteOp = { op: 'create', opcode: 1, path: '/binary', data: Buffer.from([0, 255, 10, 13, 0]).toString('base64'), acl: OPEN, flags: 0 };
  const session: ZkCommand = { type: 'createSession', sessionId: '01000000000000ff', timeoutMs: 30_000, passwd: 'cHc=', time: T0 };
  run(a, [session, ...[nullData, binary].map((op) => ({ type: 'write', sessionId: '01000000000000ff', time: T0, auth: [IP], op }) as ZkCommand)]);
  const b = machine.decodeSnapshot!(Buffer.concat(await machine.encodeSnapshot!(a)));
  assert.equal(nodeView(b, '/null-data')!.data, NULL_BUFFER, 'null data stays null');
  assert.deepEqual([...nodeView(b, '/binary')!.data], [0, 255, 10, 13, 0]);
  assert.deepEqual(dump(b), dump(a));
  assert.equal(approximateDataSize(b), approximateDataSize(a));
  assert.deepEqual(run(b, cmds.slice(1500)), run(a, cmds.slice(1500)));
});

test('a snapshot taken while commands keep applying is the state at the moment it began', async () => {
  // Capture 3 znodes per event-loop turn while 25 commands apply between turns: creates,
  // deletes, setData, setACL and session closes hit znodes before and after the walk passed them.
  for (const seed of [41, 42, 43]) {
    const cmds = workload(seed, 6000);
    const live = machine.initial();
    run(live, cmds.slice(0, 3000));
    const pending = encodeSnapshot(live, 3);
    let next = 3000;
    let done = false;
    void pending.then(() => { done = true; });
    while (!done && next < cmds.length) {
      run(live, cmds.slice(next, next + 25));
      next += 25;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(next > 3100, `commands ran during the capture (${next - 3000})`);
    const expected = machine.initial();
    run(expected, cmds.slice(0, 3000));
    const restored = decodeSnapshot(Buffer.concat(await pending));
    // Znodes deleted during the capture are written after the walk: compare in path order.
    assert.deepEqual(dump(restored, true), dump(expected, true), `seed ${seed}`);
    assert.equal(approximateDataSize(restored), approximateDataSize(expected));
    // …and it goes on exactly like the state it was taken from.
    assert.deepEqual(run(restored, cmds.slice(3000)), run(expected, cmds.slice(3000)));
  }
});
