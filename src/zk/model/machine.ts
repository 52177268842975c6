import type { StateMachine } from '../../core/state/state-machine.js';
import { Err } from '../codec/errors.js';
import { applyMulti, type MarkedMulti } from './multi.js';
import { execOp, type OpContext } from './ops.js';
import { parentForDelete } from './paths.js';
import { decodeSnapshot, encodeSnapshot, restoreState, snapshotState } from './snapshot.js';
import { CONTAINER, initialState, statOf, type ZkState } from './state.js';
import { deleteNode, type Mutation } from './tree.js';
import type { ApplyResult, WriteOp, ZkCommand } from './types.js';
import type { ZkResponse } from '../codec/types.js';

export interface ZkMachineOptions {
  /** zookeeper.extendedTypesEnabled: without it TTL creates answer UNIMPLEMENTED. */
  extendedTypesEnabled: boolean;
}

/**
 * ZooKeeper's txn pipeline as a deterministic state machine: every command takes the next zxid
 * (failed writes too: ZooKeeper logs an ErrorTxn for them), then is checked and applied.
 */
export function createZkMachine(opts: ZkMachineOptions): StateMachine<ZkState, ZkCommand> {
  return {
    initial: initialState,
    apply: (state, command) => applyCommand(state, command, opts),
    snapshot: snapshotState,
    restore: restoreState,
    encodeSnapshot,
    decodeSnapshot,
  };
}

export function applyCommand(state: ZkState, command: ZkCommand, opts: ZkMachineOptions): ApplyResult {
  const zxid = ++state.lastZxid;
  switch (command.type) {
    case 'createSession':
      state.sessions.set(command.sessionId, { id: command.sessionId, timeoutMs: command.timeoutMs, passwd: command.passwd });
      return { zxid, err: Err.OK, triggers: [] };
    case 'closeSession':
      return closeSession(state, command.sessionId, zxid, command.time);
    case 'deleteContainer':
      return deleteContainer(state, command.path, zxid, command.time);
    case 'errorTxn':
      return { zxid, err: command.err, triggers: [] };
    case 'write': {
      const ctx: OpContext = {
        state, zxid, time: command.time, triggers: [], journal: null, releases: [],
        sessionId: command.sessionId, auth: command.auth, extendedTypesEnabled: opts.extendedTypesEnabled,
      };
      return command.op.op === 'multi' ? applyMulti(ctx, command.op as MarkedMulti) : applySingle(ctx, command.op);
    }
  }
}

/** FinalRequestProcessor's reply body for each write opcode. */
function applySingle(ctx: OpContext, op: Exclude<WriteOp, { op: 'multi' }>): ApplyResult {
  const outcome = execOp(ctx, op);
  const result: ApplyResult = { zxid: ctx.zxid, err: outcome.err, triggers: ctx.triggers };
  if (outcome.err !== Err.OK) return result;
  let response: ZkResponse | undefined;
  switch (op.op) {
    // create → CreateResponse; create2, createTTL and createContainer → Create2Response.
    case 'create':
      response = op.opcode === 1 ? { kind: 'path', path: outcome.path! } : { kind: 'create2', path: outcome.path!, stat: statOf(outcome.node!) };
      break;
    case 'delete': break;
    case 'setData':
    case 'setACL':
      response = { kind: 'stat', stat: statOf(outcome.node!) };
      break;
    // A lone check succeeds in ZooKeeper's prep but its reply (SetDataResponse with a null stat)
    // fails to serialise and the 3.8.0 server drops the connection; we answer with the stat.
    case 'check':
      response = { kind: 'stat', stat: statOf(outcome.node!) };
      break;
  }
  if (response) result.response = response;
  return result;
}

/**
 * closeSession (client close or expiry): DataTree.killSession deletes the session's ephemerals,
 * each firing NodeDeleted and its parent's NodeChildrenChanged.
 */
function closeSession(state: ZkState, sessionId: string, zxid: number, time: number): ApplyResult {
  const m: Mutation = { state, zxid, time, triggers: [], journal: null, releases: [] };
  const paths = state.ephemerals.get(sessionId);
  for (const path of paths ? [...paths] : []) {
    const node = state.nodes.get(path);
    const parent = state.nodes.get(parentForDelete(path) ?? '');
    if (node && parent) deleteNode(m, path, parent, node);
  }
  state.ephemerals.delete(sessionId);
  const existed = state.sessions.delete(sessionId);
  return { zxid, err: Err.OK, triggers: m.triggers, closedSessions: existed ? [sessionId] : [] };
}

/**
 * ContainerManager's deleteContainer (PrepRequestProcessor: NONODE, NOTEMPTY, BADVERSION for an
 * ephemeral). ZooKeeper trusts the candidate list computed earlier; we re-check it against the
 * command's time so a node that gained a use in between (a child, a setData on a TTL node) or a
 * plain persistent node is never removed: those answer BADVERSION as an ephemeral does.
 */
function deleteContainer(state: ZkState, path: string, zxid: number, time: number): ApplyResult {
  const fail = (err: number): ApplyResult => ({ zxid, err, triggers: [] });
  const parentPath = parentForDelete(path);
  if (parentPath === null) return fail(Err.BADARGUMENTS);
  const node = state.nodes.get(path);
  if (!node) return fail(Err.NONODE);
  if (node.children !== null) return fail(Err.NOTEMPTY);
  const expiredTtl = node.special > 0 && time - node.mtime > node.special;
  if (node.special !== CONTAINER && !expiredTtl) return fail(Err.BADVERSION);
  const parent = state.nodes.get(parentPath);
  if (!parent) return fail(Err.NONODE);
  const m: Mutation = { state, zxid, time, triggers: [], journal: null, releases: [] };
  deleteNode(m, path, parent, node);
  return { zxid, err: Err.OK, triggers: m.triggers };
}
