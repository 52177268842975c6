import type { ACL, Id, Stat, ZkRequest } from '../../../src/zk/codec/types.js';
import { createZkMachine, executeRead, nodeView, type ZkState } from '../../../src/zk/model/index.js';
import type { ApplyResult, SessionId, WriteOp, ZkCommand } from '../../../src/zk/model/types.js';

/** Shared helpers for the model tests: a machine plus shorthand for commands and reads. */
export const OPEN: ACL[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
export const S1: SessionId = '0100000000000001';
export const S2: SessionId = '0100000000000002';
export const IP: Id = { scheme: 'ip', id: '127.0.0.1' };
export const T0 = 1_700_000_000_000;

export interface CreateOpts { data?: string; acl?: ACL[]; flags?: number; opcode?: 1 | 15 | 19 | 21; ttl?: number }
export interface WriteOpts { session?: SessionId; auth?: Id[]; time?: number }

export function b64(s: string): string { return Buffer.from(s).toString('base64'); }

export function createOp(path: string, o: CreateOpts = {}): WriteOp {
  const op: WriteOp = { op: 'create', opcode: o.opcode ?? 1, path, data: o.data ?? '', acl: o.acl ?? OPEN, flags: o.flags ?? 0 };
  if (o.ttl !== undefined) op.ttl = o.ttl;
  return op;
}

export class Zk {
  readonly machine;
  state: ZkState;
  time = T0;

  constructor(opts = { extendedTypesEnabled: true }, sessions: SessionId[] = [S1]) {
    this.machine = createZkMachine(opts);
    this.state = this.machine.initial();
    for (const s of sessions) this.session(s);
  }

  apply(cmd: ZkCommand): ApplyResult { return this.machine.apply(this.state, cmd) as ApplyResult; }
  session(id: SessionId, timeoutMs = 30_000): ApplyResult {
    return this.apply({ type: 'createSession', sessionId: id, timeoutMs, passwd: 'cGFzc3dk', time: this.time });
  }
  close(id: SessionId): ApplyResult { return this.apply({ type: 'closeSession', sessionId: id, time: this.time }); }
  write(op: WriteOp, o: WriteOpts = {}): ApplyResult {
    return this.apply({ type: 'write', sessionId: o.session ?? S1, time: o.time ?? this.time, auth: o.auth ?? [IP], op });
  }
  create(path: string, o: CreateOpts & WriteOpts = {}): ApplyResult { return this.write(createOp(path, o), o); }
  delete(path: string, version = -1, o: WriteOpts = {}): ApplyResult { return this.write({ op: 'delete', path, version }, o); }
  setData(path: string, data: string, version = -1, o: WriteOpts = {}): ApplyResult {
    return this.write({ op: 'setData', path, data: b64(data), version }, o);
  }
  setACL(path: string, acl: ACL[], version = -1, o: WriteOpts = {}): ApplyResult { return this.write({ op: 'setACL', path, acl, version }, o); }
  check(path: string, version: number, o: WriteOpts = {}): ApplyResult { return this.write({ op: 'check', path, version }, o); }
  multi(ops: WriteOp[], o: WriteOpts = {}): ApplyResult { return this.write({ op: 'multi', ops }, o); }
  read(req: ZkRequest, auth: Id[] = [IP], session: SessionId = S1) { return executeRead(this.state, req, auth, session); }
  stat(path: string): Stat {
    const v = nodeView(this.state, path);
    if (!v) throw new Error(`no node ${path}`);
    return v.stat;
  }
  children(path: string): string[] { return [...(nodeView(this.state, path)?.children ?? [])]; }
  exists(path: string): boolean { return nodeView(this.state, path) !== null; }
}

/** Read requests by opcode. */
export const req = {
  exists: (path: string): ZkRequest => ({ xid: 1, type: 3, op: 'read', req: { path, watch: false } }),
  getData: (path: string): ZkRequest => ({ xid: 1, type: 4, op: 'read', req: { path, watch: false } }),
  getChildren: (path: string): ZkRequest => ({ xid: 1, type: 8, op: 'read', req: { path, watch: false } }),
  getChildren2: (path: string): ZkRequest => ({ xid: 1, type: 12, op: 'read', req: { path, watch: false } }),
  getACL: (path: string): ZkRequest => ({ xid: 1, type: 6, op: 'path', req: { path } }),
  sync: (path: string): ZkRequest => ({ xid: 1, type: 9, op: 'path', req: { path } }),
  allChildren: (path: string): ZkRequest => ({ xid: 1, type: 104, op: 'path', req: { path } }),
  ephemerals: (prefixPath: string): ZkRequest => ({ xid: 1, type: 103, op: 'getEphemerals', req: { prefixPath } }),
};

/** A plain, order-preserving image of the whole state for deep comparisons (Map and Set order
 *  are invisible to assert.deepEqual, and structuredClone turns Buffers into Uint8Arrays). */
export function dump(state: ZkState, sortChildren = false): unknown {
  const nodes = [...state.nodes].map(([path, n]) => {
    const children = n.children ? [...n.children] : null;
    if (sortChildren) children?.sort();
    const { snapEpoch, ...stat } = n; // bookkeeping of snapshot captures, not state
    void snapEpoch;
    return [path, { ...stat, data: n.data.toString('base64'), children }];
  });
  if (sortChildren) nodes.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  return {
    nodes,
    acls: { lists: [...state.acls.lists], byKey: [...state.acls.byKey], refs: [...state.acls.refs].sort((a, b) => a[0] - b[0]), nextId: state.acls.nextId },
    sessions: [...state.sessions],
    ephemerals: [...state.ephemerals].map(([id, paths]) => [id, [...paths]]),
    containers: [...state.containers],
    ttls: [...state.ttls],
    lastZxid: state.lastZxid,
    dataSize: state.dataSize,
  };
}
