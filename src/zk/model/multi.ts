import type { MultiResult } from '../codec/types.js';
import { Err } from '../codec/errors.js';
import { aclUnref } from './acl-cache.js';
import { execOp, type OpContext, type OpOutcome } from './ops.js';
import { statOf } from './state.js';
import type { ApplyResult, WriteOp } from './types.js';

/**
 * A multi whose request ZooKeeper could not turn into txns (a read op among the writes, a TTL
 * create sent without its ttl field, a nested multi): the whole request fails with
 * MARSHALLINGERROR, still consuming its zxid. toWriteOp marks such a multi with this flag
 * because WriteOp has no variant for an undecodable op. setACL and nested multis are no multi
 * ops either (MultiOperationRecord: "Invalid type of op").
 */
export type MarkedMulti = Extract<WriteOp, { op: 'multi' }> & { marshallingError?: true };

/**
 * FinalRequestProcessor's multi results: create → CreateResult(path) (type 1); createContainer
 * and createTTL → CreateResult(path, stat), which OpResult tags create2 (15); delete → 2;
 * setData → SetDataResult(stat); check → CheckResult.
 */
function resultOf(op: Exclude<WriteOp, { op: 'multi' }>, outcome: OpOutcome): MultiResult {
  switch (op.op) {
    case 'create':
      return op.opcode === 1 ? { type: 1, path: outcome.path! } : { type: 15, path: outcome.path!, stat: statOf(outcome.node!) };
    case 'delete': return { type: 2 };
    case 'setData': return { type: 5, stat: statOf(outcome.node!) };
    case 'check': return { type: 13 };
    case 'setACL': throw new Error('unreachable: applyMulti refuses setACL');
  }
}

/**
 * All or nothing (PrepRequestProcessor multi + DataTree.processTxn MULTI): each op sees the
 * effects of the ones before it; at the first failure everything done so far is undone, ops
 * before it report ErrorResult(0), the failing op its code and the ops after it
 * RUNTIMEINCONSISTENCY. The reply header's err stays 0 (seen on a real 3.8.0); the client finds
 * the failure in the results. Watches fire only when the whole multi applies.
 */
export function applyMulti(ctx: OpContext, multi: MarkedMulti): ApplyResult {
  const base = { zxid: ctx.zxid, triggers: [] };
  if (multi.marshallingError || multi.ops.some((op) => op.op === 'multi' || op.op === 'setACL')) return { ...base, err: Err.MARSHALLINGERROR };
  const journal: (() => void)[] = [];
  const mctx: OpContext = { ...ctx, journal, releases: [], triggers: [] };
  const results: MultiResult[] = [];
  for (let i = 0; i < multi.ops.length; i++) {
    const op = multi.ops[i] as Exclude<WriteOp, { op: 'multi' }>;
    const outcome = execOp(mctx, op);
    if (outcome.err !== Err.OK) {
      for (let j = journal.length - 1; j >= 0; j--) journal[j]!();
      return { ...base, err: Err.OK, response: { kind: 'multi', results: failedResults(multi.ops.length, i, outcome.err) } };
    }
    results.push(resultOf(op, outcome));
  }
  for (const id of mctx.releases) aclUnref(ctx.state.acls, id);
  return { zxid: ctx.zxid, err: Err.OK, response: { kind: 'multi', results }, triggers: mctx.triggers };
}

function failedResults(count: number, failedAt: number, err: number): MultiResult[] {
  const results: MultiResult[] = [];
  for (let i = 0; i < count; i++) {
    results.push({ type: -1, err: i < failedAt ? Err.OK : i === failedAt ? err : Err.RUNTIMEINCONSISTENCY });
  }
  return results;
}
