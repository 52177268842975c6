import type { ACL } from '../codec/types.js';
import { aclKey, newAclCache, OPEN_ACL_ID } from './acl-cache.js';
import { NULL_BUFFER } from '../codec/jute.js';
import { NodeCapture } from './capture.js';
import { EMPTY_DATA, type ZkState, type ZNode } from './state.js';
import type { SessionRecord } from './types.js';

/**
 * The model's snapshot image (what DurableStore JSON-encodes). Built so a million znodes restart
 * in well under 5 s: columns instead of one object per znode, few JSON tokens per znode, all
 * data in one base64 blob, ACL lists written once and referenced by id
 * (ReferenceCountedACLCache).
 *
 * Znodes are listed in the path map's order (a parent before its children, each child set in
 * that same order), so restore rebuilds identical child orders. Dense columns hold what every
 * znode has; sparse columns hold [index, value] pairs only where a field differs from what a
 * fresh leaf has (mzxid = pzxid = czxid, mtime = ctime, versions 0, OPEN_ACL, no owner).
 * Ephemeral paths are kept per session in creation order (getEphemerals and closeSession
 * follow it).
 */
export interface ZkSnapshotV1 {
  /** 1: znode data base64 in nodes.data (StateMachine.snapshot's JSON image); 2: nodes.data is
   *  empty and the data follows the JSON in the snapshot file (encodeSnapshot). */
  v: 1 | 2;
  lastZxid: number;
  dataSize: number;
  aclNextId: number;
  /** [id, [perms, scheme, id, perms, scheme, id, …]] pairs, flattened. */
  acls: (number | (string | number)[])[];
  /** [sessionId, timeoutMs, passwd] per session, flattened. */
  sessions: (string | number)[];
  /** DataTree.ephemerals: [sessionId, [paths in creation order]] pairs. */
  ephemerals: [string, string[]][];
  containers: string[];
  ttls: string[];
  nodes: NodeColumns;
}

interface NodeColumns {
  path: string[];
  /** czxid and ctime as differences from the previous znode's. */
  czxid: number[];
  ctime: number[];
  dataLength: number[];
  /** Every znode's data, concatenated in order, base64. */
  data: string;
  /** Sparse [index, value, …]: mzxid - czxid, pzxid - czxid, mtime - ctime, version, cversion
   *  (internal), aversion, ACL id, and owner (session id string, -1 container, TTL ms). */
  mzxid: number[];
  pzxid: number[];
  mtime: number[];
  version: number[];
  cversion: number[];
  aversion: number[];
  acl: number[];
  owner: (number | string)[];
}

/** Znodes into the columns, one at a time, in the order they are written. */
class ColumnsBuilder {
  readonly c: NodeColumns = { path: [], czxid: [], ctime: [], dataLength: [], data: '', mzxid: [], pzxid: [], mtime: [], version: [], cversion: [], aversion: [], acl: [], owner: [] };
  readonly blobs: Buffer[] = [];
  private i = 0;
  private prevZxid = 0;
  private prevTime = 0;

  add(path: string, n: ZNode): void {
    const { c, i } = this;
    c.path.push(path);
    c.czxid.push(n.czxid - this.prevZxid);
    c.ctime.push(n.ctime - this.prevTime);
    this.prevZxid = n.czxid;
    this.prevTime = n.ctime;
    c.dataLength.push(n.data === NULL_BUFFER ? -1 : n.data.length); // -1: null data
    if (n.data.length > 0) this.blobs.push(n.data);
    if (n.mzxid !== n.czxid) c.mzxid.push(i, n.mzxid - n.czxid);
    if (n.pzxid !== n.czxid) c.pzxid.push(i, n.pzxid - n.czxid);
    if (n.mtime !== n.ctime) c.mtime.push(i, n.mtime - n.ctime);
    if (n.version !== 0) c.version.push(i, n.version);
    if (n.cversion !== 0) c.cversion.push(i, n.cversion);
    if (n.aversion !== 0) c.aversion.push(i, n.aversion);
    if (n.acl !== OPEN_ACL_ID) c.acl.push(i, n.acl);
    if (n.owner !== null) c.owner.push(i, n.owner);
    else if (n.special !== 0) c.owner.push(i, n.special);
    this.i++;
  }
}

/** The JSON image (StateMachine.snapshot): data inline as base64. */
export function snapshotState(state: ZkState): ZkSnapshotV1 {
  const nodes = new ColumnsBuilder();
  for (const [path, n] of state.nodes) nodes.add(path, n);
  nodes.c.data = Buffer.concat(nodes.blobs).toString('base64');
  return { ...imageHeader(state, 1), nodes: nodes.c };
}

/** Znodes a capture writes between two turns of the event loop. */
const CAPTURE_CHUNK = 20_000;

/**
 * The snapshot file DurableStore writes: u32 length + the JSON image (v 2, no data in it) + every
 * znode's data bytes in image order. Keeping the data out of the JSON spares a base64 round
 * trip and a string as large as all data. The image is the tree as it is when this is called;
 * the znodes are then written a chunk at a time while requests keep being served (NodeCapture
 * copies a znode about to change before it is written).
 */
export async function encodeSnapshot(state: ZkState, chunk = CAPTURE_CHUNK): Promise<Buffer[]> {
  const header = imageHeader(state, 2);
  const nodes = new ColumnsBuilder();
  const capture = new NodeCapture(state, (path, n) => nodes.add(path, n));
  try {
    while (!capture.step(chunk)) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    capture.end();
  }
  // The same JSON as JSON.stringify of the whole image, made a column at a time so no single
  // step blocks the event loop for long.
  const json = [Buffer.from(`${JSON.stringify(header).slice(0, -1)},"nodes":{`, 'utf8')];
  for (const [key, column] of Object.entries(nodes.c)) {
    json.push(Buffer.from(`${json.length > 1 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(column)}`, 'utf8'));
    await new Promise((resolve) => setImmediate(resolve));
  }
  json.push(Buffer.from('}}', 'utf8'));
  const head = Buffer.alloc(4);
  head.writeUInt32BE(json.reduce((sum, piece) => sum + piece.length, 0), 0);
  return [head, ...json, ...nodes.blobs];
}

export function decodeSnapshot(data: Buffer): ZkState {
  const length = data.readUInt32BE(0);
  const image = JSON.parse(data.subarray(4, 4 + length).toString('utf8')) as ZkSnapshotV1;
  if (image.v !== 2) throw new Error(`unknown ZooKeeper snapshot file version: ${String(image.v)}`);
  return restoreImage(image, data.subarray(4 + length));
}

/** Everything but the znodes, copied now (all small next to the tree). */
function imageHeader(state: ZkState, v: 1 | 2): Omit<ZkSnapshotV1, 'nodes'> {
  const acls: ZkSnapshotV1['acls'] = [];
  for (const [id, list] of state.acls.lists) acls.push(id, list.flatMap((a) => [a.perms, a.id.scheme, a.id.id]));
  const sessions: ZkSnapshotV1['sessions'] = [];
  for (const s of state.sessions.values()) sessions.push(s.id, s.timeoutMs, s.passwd);
  return {
    v, lastZxid: state.lastZxid, dataSize: state.dataSize, aclNextId: state.acls.nextId, acls, sessions,
    ephemerals: [...state.ephemerals].map(([id, paths]) => [id, [...paths]]),
    containers: [...state.containers], ttls: [...state.ttls],
  };
}

function restoreAcls(state: ZkState, image: ZkSnapshotV1): void {
  const cache = state.acls;
  cache.nextId = image.aclNextId;
  for (let i = 0; i < image.acls.length; i += 2) {
    const id = image.acls[i] as number;
    const flat = image.acls[i + 1] as (string | number)[];
    const list: ACL[] = [];
    for (let j = 0; j < flat.length; j += 3) list.push({ perms: flat[j] as number, id: { scheme: flat[j + 1] as string, id: flat[j + 2] as string } });
    cache.lists.set(id, list);
    cache.byKey.set(aclKey(list), id);
    cache.refs.set(id, 0);
  }
}

/** Fresh-leaf znodes from the dense columns, linked to their parents in order. */
function restoreDense(state: ZkState, c: NodeColumns, blob: Buffer): ZNode[] {
  const out: ZNode[] = new Array(c.path.length);
  let offset = 0, zxid = 0, time = 0, parentPath = '', parent: ZNode | undefined;
  for (let i = 0; i < c.path.length; i++) {
    const path = c.path[i]!;
    const len = c.dataLength[i]!;
    zxid += c.czxid[i]!;
    time += c.ctime[i]!;
    const node: ZNode = {
      data: len === -1 ? NULL_BUFFER : len === 0 ? EMPTY_DATA : blob.subarray(offset, offset + len), acl: OPEN_ACL_ID,
      czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: time, mtime: time,
      version: 0, cversion: 0, aversion: 0, owner: null, special: 0, children: null, snapEpoch: 0,
    };
    offset += Math.max(len, 0);
    out[i] = node;
    state.nodes.set(path, node);
    if (path === '/') continue;
    const lastSlash = path.lastIndexOf('/');
    const pp = lastSlash === 0 ? '/' : path.slice(0, lastSlash);
    // Siblings come in runs: compare with the last parent before hashing a map lookup.
    if (pp !== parentPath) { parentPath = pp; parent = state.nodes.get(pp); }
    (parent!.children ??= new Set()).add(path.slice(lastSlash + 1));
  }
  return out;
}

function applySparse(nodes: ZNode[], pairs: (number | string)[], set: (n: ZNode, v: number | string) => void): void {
  for (let i = 0; i < pairs.length; i += 2) set(nodes[pairs[i] as number]!, pairs[i + 1]!);
}

function restoreNodes(state: ZkState, c: NodeColumns, blob: Buffer): void {
  const nodes = restoreDense(state, c, blob);
  applySparse(nodes, c.mzxid, (n, v) => { n.mzxid = n.czxid + (v as number); });
  applySparse(nodes, c.pzxid, (n, v) => { n.pzxid = n.czxid + (v as number); });
  applySparse(nodes, c.mtime, (n, v) => { n.mtime = n.ctime + (v as number); });
  applySparse(nodes, c.version, (n, v) => { n.version = v as number; });
  applySparse(nodes, c.cversion, (n, v) => { n.cversion = v as number; });
  applySparse(nodes, c.aversion, (n, v) => { n.aversion = v as number; });
  const refs = state.acls.refs;
  applySparse(nodes, c.acl, (n, v) => { n.acl = v as number; refs.set(n.acl, (refs.get(n.acl) ?? 0) + 1); });
  applySparse(nodes, c.owner, (n, v) => { if (typeof v === 'string') n.owner = v; else n.special = v; });
}

export function restoreState(raw: unknown): ZkState {
  const image = raw as ZkSnapshotV1;
  if (!image || image.v !== 1) throw new Error(`unknown ZooKeeper snapshot version: ${String((image as { v?: unknown } | null)?.v)}`);
  return restoreImage(image, Buffer.from(image.nodes.data, 'base64'));
}

function restoreImage(image: ZkSnapshotV1, blob: Buffer): ZkState {
  const state: ZkState = {
    nodes: new Map(), acls: newAclCache(), sessions: new Map(), ephemerals: new Map(),
    containers: new Set(image.containers), ttls: new Set(image.ttls), lastZxid: image.lastZxid, dataSize: image.dataSize,
  };
  restoreAcls(state, image);
  restoreNodes(state, image.nodes, blob);
  for (let i = 0; i < image.sessions.length; i += 3) {
    const record: SessionRecord = { id: image.sessions[i] as string, timeoutMs: image.sessions[i + 1] as number, passwd: image.sessions[i + 2] as string };
    state.sessions.set(record.id, record);
  }
  for (const [id, paths] of image.ephemerals) state.ephemerals.set(id, new Set(paths));
  return state;
}
