import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ACL, MultiOp, Stat, ZkRequest, ZkResponse } from '../../../src/zk/codec/types.js';
import { createZkMachine, executeRead, generateDigest, toWriteOp } from '../../../src/zk/model/index.js';
import type { ApplyResult } from '../../../src/zk/model/types.js';

/**
 * Differential check against a real ZooKeeper 3.8.0: 600 random requests (creates of every
 * opcode and mode, deletes, setData, setACL, multis, reads; digest/ip/auth/world ACLs; two
 * sessions) and what the real server answered — error codes, zxids, paths, stats, ACLs, child
 * lists. The model must give the same answers. See fixtures/genops.mjs and runreal.py.
 */
interface FixtureOp {
  conn: 0 | 1; t: string; path: string; opcode?: 1 | 15 | 19 | 21; data?: string; acl?: [number, string, string][];
  flags?: number; ttl?: number; version?: number; ops?: FixtureOp[];
}
const FIXTURE = fileURLToPath(new URL('../../../../test/zk/model/fixtures/real-zk-3.8.0-ops.json', import.meta.url));
const { ops, results } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { ops: FixtureOp[]; results: unknown[] };

const SESSIONS = ['0100000000000001', '0100000000000002'] as const;
const IP = { scheme: 'ip', id: '127.0.0.1' };
const AUTH = [[IP, { scheme: 'digest', id: generateDigest('u1:p1') }], [IP]];
const READS: Record<string, number> = { getData: 4, exists: 3, getChildren2: 12, getACL: 6, allChildren: 104 };

const acl = (a: [number, string, string][]): ACL[] => a.map(([perms, scheme, id]) => ({ perms, id: { scheme, id } }));

/** A stat as the fixture holds it: no times, ephemeral owners named by connection. */
function stat(s: Stat): Record<string, unknown> {
  const { ctime: _c, mtime: _m, ephemeralOwner, ...rest } = s;
  const owner = SESSIONS.findIndex((id) => BigInt('0x' + id) === ephemeralOwner);
  return { ...rest, ephemeralOwner: owner === -1 ? Number(ephemeralOwner) : 'AB'[owner] };
}

function request(o: FixtureOp): ZkRequest {
  const data = Buffer.from(o.data ?? '');
  switch (o.t) {
    case 'create': return { xid: 1, type: o.opcode!, op: 'create', req: { path: o.path, data, acl: acl(o.acl!), flags: o.flags!, ttl: o.ttl ?? -1 } } as ZkRequest;
    case 'delete': return { xid: 1, type: 2, op: 'delete', req: { path: o.path, version: o.version! } };
    case 'setData': return { xid: 1, type: 5, op: 'setData', req: { path: o.path, data, version: o.version! } };
    case 'setACL': return { xid: 1, type: 7, op: 'setACL', req: { path: o.path, acl: acl(o.acl!), version: o.version! } };
    case 'check': return { xid: 1, type: 13, op: 'check', req: { path: o.path, version: o.version! } };
    case 'multi': return { xid: 1, type: 14, op: 'multi', req: { ops: o.ops!.map((s) => { const r = request(s); return { op: r.op, type: r.type, req: r.req } as MultiOp; }) } };
    default: throw new Error(`unknown fixture op ${o.t}`);
  }
}

function readSummary(t: string, r: ZkResponse): unknown {
  switch (r.kind) {
    case 'data': return [r.data.toString(), stat(r.stat)];
    case 'stat': return stat(r.stat);
    case 'children2': return [[...r.children].sort(), stat(r.stat)];
    case 'acl': return [r.acl.map((a) => [a.perms, a.id.scheme, a.id.id]), stat(r.stat)];
    case 'number': return r.totalNumber;
    default: throw new Error(`unexpected ${r.kind} for ${t}`);
  }
}

function writeSummary(o: FixtureOp, r: ApplyResult): unknown {
  if (o.t === 'multi') {
    const results = r.response?.kind === 'multi' ? r.response.results : null;
    const multi = results?.map((x) => [x.type, x.type === -1 ? x.err : 'path' in x ? x.path : null, 'stat' in x ? stat(x.stat) : null]) ?? null;
    return { err: r.err, zxid: r.zxid, multi };
  }
  let res: unknown = null;
  if (r.err === 0 && r.response?.kind === 'path') res = [r.response.path, null];
  else if (r.err === 0 && r.response?.kind === 'create2') res = [r.response.path, stat(r.response.stat)];
  else if (r.err === 0 && r.response?.kind === 'stat') res = stat(r.response.stat);
  return { err: r.err, zxid: r.zxid, res };
}

/** The real client's multi results were recorded as [kind, path|err, stat]. */
function normaliseReal(o: FixtureOp, r: Record<string, unknown>): unknown {
  if (o.t !== 'multi' || !r.multi) return r;
  const type: Record<string, number> = { err: -1, create: 1, create2: 15, setData: 5 };
  return { ...r, multi: (r.multi as [string | number, unknown, unknown][]).map(([k, v, s]) => [typeof k === 'number' ? k : type[k], v ?? null, s]) };
}

test('the model answers 600 requests exactly as a real ZooKeeper 3.8.0 did', () => {
  const machine = createZkMachine({ extendedTypesEnabled: true });
  const state = machine.initial();
  for (const sessionId of SESSIONS) machine.apply(state, { type: 'createSession', sessionId, timeoutMs: 60_000, passwd: '', time: 0 });
  assert.equal(ops.length, 600);
  ops.forEach((o, i) => {
    const sessionId = SESSIONS[o.conn];
    const auth = AUTH[o.conn]!;
    let mine: unknown;
    if (o.t in READS) {
      const type = READS[o.t]!;
      const read = executeRead(state, { xid: 1, type, op: type === 6 || type === 104 ? 'path' : 'read', req: { path: o.path, watch: false } } as ZkRequest, auth, sessionId);
      mine = { err: read.err, res: read.err === 0 ? readSummary(o.t, read.response!) : null };
    } else {
      const op = toWriteOp(request(o));
      mine = writeSummary(o, machine.apply(state, { type: 'write', sessionId, time: 0, auth, op: op! }) as ApplyResult);
    }
    assert.deepEqual(mine, normaliseReal(o, results[i] as Record<string, unknown>), `request #${i}: ${JSON.stringify(o)}`);
  });
});
