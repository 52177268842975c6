import type { CreateRequest, CreateTTLRequest, MultiOp, ZkRequest } from '../codec/types.js';
import { NULL_BUFFER } from '../codec/jute.js';
import type { MarkedMulti } from './multi.js';
import type { WriteOp } from './types.js';

/**
 * A decoded write request as a command op (data as base64, so commands stay JSON). Returns null
 * for requests that are not writes. deleteContainer (20) is not a WriteOp: the server turns it
 * into a `deleteContainer` command.
 */
export function toWriteOp(req: ZkRequest): WriteOp | null {
  switch (req.type) {
    case 1: case 15: case 19: case 21:
      return createOp(req.type, req.req);
    case 2:
      return { op: 'delete', path: req.req.path, version: (req.req as { version: number }).version };
    case 5:
      return { op: 'setData', path: req.req.path, data: dataOf(req.req.data), version: req.req.version };
    case 7:
      return { op: 'setACL', path: req.req.path, acl: req.req.acl, version: req.req.version };
    case 13:
      return { op: 'check', path: req.req.path, version: req.req.version };
    case 14:
      return multiOp(req.req.ops);
    default:
      return null;
  }
}

function createOp(opcode: 1 | 15 | 19 | 21, req: CreateRequest | CreateTTLRequest): WriteOp {
  const op: WriteOp = { op: 'create', opcode, path: req.path, data: dataOf(req.data), acl: req.acl, flags: req.flags };
  if (opcode === 21) op.ttl = (req as CreateTTLRequest).ttl;
  return op;
}

/**
 * MultiOperationRecord + Op.create: inside a multi the create's opcode follows its flags, not
 * the header type — TTL modes become createTTL, CONTAINER createContainer, anything else create
 * (so a create2 header gives a plain CreateResult). A TTL mode sent as a CreateRequest (no ttl
 * field) and any read op make ZooKeeper fail the whole multi with MARSHALLINGERROR.
 */
function multiOp(ops: readonly MultiOp[]): WriteOp {
  const out: WriteOp[] = [];
  let marshallingError = false;
  for (const op of ops) {
    switch (op.op) {
      case 'create': {
        const ttlMode = op.req.flags === 5 || op.req.flags === 6;
        if (ttlMode && op.type !== 21) marshallingError = true;
        const opcode = ttlMode ? 21 : op.req.flags === 4 ? 19 : 1;
        out.push(createOp(opcode, op.req));
        break;
      }
      case 'delete': out.push({ op: 'delete', path: op.req.path, version: op.req.version }); break;
      case 'setData': out.push({ op: 'setData', path: op.req.path, data: dataOf(op.req.data), version: op.req.version }); break;
      case 'check': out.push({ op: 'check', path: op.req.path, version: op.req.version }); break;
      default: marshallingError = true;
    }
  }
  const multi: MarkedMulti = { op: 'multi', ops: out };
  if (marshallingError) multi.marshallingError = true;
  return multi;
}

/** Data as the command carries it: base64, or null for a jute null buffer (kept distinct from
 *  empty data, as ZooKeeper keeps it). */
function dataOf(data: Buffer): string | null {
  return data === NULL_BUFFER ? null : data.toString('base64');
}
