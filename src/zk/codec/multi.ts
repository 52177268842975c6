/**
 * multi / multiRead bodies: a sequence of MultiHeader {type, done, err} each followed by its
 * record, ended by MultiHeader {-1, true, -1} (org.apache.zookeeper.MultiOperationRecord for
 * requests, org.apache.zookeeper.MultiResponse for results).
 */
import { ZkCodecError } from './errors.js';
import type { JuteReader, JuteWriter } from './jute.js';
import { OpCode, type MultiOp, type MultiResult } from './types.js';

function readHeader(r: JuteReader): { type: number; done: boolean; err: number } {
  return { type: r.readInt(), done: r.readBool(), err: r.readInt() };
}

/** The terminator both directions write: MultiHeader(-1, true, -1). */
function writeDone(w: JuteWriter): void {
  w.writeInt(-1).writeBool(true).writeInt(-1);
}

/**
 * MultiOperationRecord.deserialize: reads until a header with done=true (whatever its type);
 * an op type it has no case for is "Invalid type of op". Mixing read and write ops is checked
 * by the server, not here.
 */
export function decodeMultiOps(r: JuteReader): MultiOp[] {
  const ops: MultiOp[] = [];
  for (let h = readHeader(r); !h.done; h = readHeader(r)) ops.push(readOp(h.type, r));
  return ops;
}

function readOp(type: number, r: JuteReader): MultiOp {
  switch (type) {
    case OpCode.create: case OpCode.create2: case OpCode.createContainer:
      return { op: 'create', type, req: { path: r.readUstring(), data: r.readBuffer(), acl: r.readAclVector(), flags: r.readInt() } };
    case OpCode.createTTL:
      return { op: 'create', type, req: { path: r.readUstring(), data: r.readBuffer(), acl: r.readAclVector(), flags: r.readInt(), ttl: r.readLongNumber() } };
    case OpCode.delete:
      return { op: 'delete', type, req: { path: r.readUstring(), version: r.readInt() } };
    case OpCode.setData:
      return { op: 'setData', type, req: { path: r.readUstring(), data: r.readBuffer(), version: r.readInt() } };
    case OpCode.check:
      return { op: 'check', type, req: { path: r.readUstring(), version: r.readInt() } };
    case OpCode.getChildren: case OpCode.getData: {
      // GetChildrenRequest / GetDataRequest carry a watch flag; multiRead ignores it.
      const path = r.readUstring();
      r.readBool();
      return type === OpCode.getData ? { op: 'getData', type, req: { path } } : { op: 'getChildren', type, req: { path } };
    }
    default:
      throw new ZkCodecError('bad-multi', `Invalid type of op ${type} in multi`);
  }
}

/** MultiOperationRecord.serialize: each op's header carries err -1. */
export function writeMultiOps(w: JuteWriter, ops: readonly MultiOp[]): void {
  for (const op of ops) {
    w.writeInt(op.type).writeBool(false).writeInt(-1);
    switch (op.op) {
      case 'create': {
        const { req } = op;
        w.writeUstring(req.path).writeBuffer(req.data).writeAclVector(req.acl).writeInt(req.flags);
        if (op.type === OpCode.createTTL && 'ttl' in req) w.writeLong(req.ttl);
        break;
      }
      case 'delete': w.writeUstring(op.req.path).writeInt(op.req.version); break;
      case 'setData': w.writeUstring(op.req.path).writeBuffer(op.req.data).writeInt(op.req.version); break;
      case 'check': w.writeUstring(op.req.path).writeInt(op.req.version); break;
      case 'getChildren': case 'getData': w.writeUstring(op.req.path).writeBool(false); break;
    }
  }
  writeDone(w);
}

/**
 * MultiResponse.serialize: the header's err is the ErrorResult's code, 0 for other results.
 * ZooKeeper never writes type createContainer/createTTL here (FinalRequestProcessor turns those
 * sub-results into CreateResult(path, stat), type create2); a 19/21 result is written as a bare
 * CreateResponse, which ZooKeeper's own client would reject.
 */
export function writeMultiResults(w: JuteWriter, results: readonly MultiResult[]): void {
  for (const res of results) {
    w.writeInt(res.type).writeBool(false).writeInt(res.type === OpCode.error ? res.err : 0);
    switch (res.type) {
      case 1: case 19: case 21: w.writeUstring(res.path); break;
      case 15: w.writeUstring(res.path).writeStat(res.stat); break;
      case 2: case 13: break;
      case 5: w.writeStat(res.stat); break;
      case 4: w.writeBuffer(res.data).writeStat(res.stat); break;
      case 8: w.writeUstringVector(res.children); break;
      case -1: w.writeInt(res.err); break;
    }
  }
  writeDone(w);
}

/** MultiResponse.deserialize (client side): the same cases ZooKeeper's client accepts. */
export function decodeMultiResults(r: JuteReader): MultiResult[] {
  const results: MultiResult[] = [];
  for (let h = readHeader(r); !h.done; h = readHeader(r)) {
    switch (h.type) {
      case OpCode.create: results.push({ type: h.type, path: r.readUstring() }); break;
      case OpCode.create2: results.push({ type: h.type, path: r.readUstring(), stat: r.readStat() }); break;
      case OpCode.delete: case OpCode.check: results.push({ type: h.type }); break;
      case OpCode.setData: results.push({ type: h.type, stat: r.readStat() }); break;
      case OpCode.getData: results.push({ type: h.type, data: r.readBuffer(), stat: r.readStat() }); break;
      case OpCode.getChildren: results.push({ type: h.type, children: r.readUstringVector() }); break;
      case OpCode.error: results.push({ type: h.type, err: r.readInt() }); break;
      default: throw new ZkCodecError('bad-multi', `Invalid type ${h.type} in MultiResponse`);
    }
  }
  return results;
}
