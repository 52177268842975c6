import { Perms, type Id } from '../codec/types.js';
import { Err } from '../codec/errors.js';
import { aclOf } from './acl-cache.js';
import { checkACL, fixupACL } from './acl.js';
import { parentForDelete, parentKey, sequenceSuffix, validatePath } from './paths.js';
import { NULL_BUFFER } from '../codec/jute.js';
import { CONTAINER, EMPTY_DATA, type ZNode } from './state.js';
import { createNode, deleteNode, setNodeAcl, setNodeData, type Mutation } from './tree.js';
import type { SessionId, WriteOp } from './types.js';

/**
 * One write operation: PrepRequestProcessor's checks, in its order (the first failing check
 * decides the error code), then DataTree's mutation.
 */
export interface OpContext extends Mutation {
  sessionId: SessionId;
  auth: readonly Id[];
  extendedTypesEnabled: boolean;
}

/** err 0 with the affected node (and its final path for a create), or a KeeperException code. */
export type OpOutcome = { err: 0; path: string; node: ZNode | null } | { err: number; path?: undefined; node?: undefined };

const fail = (err: number): OpOutcome => ({ err });

/** CreateMode.fromFlag */
interface CreateMode { ephemeral: boolean; sequential: boolean; ttl: boolean }
const CREATE_MODES: readonly CreateMode[] = [
  { ephemeral: false, sequential: false, ttl: false }, // PERSISTENT
  { ephemeral: true, sequential: false, ttl: false }, // EPHEMERAL
  { ephemeral: false, sequential: true, ttl: false }, // PERSISTENT_SEQUENTIAL
  { ephemeral: true, sequential: true, ttl: false }, // EPHEMERAL_SEQUENTIAL
  { ephemeral: false, sequential: false, ttl: false }, // CONTAINER
  { ephemeral: false, sequential: false, ttl: true }, // PERSISTENT_WITH_TTL
  { ephemeral: false, sequential: true, ttl: true }, // PERSISTENT_SEQUENTIAL_WITH_TTL
];

/** EphemeralType.TTL.maxValue(): the TTL must fit the 40 bits below the extended-type mask. */
export const MAX_TTL = 2 ** 40 - 1;

/** ZooKeeperServer.checkSession / checkGlobalSession: the session must still be open. */
function sessionAlive(ctx: OpContext): boolean {
  return ctx.state.sessions.has(ctx.sessionId);
}

/** PrepRequestProcessor.checkAndIncVersion (-1 matches any version); null = BADVERSION. */
function nextVersion(current: number, expected: number): number | null {
  if (expected !== -1 && expected !== current) return null;
  return (current + 1) | 0;
}

function decodeData(b64: string | null): Buffer {
  if (b64 === null) return NULL_BUFFER;
  return b64.length === 0 ? EMPTY_DATA : Buffer.from(b64, 'base64');
}

/** validateCreateRequest: mode, TTL support and range, session. */
function checkCreateRequest(ctx: OpContext, op: Extract<WriteOp, { op: 'create' }>, mode: CreateMode | undefined): number {
  if (!mode) return Err.BADARGUMENTS;
  if (mode.ttl && !ctx.extendedTypesEnabled) return Err.UNIMPLEMENTED;
  const ttl = op.opcode === 21 ? op.ttl ?? -1 : -1;
  // EphemeralType.validateTTL. A createTTL whose flags are not a TTL mode and whose ttl < 0
  // passes ZooKeeper's prep but then makes DataTree throw; Junction refuses it here instead.
  if (mode.ttl ? !(ttl > 0 && ttl <= MAX_TTL) : ttl >= 0 || op.opcode === 21) return Err.BADARGUMENTS;
  return sessionAlive(ctx) ? Err.OK : Err.SESSIONEXPIRED;
}

/** pRequest2TxnCreate + DataTree.createNode (create, create2, createContainer, createTTL). */
export function execCreate(ctx: OpContext, op: Extract<WriteOp, { op: 'create' }>): OpOutcome {
  const mode = CREATE_MODES[op.flags];
  const requestErr = checkCreateRequest(ctx, op, mode);
  if (requestErr !== Err.OK) return fail(requestErr);
  const lastSlash = op.path.lastIndexOf('/');
  if (lastSlash === -1 || op.path.includes('\0')) return fail(Err.BADARGUMENTS);
  const acl = fixupACL(op.acl, ctx.auth);
  if (!acl) return fail(Err.INVALIDACL);
  const parent = ctx.state.nodes.get(parentKey(op.path, lastSlash));
  if (!parent) return fail(Err.NONODE);
  if (!checkACL(aclOf(ctx.state.acls, parent.acl), Perms.CREATE, ctx.auth)) return fail(Err.NOAUTH);
  // The sequential suffix is the parent's internal cversion (count of child creations).
  const path = mode!.sequential ? op.path + sequenceSuffix(parent.cversion) : op.path;
  if (!validatePath(path)) return fail(Err.BADARGUMENTS);
  if (ctx.state.nodes.has(path)) return fail(Err.NODEEXISTS);
  if (parent.owner !== null) return fail(Err.NOCHILDRENFOREPHEMERALS);
  // The owner follows the txn type as DataTree.processTxn does: createContainer makes a container
  // and createTTL a TTL node whatever the flags; create/create2 make an ephemeral or a plain node.
  const owner = op.opcode === 19 || op.opcode === 21 || !mode!.ephemeral ? null : ctx.sessionId;
  const special = op.opcode === 19 ? CONTAINER : op.opcode === 21 ? op.ttl! : 0;
  const node = createNode(ctx, path, parent, decodeData(op.data), acl, owner, special);
  return { err: 0, path, node };
}

/** PrepRequestProcessor delete + DataTree.deleteNode. */
export function execDelete(ctx: OpContext, op: Extract<WriteOp, { op: 'delete' }>): OpOutcome {
  if (!sessionAlive(ctx)) return fail(Err.SESSIONEXPIRED);
  const parentPath = parentForDelete(op.path);
  if (parentPath === null) return fail(Err.BADARGUMENTS);
  const parent = ctx.state.nodes.get(parentPath);
  if (!parent) return fail(Err.NONODE);
  if (!checkACL(aclOf(ctx.state.acls, parent.acl), Perms.DELETE, ctx.auth)) return fail(Err.NOAUTH);
  const node = ctx.state.nodes.get(op.path);
  if (!node) return fail(Err.NONODE);
  if (nextVersion(node.version, op.version) === null) return fail(Err.BADVERSION);
  if (node.children !== null) return fail(Err.NOTEMPTY);
  deleteNode(ctx, op.path, parent, node);
  return { err: 0, path: op.path, node: null };
}

/** The node a setData/setACL/check addresses, after the session and path checks. */
function target(ctx: OpContext, path: string): ZNode | number {
  if (!sessionAlive(ctx)) return Err.SESSIONEXPIRED;
  if (!validatePath(path)) return Err.BADARGUMENTS;
  return ctx.state.nodes.get(path) ?? Err.NONODE;
}

/** PrepRequestProcessor setData + DataTree.setData. */
export function execSetData(ctx: OpContext, op: Extract<WriteOp, { op: 'setData' }>): OpOutcome {
  const node = target(ctx, op.path);
  if (typeof node === 'number') return fail(node);
  if (!checkACL(aclOf(ctx.state.acls, node.acl), Perms.WRITE, ctx.auth)) return fail(Err.NOAUTH);
  const version = nextVersion(node.version, op.version);
  if (version === null) return fail(Err.BADVERSION);
  setNodeData(ctx, op.path, node, decodeData(op.data), version);
  return { err: 0, path: op.path, node };
}

/** PrepRequestProcessor setACL (the new ACL is checked before the node is looked up). */
export function execSetACL(ctx: OpContext, op: Extract<WriteOp, { op: 'setACL' }>): OpOutcome {
  if (!sessionAlive(ctx)) return fail(Err.SESSIONEXPIRED);
  if (!validatePath(op.path)) return fail(Err.BADARGUMENTS);
  const acl = fixupACL(op.acl, ctx.auth);
  if (!acl) return fail(Err.INVALIDACL);
  const node = ctx.state.nodes.get(op.path);
  if (!node) return fail(Err.NONODE);
  if (!checkACL(aclOf(ctx.state.acls, node.acl), Perms.ADMIN, ctx.auth)) return fail(Err.NOAUTH);
  const aversion = nextVersion(node.aversion, op.version);
  if (aversion === null) return fail(Err.BADVERSION);
  setNodeAcl(ctx, node, acl, aversion);
  return { err: 0, path: op.path, node };
}

/** PrepRequestProcessor check: READ permission and the expected version; changes nothing. */
export function execCheck(ctx: OpContext, op: Extract<WriteOp, { op: 'check' }>): OpOutcome {
  const node = target(ctx, op.path);
  if (typeof node === 'number') return fail(node);
  if (!checkACL(aclOf(ctx.state.acls, node.acl), Perms.READ, ctx.auth)) return fail(Err.NOAUTH);
  if (nextVersion(node.version, op.version) === null) return fail(Err.BADVERSION);
  return { err: 0, path: op.path, node };
}

export function execOp(ctx: OpContext, op: Exclude<WriteOp, { op: 'multi' }>): OpOutcome {
  switch (op.op) {
    case 'create': return execCreate(ctx, op);
    case 'delete': return execDelete(ctx, op);
    case 'setData': return execSetData(ctx, op);
    case 'setACL': return execSetACL(ctx, op);
    case 'check': return execCheck(ctx, op);
  }
}
